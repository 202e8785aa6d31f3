"""The login page, aware of single sign-on, and the account page showing how one signs in."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_GET

from allyship.forms import EmailAuthenticationForm
from allyship.sso.selectors import identity_provider_for_email, provider_origins, sign_in_methods
from allyship.types import AuthedHttpRequest


class SsoLoginView(auth_views.LoginView):
    """Django's login view (axes still throttles password attempts). An address whose domain
    signs in through its identity provider only, or anyone choosing "Use my company sign-in",
    is sent to that provider instead of checking a password."""

    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        origins = provider_origins()
        if not origins:
            return response
        # The form's submission may be redirected to a provider: the page's CSP allows it.
        config = {**settings.SECURE_CSP, "form-action": [CSP.SELF, *origins]}
        return csp_override(config)(lambda request: response)(request)

    def post(self, request, *args, **kwargs):
        email = request.POST.get("username", "").strip().lower()
        provider = identity_provider_for_email(email) if "@" in email else None
        if provider is not None and (not provider.password_sign_in or "sso" in request.POST):
            return provider.app.get_provider(request).redirect(
                request, process="login", next_url=self.get_success_url()
            )
        return super().post(request, *args, **kwargs)


@login_required
@require_GET
def account(request: AuthedHttpRequest) -> HttpResponse:
    return render(request, "sso/account.html", {"methods": sign_in_methods(request.user)})
