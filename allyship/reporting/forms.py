"""Forms for the HR and manager pages: report filters, scenario choice, assignments."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from allyship.models import Department, User
from allyship.reporting import reports
from learning.models import AssignmentScope, Course
from quizzes.models import Scenario

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_PEOPLE = 2000


class _ManagerEmailField(forms.EmailField):
    """An email address that names someone in the organisation; cleans to that person."""

    def clean(self, value):
        email = super().clean(value)
        if not email:
            return None
        person = User.objects.filter(email__iexact=email).first()
        if person is None:
            raise ValidationError(f"Nobody with the email {email} is in the organisation.")
        return person


class ReportFilterForm(forms.Form):
    """Filters shared by the HR pages. Invalid values are reported and otherwise ignored."""

    q = forms.CharField(
        label="Name or email",
        required=False,
        max_length=100,
        help_text="Words that start with what you type: “sam riv” finds Sam Rivera.",
    )
    department = forms.ModelChoiceField(
        queryset=Department.objects.order_by("name"),
        required=False,
        empty_label="All departments",
    )
    course = forms.ModelChoiceField(
        queryset=Course.objects.filter(retired=False).order_by("order", "title"),
        required=False,
        empty_label="All courses",
    )
    manager = _ManagerEmailField(
        label="Manager's email",
        required=False,
        help_text="Everyone below this person, at any depth.",
    )
    overdue = forms.BooleanField(label="Only people with an overdue course", required=False)

    def __init__(self, *args, fields: tuple[str, ...] = (), **kwargs):
        super().__init__(*args, **kwargs)
        for name in list(self.fields):
            if fields and name not in fields:
                del self.fields[name]
        if "q" in self.fields:
            self.fields["q"].widget.input_type = "search"

    def value(self, name: str):
        """The cleaned value of a field, or None when it is absent or invalid."""
        if not self.is_bound:
            return None
        self.is_valid()
        return self.cleaned_data.get(name) if name not in self.errors else None

    def filters(self, **extra) -> reports.Filters:
        department = self.value("department") if "department" in self.fields else None
        course = self.value("course") if "course" in self.fields else None
        manager = self.value("manager") if "manager" in self.fields else None
        return reports.Filters(
            department_id=department.pk if department else None,
            course_id=course.pk if course else None,
            team_of=manager.pk if manager else None,
            query=(self.value("q") or "").strip() if "q" in self.fields else "",
            overdue_only=bool(self.value("overdue")) if "overdue" in self.fields else False,
            **extra,
        )


class ScenarioChoiceForm(forms.Form):
    scenario = forms.ModelChoiceField(
        label="Scenario",
        queryset=Scenario.objects.filter(retired=False).order_by("order", "title"),
        required=False,
        empty_label=None,
    )

    def chosen(self) -> Scenario | None:
        """The scenario asked for, or the first one."""
        if self.is_bound and self.is_valid() and self.cleaned_data.get("scenario"):
            return self.cleaned_data["scenario"]
        return self.fields["scenario"].queryset.first()


def _emails(text: str) -> list[str]:
    return [item.lower() for item in re.split(r"[\s,;]+", text or "") if item]


class AssignmentForm(forms.Form):
    course = forms.ModelChoiceField(
        queryset=Course.objects.filter(retired=False).order_by("order", "title"),
        empty_label="Choose a course",
    )
    scope = forms.ChoiceField(
        label="Who is it for?",
        choices=AssignmentScope.choices,
        initial=AssignmentScope.DEPARTMENT,
        widget=forms.RadioSelect,
    )
    people = forms.CharField(
        label="Email addresses",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For chosen people: one or more email addresses, one per line or "
        "separated by commas.",
    )
    department = forms.ModelChoiceField(
        queryset=Department.objects.order_by("name"),
        required=False,
        empty_label="Choose a department",
        help_text="For a department: its members now, and anyone who joins it later.",
    )
    team_manager = _ManagerEmailField(
        label="Manager's email",
        required=False,
        help_text="For a manager's team: everyone below them now, and anyone who joins later.",
    )
    due_on = forms.DateField(label="Due date", widget=DATE_INPUT)

    def clean_people(self) -> list[User]:
        emails = _emails(self.cleaned_data.get("people", ""))
        if self.data.get("scope") != AssignmentScope.PEOPLE:
            return []
        if len(emails) > MAX_PEOPLE:
            raise ValidationError(
                f"Choose at most {MAX_PEOPLE:,} people at once, or assign a group instead."
            )
        invalid = []
        for email in emails:
            try:
                validate_email(email)
            except ValidationError:
                invalid.append(email)
        if invalid:
            raise ValidationError("These are not email addresses: " + ", ".join(invalid))
        found: dict[str, User] = {}
        for start in range(0, len(emails), 900):
            chunk = emails[start : start + 900]
            found.update(
                {user.email.lower(): user for user in User.objects.filter(email__in=chunk)}
            )
        unknown = [email for email in emails if email not in found]
        if unknown:
            raise ValidationError("Nobody has these email addresses: " + ", ".join(unknown))
        return list({user.pk: user for user in found.values()}.values())


class DueDateForm(forms.Form):
    due_on = forms.DateField(label="New due date", widget=DATE_INPUT)
