"""Shared vocabulary of the role matrix: a row gives the status each role gets."""

from dataclasses import dataclass, field

ROLES = ("anon", "employee", "manager", "hr")


@dataclass(frozen=True)
class Row:
    anon: int
    employee: int
    manager: int
    hr: int
    # URL kwargs, each "name" (looked up in the objects dict under that name) or "name=key".
    kwargs: tuple[str, ...] = field(default=())
    method: str = "get"
    data: tuple[tuple[str, str], ...] = field(default=())  # form fields, values from objects
    # Further methods the URL serves (an API such as SCIM): not expected to answer 405.
    also: tuple[str, ...] = field(default=())

    def status_for(self, role: str) -> int:
        return getattr(self, role)

    def url_kwargs(self, objects: dict) -> dict:
        pairs = (item.partition("=") for item in self.kwargs)
        return {name: objects[key or name] for name, _, key in pairs}

    def form_data(self, objects: dict) -> dict:
        return {key: objects.get(value, value) for key, value in self.data}


OPEN = Row(200, 200, 200, 200)
SIGNED_IN = Row(302, 200, 200, 200)
MANAGERS = Row(302, 403, 200, 403)
HR_ONLY = Row(302, 403, 403, 200)
