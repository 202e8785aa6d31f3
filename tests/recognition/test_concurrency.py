"""PostgreSQL only: concurrent requests never pay XP twice or award a badge twice."""

import pytest
from django.db.models import Sum
from django.test import Client
from django.urls import reverse

from learning import services
from learning.models import BadgeAward, LearnerStats, LessonCompletion, XpEvent
from tests.factories import UserFactory
from tests.learning.builders import build_module
from tests.threads import THREADS, together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _assert_ledger_matches(user) -> None:
    total = XpEvent.objects.filter(user=user).aggregate(total=Sum("amount"))["total"]
    assert LearnerStats.objects.get(user=user).xp_total == total


def test_concurrent_requests_completing_one_lesson_pay_once_and_award_once():
    user = UserFactory()
    module = build_module(lessons=2)
    lesson = module.lessons.first()
    url = reverse("learning:lesson-complete", args=[module.slug, lesson.slug])
    clients = []
    for _ in range(THREADS):
        client = Client()
        client.force_login(user)
        clients.append(client)
    statuses: list[int] = []

    def post(index: int) -> None:
        statuses.append(clients[index].post(url).status_code)

    assert together(post) == []
    assert statuses == [302] * THREADS
    assert LessonCompletion.objects.filter(user=user, lesson=lesson).count() == 1
    assert XpEvent.objects.filter(user=user, source=f"lesson:{lesson.pk}").count() == 1
    assert list(BadgeAward.objects.filter(user=user).values_list("badge", flat=True)) == [
        "first-lesson"
    ]
    assert XpEvent.objects.filter(user=user, source="badge:first-lesson").count() == 1
    _assert_ledger_matches(user)


def test_concurrent_first_lessons_in_different_modules_award_the_badge_once():
    user = UserFactory()
    lessons = [build_module(lessons=1).lessons.get() for _ in range(THREADS)]

    def complete(index: int) -> None:
        services.lesson_complete(user=user, lesson=lessons[index])

    assert together(complete) == []
    assert XpEvent.objects.filter(user=user, source__startswith="lesson:").count() == THREADS
    assert BadgeAward.objects.filter(user=user, badge="first-lesson").count() == 1
    assert XpEvent.objects.filter(user=user, source="badge:first-lesson").count() == 1
    _assert_ledger_matches(user)
