"""The signed-in person and their session are read with SQL compiled once per process."""

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from allyship.backends import PeopleBackend
from allyship.permissions import is_hr, is_manager
from allyship.sessions import _DECODED, SESSIONS, SessionStore
from learning.models import LearnerStats
from tests.factories import UserFactory


def test_the_backend_loads_the_person_with_roles_and_learner_version(employee, manager, hr):
    LearnerStats.objects.create(user=employee, version=7)
    loaded = PeopleBackend().get_user(employee.pk)
    assert loaded == employee and loaded.email == employee.email
    assert loaded.learner_version == 7
    assert (is_hr(loaded), is_manager(loaded)) == (False, False)
    boss = PeopleBackend().get_user(manager.pk)
    assert (is_hr(boss), is_manager(boss), boss.learner_version) == (False, True, 0)
    assert is_hr(PeopleBackend().get_user(hr.pk)) is True


@pytest.mark.parametrize("user_id", [987654321, "not-a-number", None, "12abc"])
def test_the_backend_finds_nobody_for_unknown_or_malformed_ids(db, user_id):
    assert PeopleBackend().get_user(user_id) is None


def test_the_backend_refuses_inactive_people(db):
    person = UserFactory(is_active=False)
    assert PeopleBackend().get_user(person.pk) is None


def test_a_session_is_found_until_it_expires(employee):
    client = Client()
    client.force_login(employee)
    assert client.get("/").status_code == 200
    key = client.cookies["sessionid"].value
    assert SESSIONS.get(key).session_key == key
    assert SessionStore(key).load() != {}
    Session.objects.filter(pk=key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert SessionStore(key).load() == {}
    assert client.get("/").status_code == 302  # signed out: back to the sign-in page


def test_an_unknown_session_key_signs_nobody_in(db):
    client = Client()
    client.cookies["sessionid"] = "x" * 32
    assert client.get("/").status_code == 302
    assert SESSIONS.get("x" * 32) is None


def test_a_prepared_get_matches_the_orm_field_for_field(employee):
    from allyship.models import User
    from allyship.permissions import with_roles
    from allyship.prepared import PreparedGet

    prepared = PreparedGet(lambda: with_roles(User.objects.all())).get(employee.pk)
    plain = with_roles(User.objects.all()).get(pk=employee.pk)
    for field in User._meta.concrete_fields:
        assert getattr(prepared, field.attname) == getattr(plain, field.attname), field.name
    assert prepared.role_manager is False and plain.role_manager is False
    assert prepared.date_joined.tzinfo is not None
    assert not prepared._state.adding


def test_a_prepared_get_refuses_joined_rows(db):
    from allyship.models import User
    from allyship.prepared import PreparedGet

    with pytest.raises(ValueError, match="select_related"):
        PreparedGet(lambda: User.objects.select_related("manager")).get(1)


def test_session_data_is_decoded_once_per_string_and_never_shared_mutably(db):
    store = SessionStore()
    store["cart"] = ["first"]
    store.create()
    data = Session.objects.get(pk=store.session_key).session_data
    first = SessionStore().decode(data)
    first["cart"].append("changed by one request")
    assert SessionStore().decode(data) == {"cart": ["first"]}
    tampered = data[:-2] + ("A" if data[-2] != "A" else "B") + data[-1]
    assert SessionStore().decode(tampered) == {}
    assert not any(key[0] == tampered for key in _DECODED)  # a bad decode is not kept
