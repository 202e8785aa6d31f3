"""The request type views receive, so editors and mypy know about `user` and `htmx`."""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from allyship.models import User


class AuthedHttpRequest(HttpRequest):
    user: User
    htmx: HtmxDetails
