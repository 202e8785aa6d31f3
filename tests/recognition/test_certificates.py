"""Certificates: issued once with an unguessable code, owner-only pages, public verification."""

import pytest
from django.urls import reverse

from learning import services
from learning.models import Certificate
from learning.recognition.certificates import (
    CODE_ALPHABET,
    CODE_LENGTH,
    certificate_code_display,
    certificate_code_new,
    certificate_code_normalise,
    certificate_issue,
)
from tests.recognition.factories import CertificateFactory, CourseFactory, small_course
from tests.recognition.helpers import finish_module

pytestmark = pytest.mark.django_db


def test_codes_are_long_random_and_readable():
    codes = {certificate_code_new() for _ in range(500)}
    assert len(codes) == 500
    for code in codes:
        assert len(code) == CODE_LENGTH >= 12 and set(code) <= set(CODE_ALPHABET)
    assert not set(CODE_ALPHABET) & set("01OIL")


def test_codes_read_the_same_with_dashes_spaces_or_lower_case():
    code = certificate_code_new()
    shown = certificate_code_display(code)
    assert shown.count("-") == 3
    assert certificate_code_normalise(shown.lower()) == code
    assert certificate_code_normalise(f" {shown.replace('-', ' ')} ") == code


def test_completing_a_course_issues_one_certificate(employee):
    course, module = small_course()
    services.course_start(user=employee, course=course)
    finish_module(employee, module)
    certificate = Certificate.objects.get(user=employee, course=course)
    assert certificate_issue(user=employee, course=course) == certificate
    assert Certificate.objects.filter(user=employee).count() == 1


def test_issuing_survives_a_code_collision(employee, monkeypatch):
    taken = CertificateFactory()
    codes = iter([taken.code, "FRESHCODE2345678"])
    monkeypatch.setattr(
        "learning.recognition.certificates.certificate_code_new", lambda: next(codes)
    )
    certificate = certificate_issue(user=employee, course=CourseFactory())
    assert certificate.code == "FRESHCODE2345678"


def test_the_learner_sees_their_printable_certificate(client_for, employee):
    certificate = CertificateFactory(user=employee)
    response = client_for(employee).get(
        reverse("recognition:certificate-detail", args=[certificate.course.slug])
    )
    assert response.status_code == 200
    text = response.text
    assert employee.full_name in text and certificate.course.title in text
    assert certificate_code_display(certificate.code) in text
    assert reverse("recognition:verify", args=[certificate.code]) in text
    assert text.count("<h1") == 1


def test_the_certificate_pdf_downloads_with_name_course_and_code(client_for, employee):
    certificate = CertificateFactory(user=employee)
    response = client_for(employee).get(
        reverse("recognition:certificate-pdf", args=[certificate.course.slug])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content.startswith(b"%PDF-")
    # The document information is not compressed: it names the person, course and code.
    info = response.content.decode("latin-1")
    assert employee.full_name in info and certificate.course.title in info
    assert certificate_code_display(certificate.code) in info


def test_a_name_beyond_latin_1_still_makes_a_pdf(client_for, employee):
    employee.full_name = "Łucja Nguyễn-Żak"
    employee.save()
    certificate = CertificateFactory(user=employee)
    response = client_for(employee).get(
        reverse("recognition:certificate-pdf", args=[certificate.course.slug])
    )
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")


@pytest.mark.parametrize("name", ["recognition:certificate-detail", "recognition:certificate-pdf"])
def test_nobody_else_sees_a_learners_certificate(client_for, employee, manager, hr, name):
    certificate = CertificateFactory(user=employee)
    for viewer in (manager, hr):
        response = client_for(viewer).get(reverse(name, args=[certificate.course.slug]))
        assert response.status_code == 404


def test_a_course_without_a_certificate_is_a_404(client_for, employee):
    course = CourseFactory()
    response = client_for(employee).get(
        reverse("recognition:certificate-detail", args=[course.slug])
    )
    assert response.status_code == 404


def test_anyone_can_verify_a_code_and_sees_only_name_course_and_date(client, employee):
    certificate = CertificateFactory(user=employee)
    for code in (certificate.code, certificate_code_display(certificate.code).lower()):
        response = client.get(reverse("recognition:verify", args=[code]))
        assert response.status_code == 200
        text = response.text
        assert employee.full_name in text and certificate.course.title in text
        assert certificate.issued_at.strftime("%Y") in text
        assert employee.email not in text
        assert employee.department.name not in text
        assert employee.manager.full_name not in text
        assert response["X-Robots-Tag"] == "noindex"


def test_a_verifier_polling_a_certificate_gets_not_modified_until_it_changes(client, employee):
    certificate = CertificateFactory(user=employee)
    url = reverse("recognition:verify", args=[certificate.code])
    first = client.get(url)
    assert first.status_code == 200 and first["ETag"]
    again = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304 and again.content == b""
    employee.full_name = "Emma Renamed"
    employee.save(update_fields=["full_name"])
    renamed = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert renamed.status_code == 200 and "Emma Renamed" in renamed.text
    assert renamed["ETag"] != first["ETag"]


def test_an_unknown_code_is_a_404(client):
    CertificateFactory()
    assert client.get(reverse("recognition:verify", args=["NOTAREALCODE2345"])).status_code == 404
    assert client.get(reverse("recognition:verify", args=["-"])).status_code == 404
