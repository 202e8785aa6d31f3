"""A module's live lessons and a course's live modules are the denominators of every
learner's progress: every writer keeps them right, and learners' stored progress follows."""

from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from learning import services
from learning.models import CourseProgress, Module, ModuleProgress
from tests.factories import UserFactory
from tests.learning.builders import build_course, build_module

pytestmark = pytest.mark.django_db


class _FormFields(HTMLParser):
    """The values an admin change form would post as it stands (inputs, selects, textareas)."""

    def __init__(self):
        super().__init__()
        self.fields: dict[str, str] = {}
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in {"submit", "button", "file"}:
            if attrs.get("type") == "checkbox":
                if "checked" in attrs:
                    self.fields[name] = attrs.get("value", "on")
            else:
                self.fields[name] = attrs.get("value", "")
        elif tag == "select" and name:
            self._select = name
            self.fields.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in attrs:
            self.fields[self._select] = attrs.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields[name] = ""

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        if tag == "textarea":
            self._textarea = None


def admin_form(client, url: str) -> dict[str, str]:
    parser = _FormFields()
    parser.feed(client.get(url).text)
    return {k: v for k, v in parser.fields.items() if k != "csrfmiddlewaretoken"}


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    """The recount task runs at once (the worker's job in production)."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def finish_all_but_the_last_lesson(user, module: Module) -> None:
    *read, _ = list(module.lessons.order_by("order"))
    for lesson in read:
        services.lesson_complete(user=user, lesson=lesson)
    services.module_check_complete(user=user, module=module)
    progress = ModuleProgress.objects.get(user=user, module=module)
    progress.commitment_made = True
    progress.save(update_fields=["commitment_made"])
    services.module_progress_refresh(user=user, module=module)


def test_retiring_a_lesson_in_the_admin_recounts_the_module_and_its_learners(
    admin_client, employee, django_capture_on_commit_callbacks
):
    module = build_module(lessons=4)
    finish_all_but_the_last_lesson(employee, module)
    assert ModuleProgress.objects.get(user=employee, module=module).percent == 83  # 5 of 6
    last = module.lessons.order_by("order").last()
    url = reverse("admin:learning_lesson_change", args=[last.pk])
    form = admin_form(admin_client, url)
    form["retired"] = "on"
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, form)
    assert response.status_code == 302, response.text[:2000]
    module.refresh_from_db()
    assert module.lesson_count == 3
    progress = ModuleProgress.objects.get(user=employee, module=module)
    assert progress.percent == 100 and progress.completed_at is not None


def test_adding_a_module_through_the_course_inline_counts_it(
    admin_client, employee, django_capture_on_commit_callbacks
):
    first, second = build_module(lessons=1), build_module(lessons=1)
    course = build_course([first])
    url = reverse("admin:learning_course_change", args=[course.pk])
    form = admin_form(admin_client, url)
    prefix = next(k for k in form if k.endswith("-TOTAL_FORMS")).removesuffix("-TOTAL_FORMS")
    form[f"{prefix}-TOTAL_FORMS"] = "2"
    form[f"{prefix}-1-module"] = str(second.pk)
    form[f"{prefix}-1-order"] = "1"
    form[f"{prefix}-1-course"] = str(course.pk)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, form)
    assert response.status_code == 302, response.text[:2000]
    course.refresh_from_db()
    assert course.module_count == 2
    # Finishing only the first module no longer completes the course (no certificate).
    finish_all_but_the_last_lesson(employee, first)
    services.lesson_complete(user=employee, lesson=first.lessons.get())
    progress = CourseProgress.objects.filter(user=employee, course=course).first()
    assert progress is None or progress.completed_at is None
    services.course_start(user=employee, course=course)
    progress = CourseProgress.objects.get(user=employee, course=course)
    assert progress.completed_at is None and progress.percent == 50
    assert not employee.certificates.exists()


def test_retiring_a_module_in_the_admin_shrinks_its_courses(
    admin_client, django_capture_on_commit_callbacks
):
    first, second = build_module(lessons=1), build_module(lessons=1)
    course = build_course([first, second])
    url = reverse("admin:learning_module_change", args=[second.pk])
    form = admin_form(admin_client, url)
    form["retired"] = "on"
    with django_capture_on_commit_callbacks(execute=True):
        assert admin_client.post(url, form).status_code == 302
    course.refresh_from_db()
    assert course.module_count == 1


def test_opening_the_lesson_you_are_on_writes_nothing(client, employee):
    module = build_module(lessons=2)
    lesson = module.lessons.order_by("order").first()
    client.force_login(employee)
    url = reverse("learning:lesson-detail", args=[module.slug, lesson.slug])
    assert client.get(url).status_code == 200  # the first visit records the resume point
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    written = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].split()[0].upper() in {"INSERT", "UPDATE", "DELETE", "SAVEPOINT"}
        or "FOR UPDATE" in q["sql"].upper()
    ]
    assert written == [], "\n".join(written)
