"""Earned badges as Open Badges 3.0 credentials (1EdTech OpenBadgeCredential, JSON-LD).

The credential names its earner by a salted hash of their email address (an OB 3.0
IdentityObject), never by the address itself. It is not signed: there is no `proof`, so it is
a portable record of the achievement rather than a cryptographically verifiable one.
"""

import base64
import datetime
import hashlib
import uuid
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.crypto import salted_hmac

from learning.models import BadgeAward
from learning.recognition.badges import Badge

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
ISSUER_NAME = "Allyship"


def site_url(path: str = "/") -> str:
    return f"{settings.SITE_URL}{path}"


def _timestamp(moment) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _identity(award: BadgeAward) -> dict[str, Any]:
    # A stable per-award salt: the same download twice gives the same credential.
    salt = salted_hmac(
        "learning.recognition.openbadges.identity", str(award.pk), algorithm="sha256"
    ).hexdigest()[:16]
    digest = hashlib.sha256((award.user.email.lower() + salt).encode()).hexdigest()
    return {
        "type": "IdentityObject",
        "identityHash": f"sha256${digest}",
        "identityType": "emailAddress",
        "hashed": True,
        "salt": salt,
    }


def badge_image_data_uri(badge: Badge) -> str:
    svg = str(badge.svg(standalone=True, size=256))
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")


def achievement(badge: Badge) -> dict[str, Any]:
    return {
        "id": site_url(reverse("recognition:badge-list")) + f"#badge-{badge.slug}",
        "type": ["Achievement"],
        "achievementType": "Badge",
        "name": badge.name,
        "description": badge.description,
        "criteria": {"narrative": badge.criteria},
        "image": {"id": badge_image_data_uri(badge), "type": "Image", "caption": badge.alt},
        "creator": issuer(),
    }


def issuer() -> dict[str, Any]:
    return {"id": site_url("/"), "type": ["Profile"], "name": ISSUER_NAME, "url": site_url("/")}


def achievement_credential(award: BadgeAward, badge: Badge) -> dict[str, Any]:
    """The OpenBadgeCredential for one earned badge (the award's user must be loaded)."""
    credential_id = uuid.uuid5(uuid.NAMESPACE_URL, site_url(f"/badge-awards/{award.pk}"))
    return {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": f"urn:uuid:{credential_id}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": badge.name,
        "description": badge.description,
        "issuer": issuer(),
        "validFrom": _timestamp(award.awarded_at),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [_identity(award)],
            "achievement": achievement(badge),
        },
    }
