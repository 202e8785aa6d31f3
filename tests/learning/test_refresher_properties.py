"""Property tests for the FSRS schedule: intervals grow with right answers, shrink after a
lapse, and nothing is ever scheduled twice."""

import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from learning.refreshers import scheduling
from learning.refreshers.models import RefresherCard

RATINGS = st.sampled_from([scheduling.Rating.Again, scheduling.Rating.Hard, scheduling.Rating.Good])
START = datetime.datetime(2026, 1, 5, 9, 0, tzinfo=datetime.UTC)


def _interval(card) -> float:
    return (card.due - card.last_review).total_seconds() / 86400


@given(first=RATINGS, answers=st.lists(RATINGS, min_size=1, max_size=15))
def test_intervals_grow_after_a_right_answer_and_shrink_after_a_lapse(first, answers):
    row = RefresherCard(state=scheduling.NEW_STATE, learning_step=0, due=START)
    scheduling.store(row, scheduling.review(row, first, START))
    for rating in answers:
        previous, strength = _interval(row), row.stability
        when = row.due  # answered on the day it came back
        scheduling.store(row, scheduling.review(row, rating, when))
        now = _interval(row)
        assert now >= 1  # never sooner than a day: refreshers come back in days
        assert now <= 365
        if rating == scheduling.Rating.Again:
            assert now <= previous
            if previous > 1:
                assert now < previous
        elif rating == scheduling.Rating.Good:
            # The memory always gets stronger; whole-day rounding can keep a weak one's
            # interval where it was for a review or two, never shorter.
            assert row.stability > strength
            assert now >= previous


@given(answers=st.lists(RATINGS, min_size=1, max_size=10))
def test_the_same_answers_always_give_the_same_schedule(answers):
    schedules = []
    for _ in range(2):
        row = RefresherCard(state=scheduling.NEW_STATE, learning_step=0, due=START)
        when = START
        dues = []
        for rating in answers:
            scheduling.store(row, scheduling.review(row, rating, when))
            dues.append(row.due)
            when = row.due
        schedules.append(dues)
    assert schedules[0] == schedules[1]


@pytest.mark.django_db
@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(repeats=st.integers(min_value=1, max_value=4))
def test_scheduling_a_module_again_schedules_nothing_twice(employee, repeats):
    from learning.refreshers import services
    from tests.learning.refresher_builders import answer_first_try, module_with_questions

    module, questions = module_with_questions(2)
    for question in questions:
        answer_first_try(employee, question, correct=True)
    created = [
        services.refreshers_schedule(module=module, acting_user=employee) for _ in range(repeats)
    ]
    assert created[0] == 2 and sum(created) == 2
    assert RefresherCard.objects.filter(user=employee, module=module).count() == 2


@given(history=st.lists(RATINGS, min_size=1, max_size=10))
def test_right_answers_in_a_row_strengthen_the_memory_and_leave_the_one_day_floor(history):
    row = RefresherCard(state=scheduling.NEW_STATE, learning_step=0, due=START)
    when = START
    for rating in history:
        scheduling.store(row, scheduling.review(row, rating, when))
        when = row.due
    intervals, stabilities = [], [row.stability]
    for _ in range(8):
        scheduling.store(row, scheduling.review(row, scheduling.Rating.Good, row.due))
        intervals.append(_interval(row))
        stabilities.append(row.stability)
    assert all(
        later > earlier for earlier, later in zip(stabilities, stabilities[1:], strict=False)
    )
    assert intervals == sorted(intervals) and intervals[-1] > 1
