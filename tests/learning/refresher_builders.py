"""Refresher cards built through the real services, for tests that need some due."""

import datetime

from django.utils import timezone

from learning.refreshers import services
from learning.refreshers.models import RefresherCard
from quizzes.models import Answer, AnswerContext
from tests.factories import QuestionFactory, QuizModuleFactory


def module_with_questions(count: int = 2, **module_fields):
    module = QuizModuleFactory(**module_fields)
    questions = [QuestionFactory(module=module) for _ in range(count)]
    return module, questions


def answer_first_try(user, question, *, correct: bool, days_ago: int = 0) -> Answer:
    """The learner's knowledge-check answer in the module (their first try)."""
    option = question.options.filter(is_correct=correct).order_by("order").first()
    return Answer.objects.create(
        user=user,
        question=question,
        context=AnswerContext.MODULE,
        selected=[option.pk],
        is_correct=correct,
        score=1.0 if correct else 0.0,
        answered_at=timezone.now() - datetime.timedelta(days=days_ago),
    )


def make_due(card: RefresherCard, days_ago: int = 0) -> RefresherCard:
    """Let time pass until the card is due (`days_ago` days overdue)."""
    RefresherCard.objects.filter(pk=card.pk).update(
        due=timezone.now() - datetime.timedelta(days=days_ago, seconds=1)
    )
    card.refresh_from_db()
    return card


def refresher_due(user, questions: int = 1):
    """A finished module's refresher for `user`, due now, and the first-try review it holds."""
    module, items = module_with_questions(questions)
    for question in items:
        answer_first_try(user, question, correct=True, days_ago=3)
    services.refreshers_schedule(module=module, acting_user=user)
    card = RefresherCard.objects.filter(user=user, module=module).order_by("id").first()
    make_due(card)
    return card, card.history.get(number=1)


def all_due(user) -> None:
    """Let time pass until every one of the learner's refreshers is due."""
    RefresherCard.objects.filter(user=user).update(
        due=timezone.now() - datetime.timedelta(seconds=1)
    )
