"""Recognition pages: the badge gallery, the profile, certificates, credentials, toasts."""

import hashlib

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import condition, require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from allyship.converters import MAX_ID
from allyship.permissions import (
    get_award_for_user,
    get_certificate_by_code,
    get_certificate_for_user,
)
from allyship.types import AuthedHttpRequest
from learning.recognition import badges, selectors
from learning.recognition.certificates import certificate_pdf
from learning.recognition.openbadges import achievement_credential, site_url
from learning.recognition.rewards import LEVELS

XP_HISTORY_PER_PAGE = 20
# The highest level the person has been congratulated on, kept per browser session.
LEVEL_CELEBRATED = "recognition_level_celebrated"


@require_GET
@login_required
def badge_list(request: AuthedHttpRequest) -> HttpResponse:
    cards = selectors.badge_gallery(request.user)
    earned = [card for card in cards if card.earned]
    return render(
        request,
        "recognition/badge_list.html",
        {
            "earned": sorted(earned, key=lambda card: card.award.awarded_at, reverse=True),
            "to_earn": [card for card in cards if not card.earned],
            "total": len(cards),
        },
    )


@require_GET
@login_required
def profile(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    stats = selectors.stats_of(user)
    history = Paginator(selectors.xp_history(user), XP_HISTORY_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "recognition/profile.html",
        {
            "stats": stats,
            "summary": selectors.level_summary(stats),
            "levels": LEVELS,
            "page": history,
            "courses": selectors.completed_courses(user),
            "badge_count": selectors.badge_count(user),
            "badge_total": len(badges.BADGES),
            "team_goals": selectors.team_goals_shared(user),
        },
    )


@require_GET
@login_required
def certificate_detail(request: AuthedHttpRequest, course_slug: str) -> HttpResponse:
    certificate = get_certificate_for_user(request.user, course_slug)
    return render(
        request,
        "recognition/certificate_detail.html",
        {"certificate": certificate, "verify_url": _verify_url(certificate.code)},
    )


@require_GET
@login_required
def certificate_pdf_download(request: AuthedHttpRequest, course_slug: str) -> HttpResponse:
    certificate = get_certificate_for_user(request.user, course_slug)
    response = HttpResponse(
        certificate_pdf(certificate, verify_url=_verify_url(certificate.code)),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="allyship-certificate-{certificate.course.slug}.pdf"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _verify_etag(request: HttpRequest, code: str) -> str:
    """What the verification page shows, hashed: a checker polling a certificate (an
    applicant tracking system, say) gets 304 Not Modified until the name or course changes."""
    certificate = get_certificate_by_code(code)
    request.verified_certificate = certificate  # the view shows the same row: no second read
    shown = (certificate.code, certificate.issued_at.isoformat(), certificate.user.full_name)
    shown += (certificate.course.title, request.user.is_authenticated)
    return hashlib.sha256(repr(shown).encode()).hexdigest()[:32]


@require_GET
@condition(etag_func=_verify_etag)
def certificate_verify(request: HttpRequest, code: str) -> HttpResponse:
    """Public: confirms a certificate by its code, showing only name, course and date."""
    certificate = getattr(request, "verified_certificate", None) or get_certificate_by_code(code)
    response = render(request, "recognition/certificate_verify.html", {"certificate": certificate})
    response["X-Robots-Tag"] = "noindex"
    return response


def _verify_url(code: str) -> str:
    return site_url(reverse("recognition:verify", args=[code]))


@require_GET
@login_required
def badge_credential(request: AuthedHttpRequest, badge_slug: str) -> HttpResponse:
    award, badge = get_award_for_user(request.user, badge_slug)
    response = JsonResponse(
        achievement_credential(award, badge),
        content_type="application/ld+json",
        json_dumps_params={"indent": 2, "ensure_ascii": False},
    )
    response["Content-Disposition"] = f'attachment; filename="allyship-badge-{badge.slug}.json"'
    response["Cache-Control"] = "private, no-store"
    return response


# Toasts: base.html's aria-live #toasts region loads these on every page and after htmx posts.
# GET only reads; celebrations stay until dismissed by POST (so a toast is never lost to a
# page change, and fetching never changes data). The level-up baseline lives in the session.


def _toasts_context(request: AuthedHttpRequest) -> dict:
    awards, more = selectors.unseen_awards(request.user)
    level = selectors.level_summary(selectors.stats_of(request.user)).level
    celebrated = request.session.get(LEVEL_CELEBRATED)
    if celebrated is None:
        # First look in this session: today's level is the baseline, nothing to celebrate.
        request.session[LEVEL_CELEBRATED] = celebrated = level.number
    return {
        "toast_awards": awards,
        "toast_more": more,
        "toast_level": level if level.number > celebrated else None,
    }


def _safe_next(request: HttpRequest, candidate: str | None) -> str:
    # A local path only: redirect() would take a bare word for a view name and fail.
    if (
        candidate
        and candidate.startswith("/")
        and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return candidate
    return reverse("recognition:badge-list")


@require_GET
@never_cache
def toasts(request: AuthedHttpRequest) -> HttpResponse:
    """The celebrations waiting for the person, as the #toasts region's content.

    Signed out (a session that expired while a page was open), it answers 204 rather than
    redirecting, so htmx never swaps the sign-in page into the region.
    """
    if not request.user.is_authenticated:
        return HttpResponse(status=204)
    context = _toasts_context(request)
    # Where a dismiss form without htmx returns: the page showing the toast.
    context["toast_next"] = _safe_next(request, request.headers.get("HX-Current-URL"))
    return render(request, "includes/toasts.html", context)


@require_POST
@login_required
@vary_on_headers("HX-Request")
def toast_dismiss(request: AuthedHttpRequest) -> HttpResponse:
    """Mark celebrations seen: one award (`award`), a level (`level`), or everything (`all`)."""
    dismiss_all = "all" in request.POST
    award_ids = [
        int(v)
        for v in request.POST.getlist("award")
        if v.isascii() and v.isdigit() and len(v) <= 19 and int(v) <= MAX_ID
    ]
    if dismiss_all or award_ids:
        badges.badge_awards_mark_seen(
            user=request.user, award_ids=None if dismiss_all else award_ids
        )
    if dismiss_all or "level" in request.POST:
        stats = selectors.stats_of(request.user)
        request.session[LEVEL_CELEBRATED] = selectors.level_summary(stats).level.number
    if request.htmx:
        context = _toasts_context(request)
        context["toast_next"] = _safe_next(request, request.POST.get("next"))
        return render(request, "includes/toasts.html", context)
    return redirect(_safe_next(request, request.POST.get("next")))
