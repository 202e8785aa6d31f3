"""A refresher session and an if-then check-in, by keyboard only, with axe on every page."""

import re

import pytest
from playwright.sync_api import expect

from learning.models import CommitmentStatus
from learning.refreshers.models import RefresherReview
from tests.browser.conftest import (
    assert_accessible,
    follow_by_keyboard,
    press_until_focused,
    sign_in_with_keyboard,
)
from tests.factories import PASSWORD
from tests.learning.builders import build_module, plan_come_due, plan_make
from tests.learning.refresher_builders import all_due, refresher_due

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_refresher_session_by_keyboard(page, employee):
    refresher_due(employee, questions=2)
    all_due(employee)
    sign_in_with_keyboard(page, employee.email, PASSWORD)
    expect(page.get_by_role("heading", name=re.compile("Refreshers due"))).to_be_visible()
    assert_accessible(page, "home with refreshers due")

    follow_by_keyboard(page, page.get_by_role("link", name=re.compile("Start refreshers")))
    expect(page.get_by_role("heading", level=1)).to_have_text("Refresher session")
    assert_accessible(page, "first refresher")
    for answered in (1, 2):
        option = page.get_by_role("radio").first
        press_until_focused(page, option)
        page.keyboard.press("Space")
        press_until_focused(page, page.get_by_role("button", name="Check my answer"))
        page.keyboard.press("Enter")
        # htmx swaps in the feedback and moves focus to its heading.
        heading = page.locator("#refresher-heading")
        expect(heading).to_have_text(re.compile("Right: you remembered|Not this time"))
        expect(heading).to_be_focused()
        assert_accessible(page, f"feedback {answered}")
        if answered == 1:
            press_until_focused(page, page.get_by_role("link", name=re.compile("Next refresher")))
            page.keyboard.press("Enter")
            expect(page.locator("#refresher-heading")).to_have_text(re.compile("A question"))
            expect(page.locator("#refresher-heading")).to_be_focused()
    assert RefresherReview.objects.filter(user=employee, number=2).count() == 2

    follow_by_keyboard(page, page.get_by_role("link", name="Finish"))
    expect(page.locator("#refresher-heading")).to_have_text("All done for now")
    assert_accessible(page, "session done")
    page.goto("/refreshers/")
    assert_accessible(page, "refresher overview")
    follow_by_keyboard(page, page.get_by_role("link", name="Your refresher answers"))
    assert_accessible(page, "refresher history")


def test_an_if_then_check_in_by_keyboard(page, employee):
    plan = plan_make(employee, build_module(lessons=1), text="credit the idea by name")
    plan_come_due(plan)
    sign_in_with_keyboard(page, employee.email, PASSWORD)
    expect(page.get_by_role("heading", name="Check-ins due")).to_be_visible()
    follow_by_keyboard(page, page.get_by_role("link", name=re.compile("Tell us how it went")))
    expect(page.get_by_role("heading", level=1)).to_have_text("How did it go?")
    assert_accessible(page, "check-in form")

    press_until_focused(page, page.get_by_label("Yes, it came up"))
    page.keyboard.press("Space")
    press_until_focused(page, page.get_by_label("I did what I planned"))
    page.keyboard.press("Space")
    press_until_focused(page, page.get_by_label("It went well"))
    page.keyboard.press("Space")
    press_until_focused(page, page.get_by_label("What happened"))
    page.keyboard.type("I named Priya as the source of the idea.")
    follow_by_keyboard(page, page.get_by_role("button", name="Report back"))
    expect(page.get_by_role("status").filter(has_text="Thank you")).to_be_visible()
    assert_accessible(page, "commitments after the check-in")
    plan.refresh_from_db()
    assert (plan.status, plan.went, plan.arose) == (CommitmentStatus.DONE, "well", True)
