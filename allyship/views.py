from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib.auth.views import PasswordResetView
from django.core.exceptions import BadRequest
from django.core.paginator import Paginator
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from allyship.notifications.tasks import send_password_reset
from allyship.throttle import throttle_allows


@require_GET
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """200 "ok" when the database answers, 503 otherwise; no sign-in needed."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # Only our own BadRequest messages are shown; Django's suspicious-request ones stay in logs.
    message = str(exception) if isinstance(exception, BadRequest) else ""
    return render(request, "400.html", {"message": message}, status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = str(exception) if exception and str(exception) else ""
    return render(request, "403.html", {"message": message}, status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # A bare render: the request may be broken, so no context processors that touch the DB.
    return HttpResponse(loader.get_template("500.html").render({}), status=500)


def paginate(request: HttpRequest, items, per_page: int = 50):
    return Paginator(items, per_page).get_page(request.GET.get("page"))


RESET_THROTTLED = (
    "Too many password reset emails have been asked for, from this network or for this "
    "address. Please wait an hour and try again; a link already sent keeps working."
)


class PasswordResetRequestView(PasswordResetView):
    """Django's reset page, throttled per address and per email, sending from a task.

    Every answer takes the same path whether or not the email belongs to anyone: count the
    request, queue one task, redirect. The task looks the person up and sends the link.
    """

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        window = settings.PASSWORD_RESET_WINDOW_SECONDS
        by_address = throttle_allows(
            "reset-address",
            get_client_ip_address(self.request) or "unknown",
            limit=settings.PASSWORD_RESET_LIMIT_PER_ADDRESS,
            window_seconds=window,
        )
        by_email = throttle_allows(
            "reset-email",
            email,
            limit=settings.PASSWORD_RESET_LIMIT_PER_EMAIL,
            window_seconds=window,
        )
        if not (by_address and by_email):
            form.add_error(None, RESET_THROTTLED)
            return self.render_to_response(self.get_context_data(form=form), status=429)
        send_password_reset.enqueue(email)
        return HttpResponseRedirect(self.get_success_url())
