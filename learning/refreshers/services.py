"""Writes for refreshers: schedule a finished module's items, record an answer, pause.

Every function runs in one transaction. The schedule itself comes from FSRS
(scheduling.py); the database guarantees one card per learner and item and one answer
per card and position, so retries, double clicks and two tabs never count twice.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from learning.models import Module
from learning.refreshers import scheduling
from learning.refreshers.models import RefresherCard, RefresherPause, RefresherReview
from quizzes.models import (
    Answer,
    AnswerContext,
    Choice,
    Question,
    QuestionKind,
    QuestionPurpose,
    Rating,
    Step,
)
from quizzes.models import Response as StepResponse
from quizzes.scoring import answer_score

# How many moments of a module's scenario come back (from its strongest path).
SCENARIO_MOMENTS = 2
# A refresher never comes back sooner than this after the module is finished.
FIRST_GAP = datetime.timedelta(days=1)

PAUSED = "Refreshers are paused. Resume them on the refreshers page to answer this one."
NOT_DUE = "This refresher is not due yet: it comes back on {day:%-d %B}."
NOT_AN_OPTION = "Choose one of the answers shown."


def _moments(module: Module) -> list[Step]:
    """The first steps of the module's scenario on its strongest path (not endings)."""
    scenario = module.scenario
    if scenario is None or scenario.retired:
        return []
    steps = {
        step.slug: step
        for step in Step.objects.filter(scenario=scenario, retired=False, is_ending=False)
    }
    path = [steps[slug] for slug in scenario.strongest_path if slug in steps]
    return path[:SCENARIO_MOMENTS]


def _first_review(card: RefresherCard, *, correct: bool, partly: bool, selected, when) -> None:
    """Count the learner's first try (in the module) as the card's first FSRS review."""
    rating = scheduling.rating_for(correct=correct, partly=partly)
    scheduling.store(card, scheduling.review(card, rating, when))
    card.reviews = 1
    card.lapses = int(rating == scheduling.Rating.Again)
    card.save()
    RefresherReview.objects.create(
        card=card,
        user_id=card.user_id,
        principle_id=card.principle_id,
        number=1,
        rating=int(rating),
        correct=correct,
        selected=selected,
        reviewed_at=when,
        days_since_first=0,
        next_due=card.due,
    )


def refreshers_schedule(*, module: Module, acting_user) -> int:
    """Create the learner's refresher cards for a finished module; returns how many are new.

    Side effects: a RefresherCard per live knowledge-check question and per scenario moment,
    once each (constraints); where the learner already answered it in the module, that first
    try is stored as the card's first review, so FSRS sets the first refresher's day.
    """
    now = timezone.now()
    questions = list(
        Question.objects.filter(module=module, purpose=QuestionPurpose.CHECK, retired=False)
        .select_related("principle")
        .prefetch_related("options")
    )
    answers = {
        answer.question_id: answer
        for answer in Answer.objects.filter(
            user=acting_user, context=AnswerContext.MODULE, question__in=questions
        )
    }
    moments = _moments(module)
    first_choices = {
        choice.step_id: choice
        for choice in Choice.objects.filter(
            attempt__user=acting_user, attempt__number=1, step__in=moments
        ).select_related("response")
    }
    created = 0
    with transaction.atomic():
        items = [("question", q, q.principle_id) for q in questions] + [
            ("scenario_step", s, module.scenario.principle_id) for s in moments
        ]
        for field, item, principle_id in items:
            try:
                with transaction.atomic():
                    card = RefresherCard.objects.create(
                        user=acting_user,
                        module=module,
                        principle_id=principle_id,
                        **{field: item},
                        due=now + FIRST_GAP,
                    )
            except IntegrityError:
                continue  # scheduled before: nothing is scheduled twice
            created += 1
            if field == "question" and item.pk in answers:
                answer = answers[item.pk]
                _first_review(
                    card,
                    correct=answer.is_correct,
                    partly=answer.score > 0,
                    selected=answer.selected,
                    when=answer.answered_at,
                )
            elif field == "scenario_step" and item.pk in first_choices:
                choice = first_choices[item.pk]
                _first_review(
                    card,
                    correct=choice.response.rating == Rating.STRONG,
                    partly=choice.response.rating == Rating.PARTIAL,
                    selected=[choice.response_id],
                    when=choice.made_at,
                )
            if card.due < now + FIRST_GAP:
                # However the first try went, the first refresher waits a day at least.
                card.due = now + FIRST_GAP
                card.save(update_fields=["due"])
                RefresherReview.objects.filter(card=card).update(next_due=card.due)
    return created


