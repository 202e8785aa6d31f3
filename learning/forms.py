import datetime

from django import forms
from django.utils import timezone

from learning.models import COMMITMENT_MAX, REFLECTION_MAX, CommitmentStatus
from learning.services import CHECK_IN_MAX_DAYS, validate_check_in_date

OWN = "own"


class DateInput(forms.DateInput):
    """A native date picker; it needs ISO dates whatever the locale's display format."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class CommitmentForm(forms.Form):
    choice = forms.ChoiceField(
        label="Choose an action",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Pick a suggested action or choose to write your own.",
            "invalid_choice": "That action is not one of this module's.",
        },
    )
    text = forms.CharField(
        label="Your own action",
        required=False,
        max_length=COMMITMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only if you chose to write your own. Make it specific and doable.",
    )
    check_in_on = forms.DateField(
        label="When should we ask how it went?",
        widget=DateInput(),
        help_text=f"A date from tomorrow up to {CHECK_IN_MAX_DAYS} days ahead.",
        error_messages={"required": "Choose a check-in date.", "invalid": "Enter a real date."},
    )

    def __init__(self, *args, suggestions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.suggestions = {str(s.pk): s for s in suggestions}
        self.fields["choice"].choices = [(str(s.pk), s.text) for s in suggestions] + [
            (OWN, "I will write my own action")
        ]
        today = timezone.localdate()
        self.fields["check_in_on"].widget.attrs.update(
            {
                "min": (today + datetime.timedelta(days=1)).isoformat(),
                "max": (today + datetime.timedelta(days=CHECK_IN_MAX_DAYS)).isoformat(),
            }
        )
        if not self.is_bound:
            self.initial.setdefault("check_in_on", today + datetime.timedelta(days=14))

    def clean_check_in_on(self):
        try:
            return validate_check_in_date(self.cleaned_data.get("check_in_on"))
        except forms.ValidationError as error:
            raise forms.ValidationError(error.message_dict["check_in_on"]) from error

    def clean(self):
        data = super().clean()
        if data.get("choice") == OWN and not (data.get("text") or "").strip():
            self.add_error("text", "Write your own action, or pick a suggested one.")
        return data

    @property
    def suggestion(self):
        return self.suggestions.get(self.cleaned_data.get("choice"))


class CheckInForm(forms.Form):
    status = forms.ChoiceField(
        label="How did it go?",
        widget=forms.RadioSelect,
        choices=[
            (CommitmentStatus.DONE, "Done"),
            (CommitmentStatus.PARTLY, "Partly"),
            (CommitmentStatus.NOT_YET, "Not yet"),
        ],
        error_messages={"required": "Choose done, partly or not yet."},
    )
    note = forms.CharField(
        label="A note for yourself",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What happened, what you learned. Only you can read it.",
    )
    new_check_in_on = forms.DateField(
        label="New check-in date (for “not yet”)",
        required=False,
        widget=DateInput(),
        help_text="You can reschedule a “not yet” once. Leave empty to close it as not done.",
        error_messages={"invalid": "Enter a real date."},
    )

    def clean_new_check_in_on(self):
        day = self.cleaned_data.get("new_check_in_on")
        if day is None:
            return None
        try:
            return validate_check_in_date(day)
        except forms.ValidationError as error:
            raise forms.ValidationError(error.message_dict["check_in_on"]) from error


class ReflectionForm(forms.Form):
    text = forms.CharField(
        label="Your reflection",
        max_length=REFLECTION_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Private: only you can ever read this. Not your manager, not HR.",
        error_messages={"required": "Write something, or delete the reflection instead."},
    )
