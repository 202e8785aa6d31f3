"""Helpers for the database-constraint tests (tests/<app>/test_constraints.py).

Each app's test file maps every constraint name declared in its models' Meta to a case that
writes one row straight to the database, past every service and form check, which that
constraint alone must refuse. `declared_constraints` reads the names from the models, so a
constraint added without a case makes the app's coverage test fail.
"""

from collections.abc import Callable

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, models, transaction

# A case builds what it needs and returns the model and the offending write.
Case = Callable[[], tuple[type[models.Model], Callable[[], object]]]


def declared_constraints(app_label: str) -> set[str]:
    """Every UniqueConstraint and CheckConstraint name in the app's models' Meta."""
    return {
        constraint.name
        for model in apps.get_app_config(app_label).get_models()
        for constraint in model._meta.constraints
    }


def copy_of(row: models.Model, **changes: object) -> dict[str, object]:
    """The row's stored values (not its primary key), with `changes` applied by field name:
    what a second insert of "the same thing" would write."""
    model = type(row)
    values = {
        field.attname: getattr(row, field.attname)
        for field in model._meta.get_fields()
        if field.concrete and not field.primary_key and not field.many_to_many
    }
    for name, value in changes.items():
        field = model._meta.get_field(name)
        if isinstance(value, models.Model):
            value = value.pk
        values[field.attname] = value
    return values


def insert(model: type[models.Model], values: dict[str, object]) -> Callable[[], object]:
    """A plain INSERT of these values (no service, no full_clean)."""
    return lambda: model.objects.create(**values)


def assert_refused_by(name: str, model: type[models.Model], write: Callable[[], object]) -> None:
    """The write raises IntegrityError, and the database names this constraint (not a NOT
    NULL or a foreign key, which would also raise IntegrityError) as the reason."""
    constraint = next(c for c in model._meta.constraints if c.name == name)
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        write()
    message = str(caught.value)
    if connection.vendor == "postgresql":
        assert f'"{name}"' in message, message
    elif isinstance(constraint, models.CheckConstraint):
        assert f"CHECK constraint failed: {name}" in message, message
    else:
        # SQLite names the columns of a violated unique index, not the index.
        assert "UNIQUE constraint failed" in message, message
        table = model._meta.db_table
        for field_name in constraint.fields:
            column = model._meta.get_field(field_name).column
            assert f"{table}.{column}" in message, message
