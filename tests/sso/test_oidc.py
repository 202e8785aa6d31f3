"""Sign-in through a real OpenID provider (django-oauth-toolkit) on the live server."""

import re

import httpx2
import pytest

from allyship.models import AuditEntry, User
from tests.sso.fixtures import IDP_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def _csrf(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def sign_in_through_provider(
    app_url: str, email: str, http: httpx2.Client | None = None
) -> httpx2.Response:
    """Our login page → the provider's sign-in → back to us; returns the last response."""
    if http is None:
        with httpx2.Client(follow_redirects=True, timeout=20) as own:
            return sign_in_through_provider(app_url, email, http=own)
    page = http.get(f"{app_url}/accounts/login/")
    at_provider = http.post(
        f"{app_url}/accounts/login/",
        data={
            "csrfmiddlewaretoken": _csrf(page.text),
            "username": email,
            "password": "",
            "sso": "1",
        },
        headers={"Referer": f"{app_url}/accounts/login/"},
    )
    assert at_provider.url.host == "127.0.0.1", at_provider.url
    assert "Sign in" in at_provider.text
    back = http.post(
        str(at_provider.url),
        data={
            "csrfmiddlewaretoken": _csrf(at_provider.text),
            "username": "ada@idp.test",
            "password": IDP_PASSWORD,
            "next": re.search(r'name="next" value="([^"]+)"', at_provider.text)
            .group(1)
            .replace("&amp;", "&"),
        },
        headers={"Referer": str(at_provider.url)},
    )
    return back


def test_a_known_person_is_matched_by_email_and_signed_in(openid_provider, directory_account):
    person = User.objects.create_user("ada@acme.example", full_name="Ada Lovelace")
    response = sign_in_through_provider(openid_provider["app_url"], "ada@acme.example")
    assert response.url.host == "localhost", response.url
    assert response.url.path == "/"
    assert "Ada" in response.text
    assert person.socialaccount_set.get().provider == "acme"
    assert User.objects.filter(email__endswith="@acme.example").count() == 1


def test_an_unknown_person_is_refused_when_the_provider_may_not_create(
    openid_provider, directory_account
):
    response = sign_in_through_provider(openid_provider["app_url"], "ada@acme.example")
    assert response.url.host == "localhost"
    assert "You do not have an account here yet" in response.text
    assert not User.objects.filter(email="ada@acme.example").exists()


def test_an_unknown_person_is_created_when_allowed_and_audited(openid_provider, directory_account):
    domain = openid_provider["domain"]
    domain.create_people = True
    domain.save()
    response = sign_in_through_provider(openid_provider["app_url"], "ada@acme.example")
    assert response.url.path == "/", response.url
    person = User.objects.get(email="ada@acme.example")
    assert person.full_name == "Ada Lovelace"
    assert AuditEntry.objects.filter(action="sso.user.create", target="ada@acme.example").exists()


def test_password_sign_in_off_sends_the_address_to_its_provider(openid_provider, client):
    domain = openid_provider["domain"]
    domain.password_sign_in = False
    domain.save()
    User.objects.create_user("bob@acme.example", password="a-real-password-1", full_name="Bob")
    response = client.post(
        "/accounts/login/", {"username": "bob@acme.example", "password": "a-real-password-1"}
    )
    assert response.status_code == 302
    assert response["Location"].startswith(f"{openid_provider['idp_url']}/o/authorize/")
    assert "_auth_user_id" not in client.session


def test_the_login_page_lets_its_form_go_to_the_provider_and_nowhere_else(openid_provider, client):
    csp = client.get("/accounts/login/")["Content-Security-Policy"]
    form_action = next(part for part in csp.split(";") if "form-action" in part)
    assert form_action.split() == ["form-action", "'self'", openid_provider["idp_url"]]


def test_sign_out_ends_our_session_and_sends_the_person_to_end_the_providers(
    openid_provider, directory_account
):
    User.objects.create_user("ada@acme.example", full_name="Ada Lovelace")
    http = httpx2.Client(follow_redirects=True, timeout=20)
    app_url = openid_provider["app_url"]
    home = sign_in_through_provider(app_url, "ada@acme.example", http=http)
    assert home.url.path == "/"
    http.follow_redirects = False
    response = http.post(
        f"{app_url}/accounts/logout/",
        data={"csrfmiddlewaretoken": _csrf(home.text)},
        headers={"Referer": f"{app_url}/"},
    )
    assert response.status_code == 302
    assert response.headers["Location"].startswith(f"{openid_provider['idp_url']}/o/logout/?")
    assert "client_id=allyship-test" in response.headers["Location"]
    # Our session is over whatever the provider does.
    assert http.get(f"{app_url}/").status_code == 302
    http.close()
