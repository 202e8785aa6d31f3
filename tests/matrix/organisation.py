"""Role-matrix rows for the organisation's URLs (allyship/): accounts, HR and managers."""

import datetime

from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tests.matrix.rows import HR_ONLY, MANAGERS, OPEN, SIGNED_IN, Row

ROWS = {
    "healthz": OPEN,
    "login": Row(200, 302, 302, 302),
    "logout": Row(302, 302, 302, 302, method="post"),
    "password_change": SIGNED_IN,
    "password_change_done": SIGNED_IN,
    "password_reset": OPEN,
    "password_reset_done": OPEN,
    "password_reset_confirm": Row(200, 200, 200, 200, kwargs=("uidb64", "token")),
    "password_reset_complete": OPEN,
    # Managers: their team only. HR admins who manage nobody get the 403 page too.
    "manager:team": MANAGERS,
    "manager:insights": MANAGERS,
    "manager:nudge": Row(
        302, 403, 302, 403, kwargs=("person_id",), method="post", data=(("course", "course_id"),)
    ),
    # HR: everything here is for HR admins only.
    "hr:dashboard": HR_ONLY,
    "hr:people": HR_ONLY,
    "hr:employees-csv": HR_ONLY,
    "hr:import": HR_ONLY,
    "hr:import-preview": Row(302, 403, 403, 200, kwargs=("batch_id",)),
    "hr:import-apply": Row(302, 403, 403, 302, kwargs=("batch_id",), method="post"),
    "hr:assignments": HR_ONLY,
    "hr:assignment-create": HR_ONLY,
    "hr:assignment-detail": Row(302, 403, 403, 200, kwargs=("rule_id",)),
    "hr:assignment-due-date": Row(
        302, 403, 403, 302, kwargs=("rule_id",), method="post", data=(("due_on", "due_on"),)
    ),
    "hr:assignment-withdraw": Row(302, 403, 403, 302, kwargs=("rule_id",), method="post"),
    "hr:insights": HR_ONLY,
    "hr:audit": HR_ONLY,
}


def objects(people: dict) -> dict:
    from allyship.people.importer import people_import_preview
    from learning.models import Assignment, AssignmentRule, AssignmentScope
    from tests.hr.factories import course_with_modules, csv_bytes

    employee = people["employee"]
    today = timezone.localdate()
    course = course_with_modules(1)
    rule = AssignmentRule.objects.create(
        course=course,
        scope=AssignmentScope.EVERYONE,
        due_on=today - datetime.timedelta(days=2),
        group_key="everyone",
    )
    Assignment.objects.create(user=employee, course=course, rule=rule, due_on=rule.due_on)
    batch = people_import_preview(
        data=csv_bytes([["matrix.new@test.example", "Matrix New"]]),
        file_name="matrix.csv",
        acting_user=people["hr"],
    )
    return {
        "uidb64": urlsafe_base64_encode(force_bytes(employee.pk)),
        "token": "set-password",
        "person_id": employee.pk,
        "course_id": str(course.pk),
        "batch_id": batch.pk,
        "rule_id": rule.pk,
        "due_on": (today + datetime.timedelta(days=10)).isoformat(),
    }
