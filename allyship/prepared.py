"""Querysets compiled to SQL once per process and run many times with a new primary key.

Django compiles a queryset's SQL on every evaluation; for the one query every signed-in
request makes (loading the person, see allyship.backends) that compiling costs more than
the database does. A PreparedGet compiles its queryset once, with a marker in place of the
primary key, and then runs the same SQL through `Model.objects.raw`, which sets
annotations as attributes just as the queryset would.
"""

from collections.abc import Callable

from django.db import connections
from django.db.models import Model, QuerySet

INT_MARKER = -7_654_321_987
TEXT_MARKER = "prepared-get-marker-5d1c"


class PreparedGet:
    def __init__(self, build: Callable[[], QuerySet]) -> None:
        self._build = build
        self._compiled: dict[str, tuple[type[Model], str, list, int]] = {}

    def _compile(self, alias: str) -> tuple[type[Model], str, list, int]:
        queryset = self._build()
        pk = queryset.model._meta.pk
        marker = INT_MARKER if pk.get_internal_type().endswith("AutoField") else TEXT_MARKER
        sql, params = queryset.filter(pk=marker).query.get_compiler(alias).as_sql()
        params = list(params)
        if params.count(marker) != 1:
            raise ValueError("PreparedGet needs exactly one primary key parameter.")
        return queryset.model, sql, params, params.index(marker)

    def get(self, pk, using: str = "default") -> Model | None:
        """The one row with this primary key, or None."""
        vendor = connections[using].vendor
        if vendor not in self._compiled:
            self._compiled[vendor] = self._compile(using)
        model, sql, params, position = self._compiled[vendor]
        params = params.copy()
        params[position] = model._meta.pk.to_python(pk)
        rows = list(model._default_manager.db_manager(using).raw(sql, params))
        return rows[0] if rows else None
