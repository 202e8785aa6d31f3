"""The objects the role matrix puts in URLs, owned by the employee persona."""

from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode


def build_objects(people: dict) -> dict:
    employee = people["employee"]
    return {
        "uidb64": urlsafe_base64_encode(force_bytes(employee.pk)),
        "token": "set-password",
    }
