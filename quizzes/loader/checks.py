"""Checks every curriculum entry shares (text, slugs, flags, lists), and writing a row only
when a value changed. Each failing check raises CurriculumError naming file, entry, problem."""

from typing import Any

from django.db.models import Model, ProtectedError

from learning.content import CurriculumError

RESPONSES_RANGE = (3, 4)
OPTIONS_RANGE = (3, 5)
MIN_STRONGEST_DECISIONS = 4


def required_text(data: dict, key: str, source: str, entry: str) -> str:
    value = data.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        raise CurriculumError(source, entry, f"is missing '{key}'")
    if not isinstance(value, str):
        raise CurriculumError(source, entry, f"'{key}' must be text")
    return value


def flag_field(data: dict, key: str, source: str, entry: str) -> bool:
    value = data.get(key, False)
    if not isinstance(value, bool):
        raise CurriculumError(source, entry, f"'{key}' must be true or false")
    return value


def entry_list(value: Any, key: str, source: str, entry: str) -> list[dict]:
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise CurriculumError(source, entry, f"'{key}' must be a list of entries")
    return value


def sync(instance: Model, **values: Any) -> Model:
    """Set the values, saving (only the changed fields) when anything actually changed."""
    if instance.pk is None:
        for name, value in values.items():
            setattr(instance, name, value)
        instance.save()
        return instance
    changed = []
    for name, value in values.items():
        # Compare foreign keys by id, so checking never loads the related row.
        field = instance._meta.get_field(name)
        current = getattr(instance, field.attname)
        wanted = value.pk if isinstance(value, Model) else value
        if current != wanted:
            setattr(instance, name, value)
            changed.append(name)
    if changed:
        instance.save(update_fields=changed)
    return instance


def deleted(instance: Model) -> bool:
    """Delete content nobody refers to; False when a choice, an attempt or a step needs it."""
    try:
        instance.delete()
    except ProtectedError:
        return False
    return True
