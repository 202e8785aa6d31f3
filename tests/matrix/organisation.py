"""Role-matrix rows for the organisation's URLs (allyship/)."""

from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tests.matrix.rows import HR_ONLY, MANAGERS, OPEN, SIGNED_IN, Row

ROWS = {
    "healthz": OPEN,
    "login": Row(200, 302, 302, 302),
    "logout": Row(302, 302, 302, 302, method="post"),
    "password_change": SIGNED_IN,
    "password_change_done": SIGNED_IN,
    "password_reset": OPEN,
    "password_reset_done": OPEN,
    "password_reset_confirm": Row(200, 200, 200, 200, kwargs=("uidb64", "token")),
    "password_reset_complete": OPEN,
    "manager:team": MANAGERS,
    "hr:people": HR_ONLY,
}


def objects(people: dict) -> dict:
    return {
        "uidb64": urlsafe_base64_encode(force_bytes(people["employee"].pk)),
        "token": "set-password",
    }
