import csv
import io

import pytest
from django.urls import reverse

from allyship.models import AuditEntry, ImportBatch, User
from learning.models import Assignment, AssignmentRule, AssignmentScope
from tests.factories import AuditEntryFactory, DepartmentFactory
from tests.hr.factories import (
    AssignmentRuleFactory,
    build_scenario,
    bulk_team,
    days,
    play,
    refresh_figures,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def hr_client(client, hr):
    client.force_login(hr)
    return client


def _csv_rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


# Every HR page answers in a constant number of queries -----------------------------------

PAGES = [
    ("hr:dashboard", {}, 9),
    ("hr:dashboard", {"course": "course", "department": "department"}, 11),
    ("hr:people", {}, 9),
    ("hr:people", {"sort": "-completion", "overdue": "on", "course": "course"}, 9),
    ("hr:people", {"sort": "due", "manager": "manager@test.example"}, 10),
    ("hr:import", {}, 5),
    ("hr:assignments", {}, 6),
    ("hr:assignment-create", {}, 6),
    ("hr:insights", {}, 19),
    ("hr:insights", {"department": "department"}, 20),
    ("hr:audit", {}, 6),
]


@pytest.mark.parametrize("size", [3, 40])
@pytest.mark.parametrize("name, params, most", PAGES)
def test_hr_pages_cost_the_same_queries_at_two_sizes(
    hr_client, manager, course, django_assert_max_num_queries, size, name, params, most
):
    department = DepartmentFactory(name="Engineering")
    team = bulk_team(size, manager=manager, course=course, department=department)
    AssignmentRuleFactory.create_batch(2, course=course)
    for _ in range(size):
        AuditEntryFactory()
    scenario = build_scenario()
    for person in team:
        play(person, scenario)
    values = {"course": course.pk, "department": department.pk}
    query = {key: values.get(value, value) for key, value in params.items()}
    refresh_figures()  # the dashboard and insights read what the background stored
    with django_assert_max_num_queries(most):
        response = hr_client.get(reverse(name), query)
    assert response.status_code == 200


@pytest.mark.parametrize("size", [3, 40])
def test_hr_detail_pages_cost_the_same_queries_at_two_sizes(
    hr_client, hr, manager, course, django_assert_max_num_queries, size
):
    bulk_team(size, manager=manager, course=course)
    rule = AssignmentRuleFactory(course=course)
    Assignment.objects.filter(course=course).update(rule=rule)
    batch = ImportBatch.objects.create(
        file_name="a.csv",
        sha256="0" * 64,
        rows=[],
        preview={"counts": {"new": size}, "new": [{"row": 2, "email": "x", "name": "X"}] * size},
        created_by=hr,
    )
    with django_assert_max_num_queries(7):
        assert hr_client.get(reverse("hr:assignment-detail", args=[rule.pk])).status_code == 200
    with django_assert_max_num_queries(5):
        assert hr_client.get(reverse("hr:import-preview", args=[batch.pk])).status_code == 200


# Dashboard and people -------------------------------------------------------------------


def test_dashboard_shows_accessible_charts_with_a_data_table(hr_client, manager, course):
    bulk_team(6, manager=manager, course=course)
    refresh_figures()
    response = hr_client.get(reverse("hr:dashboard"))
    text = response.text
    assert text.count('role="img"') == 3
    assert '<title id="chart-courses-title">Completion by course</title>' in text
    assert '<desc id="chart-courses-desc">' in text
    assert "<caption" in text and 'scope="col"' in text
    assert course.title in text
    assert ' style="' not in text and "<script>" not in text


def test_dashboard_filters_by_manager_email(hr_client, manager, course, outsider):
    bulk_team(3, manager=manager, course=course)
    response = hr_client.get(reverse("hr:dashboard"), {"manager": "nobody@test.example"})
    assert response.status_code == 200
    assert "Nobody with the email nobody@test.example" in response.text


def test_people_table_sorts_and_paginates(hr_client, manager, course):
    bulk_team(60, manager=manager, course=course)
    response = hr_client.get(reverse("hr:people"), {"sort": "-name"})
    assert response.context["page"].paginator.count == 63  # with boss, manager and hr
    names = [row["full_name"] for row in response.context["page"]]
    assert names == sorted(names, reverse=True) and len(names) == 50
    assert 'aria-sort="descending"' in response.text
    page2 = hr_client.get(reverse("hr:people"), {"sort": "-name", "page": 2})
    assert len(page2.context["page"].object_list) == 13


# The CSV export ------------------------------------------------------------------------


@pytest.mark.parametrize("size", [5, 120])
def test_export_has_every_filtered_row_in_constant_queries(
    hr_client, manager, course, django_assert_max_num_queries, size
):
    bulk_team(size, manager=manager, course=course)
    with django_assert_max_num_queries(6):
        response = hr_client.get(reverse("hr:employees-csv"), {"manager": manager.manager.email})
        rows = _csv_rows(response)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert rows[0][0] == "Name" and len(rows) == size + 2  # header, manager, the team


def test_export_guards_against_formula_injection(hr_client, course):
    User.objects.create(email="evil@test.example", full_name='=HYPERLINK("http://x","y")')
    rows = _csv_rows(hr_client.get(reverse("hr:employees-csv"), {"q": "evil"}))
    assert rows[1][0] == '\'=HYPERLINK("http://x","y")'


def test_export_is_audited(hr_client, hr, course):
    hr_client.get(reverse("hr:employees-csv"), {"course": course.pk})
    entry = AuditEntry.objects.get(action="employees.export")
    assert entry.actor == hr and f"course={course.pk}" in entry.new_value


def test_export_uses_an_iterator_of_values(monkeypatch, hr_client, manager, course):
    from django.db.models.query import QuerySet

    chunk_sizes = []
    original = QuerySet.iterator

    def spy(self, chunk_size=None):
        chunk_sizes.append(chunk_size)
        return original(self, chunk_size=chunk_size)

    monkeypatch.setattr(QuerySet, "iterator", spy)
    bulk_team(3, manager=manager, course=course)
    _csv_rows(hr_client.get(reverse("hr:employees-csv")))
    assert chunk_sizes == [2000]


# Assignments through the pages ----------------------------------------------------------


def test_assign_a_course_to_a_department(hr_client, hr, course, employee):
    response = hr_client.post(
        reverse("hr:assignment-create"),
        {
            "course": course.pk,
            "scope": AssignmentScope.DEPARTMENT,
            "department": employee.department.pk,
            "due_on": days(14).isoformat(),
        },
        follow=True,
    )
    rule = AssignmentRule.objects.get()
    assert response.redirect_chain[-1][0] == reverse("hr:assignment-detail", args=[rule.pk])
    assert f"Assigned “{course.title}”" in response.text
    assert Assignment.objects.filter(user=employee, course=course, rule=rule).exists()


def test_assign_to_chosen_people_by_email(hr_client, course, employee, outsider):
    response = hr_client.post(
        reverse("hr:assignment-create"),
        {
            "course": course.pk,
            "scope": AssignmentScope.PEOPLE,
            "people": f"{employee.email}\n{outsider.email.upper()}",
            "due_on": days(14).isoformat(),
        },
    )
    assert response.status_code == 302
    assert Assignment.objects.filter(course=course).count() == 2


@pytest.mark.parametrize(
    "data, message",
    [
        ({"scope": AssignmentScope.DEPARTMENT}, "Choose a department."),
        ({"scope": AssignmentScope.PEOPLE, "people": "ghost@test.example"}, "Nobody has these"),
        ({"scope": AssignmentScope.TEAM, "team_manager": "ghost@test.example"}, "Nobody with"),
        ({"scope": AssignmentScope.EVERYONE, "due_on": "2000-01-01"}, "from today onwards"),
    ],
)
def test_assignment_form_errors_rerender_with_400(hr_client, course, data, message):
    payload = {"course": course.pk, "due_on": days(14).isoformat(), **data}
    response = hr_client.post(reverse("hr:assignment-create"), payload)
    assert response.status_code == 400
    assert message in response.text
    assert not AssignmentRule.objects.exists()


def test_change_due_date_and_withdraw_through_the_pages(hr_client, course, employee):
    rule = AssignmentRuleFactory(course=course, due_on=days(5))
    Assignment.objects.create(user=employee, course=course, rule=rule, due_on=days(5))
    url = reverse("hr:assignment-due-date", args=[rule.pk])
    assert hr_client.post(url, {"due_on": "nonsense"}).status_code == 400
    assert hr_client.post(url, {"due_on": days(20).isoformat()}).status_code == 302
    assert Assignment.objects.get(user=employee).due_on == days(20)
    response = hr_client.post(reverse("hr:assignment-withdraw", args=[rule.pk]), follow=True)
    assert "Their progress is kept" in response.text
    assert Assignment.objects.get(user=employee).withdrawn_at is not None


def test_unknown_objects_are_404(hr_client):
    assert hr_client.get(reverse("hr:assignment-detail", args=[999])).status_code == 404
    assert hr_client.get(reverse("hr:import-preview", args=[999])).status_code == 404


# Insights and the audit log -------------------------------------------------------------


def test_insights_say_when_a_group_is_too_small(hr_client, hr):
    refresh_figures()
    response = hr_client.get(reverse("hr:insights"))
    assert "Not enough people to show this without identifying someone" in response.text


def test_audit_log_lists_entries_and_cannot_be_changed(hr_client, hr):
    AuditEntryFactory(actor=hr, action="people.import", target="people.csv (import #1)")
    response = hr_client.get(reverse("hr:audit"), {"action": "people.import"})
    assert "people.csv (import #1)" in response.text
    assert hr_client.post(reverse("hr:audit")).status_code == 405


def test_the_dashboard_reads_stored_figures_without_aggregating_anyone(
    client, django_assert_max_num_queries
):
    from tests.factories import UserFactory

    hr = UserFactory(hr=True)
    client.force_login(hr)
    refresh_figures()
    # Session, user, the stored figures, course titles, department names, the filter choices.
    with django_assert_max_num_queries(9):
        response = client.get(reverse("hr:dashboard"))
    assert "Figures as of" in response.text