@dataclass(frozen=True)
class RefresherOutcome:
    review: RefresherReview
    # False when this position had already been answered (double submit, two tabs).
    recorded: bool


def _score_question(question: Question, selected: list[int]) -> tuple[bool, bool]:
    options = {option.pk for option in question.options.all()}
    chosen = set(selected)
    if not chosen or not chosen <= options:
        raise ValidationError({"selected": NOT_AN_OPTION})
    if question.kind == QuestionKind.SINGLE and len(chosen) != 1:
        raise ValidationError({"selected": "Choose exactly one answer."})
    score, exact = answer_score(question, chosen)
    return exact, score > 0


def _score_moment(step: Step, selected: list[int]) -> tuple[bool, bool]:
    if len(selected) != 1:
        raise ValidationError({"selected": "Choose one response."})
    response = StepResponse.objects.filter(pk=selected[0], step=step, retired=False).first()
    if response is None:
        raise ValidationError({"selected": NOT_AN_OPTION})
    return response.rating == Rating.STRONG, response.rating == Rating.PARTIAL


def refresher_answer(
    *, card: RefresherCard, number: int, selected: list[int], acting_user
) -> RefresherOutcome:
    """Record the learner's answer to a due refresher and reschedule it with FSRS.

    `number` is the answer's position (the card's reviews + 1 when the form was shown): a
    replay of an answered position records nothing and returns the first answer. Side
    effects: one RefresherReview; the card's FSRS state, due date and counts.
    """
    with transaction.atomic():
        if RefresherPause.objects.filter(user=acting_user).exists():
            raise ValidationError(PAUSED)
        locked = (
            RefresherCard.objects.select_for_update(of=("self",))
            .filter(pk=card.pk, user=acting_user)
            .select_related("question", "scenario_step")
            .first()
        )
        if locked is None:
            raise RefresherCard.DoesNotExist("No such refresher.")
        if number <= locked.reviews:
            earlier = RefresherReview.objects.filter(card=locked, number=number).first()
            if earlier is not None:
                return RefresherOutcome(earlier, recorded=False)
        if number != locked.reviews + 1:
            raise ValidationError("That answer was for another version of this refresher.")
        now = timezone.now()
        if locked.due > now:
            raise ValidationError(NOT_DUE.format(day=timezone.localtime(locked.due)))
        if locked.question_id:
            question = Question.objects.prefetch_related("options").get(pk=locked.question_id)
            correct, partly = _score_question(question, selected)
        else:
            correct, partly = _score_moment(locked.scenario_step, selected)
        rating = scheduling.rating_for(correct=correct, partly=partly)
        scheduling.store(locked, scheduling.review(locked, rating, now))
        locked.reviews += 1
        locked.lapses += int(rating == scheduling.Rating.Again)
        locked.save()
        first = (
            RefresherReview.objects.filter(card=locked, number=1)
            .values_list("reviewed_at", flat=True)
            .first()
        )
        try:
            with transaction.atomic():
                review = RefresherReview.objects.create(
                    card=locked,
                    user=acting_user,
                    principle_id=locked.principle_id,
                    number=locked.reviews,
                    rating=int(rating),
                    correct=correct,
                    selected=sorted(selected),
                    reviewed_at=now,
                    days_since_first=(now - first).days if first else 0,
                    next_due=locked.due,
                )
        except IntegrityError as exc:  # pragma: no cover - the row lock makes this a replay
            raise ValidationError("This refresher was answered already.") from exc
    return RefresherOutcome(review, recorded=True)


def refreshers_pause(*, acting_user) -> RefresherPause:
    """Pause the learner's refreshers (idempotent): none offered or emailed until resumed."""
    with transaction.atomic():
        pause, _ = RefresherPause.objects.get_or_create(user=acting_user)
    return pause


def refreshers_resume(*, acting_user) -> None:
    """Resume refreshers; anything that fell due meanwhile is due now (FSRS counts the gap)."""
    with transaction.atomic():
        RefresherPause.objects.filter(user=acting_user).delete()
