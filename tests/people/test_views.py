"""The people import pages: upload, preview, apply in the background with its progress."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from allyship.models import AuditEntry, ImportBatch, ImportStatus, User
from allyship.people.importer import people_import_preview
from allyship.people.queue import people_import_queue
from tests.hr.factories import csv_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def hr_client(client, hr):
    client.force_login(hr)
    return client


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def queued_tasks(settings):
    """The real queue (django-tasks-db): nothing runs until a worker takes it."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _batch(hr, rows=(("new@test.example", "New Person", "Sales"),)):
    return people_import_preview(
        data=csv_bytes([list(row) for row in rows]), file_name="people.csv", acting_user=hr
    )


def test_upload_preview_and_apply(
    hr_client, hr, immediate_tasks, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile(
        "people.csv", csv_bytes([["new@test.example", "New Person", "Sales"]]), "text/csv"
    )
    response = hr_client.post(reverse("hr:import"), {"file": upload})
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "hr:import-preview", args=[batch.pk]
    )
    preview = hr_client.get(response.url)
    assert "new@test.example" in preview.text and "Apply these changes" in preview.text
    assert not User.objects.filter(email="new@test.example").exists()
    with django_capture_on_commit_callbacks(execute=True):
        hr_client.post(reverse("hr:import-apply", args=[batch.pk]))
    applied = hr_client.get(reverse("hr:import-preview", args=[batch.pk]))
    assert "Import applied: 1 new, 0 updated, 0 deactivated." in applied.text
    assert "Apply these changes" not in applied.text
    assert User.objects.filter(email="new@test.example", department__name="Sales").exists()
    again = hr_client.post(reverse("hr:import-apply", args=[batch.pk]), follow=True)
    assert "already applied" in again.text
    batch.refresh_from_db()
    assert batch.status == ImportStatus.APPLIED


def test_upload_with_errors_lists_them_with_status_400(hr_client):
    upload = SimpleUploadedFile(
        "people.csv",
        csv_bytes([["bad-email", "A"], ["b@test.example", "B", "", "ghost@test.example"]]),
        "text/csv",
    )
    response = hr_client.post(reverse("hr:import"), {"file": upload})
    assert response.status_code == 400
    assert "The file has 2 problems. Nothing was changed." in response.text
    assert "“bad-email” is not a valid email address." in response.text
    assert "ghost@test.example" in response.text
    assert not ImportBatch.objects.exists()


def test_upload_without_a_file_is_a_400(hr_client):
    assert hr_client.post(reverse("hr:import"), {}).status_code == 400


def test_applying_queues_a_task_and_the_request_writes_no_people(
    hr_client, hr, queued_tasks, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    batch = _batch(hr)
    with django_capture_on_commit_callbacks(execute=True):
        response = hr_client.post(reverse("hr:import-apply", args=[batch.pk]))
    assert response.status_code == 302
    assert not User.objects.filter(email="new@test.example").exists()
    task = DBTaskResult.objects.get()
    assert task.task_path == "allyship.people.tasks.apply_people_import"
    assert task.args_kwargs == {"args": [batch.pk], "kwargs": {}}
    batch.refresh_from_db()
    assert batch.status == ImportStatus.QUEUED and batch.applied_by == hr


def test_a_queued_import_shows_its_progress_and_polls_with_htmx(hr_client, hr, queued_tasks):
    batch = _batch(hr)
    people_import_queue(batch=batch, acting_user=hr)
    page = hr_client.get(reverse("hr:import-preview", args=[batch.pk]))
    assert "Applying the import" in page.text
    assert "Waiting for the background worker" in page.text
    assert f'hx-get="{reverse("hr:import-preview", args=[batch.pk])}"' in page.text
    assert 'hx-trigger="every 2s"' in page.text
    assert "refresh it</a> to check by hand" in page.text  # the plain fallback
    assert "Apply these changes" not in page.text

    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportStatus.APPLYING, started_at=timezone.now() - datetime.timedelta(seconds=7)
    )
    partial = hr_client.get(
        reverse("hr:import-preview", args=[batch.pk]), headers={"HX-Request": "true"}
    )
    assert partial.status_code == 200
    assert "<html" not in partial.text and 'id="import-status"' in partial.text
    assert "Applying now</strong>, for 7 seconds so far" in partial.text


def test_once_applied_the_poll_asks_htmx_to_reload_the_page(hr_client, hr):
    batch = _batch(hr)
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.APPLIED)
    partial = hr_client.get(
        reverse("hr:import-preview", args=[batch.pk]), headers={"HX-Request": "true"}
    )
    assert partial.status_code == 204
    assert partial["HX-Refresh"] == "true"


def test_a_double_click_on_apply_queues_one_task(
    hr_client, hr, queued_tasks, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    batch = _batch(hr)
    url = reverse("hr:import-apply", args=[batch.pk])
    with django_capture_on_commit_callbacks(execute=True):
        hr_client.post(url)
        second = hr_client.post(url, follow=True)
    assert "already being applied" in second.text
    assert DBTaskResult.objects.count() == 1


def test_the_worker_applies_the_queued_import_once_with_one_audit_row(
    hr_client, hr, queued_tasks, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    from allyship.people.tasks import apply_people_import

    batch = _batch(hr)
    with django_capture_on_commit_callbacks(execute=True):
        hr_client.post(reverse("hr:import-apply", args=[batch.pk]))
    queued = DBTaskResult.objects.get()
    # What the worker does with the queued row (the worker itself closes the test's
    # connection on PostgreSQL): call the task with the arguments it was queued with.
    apply_people_import.call(*queued.args_kwargs["args"])
    apply_people_import.call(*queued.args_kwargs["args"])  # a second run changes nothing
    batch.refresh_from_db()
    assert batch.status == ImportStatus.APPLIED
    assert batch.outcome == {
        "kind": "applied",
        "counts": {"new": 1, "updated": 0, "deactivated": 0, "unchanged": 0, "rows": 1},
    }
    assert User.objects.filter(email="new@test.example").count() == 1
    assert AuditEntry.objects.filter(action="people.import").count() == 1
    page = hr_client.get(reverse("hr:import-preview", args=[batch.pk]))
    assert "Import applied: 1 new, 0 updated, 0 deactivated." in page.text


def test_an_import_overtaken_by_changes_goes_back_to_preview_with_the_reason(
    hr_client, hr, employee, immediate_tasks, django_capture_on_commit_callbacks
):
    batch = _batch(hr, rows=[(employee.email, "Emma Renamed")])
    employee.full_name = "Emma Changed Meanwhile"
    employee.save()
    with django_capture_on_commit_callbacks(execute=True):
        hr_client.post(reverse("hr:import-apply", args=[batch.pk]))
    page = hr_client.get(reverse("hr:import-preview", args=[batch.pk]))
    assert "People changed since this preview was made, so nothing was applied." in page.text
    assert "Apply these changes" in page.text
    batch.refresh_from_db()
    assert batch.status == ImportStatus.PREVIEWED


def test_an_import_stuck_for_half_an_hour_may_be_queued_again(hr, queued_tasks):
    batch = _batch(hr)
    assert people_import_queue(batch=batch, acting_user=hr).queued
    assert people_import_queue(batch=batch, acting_user=hr).in_progress
    ImportBatch.objects.filter(pk=batch.pk).update(
        queued_at=timezone.now() - datetime.timedelta(minutes=31)
    )
    assert people_import_queue(batch=batch, acting_user=hr).queued
