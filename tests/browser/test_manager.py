"""Manager journeys in Chromium: the team page, a nudge, team insights; axe-core on each."""

import pytest
from playwright.sync_api import expect

from allyship.reporting.figures import report_figures_refresh
from learning.models import Nudge
from tests.browser.conftest import (
    assert_accessible,
    follow_by_keyboard,
    sign_in_with_keyboard,
)
from tests.factories import PASSWORD, UserFactory
from tests.hr.factories import (
    AssignmentFactory,
    build_scenario,
    bulk_team,
    commit,
    complete,
    course_with_modules,
    days,
    play,
)
from tests.learning.builders import build_module

pytestmark = pytest.mark.django_db(transaction=True)


def test_manager_opens_the_team_page_and_nudges(page, manager, employee):
    course = course_with_modules(2, slug="speaking-up")
    done = course_with_modules(1, slug="listening")
    AssignmentFactory(user=employee, course=course, due_on=days(-4))
    AssignmentFactory(user=employee, course=done, due_on=days(3))
    complete(employee, done)
    grandchild = UserFactory(manager=employee, full_name="Gina Grandchild")
    AssignmentFactory(user=grandchild, course=course, due_on=days(6))

    sign_in_with_keyboard(page, manager.email, PASSWORD)
    follow_by_keyboard(page, page.get_by_role("link", name="My team"))
    expect(page.get_by_role("heading", level=1)).to_have_text("My team")
    row = page.get_by_role("row").filter(has_text=employee.full_name)
    expect(row).to_contain_text("Overdue since")
    expect(row).to_contain_text("Complete")
    expect(page.get_by_text("Gina Grandchild")).to_have_count(0)
    assert_accessible(page, "team page")

    follow_by_keyboard(
        page, page.get_by_role("button", name=f"Nudge {employee.full_name} about {course.title}")
    )
    expect(
        page.get_by_role("status").filter(has_text="Sent Emma a friendly reminder")
    ).to_be_visible()
    expect(page.get_by_role("button", name="Nudged this week: next from")).to_be_disabled()
    assert Nudge.objects.filter(learner=employee, course=course, manager=manager).count() == 1
    assert_accessible(page, "team page after a nudge")

    follow_by_keyboard(page, page.get_by_role("link", name="Everyone below me"))
    expect(page.get_by_role("rowheader", name="Gina Grandchild")).to_be_visible()
    assert_accessible(page, "whole team")


def test_team_insights_pass_axe_with_and_without_enough_people(page, manager, employee):
    sign_in_with_keyboard(page, manager.email, PASSWORD)
    page.goto("/manager/insights/")  # asks for the team's figures
    report_figures_refresh()  # what the background refresh does every minute
    page.reload()
    expect(
        page.get_by_text("Not enough people to show this without identifying someone")
    ).to_be_visible()
    assert_accessible(page, "team insights, small team")

    course = course_with_modules(1)
    scenario = build_scenario()
    module = build_module(lessons=1)
    for index, person in enumerate(bulk_team(6, manager=manager, course=course)):
        play(person, scenario, "strong" if index % 2 else "partial")
        commit(person, module)
    report_figures_refresh()
    page.goto("/manager/insights/")
    expect(page.get_by_role("heading", name="How people responded in a scenario")).to_be_visible()
    assert_accessible(page, "team insights")


def test_team_page_works_at_phone_width(phone_page, manager, employee):
    course = course_with_modules(1)
    AssignmentFactory(user=employee, course=course, due_on=days(-1))
    bulk_team(5, manager=manager, course=course)
    sign_in_with_keyboard(phone_page, manager.email, PASSWORD)
    phone_page.goto("/manager/")
    assert_accessible(phone_page, "team page at phone width")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the team page scrolls sideways at 375px ({width}px)"
