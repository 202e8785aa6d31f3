"""The question loader: every validation failure named, and applying questions in place."""

import copy
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from learning.content import CurriculumError
from quizzes.loader import (
    apply_questions,
    validate_questions,
)
from quizzes.models import Option, Question
from tests.factories import (
    QuizModuleFactory,
)

CURRICULUM = Path(__file__).resolve().parents[2] / "learning" / "curriculum"
PRINCIPLES = {"interrupting-bias", "active-listening", "amplifying-voices"}
SOURCE = "scenarios/practice-scenario.yaml"


def _questions() -> list[dict]:
    return [
        {
            "slug": "practice-kc-1",
            "kind": "single",
            "prompt": "What helps most?",
            "explanation": "Because **it helps**.",
            "options": [
                {"text": "The right thing", "correct": True},
                {"text": "A wrong thing"},
                {"text": "Another wrong thing"},
            ],
        },
        {
            "slug": "practice-kc-2",
            "kind": "multiple",
            "prompt": "Which of these help?",
            "explanation": "Two of them help.",
            "options": [
                {"text": "Helps", "correct": True},
                {"text": "Also helps", "correct": True},
                {"text": "Does not help", "correct": False},
                {"text": "Harms"},
            ],
        },
    ]


ENTRY_1 = 'module practice knowledge_check question "practice-kc-1"'
ENTRY_2 = 'module practice knowledge_check question "practice-kc-2"'


def _rejects_questions(items, entry: str, problem: str, purpose: str = "check") -> None:
    with pytest.raises(CurriculumError) as caught:
        validate_questions(
            items, "modules/practice.yaml", "module practice knowledge_check", purpose
        )
    assert caught.value.source == "modules/practice.yaml"
    assert caught.value.entry == entry, str(caught.value)
    assert problem in caught.value.problem, str(caught.value)


def _assessment(form: str = "pre") -> list[dict]:
    return [{**question, "form": form} for question in _questions()]


def test_valid_questions_pass():
    validate_questions(_questions(), "modules/practice.yaml", "module practice", "check")
    validate_questions(_assessment("pre"), "modules/practice.yaml", "module practice", "assessment")
    validate_questions(
        _assessment("post"), "modules/practice.yaml", "module practice", "assessment"
    )


def test_an_assessment_question_without_a_parallel_form_is_rejected():
    _rejects_questions(_questions(), ENTRY_1, "needs 'form', one of pre, post", "assessment")


def test_an_assessment_question_with_an_unknown_form_is_rejected():
    _rejects_questions(_assessment("both"), ENTRY_1, "needs 'form'", "assessment")


def test_a_knowledge_check_question_with_a_form_is_rejected():
    _rejects_questions(_assessment("pre"), ENTRY_1, "only an assessment question has a 'form'")


def test_an_application_marker_that_is_not_true_or_false_is_rejected():
    items = _questions()
    items[0]["application"] = "yes"
    _rejects_questions(items, ENTRY_1, "'application' must be true or false")


def test_questions_that_are_not_a_list_are_rejected():
    _rejects_questions({"slug": "x"}, "module practice knowledge_check", "must be a list")


def test_an_unknown_purpose_is_rejected():
    _rejects_questions(_questions(), "module practice knowledge_check", "purpose", purpose="quiz")


@pytest.mark.parametrize("field", ["kind", "prompt", "explanation"])
def test_a_question_without_a_required_field_is_rejected(field):
    items = _questions()
    del items[0][field]
    _rejects_questions(items, ENTRY_1, f"is missing '{field}'")


def test_a_question_without_a_slug_is_named_by_its_position():
    items = _questions()
    del items[1]["slug"]
    _rejects_questions(items, "module practice knowledge_check question #2", "missing 'slug'")


def test_a_question_slug_in_the_wrong_format_is_rejected():
    items = _questions()
    items[0]["slug"] = "KC 1"
    _rejects_questions(items, 'module practice knowledge_check question "KC 1"', "lowercase")


