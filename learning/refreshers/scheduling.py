"""The one place that turns an answer into the next date: FSRS (the `fsrs` library).

A refresher comes back in days, never minutes, so the scheduler has no learning or
relearning steps: the first answer (the module's knowledge check) already sets a due day,
and a lapse shortens the interval instead of asking again ten minutes later. Fuzzing is
off so a schedule is reproducible (and testable); the longest gap is a year.
"""

import datetime

from fsrs import Card, Rating, Scheduler, State

SCHEDULER = Scheduler(
    learning_steps=(),
    relearning_steps=(),
    maximum_interval=365,
    enable_fuzzing=False,
)


def rating_for(*, correct: bool, partly: bool = False) -> Rating:
    """Right first time is Good, part right (a multiple-choice answer) Hard, wrong Again."""
    if correct:
        return Rating.Good
    return Rating.Hard if partly else Rating.Again


def card_of(row) -> Card:
    """The fsrs Card held in a RefresherCard row (a brand-new row is a new Card)."""
    return Card(
        card_id=row.pk or 1,
        state=State(row.state),
        step=row.learning_step,
        stability=row.stability,
        difficulty=row.difficulty,
        due=row.due,
        last_review=row.last_review,
    )


def review(row, rating: Rating, when: datetime.datetime) -> Card:
    """The card after this answer; the caller stores it with `store`."""
    card, _log = SCHEDULER.review_card(card_of(row), rating, when)
    return card


def store(row, card: Card) -> None:
    """Copy the scheduler's card back onto the row (not saved)."""
    row.state = int(card.state)
    row.learning_step = card.step
    row.stability = card.stability
    row.difficulty = card.difficulty
    row.due = card.due
    row.last_review = card.last_review


def interval_days(row) -> int | None:
    """Whole days from the last answer to the next refresher (None before any answer)."""
    if row.last_review is None:
        return None
    return (row.due - row.last_review).days


NEW_STATE = int(State.Learning)
