"""Every constraint of the identity providers, tested at the database (SQLite and
PostgreSQL). The model's save() lowercases and trims the domain, so these writes go past it
with bulk_create, as a data migration or a script might."""

import pytest
from allauth.socialaccount.models import SocialApp

from allyship.sso.models import IdentityProvider
from tests.constraints import Case, assert_refused_by, declared_constraints

pytestmark = pytest.mark.django_db


def _app() -> SocialApp:
    return SocialApp.objects.create(provider="openid_connect", provider_id="acme", name="Acme")


def same_domain_in_capitals():
    app = _app()
    IdentityProvider.objects.create(domain="acme.example", app=app)
    return IdentityProvider, lambda: IdentityProvider.objects.bulk_create(
        [IdentityProvider(domain="ACME.Example", app=app)]
    )


def no_domain():
    app = _app()
    return IdentityProvider, lambda: IdentityProvider.objects.bulk_create(
        [IdentityProvider(domain="", app=app)]
    )


CASES: dict[str, Case] = {
    "identity_provider_domain_ci": same_domain_in_capitals,
    "identity_provider_has_domain": no_domain,
}


def test_every_single_sign_on_constraint_has_a_database_test():
    assert declared_constraints("sso") == set(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_database_refuses_what_the_constraint_forbids(name):
    model, write = CASES[name]()
    before = list(IdentityProvider.objects.values_list("domain", flat=True))
    assert_refused_by(name, model, write)
    assert list(IdentityProvider.objects.values_list("domain", flat=True)) == before
