"""The badge registry (filled in by the gamification work)."""

from enum import StrEnum


class Trigger(StrEnum):
    LESSON = "lesson"
    MODULE = "module"
    COURSE = "course"
    SCENARIO = "scenario"
    KNOWLEDGE = "knowledge"
    COMMITMENT = "commitment"
    STREAK = "streak"


def evaluate(user, trigger: Trigger) -> list:
    """Award any badge the trigger may have earned; returns the new awards."""
    return []
