"""Forms for a scenario step and for a set of questions; they parse, the services score."""

from collections.abc import Iterable, Mapping

from django import forms

from allyship.converters import MAX_ID
from quizzes.models import Question, QuestionKind


class ChoiceForm(forms.Form):
    """A response to one scenario step. Both ids are checked against the attempt by the service."""

    step = forms.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        widget=forms.HiddenInput,
        error_messages={
            "invalid": "This step is not part of the scenario: reload the page.",
            "min_value": "This step is not part of the scenario: reload the page.",
            "max_value": "This step is not part of the scenario: reload the page.",
        },
    )
    response = forms.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        error_messages={
            "required": "Choose one of the responses first.",
            "invalid": "Choose one of the responses shown.",
            "min_value": "Choose one of the responses shown.",
            "max_value": "Choose one of the responses shown.",
        },
    )


def question_field_name(question: Question) -> str:
    return f"question-{question.pk}"


class AnswersForm(forms.Form):
    """One field per question: radios for single choice, checkboxes for multiple choice."""

    def __init__(
        self,
        questions: Iterable[Question],
        *args,
        orders: Mapping[int, list[int]] | None = None,
        **kwargs,
    ):
        """`orders`: option ids per question id, in the order to show them (shuffled per
        learner and attempt); without it, the written order."""
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for number, question in enumerate(self.questions, start=1):
            options = {option.pk: option for option in question.options.all()}
            order = [pk for pk in (orders or {}).get(question.pk, []) if pk in options]
            order += [pk for pk in options if pk not in order]
            choices = [(pk, options[pk].text) for pk in order]
            if question.kind == QuestionKind.SINGLE:
                field: forms.Field = forms.TypedChoiceField(
                    choices=choices,
                    coerce=int,
                    widget=forms.RadioSelect,
                    error_messages={
                        "required": "Choose an answer to this question.",
                        "invalid_choice": "Choose one of the options shown.",
                    },
                )
                field.hint = "Choose one."
            else:
                field = forms.TypedMultipleChoiceField(
                    choices=choices,
                    coerce=int,
                    widget=forms.CheckboxSelectMultiple,
                    error_messages={
                        "required": "Choose at least one answer to this question.",
                        "invalid_choice": "Choose only from the options shown.",
                    },
                )
                field.hint = "Choose all that apply."
            field.label = question.prompt
            field.number = number
            self.fields[question_field_name(question)] = field

    def selections(self) -> dict[int, list[int]]:
        """The chosen option ids by question id (call after is_valid)."""
        chosen = {}
        for question in self.questions:
            value = self.cleaned_data[question_field_name(question)]
            chosen[question.pk] = value if isinstance(value, list) else [value]
        return chosen
