import datetime

from django import forms
from django.utils import timezone

from learning.models import (
    COMMITMENT_MAX,
    NOTE_MAX,
    REFLECTION_MAX,
    SITUATION_MAX,
    CheckInOutcome,
    CommitmentStatus,
)
from learning.services import CHECK_IN_MAX_DAYS, validate_check_in_date

OWN = "own"


class DateInput(forms.DateInput):
    """A native date picker; it needs ISO dates whatever the locale's display format."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class CommitmentForm(forms.Form):
    """An if-then plan: the situation ("When ..."), the action ("I will ..."), a date."""

    situation = forms.CharField(
        label="When…",
        required=False,
        max_length=SITUATION_MAX,
        help_text="The moment you will act in, as specific as you can: "
        "“the next time someone is talked over in our stand-up”. "
        "Leave it empty to use the one that comes with a suggested action.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    choice = forms.ChoiceField(
        label="I will…",
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
        help_text=f"A date from tomorrow up to {CHECK_IN_MAX_DAYS} days ahead. "
        "You can check in from that day on.",
        error_messages={"required": "Choose a check-in date.", "invalid": "Enter a real date."},
    )
    private_note = forms.CharField(
        label="A private note",
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Why this matters to you, or who you have in mind. Only you can read it.",
    )

    def __init__(self, *args, suggestions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.suggestions = {str(s.pk): s for s in suggestions}
        self.fields["choice"].choices = [
            (str(s.pk), f"{s.text} (when {s.situation})" if s.situation else s.text)
            for s in suggestions
        ] + [(OWN, "I will write my own action")]
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
        suggestion = self.suggestions.get(data.get("choice") or "")
        has_situation = (data.get("situation") or "").strip() or (
            suggestion is not None and suggestion.situation
        )
        if "situation" not in self.errors and not has_situation:
            self.add_error(
                "situation", "Say when you will do it: the situation that will be your cue."
            )
        return data

    @property
    def suggestion(self):
        return self.suggestions.get(self.cleaned_data.get("choice"))


YES, NO = "yes", "no"


class CheckInForm(forms.Form):
    """Did the situation come up, what did you do, how did it go."""

    arose = forms.ChoiceField(
        label="Did the situation come up?",
        widget=forms.RadioSelect,
        choices=[(YES, "Yes, it came up"), (NO, "No, it didn't come up")],
        error_messages={"required": "Say whether the situation came up."},
    )
    status = forms.ChoiceField(
        label="What did you do?",
        required=False,
        widget=forms.RadioSelect,
        choices=[
            (CommitmentStatus.DONE, "I did what I planned"),
            (CommitmentStatus.PARTLY, "I did part of it, or something close"),
            (CommitmentStatus.NOT_YET, "I didn't act this time"),
        ],
    )
    went = forms.ChoiceField(
        label="How did it go?",
        required=False,
        widget=forms.RadioSelect,
        choices=CheckInOutcome.choices,
    )
    note = forms.CharField(
        label="What happened",
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What you did and what you learned. Only you can read it.",
    )
    new_check_in_on = forms.DateField(
        label="New check-in date (if it didn't come up)",
        required=False,
        widget=DateInput(),
        help_text="A plan that didn't come up stays open for one more window. "
        "Leave empty for a window as long as the first.",
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

    def clean(self):
        data = super().clean()
        if data.get("arose") == YES and not data.get("status"):
            self.add_error("status", "Choose what you did.")
        return data

    @property
    def situation_arose(self) -> bool:
        return self.cleaned_data.get("arose") == YES


class ReflectionForm(forms.Form):
    text = forms.CharField(
        label="Your reflection",
        max_length=REFLECTION_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Private: only you can ever read this. Not your manager, not HR.",
        error_messages={"required": "Write something, or delete the reflection instead."},
    )
