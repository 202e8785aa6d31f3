import pytest
from django.core import mail
from django.core.exceptions import ValidationError  # noqa: E402
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from allyship.models import AuditEntry
from allyship.notifications.nudges import nudge_send  # noqa: E402
from learning.models import Nudge, Reflection, ReflectionPrompt
from learning.services import week_start
from learning.summaries import learning_summaries_refresh_for_courses  # noqa: E402
from quizzes.models import Rating
from tests.factories import UserFactory
from tests.hr.factories import (
    AssignmentFactory,
    build_scenario,
    bulk_team,
    commit,
    complete,
    days,
    play,
    refresh_figures,
)
from tests.learning.builders import build_module

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


def nudge(client, learner, course, **extra):
    return client.post(reverse("manager:nudge", args=[learner.pk]), {"course": course.pk, **extra})


# The team page -----------------------------------------------------------------------


def test_team_page_shows_courses_progress_due_dates_and_overdue_flags(
    manager_client, employee, course
):
    other = type(course).objects.create(slug="done-course", title="Done course", module_count=1)
    AssignmentFactory(user=employee, course=course, due_on=days(-3))
    AssignmentFactory(user=employee, course=other, due_on=days(9))
    complete(employee, other)
    response = manager_client.get(reverse("manager:team"))
    text = response.text
    assert course.title in text and "Overdue since" in text
    assert "Done course" in text and "Complete" in text
    assert f'Nudge<span class="visually-hidden"> {employee.full_name} about {course.title}' in text
    totals = response.context["totals"]
    assert (totals["assigned"], totals["completed"], totals["overdue"]) == (2, 1, 1)


def test_whole_team_toggle_includes_indirect_reports_and_totals(
    manager_client, manager, employee, course
):
    grandchild = UserFactory(manager=employee, full_name="Gina Grandchild")
    AssignmentFactory(user=grandchild, course=course, due_on=days(-1))
    direct = manager_client.get(reverse("manager:team"))
    assert "Gina Grandchild" not in direct.text
    assert direct.context["totals"]["overdue"] == 0
    manager_client.get(reverse("manager:team"), {"scope": "all"})  # asks for the figures
    refresh_figures()
    everyone = manager_client.get(reverse("manager:team"), {"scope": "all"})
    assert "Gina Grandchild" in everyone.text
    assert everyone.context["totals"]["overdue"] == 1 and everyone.context["totals"]["people"] == 2


def test_team_page_filters_and_sorts(manager_client, manager, course):
    bulk_team(12, manager=manager, course=course)
    overdue = manager_client.get(reverse("manager:team"), {"overdue": "on"})
    assert all(row["overdue"] for row in overdue.context["members"])
    by_completion = manager_client.get(reverse("manager:team"), {"sort": "-completion"})
    values = [
        row["completion"]
        for row in by_completion.context["members"]
        if row["completion"] is not None
    ]
    assert values == sorted(values, reverse=True)


def test_team_page_is_paginated_and_totals_cover_the_whole_team(manager_client, manager, course):
    bulk_team(70, manager=manager, course=course)
    response = manager_client.get(reverse("manager:team"))
    assert len(response.context["members"]) == 50
    assert response.context["totals"]["people"] == 70
    assert response.context["totals"]["assigned"] == 70


@pytest.mark.parametrize("size", [4, 60])
@pytest.mark.parametrize("scope", ["direct", "all"])
def test_team_page_query_count_is_constant(
    manager_client, manager, employee, course, django_assert_max_num_queries, size, scope
):
    bulk_team(size, manager=manager, course=course)
    bulk_team(size, manager=employee, course=course)
    manager_client.get(reverse("manager:team"), {"scope": scope})
    refresh_figures()
    # Session, person, messages, the summaries' page and count, the page's people, their
    # assignments, nudges this week, and the totals: exact for direct reports (summaries and
    # overdue count), stored for the whole team (with course titles and department names).
    with django_assert_max_num_queries(10 if scope == "direct" else 11):
        response = manager_client.get(reverse("manager:team"), {"scope": scope, "sort": "due"})
    assert response.status_code == 200


@pytest.mark.parametrize("size", [4, 60])
def test_team_insights_query_count_is_constant(
    manager_client, manager, course, django_assert_max_num_queries, size
):
    scenario = build_scenario()
    for person in bulk_team(size, manager=manager, course=course):
        play(person, scenario)
    refresh_figures()
    manager_client.get(reverse("manager:insights"))  # the first visit asks for the team's
    refresh_figures()
    with django_assert_max_num_queries(9):
        assert manager_client.get(reverse("manager:insights")).status_code == 200


# Boundaries ----------------------------------------------------------------------------


def test_a_manager_can_nudge_an_indirect_report(manager_client, employee, course, immediate_tasks):
    grandchild = UserFactory(manager=employee)
    AssignmentFactory(user=grandchild, course=course, due_on=days(-2))
    assert nudge(manager_client, grandchild, course).status_code == 302
    assert Nudge.objects.filter(learner=grandchild).exists()


def test_a_manager_gets_404_for_a_peers_report(manager_client, manager, employee, course):
    peer = UserFactory(manager=manager.manager)
    peers_report = UserFactory(manager=peer)
    AssignmentFactory(user=peers_report, course=course, due_on=days(-2))
    assert nudge(manager_client, peers_report, course).status_code == 404
    assert nudge(manager_client, manager.manager, course).status_code == 404
    assert not Nudge.objects.exists()


