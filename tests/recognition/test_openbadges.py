"""Earned badges download as Open Badges 3.0 credentials, valid against the OB 3.0 schema."""

import base64
import hashlib
import json
from pathlib import Path

import jsonschema
import pytest
from django.urls import reverse

from learning.recognition.badges import REGISTRY
from learning.recognition.openbadges import OB_CONTEXT, VC_CONTEXT
from tests.recognition.factories import BadgeAwardFactory

pytestmark = pytest.mark.django_db

SCHEMA = json.loads(
    (Path(__file__).parent / "ob_v3p0_achievementcredential_schema.json").read_text()
)


def _credential(client, slug: str):
    return client.get(reverse("recognition:badge-credential", args=[slug]))


def test_the_schema_itself_is_a_valid_draft_2019_09_schema():
    jsonschema.Draft201909Validator.check_schema(SCHEMA)


@pytest.mark.parametrize("slug", sorted(REGISTRY))
def test_every_earned_badge_downloads_as_a_valid_open_badge(client_for, employee, settings, slug):
    settings.SITE_URL = "https://allyship.example.com"
    BadgeAwardFactory(user=employee, badge=slug)
    response = _credential(client_for(employee), slug)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    assert "attachment" in response["Content-Disposition"]
    credential = json.loads(response.content)
    validator = jsonschema.Draft201909Validator(SCHEMA)
    errors = sorted(validator.iter_errors(credential), key=lambda error: list(error.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)

    badge = REGISTRY[slug]
    assert credential["@context"] == [VC_CONTEXT, OB_CONTEXT]
    assert set(credential["type"]) == {"VerifiableCredential", "OpenBadgeCredential"}
    assert credential["issuer"]["id"] == "https://allyship.example.com/"
    assert credential["issuer"]["name"] == "Allyship"
    achievement = credential["credentialSubject"]["achievement"]
    assert achievement["name"] == badge.name
    assert achievement["criteria"]["narrative"] == badge.criteria
    assert achievement["id"] == f"https://allyship.example.com/badges/#badge-{slug}"
    image = achievement["image"]
    assert image["type"] == "Image" and image["caption"] == badge.alt
    svg = base64.b64decode(image["id"].removeprefix("data:image/svg+xml;base64,")).decode()
    assert svg.startswith("<svg") and 'xmlns="http://www.w3.org/2000/svg"' in svg


def test_the_credential_names_the_earner_only_by_a_salted_hash(client_for, employee):
    award = BadgeAwardFactory(user=employee, badge="first-lesson")
    text = _credential(client_for(employee), "first-lesson").content.decode()
    assert employee.email not in text and employee.full_name not in text
    identity = json.loads(text)["credentialSubject"]["identifier"][0]
    digest = hashlib.sha256((employee.email + identity["salt"]).encode()).hexdigest()
    assert identity["identityHash"] == f"sha256${digest}"
    assert json.loads(text)["validFrom"] == award.awarded_at.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_downloading_twice_gives_the_same_credential(client_for, employee):
    BadgeAwardFactory(user=employee, badge="first-lesson")
    client = client_for(employee)
    assert (
        _credential(client, "first-lesson").content == _credential(client, "first-lesson").content
    )


def test_a_badge_not_yet_earned_is_a_404(client_for, employee):
    assert _credential(client_for(employee), "first-lesson").status_code == 404


def test_another_persons_badge_is_a_404(client_for, employee, manager):
    BadgeAwardFactory(user=employee, badge="first-lesson")
    assert _credential(client_for(manager), "first-lesson").status_code == 404


def test_an_unknown_badge_is_a_404(client_for, employee):
    BadgeAwardFactory(user=employee, badge="retired-badge")
    assert _credential(client_for(employee), "retired-badge").status_code == 404


def test_the_schema_catches_a_missing_criteria_and_credential_type(client_for, employee):
    BadgeAwardFactory(user=employee, badge="first-lesson")
    credential = json.loads(_credential(client_for(employee), "first-lesson").content)
    del credential["credentialSubject"]["achievement"]["criteria"]
    credential["type"] = ["VerifiableCredential"]
    errors = {
        (tuple(error.path), error.validator)
        for error in jsonschema.Draft201909Validator(SCHEMA).iter_errors(credential)
    }
    assert (("credentialSubject", "achievement"), "required") in errors
    assert (("type",), "contains") in errors
