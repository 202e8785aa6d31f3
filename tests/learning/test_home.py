"""The learner's home shows every change at once.

Each test first views the home, then changes something through the service a real request
would use, and expects the very next view to show the change: nothing is served stale.
"""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.test import Client, RequestFactory
from django.utils import timezone

from allyship.models import HR_GROUP
from allyship.services import roles_refresh
from learning import assignments, services
from learning.loader import load_curriculum
from learning.models import Course, LearnerStats
from learning.recognition.badges import REGISTRY, badge_award
from tests.factories import UserFactory
from tests.learning.builders import build_course, build_module
from tests.queries import queries

# Team goals come from the shared cache after the first view; one query is the
# "Refreshers due" card (counts, next due and the pause together).
HOME_QUERIES = 9
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def home(client, employee):
    client.force_login(employee)

    def view() -> str:
        response = client.get("/")
        assert response.status_code == 200
        return response.text

    view()
    return view


def test_a_read_lesson_shows_at_once(home, employee):
    module = build_module(lessons=3)
    lesson = module.lessons.first()
    assert "Continue where you left off" not in home()
    services.lesson_complete(user=employee, lesson=lesson)
    page = home()
    assert "Continue where you left off" in page
    assert module.title in page


def test_visiting_another_lesson_moves_the_resume_point(home, employee):
    module = build_module(lessons=3)
    first, second = list(module.lessons.all())[:2]
    services.lesson_complete(user=employee, lesson=first)
    assert f"Continue “{first.title}”" in home()
    services.lesson_visit(user=employee, lesson=second)
    assert f"Continue “{second.title}”" in home()


def test_xp_level_and_commitments_show_at_once(home, employee):
    module = build_module(lessons=1)
    services.lesson_complete(user=employee, lesson=module.lessons.first())
    xp = LearnerStats.objects.get(user=employee).xp_total
    assert f"<dt>XP</dt><dd>{xp}</dd>" in home()
    services.commitment_make(
        user=employee,
        module=module,
        suggestion=None,
        situation="someone's idea is repeated",
        text="Credit the person whose idea it was",
        check_in_on=timezone.localdate() + datetime.timedelta(days=3),
    )
    assert "Credit the person whose idea it was" in home()


def test_a_badge_shows_at_once(home, employee):
    badge_award(user=employee, badge=REGISTRY["first-lesson"])
    assert REGISTRY["first-lesson"].name in home()


def test_assignments_made_moved_and_withdrawn_by_hr_show_at_once(home, employee, hr):
    course = build_course([build_module()])
    due = timezone.localdate() + datetime.timedelta(days=10)
    outcome = assignments.assignment_rule_create(
        course=course, scope="people", due_on=due, acting_user=hr, people=[employee]
    )
    page = home()
    assert course.title in page and f"Due {due:%-d %B %Y}" in page
    later = due + datetime.timedelta(days=7)
    assignments.assignment_rule_set_due_date(rule=outcome.rule, due_on=later, acting_user=hr)
    assert f"Due {later:%-d %B %Y}" in home()
    assignments.assignment_rule_withdraw(rule=outcome.rule, acting_user=hr)
    assert "Nothing is assigned to you right now" in home()


def test_a_curriculum_reload_refreshes_every_home_even_without_stats(home, employee):
    # The fixture cached this learner's home at version 0: no stats row, no courses yet.
    assert not LearnerStats.objects.filter(user=employee).exists()
    load_curriculum()
    course = Course.objects.filter(retired=False).order_by("order", "title").first()
    Course.objects.filter(pk=course.pk).update(title="A title edited by hand")  # no bump
    assert "A title edited by hand" in home()  # a fresh page: the load moved version 0 on
    load_curriculum()  # the file's title comes back, and every learner's version moves
    page = home()
    assert "A title edited by hand" not in page
    assert course.title in page


def test_starting_a_course_and_passing_a_check_show_at_once(home, employee):
    module = build_module(lessons=3)
    course = build_course([module])
    assert course.title not in home().split("Courses anyone can take")[0]
    services.course_start(user=employee, course=course)
    assert course.title in home().split("Courses anyone can take")[0]  # under "Your courses"
    services.lesson_complete(user=employee, lesson=module.lessons.first())
    before = re.search(r"· (\d+)% done", home()).group(1)
    services.module_check_complete(user=employee, module=module)
    after = re.search(r"· (\d+)% done", home()).group(1)
    assert int(after) > int(before)


def test_a_new_role_shows_in_the_header_at_once(home, employee):
    assert ">HR<" not in home()
    employee.groups.add(Group.objects.get_or_create(name=HR_GROUP)[0])
    roles_refresh(user_ids=[employee.pk])  # what the import and the admin call
    assert ">HR<" in home()


def test_each_person_gets_their_own_page(client, employee, manager):
    client.force_login(employee)
    assert employee.get_short_name() in client.get("/").text
    other = Client()
    other.force_login(manager)
    page = other.get("/").text
    assert f"Welcome, {manager.get_short_name()}" in page
    assert f"Welcome, {employee.get_short_name()}" not in page


def test_each_session_gets_its_own_working_csrf_token(employee):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.force_login(employee)
    second.force_login(employee)
    token_one = TOKEN.search(first.get("/").text).group(1)
    page_two = second.get("/").text
    token_two = TOKEN.search(page_two).group(1)
    assert token_one != token_two
    assert f'"X-CSRFToken": "{token_two}"' in page_two
    # The other session's token is refused; its own is accepted (sign-out works).
    assert second.post("/accounts/logout/", {"csrfmiddlewaretoken": token_one}).status_code == 403
    assert second.post("/accounts/logout/", {"csrfmiddlewaretoken": token_two}).status_code == 302


def test_flash_messages_are_shown_once(home, client):
    storage = CookieStorage(RequestFactory().get("/"))
    client.cookies["messages"] = storage._encode([Message(constants.SUCCESS, "One-off notice")])
    assert "One-off notice" in home()
    assert "One-off notice" not in home()


@pytest.mark.parametrize("size", [1, 8])
def test_the_home_costs_the_same_queries_whatever_the_data(client, employee, size):
    modules = [build_module() for _ in range(size)]
    for module in modules:
        services.lesson_complete(user=employee, lesson=module.lessons.first())
    for _ in range(size):
        UserFactory(manager=employee.manager)
    client.force_login(employee)
    client.get("/")
    with queries(HOME_QUERIES):
        assert client.get("/").status_code == 200