def test_the_team_page_never_shows_peers_reflections_or_choices(
    manager_client, manager, employee, course
):
    UserFactory(manager=manager.manager, full_name="Pia Peer")
    module = build_module(lessons=1)
    prompt = ReflectionPrompt.objects.get(module=module)
    Reflection.objects.create(user=employee, prompt=prompt, text="My private thought")
    AssignmentFactory(user=employee, course=course)
    scenario = build_scenario()
    play(employee, scenario, Rating.HARMFUL)
    for url in (reverse("manager:team") + "?scope=all", reverse("manager:insights")):
        text = manager_client.get(url).text
        assert "My private thought" not in text
        assert "Pia Peer" not in text
        assert "Response harmful" not in text  # one person's choice: under the group of 5


def test_team_insights_follow_the_group_of_five_rule(manager_client, manager, course):
    scenario = build_scenario()
    module = build_module(lessons=1)
    team = bulk_team(4, manager=manager, course=course)
    for person in team:
        play(person, scenario, Rating.STRONG)
        commit(person, module)
    first = manager_client.get(reverse("manager:insights"))
    assert "These figures are being prepared" in first.text
    refresh_figures()
    small = manager_client.get(reverse("manager:insights"))
    assert "Not enough people to show this without identifying someone" in small.text
    fifth = UserFactory(manager=manager, department=team[0].department)
    play(fifth, scenario, Rating.PARTIAL)
    commit(fifth, module)
    refresh_figures()
    enough = manager_client.get(reverse("manager:insights"), {"scenario": scenario.pk})
    assert "Insights appear for groups of at least 5 people" in small.text
    assert "Insights appear for groups of at least 5 people" not in enough.text
    assert "For a group of 5 people" in enough.text
    assert "80% (4)" in enough.text and "20% (1)" in enough.text


def test_employees_and_hr_cannot_nudge(client, employee, hr, course):
    AssignmentFactory(user=employee, course=course, due_on=days(-2))
    for person in (employee, hr):
        client.force_login(person)
        assert nudge(client, employee, course).status_code == 403


# Nudges ----------------------------------------------------------------------------------


def test_nudge_is_sent_once_per_person_per_course_per_week(
    manager_client,
    manager,
    employee,
    course,
    immediate_tasks,
    settings,
    django_capture_on_commit_callbacks,
):
    settings.SITE_URL = "https://allyship.example.com"
    AssignmentFactory(user=employee, course=course, due_on=days(-2))
    with django_capture_on_commit_callbacks(execute=True):
        first = nudge(manager_client, employee, course, next="/manager/?scope=all")
    assert first.status_code == 302 and first.url == "/manager/?scope=all"
    (email,) = mail.outbox
    assert email.to == [employee.email]
    assert "Max Manager" in email.body
    assert "https://allyship.example.com/learn/inclusive-meetings/" in email.body
    page = manager_client.get(reverse("manager:team"))
    assert "Nudged this week: next from" in page.text
    second = nudge(manager_client, employee, course)
    assert second.status_code == 302
    follow = manager_client.get(second.url)
    assert "already had a nudge" in follow.text
    assert Nudge.objects.filter(learner=employee, week=week_start(days(0))).count() == 1
    assert len(mail.outbox) == 1
    entry = AuditEntry.objects.get(action="nudge.send")
    assert entry.actor == manager and employee.email in entry.target


def test_nudge_email_is_queued_for_the_worker_once_the_nudge_commits(
    manager_client, employee, course, django_capture_on_commit_callbacks
):
    AssignmentFactory(user=employee, course=course, due_on=days(-2))
    with django_capture_on_commit_callbacks() as callbacks:
        nudge(manager_client, employee, course)
        assert not DBTaskResult.objects.exists()  # nothing queued before the commit
    assert len(callbacks) == 1
    callbacks[0]()
    assert mail.outbox == []
    (task,) = DBTaskResult.objects.all()
    assert task.task_path == "allyship.notifications.tasks.send_nudge_email"


def test_only_overdue_courses_can_be_nudged(manager_client, employee, course):
    AssignmentFactory(user=employee, course=course, due_on=days(3))
    response = nudge(manager_client, employee, course)
    assert "is not overdue yet" in manager_client.get(response.url).text
    assert not Nudge.objects.exists()


def test_the_team_page_offers_no_nudge_for_a_retired_course(manager_client, employee, course):
    AssignmentFactory(user=employee, course=course, due_on=days(-3))
    nudge_url = reverse("manager:nudge", args=[employee.pk])
    assert nudge_url in manager_client.get(reverse("manager:team")).text
    type(course).objects.filter(pk=course.pk).update(retired=True)
    learning_summaries_refresh_for_courses(course_ids=[course.pk])
    page = manager_client.get(reverse("manager:team"))
    assert nudge_url not in page.text
    assert course.title not in page.text
    assert page.context["totals"]["overdue"] == 0
    with pytest.raises(ValidationError):
        nudge_send(learner=employee, course=course, acting_user=employee.manager)


def test_nudge_for_an_unknown_course_is_404(manager_client, employee):
    response = manager_client.post(reverse("manager:nudge", args=[employee.pk]), {"course": "x"})
    assert response.status_code == 404


def test_nudge_ignores_an_offsite_next(manager_client, employee, course, immediate_tasks):
    AssignmentFactory(user=employee, course=course, due_on=days(-2))
    response = nudge(manager_client, employee, course, next="https://evil.example/")
    assert response.url == reverse("manager:team")
