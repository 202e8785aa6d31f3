"""Every URL pattern, requested by each role, gives the status the matrix says.

The rows live in tests/matrix/, one file per app. A URL added without a row makes
`test_every_url_pattern_has_a_row` fail. Object URLs take their ids from each
file's `objects(people)`, owned by the employee persona, so the matrix also shows
who may reach whose data.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.matrix import learning, organisation, quizzes, recognition, scim, sso
from tests.matrix.rows import ROLES, Row

SOURCES = (organisation, learning, quizzes, recognition, scim, sso)
MATRIX: dict[str, Row] = {name: row for source in SOURCES for name, row in source.ROWS.items()}
# The Django admin is covered by its index; its other routes are Django's own.
EXEMPT_NAMESPACES = {"admin"}
ADMIN_INDEX = Row(302, 302, 302, 200)


def _patterns(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _patterns(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry


def _named_patterns() -> set[str]:
    return {name for name, _ in _patterns() if name.split(":")[0] not in EXEMPT_NAMESPACES}


def test_every_url_pattern_has_a_row():
    missing = sorted(_named_patterns() - set(MATRIX))
    assert not missing, f"Add these URL names to the role matrix (tests/matrix/): {missing}"


def test_matrix_has_no_stale_rows():
    stale = sorted(set(MATRIX) - _named_patterns())
    assert not stale, f"These matrix rows name no URL: {stale}"


@pytest.fixture
def people(hr, manager, employee):
    # The HR persona manages nobody; the manager persona is not HR.
    return {"anon": None, "employee": employee, "manager": manager, "hr": hr}


def _objects(people) -> dict:
    built = {}
    for source in SOURCES:
        built.update(source.objects(people))
    return built


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_role_matrix(client, people, role):
    user = people[role]
    objects = _objects(people)
    failures = []
    # Reads first, then the state-changing rows, so one row's POST cannot change another's read.
    for name, row in sorted(MATRIX.items(), key=lambda item: (item[1].method != "get", item[0])):
        client.logout()
        if user is not None:
            client.force_login(user)
        url = reverse(name, kwargs=row.url_kwargs(objects))
        data = row.form_data(objects)
        response = getattr(client, row.method)(url, data)
        if response.status_code != row.status_for(role):
            failures.append(
                f"{row.method.upper()} {url} ({name}): {response.status_code}, "
                f"expected {row.status_for(role)}"
            )
    client.logout()
    if user is not None:
        client.force_login(user)
    response = client.get(reverse("admin:index"))
    if response.status_code != ADMIN_INDEX.status_for(role):
        failures.append(f"admin:index: {response.status_code}")
    assert not failures, f"As {role}:\n" + "\n".join(failures)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["employee", "hr"])
def test_methods_a_url_does_not_serve_are_refused(client, people, role):
    """Every URL answers only its own methods: the others get 405, whoever asks."""
    objects = _objects(people)
    client.force_login(people[role])
    failures = []
    for name, row in sorted(MATRIX.items()):
        url = reverse(name, kwargs=row.url_kwargs(objects))
        others = ["put", "patch", "delete"] + (["get"] if row.method == "post" else [])
        others = [method for method in others if method not in row.also]
        for method in others:
            status = getattr(client, method)(url).status_code
            if status != 405:
                failures.append(f"{method.upper()} {url} ({name}): {status}")
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["employee", "manager", "hr"])
def test_every_answer_to_a_signed_in_person_is_private_and_not_stored(client, people, role):
    """Whatever the status (a page, a redirect, a 403 or 404), nothing a signed-in person is
    sent may be kept by a shared cache or the browser (issue 12, finding 8)."""
    objects = _objects(people)
    client.force_login(people[role])
    failures = []
    for name, row in sorted(MATRIX.items(), key=lambda item: (item[1].method != "get", item[0])):
        if name == "logout":
            continue  # signs out: the next page is a signed-out one
        url = reverse(name, kwargs=row.url_kwargs(objects))
        response = getattr(client, row.method)(url, row.form_data(objects))
        directives = {part.strip() for part in response.get("Cache-Control", "").split(",")}
        if not {"private", "no-store"} <= directives:
            failures.append(f"{row.method.upper()} {url}: Cache-Control {directives}")
    assert not failures, f"As {role}:\n" + "\n".join(failures)
