"""The single sign-on journey in Chromium: our login page, the company's OpenID provider
(django-oauth-toolkit on the live server, as 127.0.0.1) and back, with axe on our pages."""

import re

import pytest
from playwright.sync_api import expect

from allyship.models import User
from tests.browser.conftest import assert_accessible
from tests.sso.fixtures import IDP_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def _through_the_provider(page, email: str) -> None:
    page.goto("/accounts/login/")
    assert_accessible(page, "sign-in page")
    page.get_by_label("Email address").fill(email)
    with page.expect_navigation():
        page.get_by_role("button", name="Use my company sign-in").click()
    # The provider's own sign-in page, on its own host.
    expect(page).to_have_url(re.compile(r"^http://127\.0\.0\.1:\d+/o/login/\?next=/o/"))
    page.get_by_label("Email address").fill("ada@idp.test")
    page.get_by_label("Password").fill(IDP_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in", exact=True).click()


def test_a_person_signs_in_through_their_company_provider_and_sees_how(
    page, openid_provider, directory_account
):
    User.objects.create_user("ada@acme.example", full_name="Ada Lovelace")
    _through_the_provider(page, "ada@acme.example")
    expect(page).to_have_url(re.compile(r"^http://localhost:\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
    assert_accessible(page, "home after single sign-on")
    page.goto("/accounts/sign-in/")
    expect(page.get_by_role("heading", level=1)).to_have_text("How you sign in")
    expect(page.get_by_text("Acme sign-in")).to_be_visible()
    assert_accessible(page, "how you sign in")


def test_someone_without_an_account_gets_a_clear_accessible_page(
    page, openid_provider, directory_account
):
    _through_the_provider(page, "ada@acme.example")
    expect(page.get_by_role("heading", level=1)).to_have_text("You do not have an account here yet")
    assert_accessible(page, "no account yet")
    assert not User.objects.filter(email="ada@acme.example").exists()
