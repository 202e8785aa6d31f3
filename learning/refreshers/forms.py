"""The form for one refresher: radios for one answer, checkboxes for several."""

from django import forms

from learning.refreshers.models import RefresherCard
from quizzes.models import QuestionKind

NUMBER_MAX = 100_000


class RefresherAnswerForm(forms.Form):
    number = forms.IntegerField(min_value=1, max_value=NUMBER_MAX, widget=forms.HiddenInput)

    def __init__(self, card: RefresherCard, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.card = card
        if card.question_id:
            question = card.question
            choices = [(option.pk, option.text) for option in question.options.all()]
            several = question.kind == QuestionKind.MULTIPLE
            label = question.prompt
        else:
            choices = [(r.pk, r.text) for r in card.scenario_step.responses.all()]
            several = False
            label = "What do you do?"
        errors = {
            "required": "Choose an answer first.",
            "invalid_choice": "Choose one of the answers shown.",
        }
        if several:
            field: forms.Field = forms.TypedMultipleChoiceField(
                choices=choices,
                coerce=int,
                widget=forms.CheckboxSelectMultiple,
                error_messages=errors,
            )
            field.hint = "Choose all that apply."
        else:
            field = forms.TypedChoiceField(
                choices=choices, coerce=int, widget=forms.RadioSelect, error_messages=errors
            )
            field.hint = "Choose one."
        field.label = label
        self.fields["selected"] = field
        self.initial.setdefault("number", card.reviews + 1)

    def clean(self):
        data = super().clean()
        if "number" in self.errors:  # a hidden field: its error would show nowhere
            self.add_error(None, "This refresher page is out of date: reload it and answer again.")
        return data

    def selection(self) -> list[int]:
        value = self.cleaned_data["selected"]
        return value if isinstance(value, list) else [value]
