"""Every constraint of the organisation's models, tested at the database (SQLite and
PostgreSQL): the write that the constraint forbids raises IntegrityError naming it."""

import pytest

from allyship.models import User
from tests.constraints import Case, assert_refused_by, declared_constraints
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def own_manager():
    person = UserFactory()
    return User, lambda: User.objects.filter(pk=person.pk).update(manager_id=person.pk)


CASES: dict[str, Case] = {"user_not_own_manager": own_manager}


def test_every_organisation_constraint_has_a_database_test():
    assert declared_constraints("allyship") == set(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_database_refuses_what_the_constraint_forbids(name):
    model, write = CASES[name]()
    assert_refused_by(name, model, write)
    assert not User.objects.filter(manager__isnull=False).exists()
