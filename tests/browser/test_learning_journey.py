"""The demo learner's journey: home, a whole module, its check and its commitment, by keyboard."""

import re

import pytest
from playwright.sync_api import expect

from learning.loader import load_curriculum
from learning.models import Commitment, ModuleProgress
from tests.browser.conftest import (
    assert_accessible,
    follow_by_keyboard,
    press_until_focused,
    sign_in_with_keyboard,
)
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_learner_goes_through_a_whole_module_by_keyboard(page, employee):
    load_curriculum()
    sign_in_with_keyboard(page, employee.email, PASSWORD)
    assert_accessible(page, "home")

    follow_by_keyboard(page, page.get_by_role("link", name="Learn", exact=True))
    expect(page.get_by_role("heading", level=1)).to_have_text("Courses")
    assert_accessible(page, "catalogue")

    follow_by_keyboard(page, page.get_by_role("link", name="Allyship in meetings"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Allyship in meetings")
    assert_accessible(page, "course page")

    follow_by_keyboard(page, page.get_by_role("link", name="Active listening", exact=False).first)
    expect(page).to_have_url(re.compile(r"/modules/active-listening/$"))
    assert_accessible(page, "module page")

    follow_by_keyboard(page, page.get_by_role("link", name="Start reading"))
    lessons = 0
    while True:
        expect(page.get_by_text(re.compile(r"Lesson \d+ of \d+"))).to_be_visible()
        assert_accessible(page, f"lesson {lessons + 1}")
        button = page.get_by_role("button", name=re.compile("I have read this"))
        press_until_focused(page, button)
        label = button.inner_text()
        page.keyboard.press("Enter")
        lessons += 1
        if "knowledge check" in label:
            break
        # htmx swapped in the next lesson and moved focus to its heading.
        expect(page.get_by_text(f"Lesson {lessons + 1} of")).to_be_visible()
        expect(page.locator("#lesson-title")).to_be_focused()
    expect(page).to_have_url(re.compile(r"/modules/active-listening/check/$"))
    page.wait_for_load_state()
    assert_accessible(page, "knowledge check")

    # Answer every question by keyboard: focus the first option of each group, select it.
    for fieldset in page.locator("fieldset").all():
        first = fieldset.locator("input").first
        press_until_focused(page, first)
        page.keyboard.press("Space")
    submit = page.get_by_role("button", name=re.compile("Check my answers|Submit|Check"))
    follow_by_keyboard(page, submit.first)
    page.wait_for_load_state()
    assert_accessible(page, "knowledge check answered")

    follow_by_keyboard(page, page.get_by_role("link", name="Next: commit to an action"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Allyship in action")
    assert_accessible(page, "commitment form")
    press_until_focused(page, page.get_by_label("When…"))
    page.keyboard.type("a colleague brings me a worry")
    first_action = page.get_by_role("radio").first
    press_until_focused(page, first_action)
    page.keyboard.press("Space")
    follow_by_keyboard(page, page.get_by_role("button", name="Make my plan"))
    expect(page.get_by_role("status").filter(has_text="Plan made")).to_be_visible()
    assert_accessible(page, "module after commitment")

    progress = ModuleProgress.objects.get(user=employee, module__slug="active-listening")
    assert progress.completed_at is not None and progress.percent == 100
    assert Commitment.objects.filter(user=employee).count() == 1

    page.goto("/")
    expect(page.get_by_text("Open commitments")).to_be_visible()
    assert_accessible(page, "home after the module")


def test_lessons_work_without_javascript(browser, live_server, employee):
    load_curriculum()
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    sign_in_with_keyboard(page, employee.email, PASSWORD)
    page.goto("/modules/active-listening/")
    page.get_by_role("link", name="Start reading").click()
    page.get_by_role("button", name=re.compile("I have read this")).click()
    expect(page.get_by_text("Lesson 2 of")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/modules/active-listening/[a-z0-9-]+/$"))
    context.close()
