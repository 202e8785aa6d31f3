"""Recognition in a real browser: the first badge is celebrated, announced and dismissed by
keyboard; the gallery, profile and certificate pages pass axe-core."""

import re

import pytest
from playwright.sync_api import expect

from learning import services
from learning.models import BadgeAward
from tests.browser.conftest import assert_accessible, sign_in_with_keyboard
from tests.factories import PASSWORD
from tests.learning.builders import build_course, build_module
from tests.recognition.helpers import finish_module

pytestmark = pytest.mark.django_db(transaction=True)


def _press_until_focused(page, locator, key="Tab", limit=60):
    """Move through the page by keyboard until the locator has focus."""
    for _ in range(limit):
        if locator.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press(key)
    pytest.fail(f"Could not reach {locator} by keyboard")


def test_the_first_badge_is_celebrated_announced_and_dismissed_by_keyboard(page, employee):
    module = build_module(lessons=2)
    sign_in_with_keyboard(page, employee.email, PASSWORD)
    page.goto(f"/modules/{module.slug}/lesson-1/")
    expect(page.locator("#toasts .toast")).to_have_count(0)

    button = page.get_by_role("button", name=re.compile("I have read this"))
    _press_until_focused(page, button)
    page.keyboard.press("Enter")
    expect(page.locator("#lesson-title")).to_have_text("Lesson 2")

    # The toast arrives inside the polite live region, so screen readers announce it.
    live_region = page.locator('#toasts[aria-live="polite"]')
    toast = live_region.locator(".toast")
    expect(toast).to_have_count(1)
    expect(toast).to_contain_text("Badge earned: First lesson")
    assert_accessible(page, "lesson with the toast")

    dismiss = toast.get_by_role("button", name=re.compile("^Dismiss"))
    _press_until_focused(page, dismiss, key="Shift+Tab")
    page.keyboard.press("Enter")
    expect(live_region.locator(".toast")).to_have_count(0)
    expect(page.locator("main")).to_be_focused()
    assert BadgeAward.objects.get(user=employee, badge="first-lesson").seen is True

    page.reload()  # dismissed for good
    expect(page.locator("#lesson-title")).to_be_visible()
    page.wait_for_load_state("networkidle")
    expect(live_region.locator(".toast")).to_have_count(0)


def test_the_toast_waits_for_a_page_load_and_respects_reduced_motion(
    browser, live_server, employee
):
    module = build_module(lessons=1)
    services.lesson_complete(user=employee, lesson=module.lessons.get())
    context = browser.new_context(base_url=live_server.url, reduced_motion="reduce")
    page = context.new_page()
    sign_in_with_keyboard(page, employee.email, PASSWORD)
    toast = page.locator("#toasts .toast")
    expect(toast).to_contain_text("Badge earned: First lesson")
    duration = toast.evaluate("element => getComputedStyle(element).animationDuration")
    assert float(duration.removesuffix("s")) < 0.001
    context.close()


def test_gallery_profile_and_certificate_pages_are_accessible(page, employee):
    module = build_module(lessons=1)
    course = build_course([module])
    services.course_start(user=employee, course=course)
    finish_module(employee, module)
    BadgeAward.objects.filter(user=employee).update(seen=True)
    sign_in_with_keyboard(page, employee.email, PASSWORD)

    _press_until_focused(page, page.get_by_role("link", name="Badges", exact=True))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your badges")
    expect(page.locator("#badge-first-course")).to_contain_text("Earned")
    assert_accessible(page, "badge gallery")

    page.goto("/profile/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your profile")
    expect(page.get_by_text(course.title).first).to_be_visible()
    assert_accessible(page, "profile")

    page.get_by_role("link", name=re.compile(f"^Certificate for {course.title}")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Certificate of completion")
    expect(page.get_by_role("button", name="Print")).to_be_visible()
    assert_accessible(page, "certificate")

    verify = page.get_by_role("link", name=re.compile("verify"))
    href = verify.get_attribute("href")
    page.context.clear_cookies()
    page.goto(re.sub(r"^https?://[^/]+", "", href))
    expect(page.get_by_role("heading", level=1)).to_have_text("Certificate verified")
    expect(page.get_by_text(employee.full_name)).to_be_visible()
    assert_accessible(page, "public verification")


def test_gallery_is_usable_at_phone_width(phone_page, employee):
    sign_in_with_keyboard(phone_page, employee.email, PASSWORD)
    phone_page.goto("/badges/")
    expect(phone_page.get_by_role("heading", level=1)).to_have_text("Your badges")
    overflow = phone_page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )
    assert not overflow, "the gallery scrolls sideways at 375px"
    assert_accessible(phone_page, "gallery at phone width")
