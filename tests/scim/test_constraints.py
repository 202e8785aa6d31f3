"""Every constraint of the SCIM tokens, tested at the database (SQLite and PostgreSQL)."""

import pytest

from allyship.scim.models import ScimToken
from tests.constraints import Case, assert_refused_by, declared_constraints

pytestmark = pytest.mark.django_db


def nameless():
    return ScimToken, lambda: ScimToken.objects.create(name="", digest="a" * 64, prefix="a")


def digestless():
    return ScimToken, lambda: ScimToken.objects.create(name="Entra", digest="", prefix="")


CASES: dict[str, Case] = {"scim_token_has_name": nameless, "scim_token_has_digest": digestless}


def test_every_scim_constraint_has_a_database_test():
    assert declared_constraints("scim") == set(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_database_refuses_what_the_constraint_forbids(name):
    model, write = CASES[name]()
    assert_refused_by(name, model, write)
    assert not ScimToken.objects.exists()
