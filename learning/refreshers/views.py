"""The refresher pages: an overview with the pause, a short session (htmx swaps the panel;
plain posts work the same without JavaScript) and the learner's own history."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from allyship.forms import add_validation_error, form_error_status
from allyship.permissions import get_refresher_card_for_user, get_refresher_review_for_user
from allyship.types import AuthedHttpRequest
from learning.refreshers import selectors, services
from learning.refreshers.forms import RefresherAnswerForm

SESSION_TEMPLATE = "learning/refreshers/refresher_session.html"


def _partial(request: AuthedHttpRequest) -> bool:
    return bool(request.htmx) and not request.htmx.history_restore_request


@require_GET
@login_required
def overview(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "learning/refreshers/refresher_overview.html",
        {
            "summary": selectors.summary_of(user),
            "modules": selectors.upcoming_by_module(user),
        },
    )


def _session_context(request: AuthedHttpRequest, *, form=None, card=None) -> dict:
    user = request.user
    summary = selectors.summary_of(user)
    context = {"summary": summary, "form": form, "card": card, "feedback": None}
    if summary.paused or card is not None:
        return context
    answered = selectors.answered_in_session(user)
    context["answered"] = answered
    if answered >= selectors.SESSION_SIZE and request.GET.get("more") != "1":
        context["session_done"] = True
        return context
    card = selectors.due_cards(user).first()
    if card is not None:
        context.update(card=card, form=RefresherAnswerForm(card))
    return context


@require_GET
@login_required
@vary_on_headers("HX-Request")
def session(request: AuthedHttpRequest) -> HttpResponse:
    template = f"{SESSION_TEMPLATE}#refresher-panel" if _partial(request) else SESSION_TEMPLATE
    return render(request, template, _session_context(request))


@require_POST
@login_required
@vary_on_headers("HX-Request")
def answer(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    card = get_refresher_card_for_user(request.user, pk)
    shown = selectors.due_cards(request.user, now=card.due).filter(pk=card.pk).first()
    if shown is None:
        raise Http404("This refresher is no longer part of the curriculum.")
    form = RefresherAnswerForm(shown, request.POST)
    if form.is_valid():
        try:
            outcome = services.refresher_answer(
                card=shown,
                number=form.cleaned_data["number"],
                selected=form.selection(),
                acting_user=request.user,
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            if not request.htmx:
                if not outcome.recorded:
                    messages.info(request, "You had answered this one already: that answer stands.")
                return redirect("refreshers:review-detail", pk=outcome.review.pk)
            review = get_refresher_review_for_user(request.user, outcome.review.pk)
            return render(
                request,
                f"{SESSION_TEMPLATE}#refresher-panel",
                {
                    "feedback": review,
                    "detail": selectors.review_detail(review),
                    "recorded": outcome.recorded,
                    "summary": selectors.summary_of(request.user),
                },
            )
    context = _session_context(request, form=form, card=shown)
    template = f"{SESSION_TEMPLATE}#refresher-panel" if request.htmx else SESSION_TEMPLATE
    return render(request, template, context, status=form_error_status(request))


@require_GET
@login_required
def history(request: AuthedHttpRequest) -> HttpResponse:
    reviews = selectors.history_of(request.user)[:200]
    return render(request, "learning/refreshers/refresher_history.html", {"reviews": reviews})


@require_GET
@login_required
def review_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    review = get_refresher_review_for_user(request.user, pk)
    return render(
        request,
        "learning/refreshers/refresher_review.html",
        {
            "feedback": review,
            "detail": selectors.review_detail(review),
            "summary": selectors.summary_of(request.user),
            "now": timezone.now(),
        },
    )


@require_POST
@login_required
def pause(request: AuthedHttpRequest) -> HttpResponse:
    services.refreshers_pause(acting_user=request.user)
    messages.success(
        request, "Refreshers paused. None will be offered or emailed until you resume."
    )
    return redirect("refreshers:overview")


@require_POST
@login_required
def resume(request: AuthedHttpRequest) -> HttpResponse:
    services.refreshers_resume(acting_user=request.user)
    messages.success(request, "Refreshers resumed.")
    return redirect("refreshers:overview")
