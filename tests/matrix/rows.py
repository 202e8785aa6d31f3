"""Shared vocabulary of the role matrix: a row gives the status each role gets."""

from dataclasses import dataclass, field

ROLES = ("anon", "employee", "manager", "hr")


@dataclass(frozen=True)
class Row:
    anon: int
    employee: int
    manager: int
    hr: int
    kwargs: tuple[str, ...] = field(default=())  # names looked up in the objects dict
    method: str = "get"
    data: tuple[tuple[str, str], ...] = field(default=())  # form fields, values from objects

    def status_for(self, role: str) -> int:
        return getattr(self, role)


OPEN = Row(200, 200, 200, 200)
SIGNED_IN = Row(302, 200, 200, 200)
MANAGERS = Row(302, 403, 200, 403)
HR_ONLY = Row(302, 403, 403, 200)
