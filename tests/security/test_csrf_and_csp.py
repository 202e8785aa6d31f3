"""Across every URL in the role matrix: CSRF on every state change, strict CSP on every page."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.allyship.test_role_matrix import MATRIX, _objects

pytestmark = pytest.mark.django_db

# SCIM reads no cookie: a bearer token is its only credential, so CSRF cannot apply and a
# session gets 401 (tests/scim/test_provisioning.py::test_a_session_cookie_gives_no_access).
POST_ROWS = {
    name: row
    for name, row in MATRIX.items()
    if row.method == "post" and not name.startswith("scim:")
}
GET_ROWS = {name: row for name, row in MATRIX.items() if row.method == "get"}
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"\s(on[a-z]+|hx-on[:\w-]*)\s*=", re.I)


@pytest.fixture
def people(hr, manager, employee):
    return {"anon": None, "employee": employee, "manager": manager, "hr": hr}


def test_every_state_changing_url_refuses_a_request_without_csrf_token(people):
    objects = _objects(people)
    failures = []
    for role in ("employee", "manager", "hr"):
        client = Client(enforce_csrf_checks=True)
        client.force_login(people[role])
        for name, row in POST_ROWS.items():
            url = reverse(name, kwargs=row.url_kwargs(objects))
            data = row.form_data(objects)
            status = client.post(url, data).status_code
            if status != 403:
                failures.append(f"{role} POST {url}: {status}")
    assert not failures, "Accepted without a CSRF token:\n" + "\n".join(failures)


def test_every_page_is_served_with_a_strict_csp_and_no_inline_code(people):
    objects = _objects(people)
    failures = []
    for role in ("anon", "employee", "manager", "hr"):
        client = Client()
        if people[role] is not None:
            client.force_login(people[role])
        for name, row in GET_ROWS.items():
            url = reverse(name, kwargs=row.url_kwargs(objects))
            response = client.get(url)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            policy = response.headers.get("Content-Security-Policy", "")
            body = response.content.decode()
            if "script-src 'self'" not in policy or "unsafe-inline" in policy:
                failures.append(f"{url}: weak policy {policy!r}")
            scripts = [
                tag for tag in INLINE_SCRIPT.findall(body) if "application/ld+json" not in tag
            ]
            if scripts or "<style" in body or ' style="' in body or INLINE_HANDLER.search(body):
                failures.append(f"{url} ({role}): inline script, style or handler")
    assert not failures, "\n".join(failures)