def test_two_questions_with_one_slug_are_rejected():
    items = _questions()
    items[1]["slug"] = "practice-kc-1"
    _rejects_questions(items, ENTRY_1, "slug is used twice")


def test_an_unknown_kind_is_rejected():
    items = _questions()
    items[0]["kind"] = "essay"
    _rejects_questions(items, ENTRY_1, "kind 'essay' must be one of single, multiple")


def test_a_question_with_two_options_is_rejected():
    items = _questions()
    items[0]["options"].pop()
    _rejects_questions(items, ENTRY_1, "has 2 options; it needs 3 to 5")


def test_a_question_with_six_options_is_rejected():
    items = _questions()
    items[1]["options"] += [{"text": "More"}, {"text": "Even more"}]
    _rejects_questions(items, ENTRY_2, "has 6 options; it needs 3 to 5")


def test_an_option_without_text_is_rejected():
    items = _questions()
    items[0]["options"][2] = {"correct": False}
    _rejects_questions(items, f"{ENTRY_1} option 3", "is missing 'text'")


def test_an_option_whose_correct_flag_is_not_true_or_false_is_rejected():
    items = _questions()
    items[0]["options"][1]["correct"] = "no"
    _rejects_questions(items, f"{ENTRY_1} option 2", "'correct' must be true or false")


@pytest.mark.parametrize("correct", [0, 2])
def test_a_single_choice_question_needs_exactly_one_correct_option(correct):
    items = _questions()
    for number, option in enumerate(items[0]["options"]):
        option["correct"] = number < correct
    _rejects_questions(items, ENTRY_1, f"needs exactly 1 correct option, not {correct}")


def test_a_multiple_choice_question_needs_two_correct_options():
    items = _questions()
    items[1]["options"][1]["correct"] = False
    _rejects_questions(items, ENTRY_2, "needs at least 2 correct options, not 1")


def test_a_multiple_choice_question_needs_a_wrong_option():
    items = _questions()
    for option in items[1]["options"]:
        option["correct"] = True
    _rejects_questions(items, ENTRY_2, "needs at least 1 wrong option")


@pytest.mark.django_db
def test_applying_questions_is_idempotent_and_keeps_option_ids_stable():
    module = QuizModuleFactory()
    principle = module.principle
    items = _questions()
    first = apply_questions(items, module, principle, "check")
    assert [q.slug for q in first] == ["practice-kc-1", "practice-kc-2"]
    assert first[0].explanation_html == "<p>Because <strong>it helps</strong>.</p>"
    option_ids = list(
        Option.objects.order_by("question__order", "order").values_list("pk", flat=True)
    )
    with CaptureQueriesContext(connection) as context:
        apply_questions(copy.deepcopy(items), module, principle, "check")
    assert not [q for q in context.captured_queries if not q["sql"].startswith("SELECT")]

    items[0]["options"][0]["text"] = "The right thing, reworded"
    items[1]["options"].pop()
    apply_questions(items, module, principle, "check")
    kept = list(Option.objects.order_by("question__order", "order").values_list("pk", flat=True))
    assert kept == option_ids[:-1]
    assert Option.objects.get(pk=option_ids[0]).text == "The right thing, reworded"


@pytest.mark.django_db
def test_questions_no_longer_listed_are_retired_not_deleted():
    module = QuizModuleFactory()
    items = _questions()
    apply_questions(items, module, module.principle, "check")
    apply_questions(items[:1], module, module.principle, "check")
    assert Question.objects.get(slug="practice-kc-2").retired
    assert not Question.objects.get(slug="practice-kc-1").retired
    apply_questions(items, module, module.principle, "check")
    assert not Question.objects.get(slug="practice-kc-2").retired


@pytest.mark.django_db
def test_assessment_questions_do_not_retire_the_knowledge_check():
    module = QuizModuleFactory()
    apply_questions(_questions()[:1], module, module.principle, "check")
    apply_questions(
        [{**_questions()[1], "slug": "practice-as-1"}], module, module.principle, "assessment"
    )
    assert Question.objects.filter(module=module, retired=False).count() == 2
