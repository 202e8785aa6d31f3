"""Manager pages: the team's progress, nudges and team insights.

A manager sees only people below them in the manager chain (`get_team_member_for_user`
gives a 404 for anyone else), only completion and progress for individuals, and quiz
insights only in aggregate for groups of at least five. Never reflections, never
anyone's individual scenario choices.
"""

from dataclasses import replace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from allyship.notifications.nudges import next_nudge_on, nudge_send
from allyship.permissions import get_course_or_404, get_team_member_for_user, require_manager
from allyship.reporting import reports, tables
from allyship.reporting.forms import ReportFilterForm, ScenarioChoiceForm
from allyship.reporting.insights import insights_report
from allyship.types import AuthedHttpRequest


@require_GET
@login_required
@require_manager
def team(request: AuthedHttpRequest) -> HttpResponse:
    everyone = request.GET.get("scope") == "all"
    form = ReportFilterForm(request.GET or None, fields=("course", "overdue"))
    scope = (
        reports.Filters(team_of=request.user.pk)
        if everyone
        else reports.Filters(reports_of=request.user.pk)
    )
    chosen = form.filters()
    filters = replace(scope, course_id=chosen.course_id, overdue_only=chosen.overdue_only)
    # The whole team's totals come from the stored team figures (computed in the background
    # for everyone at once, as of a time): a senior manager's team can be the organisation.
    # Direct reports, and the overdue filter the figures do not hold, are summed exactly.
    taken_at = None
    if everyone and not filters.overdue_only:
        snapshot = reports.dashboard_report(filters)
        totals = snapshot.value[0].totals if snapshot else None
        taken_at = snapshot.taken_at if snapshot else None
    else:
        totals = tables.team_totals(filters)
    sort = reports.sort_key(request.GET.get("sort"))
    page = tables.employee_page(filters, sort, request.GET.get("page"))
    members = page.object_list
    for row in members:
        row["next_due_label"] = reports.short_date(row["next_due"], year=True)
        if row["completion"] is not None:
            row["completion_label"] = f"{round(row['completion'])}%"
    next_nudge = next_nudge_on()
    return render(
        request,
        "manager/team.html",
        {
            "form": form,
            "everyone": everyone,
            "page": page,
            "members": members,
            "totals": totals,
            "taken_at": taken_at,
            "sort": sort,
            "headers": reports.sort_headers(sort),
            "filtered": bool(filters.course_id or filters.overdue_only),
            "next_url": request.get_full_path(),
            "next_nudge_label": f"{next_nudge:%a} {reports.short_date(next_nudge)}",
        },
    )


@require_POST
@login_required
@require_manager
def nudge(request: AuthedHttpRequest, person_id: int) -> HttpResponse:
    learner = get_team_member_for_user(request.user, person_id)
    course = get_course_or_404(request.POST.get("course"))
    try:
        sent = nudge_send(learner=learner, course=course, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"Sent {learner.get_short_name()} a friendly reminder about “{course.title}”. "
            f"The next nudge about it is possible from {next_nudge_on(sent.week):%A %-d %B}.",
        )
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        # Not redirect(): it would take a bare word for a view name and fail to reverse it.
        return HttpResponseRedirect(target)
    return redirect("manager:team")


@require_GET
@login_required
@require_manager
def insights(request: AuthedHttpRequest) -> HttpResponse:
    form = ReportFilterForm(request.GET or None, fields=("course",))
    scenario_form = ScenarioChoiceForm(request.GET or None)
    scenario = scenario_form.chosen()
    snapshot = insights_report(
        reports.Filters(team_of=request.user.pk), course=form.value("course"), scenario=scenario
    )
    return render(
        request,
        "manager/insights.html",
        {
            "form": form,
            "scenario_form": scenario_form,
            "preparing": snapshot is None,
            "insights": snapshot.value if snapshot else None,
            "taken_at": snapshot.taken_at if snapshot else None,
        },
    )
