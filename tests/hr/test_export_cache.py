"""The CSV export is a snapshot kept for a minute per set of filters and sort, like the
dashboard's figures; every download is still audited, and the file name says when it was
taken."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from allyship.models import AuditEntry
from tests.factories import DepartmentFactory, UserFactory
from tests.hr.factories import AssignmentFactory, bulk_team, days

pytestmark = pytest.mark.django_db


@pytest.fixture
def hr_client(clock, client, hr, settings):
    settings.TIME_ZONE = "UTC"
    client.force_login(hr)
    return client


def download(client, **params):
    response = client.get(reverse("hr:employees-csv"), params)
    assert response.status_code == 200
    return response


def names(response) -> list[str]:
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Name"
    return [row[0] for row in rows[1:]]


def file_name(response) -> str:
    return response["Content-Disposition"].removeprefix('attachment; filename="').rstrip('"')


def test_the_file_name_carries_the_time_the_snapshot_was_taken(hr_client, clock):
    assert file_name(download(hr_client)) == "employees-2026-11-24-1203.csv"
    clock.advance(seconds=45)  # 12:04:15, same snapshot
    assert file_name(download(hr_client)) == "employees-2026-11-24-1203.csv"
    clock.advance(seconds=16)  # 12:04:31, past the minute: a new snapshot
    assert file_name(download(hr_client)) == "employees-2026-11-24-1204.csv"


def test_within_the_minute_a_download_is_the_same_snapshot(hr_client, clock, manager, course):
    bulk_team(3, manager=manager, course=course)
    first = download(hr_client)
    UserFactory(full_name="Nina Newcomer", manager=manager)
    clock.advance(seconds=59)
    with CaptureQueriesContext(connection) as queries:
        second = download(hr_client)
    assert second.content == first.content
    assert "Nina Newcomer" not in names(second)
    assert not any("learning_assignment" in query["sql"] for query in queries.captured_queries)


def test_after_the_minute_the_download_reflects_new_data(hr_client, clock, manager, course):
    bulk_team(3, manager=manager, course=course)
    assert "Nina Newcomer" not in names(download(hr_client))
    newcomer = UserFactory(full_name="Nina Newcomer", manager=manager)
    AssignmentFactory(user=newcomer, course=course, due_on=days(-1))
    clock.advance(seconds=61)
    rows = list(csv.reader(io.StringIO(download(hr_client).content.decode("utf-8-sig"))))
    (nina,) = [row for row in rows if row[0] == "Nina Newcomer"]
    assert nina[5:8] == ["1", "0", "1"]  # assigned, completed, overdue


def test_every_download_is_audited_even_when_served_from_the_snapshot(hr_client, clock, hr, course):
    other_hr = UserFactory(hr=True)
    for _ in range(3):
        download(hr_client, course=course.pk)
    hr_client.force_login(other_hr)
    download(hr_client, course=course.pk)
    entries = list(AuditEntry.objects.filter(action="employees.export").order_by("id"))
    assert [entry.actor for entry in entries] == [hr, hr, hr, other_hr]
    assert {entry.new_value for entry in entries} == {
        f"course={course.pk}; figures as of 2026-11-24 12:03:30"
    }


def test_snapshots_are_kept_per_filter_and_sort(hr_client, clock, manager, course):
    sales = DepartmentFactory(name="Sales")
    legal = DepartmentFactory(name="Legal")
    UserFactory(full_name="Sam Sales", department=sales, manager=manager)
    UserFactory(full_name="Lee Legal", department=legal)
    late = UserFactory(full_name="Olly Overdue", department=legal)
    AssignmentFactory(user=late, course=course, due_on=days(-2))
    everyone = names(download(hr_client))
    assert {"Sam Sales", "Lee Legal", "Olly Overdue"} <= set(everyone)
    assert names(download(hr_client, department=sales.pk)) == ["Sam Sales"]
    assert names(download(hr_client, department=legal.pk)) == ["Lee Legal", "Olly Overdue"]
    assert names(download(hr_client, q="lee")) == ["Lee Legal"]
    assert names(download(hr_client, overdue="on")) == ["Olly Overdue"]
    assert names(download(hr_client, course=course.pk)) == ["Olly Overdue"]
    assert names(download(hr_client, manager=manager.email)) == ["Sam Sales"]
    assert names(download(hr_client, sort="-name")) == sorted(everyone, reverse=True)
    assert names(download(hr_client)) == everyone


def test_the_people_page_says_the_export_is_a_snapshot(hr_client):
    text = hr_client.get(reverse("hr:people")).text
    assert "refreshed every minute; its file name says when it was taken" in text
