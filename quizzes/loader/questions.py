"""Knowledge-check and course-test questions: validate a list, then write it in place."""

from learning.content import CurriculumError, render_markdown, slug_field
from learning.models import Module, Principle
from quizzes.loader.checks import (
    OPTIONS_RANGE,
    entry_list,
    flag_field,
    required_text,
    sync,
)
from quizzes.models import (
    Option,
    Question,
    QuestionForm,
    QuestionKind,
    QuestionPurpose,
)


def validate_questions(items: list, source: str, entry_prefix: str, purpose: str) -> None:
    """Check a list of knowledge-check or assessment questions; raises CurriculumError."""
    if purpose not in QuestionPurpose.values:
        raise CurriculumError(source, entry_prefix, f"unknown question purpose '{purpose}'")
    questions = entry_list(items, "questions", source, entry_prefix)
    seen: set[str] = set()
    for index, item in enumerate(questions, start=1):
        entry = (
            f'{entry_prefix} question "{item.get("slug")}"'
            if item.get("slug")
            else f"{entry_prefix} question #{index}"
        )
        slug = slug_field(item, source, entry)
        if slug in seen:
            raise CurriculumError(source, entry, "slug is used twice")
        seen.add(slug)
        kind = required_text(item, "kind", source, entry)
        if kind not in QuestionKind.values:
            raise CurriculumError(
                source, entry, f"kind '{kind}' must be one of {', '.join(QuestionKind.values)}"
            )
        required_text(item, "prompt", source, entry)
        required_text(item, "explanation", source, entry)
        flag_field(item, "application", source, entry)
        form = item.get("form")
        if purpose == QuestionPurpose.ASSESSMENT and form not in QuestionForm.values:
            raise CurriculumError(
                source,
                entry,
                f"an assessment question needs 'form', one of {', '.join(QuestionForm.values)} "
                "(the parallel pre- and post-test forms)",
            )
        if purpose != QuestionPurpose.ASSESSMENT and form is not None:
            raise CurriculumError(source, entry, "only an assessment question has a 'form'")
        options = entry_list(item.get("options"), "options", source, entry)
        low, high = OPTIONS_RANGE
        if not low <= len(options) <= high:
            raise CurriculumError(
                source, entry, f"has {len(options)} options; it needs {low} to {high}"
            )
        for number, option in enumerate(options, start=1):
            option_entry = f"{entry} option {number}"
            text = required_text(option, "text", source, option_entry)
            if len(text) > 400:
                raise CurriculumError(source, option_entry, "text is longer than 400 characters")
            flag_field(option, "correct", source, option_entry)
        correct = sum(1 for option in options if option.get("correct"))
        if kind == QuestionKind.SINGLE and correct != 1:
            raise CurriculumError(
                source,
                entry,
                f"a single-choice question needs exactly 1 correct option, not {correct}",
            )
        if kind == QuestionKind.MULTIPLE and correct < 2:
            raise CurriculumError(
                source,
                entry,
                f"a multiple-choice question needs at least 2 correct options, not {correct}",
            )
        if kind == QuestionKind.MULTIPLE and correct == len(options):
            raise CurriculumError(
                source, entry, "a multiple-choice question needs at least 1 wrong option"
            )


def apply_questions(
    items: list, module: Module, principle: Principle, purpose: str
) -> list[Question]:
    """Create or update validated questions in place, keyed by their global slugs; idempotent.

    Options are updated by position, so their ids (stored in learners' answers) stay
    stable. Questions of this module and purpose no longer listed are retired.
    """
    existing = {q.slug: q for q in Question.objects.filter(slug__in=[i["slug"] for i in items])}
    questions = []
    for position, item in enumerate(items):
        question = existing.get(item["slug"]) or Question(slug=item["slug"])
        sync(
            question,
            module=module,
            principle=principle,
            purpose=purpose,
            kind=item["kind"],
            prompt=item["prompt"],
            explanation=item["explanation"],
            explanation_html=render_markdown(item["explanation"]),
            form=item.get("form", "") if purpose == QuestionPurpose.ASSESSMENT else "",
            application=bool(item.get("application", False)),
            order=position,
            retired=False,
        )
        options = {option.order: option for option in question.options.all()}
        for number, entry in enumerate(item["options"]):
            option = options.pop(number, None) or Option(question=question, order=number)
            sync(option, text=entry["text"], is_correct=bool(entry.get("correct", False)))
        if options:
            Option.objects.filter(pk__in=[option.pk for option in options.values()]).delete()
        questions.append(question)
    stale = Question.objects.filter(module=module, purpose=purpose, retired=False).exclude(
        pk__in=[question.pk for question in questions]
    )
    if stale_ids := list(stale.values_list("pk", flat=True)):
        Question.objects.filter(pk__in=stale_ids).update(retired=True)
    return questions
