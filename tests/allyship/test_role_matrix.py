"""Every URL pattern, requested by each role, gives the status the matrix says.

A URL added without a row here makes `test_every_url_pattern_has_a_row` fail.
Object URLs take their ids from `objects`, built per test and owned by the
employee persona, so the matrix also shows who may reach whose data.
"""

from dataclasses import dataclass, field

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.matrix_objects import build_objects

ROLES = ("anon", "employee", "manager", "hr")


@dataclass(frozen=True)
class Row:
    anon: int
    employee: int
    manager: int
    hr: int
    kwargs: tuple[str, ...] = field(default=())  # names looked up in the objects dict
    method: str = "get"

    def status_for(self, role: str) -> int:
        return getattr(self, role)


OPEN = Row(200, 200, 200, 200)
SIGNED_IN = Row(302, 200, 200, 200)
MANAGERS = Row(302, 403, 200, 200)  # the HR persona in tests also manages nobody: see hr_row
HR_ONLY = Row(302, 403, 403, 200)

# The Django admin is covered by its index; its other routes are Django's own.
EXEMPT_NAMESPACES = {"admin"}

MATRIX: dict[str, Row] = {
    "healthz": OPEN,
    "login": Row(200, 302, 302, 302),
    "logout": Row(302, 302, 302, 302, method="post"),
    "password_change": SIGNED_IN,
    "password_change_done": SIGNED_IN,
    "password_reset": OPEN,
    "password_reset_done": OPEN,
    "password_reset_confirm": Row(200, 200, 200, 200, kwargs=("uidb64", "token")),
    "password_reset_complete": OPEN,
    "manager:team": Row(302, 403, 200, 403),
    "hr:people": HR_ONLY,
    "learning:home": SIGNED_IN,
}
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
    return {
        name
        for name, _ in _patterns()
        if name.split(":")[0] not in EXEMPT_NAMESPACES or ":" not in name
    }


def test_every_url_pattern_has_a_row():
    missing = sorted(_named_patterns() - set(MATRIX))
    assert not missing, f"Add these URL names to the role matrix: {missing}"


def test_matrix_has_no_stale_rows():
    stale = sorted(set(MATRIX) - _named_patterns())
    assert not stale, f"These matrix rows name no URL: {stale}"


@pytest.fixture
def people(hr, manager, employee):
    # The HR persona manages nobody; the manager persona is not HR.
    return {"anon": None, "employee": employee, "manager": manager, "hr": hr}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_role_matrix(client, people, role):
    user = people[role]
    objects = build_objects(people)
    failures = []
    for name, row in sorted(MATRIX.items()):
        client.logout()
        if user is not None:
            client.force_login(user)
        url = reverse(name, kwargs={key: objects[key] for key in row.kwargs})
        response = getattr(client, row.method)(url)
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
