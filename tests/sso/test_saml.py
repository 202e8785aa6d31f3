"""SAML sign-in with assertions signed by pysaml2 acting as the identity provider."""

import base64
import logging

import pytest
from allauth.socialaccount.models import SocialApp

from allyship.models import User
from allyship.sso.models import IdentityProvider
from tests.sso.saml_idp import (
    IDP_ENTITY_ID,
    IDP_SSO_URL,
    identity_provider,
    make_key_pair,
    request_id,
    signed_response,
)

# python3-saml (allauth's SAML) and pysaml2 (the test IdP) still call utcnow(): their
# warning only, every other deprecation still fails the run.
pytestmark = [
    pytest.mark.filterwarnings(
        r"ignore:datetime\.datetime\.utc(now|fromtimestamp):DeprecationWarning:onelogin"
    ),
    pytest.mark.filterwarnings(
        r"ignore:datetime\.datetime\.utc(now|fromtimestamp):DeprecationWarning:saml2"
    ),
]

ACS = "http://learn.acme.example/accounts/sso/saml/acme/acs/"
SP_ENTITY = "http://learn.acme.example/accounts/sso/saml/acme/metadata/"
EMAIL = "ada@acme.example"


@pytest.fixture
def saml(db, tmp_path, client, settings):
    settings.ALLOWED_HOSTS = ["learn.acme.example"]
    client.defaults["HTTP_HOST"] = "learn.acme.example"
    _, _, certificate = make_key_pair(tmp_path)
    app = SocialApp.objects.create(
        provider="saml",
        provider_id=IDP_ENTITY_ID,
        client_id="acme",
        name="Acme SAML",
        settings={
            "idp": {"entity_id": IDP_ENTITY_ID, "sso_url": IDP_SSO_URL, "x509cert": certificate},
            "attribute_mapping": {"uid": "uid", "email": "email", "name": "name"},
            "advanced": {"want_assertion_signed": True, "strict": True},
        },
    )
    IdentityProvider.objects.create(domain="acme.example", app=app, create_people=True)
    metadata = client.get("/accounts/sso/saml/acme/metadata/")
    assert metadata.status_code == 200
    return {"folder": tmp_path, "metadata": metadata.content.decode()}


def start(client) -> str:
    """Our SP sends the browser to the IdP; returns the AuthnRequest's ID."""
    response = client.post("/accounts/sso/saml/acme/login/")
    assert response.status_code == 302
    assert response["Location"].startswith(IDP_SSO_URL)
    return request_id(response["Location"])


def post_response(client, saml_response: str):
    acs = client.post("/accounts/sso/saml/acme/acs/", {"SAMLResponse": saml_response})
    assert acs.status_code == 302
    return client.get(acs["Location"])


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.django_db
def test_a_signed_assertion_signs_in_and_creates_the_person_when_allowed(saml, client):
    server = identity_provider(saml["folder"], saml["metadata"])
    response = signed_response(
        server, in_response_to=start(client), acs_url=ACS, audience=SP_ENTITY, email=EMAIL
    )
    finished = post_response(client, response)
    assert finished.status_code == 302, finished.content[:500]
    assert signed_in(client)
    assert User.objects.get(email=EMAIL).socialaccount_set.get().provider == IDP_ENTITY_ID


def _refused(client, finished, caplog, reason: str) -> None:
    assert finished.status_code in {200, 400, 401, 403}, finished.status_code
    assert reason in caplog.text
    assert not signed_in(client)
    assert not User.objects.filter(email=EMAIL).exists()
    assert any(record.levelno >= logging.WARNING for record in caplog.records)


@pytest.mark.django_db
def test_a_tampered_assertion_is_refused(saml, client, caplog):
    server = identity_provider(saml["folder"], saml["metadata"])
    xml = base64.b64decode(
        signed_response(
            server, in_response_to=start(client), acs_url=ACS, audience=SP_ENTITY, email=EMAIL
        )
    ).decode()
    tampered = xml.replace("Ada Lovelace", "Eve Intruder")
    assert tampered != xml
    finished = post_response(client, base64.b64encode(tampered.encode()).decode())
    _refused(client, finished, caplog, "Signature validation failed")
    assert b"could not be trusted" in finished.content


@pytest.mark.django_db
def test_an_expired_assertion_is_refused(saml, client, caplog):
    server = identity_provider(saml["folder"], saml["metadata"], lifetime_minutes=-10)
    response = signed_response(
        server, in_response_to=start(client), acs_url=ACS, audience=SP_ENTITY, email=EMAIL
    )
    _refused(client, post_response(client, response), caplog, "expired")


@pytest.mark.django_db
def test_an_assertion_for_another_audience_is_refused(saml, client, caplog):
    server = identity_provider(saml["folder"], saml["metadata"])
    response = signed_response(
        server,
        in_response_to=start(client),
        acs_url=ACS,
        audience="https://another-service.example/metadata",
        email=EMAIL,
    )
    _refused(client, post_response(client, response), caplog, "not a valid audience")


@pytest.mark.django_db
def test_an_unsigned_assertion_is_refused(saml, client, caplog):
    server = identity_provider(saml["folder"], saml["metadata"])
    response = signed_response(
        server,
        in_response_to=start(client),
        acs_url=ACS,
        audience=SP_ENTITY,
        email=EMAIL,
        sign=False,
    )
    _refused(client, post_response(client, response), caplog, "is not signed")


@pytest.mark.django_db
def test_a_replayed_assertion_is_refused(saml, client, caplog):
    server = identity_provider(saml["folder"], saml["metadata"])
    response = signed_response(
        server, in_response_to=start(client), acs_url=ACS, audience=SP_ENTITY, email=EMAIL
    )
    post_response(client, response)
    assert signed_in(client)
    person = User.objects.get(email=EMAIL)
    client.logout()
    replay = post_response(client, response)
    assert not signed_in(client)
    assert User.objects.filter(email=EMAIL).count() == 1
    assert person.socialaccount_set.count() == 1
    assert replay.status_code in {200, 400, 401, 403}
