"""Uploaded people files are listed in the Django admin as a read-only record."""

from django.urls import reverse

from allyship.models import ImportBatch
from allyship.services import hr_group


def test_hr_admins_see_import_batches_read_only_without_the_rows(client, hr):
    batch = ImportBatch.objects.create(
        file_name="people-november.csv",
        sha256="a" * 64,
        rows=[{"email": "private.person@example.com"}] * 3,
        created_by=hr,
    )
    hr_group()  # the HR group's admin permissions, as every grant of the role sets them
    client.force_login(hr)
    listing = client.get(reverse("admin:allyship_importbatch_changelist"))
    assert listing.status_code == 200
    assert "people-november.csv" in listing.text
    detail = client.get(reverse("admin:allyship_importbatch_change", args=[batch.pk]))
    assert detail.status_code == 200
    assert "private.person@example.com" not in detail.text
    assert client.get(reverse("admin:allyship_importbatch_add")).status_code == 403
    deleted = client.post(reverse("admin:allyship_importbatch_delete", args=[batch.pk]))
    assert deleted.status_code == 403
    assert ImportBatch.objects.filter(pk=batch.pk).exists()


def test_employees_cannot_open_the_import_record(client, employee):
    client.force_login(employee)
    response = client.get(reverse("admin:allyship_importbatch_changelist"))
    assert response.status_code == 302  # to the admin's sign-in: not staff
