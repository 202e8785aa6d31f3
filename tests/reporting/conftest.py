import datetime

import pytest

from tests.hr.factories import Clock, course_with_modules


@pytest.fixture
def course(db):
    return course_with_modules(2, slug="inclusive-meetings")


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def clock(monkeypatch):
    """A still clock at 12:03:30 UTC on 24 November 2026; `clock.advance(seconds=61)`."""
    return Clock(monkeypatch, datetime.datetime(2026, 11, 24, 12, 3, 30, tzinfo=datetime.UTC))
