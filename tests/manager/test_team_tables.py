"""The team page: rows and totals are exact, paged and sorted on the stored summaries."""

import pytest
from django.urls import reverse

from allyship.reporting import reports, tables
from learning.models import Assignment
from learning.summaries import learning_summaries_refresh
from tests.factories import UserFactory
from tests.hr.factories import (
    AssignmentFactory,
    CourseProgressFactory,
    bulk_team,
    complete,
    course_with_modules,
    days,
)

pytestmark = pytest.mark.django_db


def team_page(client, **params):
    response = client.get(reverse("manager:team"), params)
    assert response.status_code == 200
    return response


def test_totals_and_rows_are_exact_straight_after_a_change(client, manager, course):
    client.force_login(manager)
    bulk_team(3, manager=manager, course=course)
    assert team_page(client).context["totals"]["people"] == 3
    newcomer = UserFactory(full_name="Nina Newcomer", manager=manager)
    AssignmentFactory(user=newcomer, course=course, due_on=days(-1))
    second = team_page(client)
    assert second.context["totals"]["people"] == 4
    assert second.context["totals"]["assigned"] == 4
    assert "Nina Newcomer" in second.text
    assert second.context["page"].paginator.count == 4
    assert "Totals as of" not in second.text


def test_a_second_manager_never_gets_the_first_managers_totals(client, manager, course):
    peer = UserFactory(full_name="Pat Peer", manager=manager.manager)
    bulk_team(3, manager=manager, course=course)
    peers_team = bulk_team(5, manager=peer, course=course)
    client.force_login(manager)
    for scope in ("direct", "all"):
        assert team_page(client, scope=scope).context["totals"]["people"] == 3
    client.force_login(peer)
    for scope in ("direct", "all"):
        response = team_page(client, scope=scope)
        assert response.context["totals"]["people"] == 5
        assert {row["id"] for row in response.context["members"]} == {p.pk for p in peers_team}


def test_totals_are_kept_per_scope_and_filter(client, manager, employee, course):
    other = course_with_modules(1, slug="other-course")
    AssignmentFactory(user=employee, course=course, due_on=days(-2))
    grandchild = UserFactory(manager=employee)
    AssignmentFactory(user=grandchild, course=other, due_on=days(5))
    client.force_login(manager)
    seen = {
        (scope, course_id, overdue): team_page(
            client, scope=scope, course=course_id, overdue=overdue
        ).context["totals"]
        for scope in ("direct", "all")
        for course_id in ("", course.pk, other.pk)
        for overdue in ("", "on")
    }
    assert seen["direct", "", ""]["people"] == 1
    assert seen["all", "", ""]["people"] == 2
    assert seen["all", other.pk, ""]["people"] == 1
    assert seen["all", course.pk, "on"]["overdue"] == 1
    assert seen["all", other.pk, "on"]["people"] == 0
    assert seen["direct", other.pk, ""]["people"] == 0


@pytest.mark.parametrize("sort", ["name", "-name", "completion", "-completion", "due", "-due"])
def test_summary_pages_match_the_aggregated_table_in_every_sort(manager, employee, course, sort):
    """Without a course filter a page is picked on the stored summaries and its measures are
    counted from its assignments in Python; order and measures must equal what
    `employee_rows` aggregates in SQL from the facts, for every kind of person."""
    other = course_with_modules(1, slug="other-course")
    AssignmentFactory(user=employee, course=course, due_on=days(-3))  # overdue, not started
    AssignmentFactory(user=employee, course=other, due_on=days(4))
    CourseProgressFactory(user=employee, course=other, percent=40)
    finished = UserFactory(manager=employee)
    AssignmentFactory(user=finished, course=course, due_on=days(-9))
    complete(finished, course)
    withdrawn = AssignmentFactory(user=UserFactory(manager=manager), course=course)
    Assignment.objects.filter(pk=withdrawn.pk).update(withdrawn_at=withdrawn.assigned_at)
    learning_summaries_refresh(user_ids=[withdrawn.user_id])
    UserFactory(manager=manager)  # nothing assigned
    bulk_team(7, manager=employee, course=other)
    measures = ("assigned", "completed", "overdue", "completion", "next_due")
    for course_id in (None, course.pk, other.pk):
        for overdue_only in (False, True):
            filters = reports.Filters(
                team_of=manager.pk, course_id=course_id, overdue_only=overdue_only
            )
            rows = tables.employee_page(filters, sort, 1).object_list
            table = list(reports.employee_rows(filters, sort))
            assert [row["id"] for row in rows] == [row["id"] for row in table]
            for row, expected in zip(rows, table, strict=True):
                assert {m: row[m] for m in measures} == pytest.approx(
                    {m: expected[m] for m in measures}
                )


def test_pages_are_counted_exactly_and_past_the_end_give_the_last(client, manager, course):
    bulk_team(55, manager=manager, course=course)
    client.force_login(manager)
    for asked, number, shown in (("2", 2, 5), ("9", 2, 5), ("0", 2, 5), ("x", 1, 50), ("", 1, 50)):
        response = team_page(client, page=asked)
        assert response.context["page"].number == number
        assert len(response.context["members"]) == shown
        assert response.context["page"].paginator.count == 55
    names = [row["full_name"] for row in team_page(client, sort="-name").context["members"]]
    assert names == sorted(names, reverse=True)


@pytest.mark.parametrize("size", [4, 60])
@pytest.mark.parametrize("scope", ["direct", "all"])
def test_team_page_by_name_query_count_is_constant(
    client, manager, employee, course, django_assert_max_num_queries, size, scope
):
    bulk_team(size, manager=manager, course=course)  # some overdue: nudges are looked up
    bulk_team(size, manager=employee, course=course)
    client.force_login(manager)
    # Session, user, the summaries' page and its count, the page's people, their assignments,
    # this week's nudges (some are overdue), the course filter's choices, the exact totals
    # (summaries and the overdue count).
    with django_assert_max_num_queries(10):
        team_page(client, scope=scope)
