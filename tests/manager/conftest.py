import pytest

from tests.hr.factories import course_with_modules


@pytest.fixture
def course(db):
    return course_with_modules(2, slug="inclusive-meetings")


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
