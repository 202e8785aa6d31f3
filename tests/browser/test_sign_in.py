import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in_with_keyboard
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_employee_signs_in_with_the_keyboard_and_sees_home(page, employee):
    page.goto("/accounts/login/")
    assert_accessible(page, "sign-in page")
    sign_in_with_keyboard(page, employee.email, PASSWORD)
    expect(page).to_have_url(re.compile(r"/$"))
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
    expect(page.get_by_text(employee.manager.full_name)).to_be_visible()
    assert_accessible(page, "home page")


def test_wrong_password_is_announced_and_accessible(page, employee):
    sign_in_with_keyboard(page, employee.email, "not-the-password")
    expect(page.get_by_role("alert")).to_contain_text("correct email address and password")
    assert_accessible(page, "sign-in with an error")


def test_home_is_accessible_at_phone_width(phone_page, employee):
    sign_in_with_keyboard(phone_page, employee.email, PASSWORD)
    expect(phone_page.get_by_role("heading", level=1)).to_contain_text("Welcome")
    assert_accessible(phone_page, "home at phone width")
