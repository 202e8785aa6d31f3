"""HR pages: the organisation dashboard, the employee table and its CSV export, course
assignments, insights and the audit log. Every view is for HR admins only. (The people
import's pages live with the import.)"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from allyship.forms import add_validation_error, form_error_status
from allyship.models import AuditEntry
from allyship.permissions import get_assignment_rule_for_user, require_hr
from allyship.reporting import charts, exports, reports, tables
from allyship.reporting.forms import (
    AssignmentForm,
    DueDateForm,
    ReportFilterForm,
    ScenarioChoiceForm,
)
from allyship.reporting.insights import insights_report
from allyship.types import AuthedHttpRequest
from allyship.views import paginate
from learning import assignments
from learning.models import AssignmentScope

AUDIT_ACTIONS = {
    "people.import": "People imports",
    "assignment.create": "Assignments made",
    "assignment.due_date": "Due dates changed",
    "assignment.withdraw": "Assignments withdrawn",
    "employees.export": "Exports",
    "nudge.send": "Nudges",
    "manager.change": "Manager changes",
    "role.change": "Role changes",
}


# Dashboard ----------------------------------------------------------------------------


@require_GET
@login_required
@require_hr
def dashboard(request: AuthedHttpRequest) -> HttpResponse:
    form = ReportFilterForm(request.GET or None, fields=("department", "course", "manager"))
    filters = form.filters()
    snapshot = reports.dashboard_report(filters)
    if snapshot is None:
        return render(request, "hr/dashboard.html", {"form": form, "preparing": True})
    found, weekly = snapshot.value
    by_course, by_department = found.by_course, found.by_department
    return render(
        request,
        "hr/dashboard.html",
        {
            "form": form,
            "totals": found.totals,
            "taken_at": snapshot.taken_at,
            "by_course": by_course,
            "by_department": by_department,
            "weekly": weekly,
            "course_chart": charts.bar_chart(
                chart_id="chart-courses",
                title="Completion by course",
                rows=[(row["label"], row["rate"]) for row in by_course],
            ),
            "department_chart": charts.bar_chart(
                chart_id="chart-departments",
                title="Completion by department",
                rows=[(row["label"], row["rate"]) for row in by_department],
            ),
            "weekly_chart": charts.weekly_column_chart(
                chart_id="chart-weekly",
                title="Courses completed per week",
                points=[(row["week"], row["count"]) for row in weekly],
            ),
        },
    )


# The employee table -------------------------------------------------------------------


@require_GET
@login_required
@require_hr
def people(request: AuthedHttpRequest) -> HttpResponse:
    form = ReportFilterForm(request.GET or None)
    filters = form.filters()
    sort = reports.sort_key(request.GET.get("sort"))
    page = tables.employee_page(filters, sort, request.GET.get("page"))
    return render(
        request,
        "hr/people_list.html",
        {
            "form": form,
            "page": page,
            "sort": sort,
            "sort_label": reports.SORTS[sort][0],
            "headers": reports.sort_headers(sort),
            "today": timezone.localdate(),
        },
    )


@require_GET
@login_required
@require_hr
def employees_csv(request: AuthedHttpRequest) -> StreamingHttpResponse:
    form = ReportFilterForm(request.GET or None)
    filters = form.filters()
    sort = reports.sort_key(request.GET.get("sort"))
    taken_at = timezone.now()
    exports.employees_export_audit(acting_user=request.user, filters=filters, taken_at=taken_at)
    response = StreamingHttpResponse(
        exports.employees_csv_chunks(filters, sort), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{exports.export_file_name(taken_at)}"'
    response["Cache-Control"] = "no-store"
    return response


# Assignments --------------------------------------------------------------------------


@require_GET
@login_required
@require_hr
def assignment_list(request: AuthedHttpRequest) -> HttpResponse:
    page = paginate(request, reports.assignment_rules())
    return render(request, "hr/assignment_list.html", {"page": page})


@require_http_methods(["GET", "POST"])
@login_required
@require_hr
def assignment_create(request: AuthedHttpRequest) -> HttpResponse:
    form = AssignmentForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                outcome = assignments.assignment_rule_create(
                    course=data["course"],
                    scope=data["scope"],
                    due_on=data["due_on"],
                    department=data.get("department"),
                    team_manager=data.get("team_manager"),
                    people=data.get("people"),
                    acting_user=request.user,
                )
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(
                    request,
                    f"Assigned “{outcome.rule.course.title}” to {outcome.assigned} "
                    f"{'person' if outcome.assigned == 1 else 'people'}"
                    + (
                        f" ({outcome.already_assigned} already had it)."
                        if outcome.already_assigned
                        else "."
                    ),
                )
                return redirect("hr:assignment-detail", rule_id=outcome.rule.pk)
        return render(
            request,
            "hr/assignment_form.html",
            {"form": form},
            status=form_error_status(request),
        )
    return render(request, "hr/assignment_form.html", {"form": form})


def _rule_context(rule, due_form: DueDateForm | None = None) -> dict:
    return {
        "rule": rule,
        "group": assignments.rule_group_description(rule),
        "stats": reports.assignment_rule_stats(rule),
        "due_form": due_form or DueDateForm(initial={"due_on": rule.due_on}),
        "is_group": rule.scope != AssignmentScope.PEOPLE,
    }


@require_GET
@login_required
@require_hr
def assignment_detail(request: AuthedHttpRequest, rule_id: int) -> HttpResponse:
    rule = get_assignment_rule_for_user(request.user, rule_id)
    return render(request, "hr/assignment_detail.html", _rule_context(rule))


@require_POST
@login_required
@require_hr
def assignment_due_date(request: AuthedHttpRequest, rule_id: int) -> HttpResponse:
    rule = get_assignment_rule_for_user(request.user, rule_id)
    form = DueDateForm(request.POST)
    if form.is_valid():
        try:
            assignments.assignment_rule_set_due_date(
                rule=rule, due_on=form.cleaned_data["due_on"], acting_user=request.user
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(
                request,
                f"The due date is now {form.cleaned_data['due_on']:%-d %B %Y}. "
                "Everyone's progress is kept.",
            )
            return redirect("hr:assignment-detail", rule_id=rule.pk)
    return render(
        request,
        "hr/assignment_detail.html",
        _rule_context(rule, due_form=form),
        status=form_error_status(request),
    )


@require_POST
@login_required
@require_hr
def assignment_withdraw(request: AuthedHttpRequest, rule_id: int) -> HttpResponse:
    rule = get_assignment_rule_for_user(request.user, rule_id)
    withdrawn = assignments.assignment_rule_withdraw(rule=rule, acting_user=request.user)
    if withdrawn or rule.withdrawn_at is None:
        messages.success(
            request,
            f"Withdrawn from {withdrawn} {'person' if withdrawn == 1 else 'people'}. "
            "Their progress is kept, and nobody new will receive it.",
        )
    else:
        messages.info(request, "This assignment was already withdrawn.")
    return redirect("hr:assignment-detail", rule_id=rule.pk)


# Insights -----------------------------------------------------------------------------


@require_GET
@login_required
@require_hr
def insights(request: AuthedHttpRequest) -> HttpResponse:
    form = ReportFilterForm(request.GET or None, fields=("department", "course", "manager"))
    scenario_form = ScenarioChoiceForm(request.GET or None)
    scenario = scenario_form.chosen()
    snapshot = insights_report(form.filters(), course=form.value("course"), scenario=scenario)
    return render(
        request,
        "hr/insights.html",
        {
            "form": form,
            "scenario_form": scenario_form,
            "preparing": snapshot is None,
            "insights": snapshot.value if snapshot else None,
            "taken_at": snapshot.taken_at if snapshot else None,
        },
    )


# Audit log ----------------------------------------------------------------------------


@require_GET
@login_required
@require_hr
def audit_log(request: AuthedHttpRequest) -> HttpResponse:
    action = request.GET.get("action", "")
    query = request.GET.get("q", "").strip()[:100]
    entries = AuditEntry.objects.select_related("actor").order_by("-created_at", "-id")
    if action in AUDIT_ACTIONS:
        entries = entries.filter(action=action)
    if query:
        entries = entries.filter(Q(target__icontains=query) | Q(actor__email__icontains=query))
    return render(
        request,
        "hr/audit_list.html",
        {
            "page": paginate(request, entries),
            "actions": AUDIT_ACTIONS,
            "action": action,
            "query": query,
        },
    )
