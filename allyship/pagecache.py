"""Whole pages rendered once and served many times, each with the requester's CSRF token.

A page that shows only its viewer's own data can be kept in the cache under a key naming
everything it depends on (learning.views.home is the example: the learner, their data
version, the day, what the header shows). The CSRF token is the one part of our pages that
differs per request: scripts are files allowed by the CSP's 'self', never inline, so there
is no nonce. The page is rendered with a placeholder where the token goes and every
response gets the requester's own masked token in its place.

A response carrying flash messages is never cached or served from the cache: messages
belong to one response.
"""

from collections.abc import Callable

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.crypto import salted_hmac


def csrf_placeholder() -> str:
    """Where the token goes: the same in every process sharing the SECRET_KEY (so a shared
    cache works too), unguessable without it, and plain letters and digits, safe in
    attributes and JSON."""
    return (
        "csrfplaceholder"
        + salted_hmac("allyship.pagecache", "csrf", algorithm="sha256").hexdigest()[:32]
    )


def cached_page(
    request: HttpRequest,
    *,
    key: str,
    template: str,
    context: Callable[[], dict],
    timeout: int,
) -> HttpResponse:
    """The page for `key` from the cache, or rendered from `context()` and kept `timeout` s."""
    if len(get_messages(request)):
        return render(request, template, context())
    placeholder = csrf_placeholder()
    html = cache.get(key)
    if html is None:
        html = render_to_string(template, {**context(), "csrf_token": placeholder}, request=request)
        cache.set(key, html, timeout)
    return HttpResponse(html.replace(placeholder, get_token(request)))
