"""Querysets compiled to SQL once per process and run many times with a new primary key.

Django compiles a queryset's SQL on every evaluation. For the few reads every request makes
(the session, the signed-in person, see allyship.sessions and allyship.backends) and those
of answering a scenario step (quizzes.services), compiling cost several times what the
database did. A PreparedGet compiles its queryset once per database vendor, with a marker
in place of the primary key, and afterwards runs that SQL and builds the instance the way
Django's own model iterable does: the same converters, `Model.from_db`, and annotations
set as attributes.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connections
from django.db.models import Model, QuerySet

INT_MARKER = -7_654_321_987
TEXT_MARKER = "prepared-get-marker-5d1c"


@dataclass(frozen=True)
class _Compiled:
    model: type[Model]
    sql: str
    params: tuple
    pk_position: int
    field_names: tuple[str, ...]
    fields_end: int
    annotations: tuple[tuple[str, int], ...]
    converters: dict


class PreparedGet:
    def __init__(self, build: Callable[[], QuerySet]) -> None:
        self._build = build
        self._compiled: dict[str, _Compiled] = {}

    def _compile(self, alias: str) -> _Compiled:
        queryset = self._build()
        if queryset.query.select_related:
            raise ValueError("PreparedGet cannot follow select_related; read related rows apart.")
        pk = queryset.model._meta.pk
        marker = INT_MARKER if pk.get_internal_type().endswith("AutoField") else TEXT_MARKER
        compiler = queryset.filter(pk=marker).query.get_compiler(alias)
        sql, params = compiler.as_sql()
        params = tuple(params)
        if params.count(marker) != 1:
            raise ValueError("PreparedGet needs exactly one primary key parameter.")
        positions = compiler.klass_info["select_fields"]
        if positions != list(range(len(positions))):
            raise ValueError("PreparedGet expects the model's columns first.")
        return _Compiled(
            model=queryset.model,
            sql=sql,
            params=params,
            pk_position=params.index(marker),
            field_names=tuple(compiler.select[i][0].target.attname for i in positions),
            fields_end=len(positions),
            annotations=tuple(compiler.annotation_col_map.items()),
            converters=compiler.get_converters([column[0] for column in compiler.select]),
        )

    def get(self, pk, using: str = "default") -> Model | None:
        """The one row with this primary key, or None (also when `pk` cannot be one)."""
        connection = connections[using]
        compiled = self._compiled.get(connection.vendor)
        if compiled is None:
            compiled = self._compiled[connection.vendor] = self._compile(using)
        try:
            key = compiled.model._meta.pk.to_python(pk)
        except (ValueError, TypeError, ValidationError):
            return None
        if key is None:
            return None
        params = list(compiled.params)
        params[compiled.pk_position] = key
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            row = cursor.fetchone()
        if row is None:
            return None
        values = list(row)
        for position, (converters, expression) in compiled.converters.items():
            value = values[position]
            for converter in converters:
                value = converter(value, expression, connection)
            values[position] = value
        instance = compiled.model.from_db(
            using, list(compiled.field_names), values[: compiled.fields_end]
        )
        for name, position in compiled.annotations:
            setattr(instance, name, values[position])
        return instance
