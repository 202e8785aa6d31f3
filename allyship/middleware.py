"""Request-wide rules that hold for every page: no NUL bytes in, nothing private cached."""

from collections.abc import Callable

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

NUL = "\x00"
NUL_MESSAGE = (
    "This request contains a NUL character (a zero byte), which no address, search or form "
    "field may hold. Remove it and try again."
)


def _has_nul(request: HttpRequest) -> bool:
    if NUL in request.path or NUL in request.path_info:
        return True
    sources = [request.GET]
    if request.method == "POST":
        sources.append(request.POST)
    for data in sources:
        for key, values in data.lists():
            if NUL in key or any(NUL in value for value in values):
                return True
    if request.method == "POST":
        for key, uploads in request.FILES.lists():
            if NUL in key or any(NUL in (upload.name or "") for upload in uploads):
                return True
    return False


class RejectNulMiddleware:
    """A NUL byte anywhere in the path, the query string or a form field is a clear 400.

    Databases refuse NUL in text (PostgreSQL raises, SQLite truncates), so it is stopped here,
    once, before any view or form sees it. Uploaded files are checked by their readers.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _has_nul(request):
            raise BadRequest(NUL_MESSAGE)
        return self.get_response(request)


class PrivatePagesMiddleware:
    """Every page answered to a signed-in person is `Cache-Control: private, no-store`: it
    shows their own progress, reflections or their team, which no shared cache, and no
    browser history after they sign out, may keep."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response
