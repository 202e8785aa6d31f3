"""Spaced refreshers: scheduling after a module, answering, pausing, privacy, page costs."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from learning.refreshers import selectors, services
from learning.refreshers.models import RefresherCard, RefresherReview
from learning.refreshers.reminders import refresher_reminders_send
from learning.services import week_start
from tests.factories import UserFactory
from tests.learning.refresher_builders import (
    all_due,
    answer_first_try,
    make_due,
    module_with_questions,
    refresher_due,
)

pytestmark = pytest.mark.django_db


def _answer(client, card, option_pk, **extra):
    return client.post(
        reverse("refreshers:answer", args=[card.pk]),
        {"number": card.reviews + 1, "selected": option_pk},
        **extra,
    )


def test_a_finished_modules_questions_are_scheduled_once_with_the_first_try(employee):
    module, (right, wrong) = module_with_questions(2)
    answer_first_try(employee, right, correct=True, days_ago=0)
    answer_first_try(employee, wrong, correct=False, days_ago=0)
    assert services.refreshers_schedule(module=module, acting_user=employee) == 2
    assert services.refreshers_schedule(module=module, acting_user=employee) == 0
    cards = {c.question_id: c for c in RefresherCard.objects.filter(user=employee)}
    assert len(cards) == 2
    now = timezone.now()
    # Right first time: FSRS's first Good interval is 2 days; wrong: the 1-day minimum.
    assert cards[right.pk].due.date() == (now + datetime.timedelta(days=2)).date()
    assert cards[wrong.pk].due.date() == (now + datetime.timedelta(days=1)).date()
    assert cards[wrong.pk].lapses == 1 and cards[right.pk].lapses == 0
    first = RefresherReview.objects.get(card=cards[right.pk])
    assert (first.number, first.correct, first.days_since_first) == (1, True, 0)


def test_the_database_refuses_a_second_card_for_the_same_item(employee):
    card, _ = refresher_due(employee)
    with pytest.raises(IntegrityError), transaction.atomic():
        RefresherCard.objects.create(
            user=employee,
            module=card.module,
            principle=card.principle,
            question=card.question,
            due=timezone.now(),
        )


def test_the_database_refuses_a_second_answer_at_the_same_position(employee):
    card, first = refresher_due(employee)
    with pytest.raises(IntegrityError), transaction.atomic():
        RefresherReview.objects.create(
            card=card,
            user=employee,
            principle=card.principle,
            number=1,
            rating=3,
            correct=True,
            next_due=timezone.now(),
        )


def test_finishing_a_module_schedules_its_refreshers(employee):
    from learning import services as learning_services
    from learning.models import Lesson, Module

    module, (question,) = module_with_questions(1)
    Module.objects.filter(pk=module.pk).update(lesson_count=1)
    module.refresh_from_db()
    lesson = Lesson.objects.create(module=module, slug="l", title="L", body="b", body_html="b")
    answer_first_try(employee, question, correct=True)
    learning_services.lesson_complete(user=employee, lesson=lesson)
    learning_services.module_check_complete(user=employee, module=module)
    assert not RefresherCard.objects.filter(user=employee).exists()  # not finished yet
    learning_services.commitment_make(
        user=employee,
        module=module,
        suggestion=None,
        situation="a meeting starts",
        text="ask who has not spoken",
        check_in_on=timezone.localdate() + datetime.timedelta(days=3),
    )
    assert RefresherCard.objects.filter(user=employee, question=question).count() == 1


def test_a_right_answer_pushes_the_next_refresher_further_out(client, employee):
    card, _ = refresher_due(employee)
    before = card.due - card.last_review
    client.force_login(employee)
    response = _answer(client, card, card.question.options.get(is_correct=True).pk)
    review = RefresherReview.objects.get(card=card, number=2)
    assert response.status_code == 302
    assert response["Location"] == reverse("refreshers:review-detail", args=[review.pk])
    card.refresh_from_db()
    assert review.correct and card.reviews == 2
    assert card.due - card.last_review > before
    assert client.get(response["Location"]).status_code == 200


def test_a_replayed_answer_counts_once_and_says_so(client, employee):
    card, _ = refresher_due(employee)
    client.force_login(employee)
    right = card.question.options.get(is_correct=True).pk
    wrong = card.question.options.filter(is_correct=False).first().pk
    _answer(client, card, right)
    replay = client.post(
        reverse("refreshers:answer", args=[card.pk]), {"number": 2, "selected": wrong}
    )
    assert replay.status_code == 302
    assert RefresherReview.objects.filter(card=card).count() == 2
    assert RefresherReview.objects.get(card=card, number=2).correct


def test_a_refresher_not_yet_due_is_refused_with_a_clear_message(employee):
    module, (question,) = module_with_questions(1)
    answer_first_try(employee, question, correct=True)
    services.refreshers_schedule(module=module, acting_user=employee)
    card = RefresherCard.objects.get(user=employee)
    right = question.options.get(is_correct=True).pk
    with pytest.raises(ValidationError, match="not due yet"):
        services.refresher_answer(card=card, number=2, selected=[right], acting_user=employee)
    assert RefresherReview.objects.filter(card=card).count() == 1


def test_an_answer_that_is_not_an_option_changes_nothing(client, employee):
    card, _ = refresher_due(employee)
    client.force_login(employee)
    for value in ("999999", "-1", "x", "9" * 40):
        response = _answer(client, card, value)
        assert response.status_code == 400
        assert "Choose one of the answers shown" in response.text
    card.refresh_from_db()
    assert card.reviews == 1


def test_the_htmx_session_swaps_in_feedback_then_the_next_refresher(client, employee):
    card, _ = refresher_due(employee, questions=2)
    all_due(employee)
    card.refresh_from_db()
    client.force_login(employee)
    page = client.get(reverse("refreshers:session"))
    assert page.status_code == 200 and card.question.prompt in page.text
    response = _answer(
        client, card, card.question.options.get(is_correct=True).pk, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "<html" not in response.text and "Right: you remembered" in response.text
    assert 'hx-get="' + reverse("refreshers:session") in response.text


def test_pausing_stops_refreshers_and_their_email_until_resumed(client, employee, mailoutbox):
    card, _ = refresher_due(employee)
    client.force_login(employee)
    client.post(reverse("refreshers:pause"))
    assert selectors.summary_of(employee).paused
    assert "paused" in client.get("/").text
    with pytest.raises(ValidationError, match="paused"):
        services.refresher_answer(
            card=card,
            number=2,
            selected=[card.question.options.first().pk],
            acting_user=employee,
        )
    week = week_start(timezone.localdate())
    assert refresher_reminders_send(today=timezone.localdate(), week=week) == 0
    client.post(reverse("refreshers:resume"))
    assert refresher_reminders_send(today=timezone.localdate(), week=week) == 1
    assert refresher_reminders_send(today=timezone.localdate(), week=week) == 0
    assert len(mailoutbox) == 1 and "1 refresher waiting" in mailoutbox[0].subject
    assert "/refreshers/session/" in mailoutbox[0].body


def test_home_shows_the_number_of_refreshers_due(client, employee):
    refresher_due(employee, questions=3)
    all_due(employee)
    client.force_login(employee)
    home = client.get("/").text
    assert "Refreshers due" in home and '<span class="count">3</span>' in home
    assert reverse("refreshers:session") in home


def test_a_learners_refresher_answers_are_a_404_for_anyone_else(client, employee, manager, hr):
    card, review = refresher_due(employee)
    for other in (manager, hr, UserFactory()):
        client.force_login(other)
        assert client.get(reverse("refreshers:review-detail", args=[review.pk])).status_code == 404
        assert _answer(client, card, card.question.options.first().pk).status_code == 404
        assert card.question.prompt not in client.get(reverse("refreshers:history")).text
    client.force_login(employee)
    assert card.question.prompt[:40] in client.get(reverse("refreshers:history")).text
    for bad in ("0", "99999999999999999999"):
        assert client.get(f"/refreshers/history/{bad}/").status_code == 404


def _captured(client, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200, url
    return context


@pytest.mark.parametrize(
    "name", ["refreshers:overview", "refreshers:session", "refreshers:history"]
)
def test_refresher_pages_cost_the_same_queries_at_two_sizes(client, name):
    counts = []
    for size in (1, 8):
        learner = UserFactory()
        for _ in range(size):
            card, _ = refresher_due(learner, questions=2)
            services.refresher_answer(
                card=card,
                number=2,
                selected=[card.question.options.get(is_correct=True).pk],
                acting_user=learner,
            )
        make_due(card)
        # The answers were given yesterday, so today's session is a fresh one.
        RefresherReview.objects.filter(user=learner).update(
            reviewed_at=timezone.now() - datetime.timedelta(days=1)
        )
        client.force_login(learner)
        counts.append(_captured(client, reverse(name)))
    listing = "\n".join(q["sql"] for q in counts[1].captured_queries)
    assert len(counts[0]) == len(counts[1]), f"{len(counts[0])} vs {len(counts[1])}:\n{listing}"
