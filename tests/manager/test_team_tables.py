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
    refresh_figures,
)

pytestmark = pytest.mark.django_db


def team_page(client, **params):
    response = client.get(reverse("manager:team"), params)
    assert response.status_code == 200
    return response


def whole_team_page(client, **params):
    """The whole team's page once its stored figures exist: the first visit asks for them,
    the background refresh computes them (as the worker would), the second visit shows them."""
    team_page(client, scope="all", **params)
    refresh_figures()
    return team_page(client, scope="all", **params)


def test_whole_team_totals_are_prepared_in_the_background_and_say_when(client, manager, course):
    bulk_team(3, manager=manager, course=course)
    client.force_login(manager)
    first = team_page(client, scope="all")
    assert first.context["totals"] is None
    assert "These figures are being prepared" in first.text
    assert first.context["page"].paginator.count == 3  # the table does not wait
    refresh_figures()
    ready = team_page(client, scope="all")
    assert ready.context["totals"]["people"] == 3 and ready.context["totals"]["assigned"] == 3
    assert "Totals as of" in ready.text
    # A newcomer is in the table at once; the totals count them from the next refresh.
    AssignmentFactory(user=UserFactory(full_name="Nina Newcomer", manager=manager), course=course)
    stale = team_page(client, scope="all")
    assert "Nina Newcomer" in stale.text and stale.context["totals"]["people"] == 3
    refresh_figures()
    assert team_page(client, scope="all").context["totals"]["people"] == 4


def test_the_overdue_filter_sums_the_whole_team_exactly(client, manager, employee, course):
    AssignmentFactory(user=UserFactory(manager=employee), course=course, due_on=days(-2))
    client.force_login(manager)
    totals = team_page(client, scope="all", overdue="on").context["totals"]
    assert (totals["people"], totals["overdue"]) == (1, 1)


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
    assert team_page(client, scope="direct").context["totals"]["people"] == 3
    assert whole_team_page(client).context["totals"]["people"] == 3
    client.force_login(peer)
    for response in (team_page(client, scope="direct"), whole_team_page(client)):
        assert response.context["totals"]["people"] == 5
        assert {row["id"] for row in response.context["members"]} == {p.pk for p in peers_team}


def test_totals_are_kept_per_scope_and_filter(client, manager, employee, course):
    other = course_with_modules(1, slug="other-course")
    AssignmentFactory(user=employee, course=course, due_on=days(-2))
    grandchild = UserFactory(manager=employee)
    AssignmentFactory(user=grandchild, course=other, due_on=days(5))
    client.force_login(manager)
    combinations = [
        {"scope": scope, "course": course_id, "overdue": overdue}
        for scope in ("direct", "all")
        for course_id in ("", course.pk, other.pk)
        for overdue in ("", "on")
    ]
    for params in combinations:  # the whole team's figures are asked for, then computed
        team_page(client, **params)
    refresh_figures()
    seen = {
        tuple(params.values()): team_page(client, **params).context["totals"]
        for params in combinations
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
    team_page(client, scope=scope)
    refresh_figures()
    # Session, user, the summaries' page and its count, the page's people, their assignments,
    # this week's nudges (some are overdue), the course filter's choices, and the totals:
    # exact for direct reports (summaries and the overdue count), for the whole team the
    # stored figures with the course titles and department names they name.
    with django_assert_max_num_queries(10 if scope == "direct" else 11):
        team_page(client, scope=scope)
