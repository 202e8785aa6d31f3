import datetime

import pytest
from django.utils import timezone

from allyship.reporting import charts, exports, insights, reports
from learning.models import CommitmentStatus
from quizzes.models import AnswerContext, Rating
from tests.factories import DepartmentFactory, UserFactory
from tests.hr.factories import (
    AssignmentFactory,
    answer,
    assessment_question,
    build_scenario,
    bulk_team,
    commit,
    complete,
    course_with_modules,
    days,
    play,
    refresh_figures,
)
from tests.learning.builders import build_module

pytestmark = pytest.mark.django_db


def _dashboard(filters: reports.Filters):
    """The dashboard and weekly completions after the background refresh has run."""
    refresh_figures()
    return reports.dashboard_report(filters).value


def _insights(scenario=None, filters=None):
    refresh_figures()
    return insights.insights_report(filters or reports.Filters(), scenario=scenario).value


def test_totals_and_breakdowns_count_completed_and_overdue(course, employee, outsider):
    sales = DepartmentFactory(name="Sales")
    seller = UserFactory(department=sales)
    AssignmentFactory(user=employee, course=course, due_on=days(-2))  # overdue
    AssignmentFactory(user=outsider, course=course, due_on=days(-2))
    complete(outsider, course)  # late but done: not overdue
    AssignmentFactory(user=seller, course=course, due_on=days(5))
    totals = reports.totals(reports.Filters())
    assert (totals["assigned"], totals["completed"], totals["overdue"]) == (3, 1, 1)
    assert totals["completion_rate"] == 33
    found, _ = _dashboard(reports.Filters())
    assert {key: found.totals[key] for key in totals if key != "completion"} == {
        key: value for key, value in totals.items() if key != "completion"
    }
    (row,) = found.by_course
    assert (row["label"], row["assigned"], row["completed"], row["overdue"]) == (
        course.title,
        3,
        1,
        1,
    )
    departments = {row["label"]: row for row in found.by_department}
    assert departments["Sales"]["assigned"] == 1 and departments["Engineering"]["overdue"] == 1


def test_filters_narrow_by_department_course_and_team(course, manager, employee, outsider):
    other = type(course).objects.create(slug="other", title="Other", module_count=1)
    AssignmentFactory(user=employee, course=course)
    AssignmentFactory(user=outsider, course=other)
    grandchild = UserFactory(manager=employee)
    AssignmentFactory(user=grandchild, course=other)
    assert reports.totals(reports.Filters(team_of=manager.pk))["people"] == 2
    assert reports.totals(reports.Filters(course_id=other.pk))["assigned"] == 2
    assert reports.totals(reports.Filters(course_id=other.pk, team_of=manager.pk))["people"] == 1
    engineering = employee.department
    assert reports.people(reports.Filters(department_id=engineering.pk)).count() == 5


def test_withdrawn_assignments_and_people_who_left_are_not_counted(course, employee):
    AssignmentFactory(user=employee, course=course, withdrawn_at=timezone.now())
    AssignmentFactory(user=UserFactory(is_active=False), course=course)
    assert reports.totals(reports.Filters())["assigned"] == 0


def test_completions_per_week_fill_empty_weeks(course, employee, outsider):
    complete(employee, course, when=timezone.now())
    complete(outsider, course, when=timezone.now() - datetime.timedelta(weeks=2))
    _, weeks = _dashboard(reports.Filters())
    assert len(weeks) == 12
    assert [row["count"] for row in weeks[-3:]] == [1, 0, 1]
    assert weeks[-1]["week"].weekday() == 0


def test_employee_rows_sort_by_completion_and_due_date(course, manager):
    people = bulk_team(9, manager=manager, course=course)
    by_completion = list(
        reports.employee_rows(reports.Filters(reports_of=manager.pk), "completion")
    )
    values = [row["completion"] for row in by_completion]
    assert values == sorted(values)
    by_due = list(reports.employee_rows(reports.Filters(reports_of=manager.pk), "due"))
    dues = [row["next_due"] for row in by_due if row["next_due"]]
    assert dues == sorted(dues)
    assert len(by_due) == len(people)


def test_people_without_assignments_sort_last_by_completion(course, employee, outsider):
    AssignmentFactory(user=employee, course=course)
    rows = list(reports.employee_rows(reports.Filters(), "-completion"))
    assert rows[-1]["completion"] is None and rows[0]["email"] == employee.email


@pytest.mark.parametrize(
    "value, safe",
    [
        ('=HYPERLINK("x")', '\'=HYPERLINK("x")'),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("Ada", "Ada"),
        (None, ""),
    ],
)
def test_csv_cells_cannot_run_as_formulas(value, safe):
    assert exports.csv_safe(value) == safe


def _group(size: int, department=None):
    department = department or DepartmentFactory(name="Insight team")
    return [UserFactory(department=department) for _ in range(size)]


def test_insights_are_withheld_below_five_people():
    _group(4)
    found = _insights(scenario=build_scenario())
    assert not found.enough and found.group_size == 4
    assert found.hardest == [] and found.steps == [] and found.commitments is None


def test_insights_show_for_five_people_and_hide_thinner_figures():
    people = _group(5)
    module = build_module(lessons=1)
    question = assessment_question(module)
    scenario = build_scenario(principle=module.principle)
    for index, person in enumerate(people):
        play(person, scenario, Rating.STRONG if index < 3 else Rating.HARMFUL)
        answer(person, question, AnswerContext.MODULE, score=1.0 if index % 2 else 0.0)
        commit(person, module, CommitmentStatus.DONE if index < 4 else CommitmentStatus.NOT_YET)
    found = _insights(scenario=scenario)
    assert found.enough
    (step,) = found.steps
    shares = {row["rating"]: (row["times"], row["share"]) for row in step["rows"]}
    assert shares[Rating.STRONG] == (3, 60) and shares[Rating.HARMFUL] == (2, 40)
    (principle,) = [row for row in found.hardest if row["name"] == module.principle.name]
    assert principle["check"] == 40.0 and principle["scenario"] == 60.0
    overall = found.commitments["overall"]
    assert (overall["made"], overall["followed"], overall["rate"]) == (5, 4, 80)
    # A sixth person's lone pre-test answer is too thin to show.
    extra = UserFactory(department=people[0].department)
    answer(extra, question, AnswerContext.PRE, course=course_with_modules(1), score=0.5)
    found = _insights(scenario=scenario)
    assert [r for r in found.pre_post if r["name"] == module.principle.name] == []


def test_bar_chart_describes_its_data_in_words():
    chart = charts.bar_chart(
        chart_id="c", title="Completion by course", rows=[("A", 50), ("B", None)]
    )
    assert chart.description == "Completion by course. A: 50%; B: no data."
    assert chart.bars[0].width == "200"


def test_weekly_chart_summarises_the_busiest_week():
    monday = datetime.date(2026, 3, 2)
    chart = charts.weekly_column_chart(
        chart_id="w",
        title="Courses completed per week",
        points=[(monday, 1), (monday + datetime.timedelta(weeks=1), 4)],
    )
    assert "5 in the 2 weeks" in chart.description and "had 4" in chart.description
