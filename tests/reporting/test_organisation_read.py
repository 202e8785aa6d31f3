"""Reading the organisation into cells (`allyship.reporting.organisation`), with the values
written out: each test builds a handful of rows around the edges a rule draws (inactive
people, people without a department or a manager, the first Monday shown, due today,
reported on the check-in day, 14 and 56 days after the first try) and compares the whole
read with the numbers counted by hand.

The same five people appear in every test: Boss (Sales, no manager), Ana and Ben (Sales,
reporting to Boss), Loner (no department, no manager) and Gone (left: inactive), whose
rows must never be counted. Today is Wednesday 25 November 2026.
"""

import datetime
from types import SimpleNamespace

import pytest

from allyship.models import Department
from allyship.reporting.organisation import (
    Organisation,
    organisation_read,
    scope_key,
    scope_parse,
)
from learning.models import (
    Assignment,
    Commitment,
    CommitmentStatus,
    Course,
    CourseProgress,
    Module,
    Principle,
)
from learning.refreshers.models import RefresherCard, RefresherReview
from quizzes.models import AnswerContext, Attempt, Choice, Rating, Response
from tests.factories import UserFactory, _seq
from tests.hr.factories import answer, assessment_question, build_scenario

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 25)  # a Wednesday: its week began on Monday 23 November
CHECK_IN = datetime.date(2026, 11, 20)


def at(year: int, month: int, day: int, *time: int) -> datetime.datetime:
    return datetime.datetime(year, month, day, *time, tzinfo=datetime.UTC)


def days_from_today(days: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=days)


@pytest.fixture(autouse=True)
def utc(settings):
    """Week bounds and "reported on the check-in day" are read in the current time zone."""
    settings.TIME_ZONE = "UTC"


@pytest.fixture
def people(db):
    sales = Department.objects.create(name="Sales")
    Department.objects.create(name="Legal")
    boss = UserFactory(full_name="Boss", department=sales)
    return SimpleNamespace(
        sales=sales,
        boss=boss,
        ana=UserFactory(full_name="Ana", department=sales, manager=boss),
        ben=UserFactory(full_name="Ben", department=sales, manager=boss),
        loner=UserFactory(full_name="Loner", department=None),
        gone=UserFactory(full_name="Gone", department=sales, manager=boss, is_active=False),
    )


@pytest.fixture
def team(people):
    """The cell of Boss's reports in Sales."""
    return (people.sales.pk, people.boss.pk)


def principle_named(slug: str) -> Principle:
    return Principle.objects.create(slug=slug, name=slug.capitalize())


def module_on(principle: Principle) -> Module:
    n = _seq()
    return Module.objects.create(slug=f"module-{n}", title=f"Module {n}", principle=principle)


def course_named(slug: str, *, retired: bool = False) -> Course:
    return Course.objects.create(slug=slug, title=slug.capitalize(), retired=retired)


def assign(person, course, due_on, *, withdrawn: bool = False) -> Assignment:
    return Assignment.objects.create(
        user=person,
        course=course,
        due_on=due_on,
        withdrawn_at=at(2026, 11, 1) if withdrawn else None,
    )


def progress_on(person, course, percent: int, completed_at=None) -> CourseProgress:
    return CourseProgress.objects.create(
        user=person, course=course, percent=percent, completed_at=completed_at
    )


def attempt_choosing(person, scenario, rating: str, number: int = 1) -> Choice:
    """A finished attempt of a `build_scenario` scenario: one choice, at its first step."""
    response = Response.objects.get(step=scenario.start_step, rating=rating)
    attempt = Attempt.objects.create(
        user=person, scenario=scenario, number=number, finished_at=at(2026, 11, 2)
    )
    return Choice.objects.create(
        attempt=attempt, step=scenario.start_step, response=response, position=1, points=1
    )


def plan_reported(person, module, status: str, reported_at=None, arose=None) -> Commitment:
    """A plan with its check-in on 20 November, reported at `reported_at` (open: never)."""
    return Commitment.objects.create(
        user=person,
        module=module,
        action="credit the idea to its author",
        check_in_on=CHECK_IN,
        status=status,
        arose=arose,
        reported_at=reported_at,
    )


def card_for(person, question) -> RefresherCard:
    return RefresherCard.objects.create(
        user=person,
        module=question.module,
        principle=question.principle,
        question=question,
        due=at(2026, 12, 1),
    )


def review(card, number: int, days_since_first: int, correct: bool) -> RefresherReview:
    return RefresherReview.objects.create(
        card=card,
        user=card.user,
        principle=card.principle,
        number=number,
        rating=3 if correct else 1,
        correct=correct,
        days_since_first=days_since_first,
        next_due=at(2026, 12, 1),
    )


# Scopes ---------------------------------------------------------------------------------


def test_scope_key_names_the_department_and_the_team_or_else_the_whole_organisation():
    assert scope_key() == "org"
    assert scope_key(department_id=0, team_of=0) == "org"
    assert scope_key(department_id=3) == "department:3"
    assert scope_key(team_of=7) == "team:7"
    assert scope_key(department_id=3, team_of=7) == "department:3|team:7"


def test_scope_parse_reads_a_scope_back_and_refuses_one_it_does_not_know():
    assert scope_parse("org") == (None, None)
    assert scope_parse("department:3") == (3, None)
    assert scope_parse("team:7") == (None, 7)
    assert scope_parse("department:3|team:7") == (3, 7)
    with pytest.raises(ValueError, match="Unknown scope 'group:1'"):
        scope_parse("group:1")
    with pytest.raises(ValueError, match="Unknown scope 'department:3|manager:7'"):
        scope_parse("department:3|manager:7")


# The organisation ------------------------------------------------------------------------


def test_reports_of_lists_each_managers_direct_reports_and_is_built_once():
    org = Organisation(
        today=TODAY, mondays=[], managers={1: None, 2: 1, 3: 1, 4: 2, 5: None}, departments={}
    )
    reports = org.reports_of()
    assert reports == {1: [2, 3], 2: [4]}
    assert org.reports_of() is reports


def test_active_people_are_counted_per_department_and_manager(people):
    drifter = UserFactory(full_name="Drifter", department=None, manager=people.boss)
    org = organisation_read(today=TODAY)
    assert org.today == TODAY
    assert org.people == {
        (people.sales.pk, 0): 1,
        (people.sales.pk, people.boss.pk): 2,
        (0, 0): 1,
        (0, people.boss.pk): 1,
    }
    assert org.managers == {
        people.boss.pk: None,
        people.ana.pk: people.boss.pk,
        people.ben.pk: people.boss.pk,
        people.loner.pk: None,
        drifter.pk: people.boss.pk,
    }
    assert org.departments == {
        people.sales.pk: "Sales",
        Department.objects.get(name="Legal").pk: "Legal",
    }
    assert org.reports_of() == {people.boss.pk: [people.ana.pk, people.ben.pk, drifter.pk]}


def test_today_is_the_local_date_when_none_is_given(people, clock):
    assert organisation_read().today == datetime.date(2026, 11, 24)


# Dashboard measures ----------------------------------------------------------------------


def test_progress_counts_live_assignments_per_cell_and_course(people, team):
    course, other = course_named("course"), course_named("other")
    retired = course_named("old", retired=True)
    assign(people.ana, course, days_from_today(-1))  # overdue, not started
    assign(people.ben, course, TODAY)  # due today: not overdue
    progress_on(people.ben, course, 40)
    assign(people.boss, course, days_from_today(-5))  # completed: never overdue
    progress_on(people.boss, course, 100, completed_at=at(2026, 11, 1))
    assign(people.loner, course, days_from_today(3))
    assign(people.gone, course, days_from_today(-1))
    progress_on(people.gone, course, 10)
    # Ana's progress in the other course belongs to no assignment of hers.
    assign(people.ana, other, days_from_today(7), withdrawn=True)
    progress_on(people.ana, other, 70)
    assign(people.ben, other, days_from_today(7))
    assign(people.ben, retired, days_from_today(-1))

    assert organisation_read(today=TODAY).progress == {
        team: {
            course.pk: {
                "assigned": 2,
                "completed": 0,
                "overdue": 1,
                "in_progress": 1,
                "percent_total": 40,
            },
            other.pk: {
                "assigned": 1,
                "completed": 0,
                "overdue": 0,
                "in_progress": 0,
                "percent_total": 0,
            },
        },
        (people.sales.pk, 0): {
            course.pk: {
                "assigned": 1,
                "completed": 1,
                "overdue": 0,
                "in_progress": 0,
                "percent_total": 100,
            }
        },
        (0, 0): {
            course.pk: {
                "assigned": 1,
                "completed": 0,
                "overdue": 0,
                "in_progress": 0,
                "percent_total": 0,
            }
        },
    }


def test_weekly_completions_fall_in_the_week_that_begins_on_their_monday(people, team):
    course, other = course_named("course"), course_named("other")
    progress_on(people.ana, course, 100, completed_at=at(2026, 9, 7))  # the first Monday
    progress_on(people.ben, course, 100, completed_at=at(2026, 9, 6, 23, 59, 59))  # before it
    progress_on(people.ana, other, 100, completed_at=at(2026, 10, 1, 12))  # week of 28 Sep
    progress_on(people.ben, other, 60)
    progress_on(people.boss, course, 100, completed_at=at(2026, 11, 23))  # this week
    progress_on(people.loner, course, 100, completed_at=at(2026, 11, 22, 23, 59, 59))
    progress_on(people.gone, course, 100, completed_at=at(2026, 10, 14))
    # A completion from the week after this one (today given as a past date) is not read.
    progress_on(people.ana, course_named("later"), 100, completed_at=at(2026, 11, 30))

    org = organisation_read(today=TODAY)
    assert len(org.mondays) == 12
    assert (org.mondays[0], org.mondays[-1]) == (
        datetime.date(2026, 9, 7),
        datetime.date(2026, 11, 23),
    )
    assert org.weekly == {
        team: {
            course.pk: [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
            other.pk: [0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0],
        },
        (people.sales.pk, 0): {course.pk: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]},
        (0, 0): {course.pk: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0]},
    }


# Insight units ---------------------------------------------------------------------------


def test_answers_split_into_checks_per_principle_and_tests_per_principle_and_course(people, team):
    listen, voice = principle_named("listen"), principle_named("voice")
    listening, speaking = module_on(listen), module_on(voice)
    first, second = assessment_question(listening), assessment_question(listening)
    third = assessment_question(speaking)
    course = course_named("course")
    pre, post = AnswerContext.PRE, AnswerContext.POST
    answer(people.ana, first, score=1.0)
    answer(people.ana, second, score=0.0)
    answer(people.ben, first, score=0.5)
    answer(people.loner, third, score=0.25)
    answer(people.gone, first, score=1.0)
    answer(people.ana, first, pre, course, score=0.0)
    answer(people.ana, first, post, course, score=1.0)
    answer(people.ben, first, post, course, score=0.5)
    answer(people.ana, third, pre, course, score=1.0)
    answer(people.loner, third, post, course, score=0.75)
    answer(people.gone, first, pre, course, score=1.0)

    assert organisation_read(today=TODAY).units == {
        team: {
            ("check", listen.pk): {"people": 2, "total": 1.5, "n": 3},
            ("prepost", course.pk, listen.pk, "pre"): {"people": 1, "total": 0.0, "n": 1},
            ("prepost", course.pk, listen.pk, "post"): {"people": 2, "total": 1.5, "n": 2},
            ("prepost", course.pk, voice.pk, "pre"): {"people": 1, "total": 1.0, "n": 1},
            ("gain", course.pk, "pre"): {"people": 1, "total": 1.0, "n": 2},
            ("gain", course.pk, "post"): {"people": 2, "total": 1.5, "n": 2},
        },
        (0, 0): {
            ("check", voice.pk): {"people": 1, "total": 0.25, "n": 1},
            ("prepost", course.pk, voice.pk, "post"): {"people": 1, "total": 0.75, "n": 1},
            ("gain", course.pk, "post"): {"people": 1, "total": 0.75, "n": 1},
        },
    }


def test_choices_give_strong_ones_per_principle_and_times_per_response(people, team):
    listen, voice = principle_named("listen"), principle_named("voice")
    listening, speaking = build_scenario(listen), build_scenario(voice)
    ana_strong = attempt_choosing(people.ana, listening, Rating.STRONG)
    ana_partial = attempt_choosing(people.ana, listening, Rating.PARTIAL, number=2)
    attempt_choosing(people.ben, listening, Rating.STRONG)
    ben_harmful = attempt_choosing(people.ben, speaking, Rating.HARMFUL)
    loner_harmful = attempt_choosing(people.loner, listening, Rating.HARMFUL)
    attempt_choosing(people.gone, listening, Rating.STRONG)

    assert organisation_read(today=TODAY).units == {
        team: {
            ("strong", listen.pk): {"people": 2, "total": 2.0, "n": 3},
            ("strong", voice.pk): {"people": 1, "total": 0.0, "n": 1},
            ("step", listening.start_step_id): {
                "people": 2,
                "times": {ana_strong.response_id: 2, ana_partial.response_id: 1},
            },
            ("step", speaking.start_step_id): {
                "people": 1,
                "times": {ben_harmful.response_id: 1},
            },
        },
        (0, 0): {
            ("strong", listen.pk): {"people": 1, "total": 0.0, "n": 1},
            ("step", listening.start_step_id): {
                "people": 1,
                "times": {loner_harmful.response_id: 1},
            },
        },
    }


@pytest.fixture
def plans(people):
    """Plans with check-ins on 20 November, reported that day at midnight (on time), the
    second before it (too early: not followed through) or the day after (on time)."""
    listen, voice = principle_named("listen"), principle_named("voice")
    listen_1, listen_2 = module_on(listen), module_on(listen)
    voice_1, voice_2, voice_3 = module_on(voice), module_on(voice), module_on(voice)
    on_time, early, later = at(2026, 11, 20), at(2026, 11, 19, 23, 59, 59), at(2026, 11, 21, 9)
    done, partly, not_yet = CommitmentStatus.DONE, CommitmentStatus.PARTLY, CommitmentStatus.NOT_YET
    for person, module, status, reported_at, arose in [
        (people.ana, listen_1, done, on_time, True),
        (people.ana, listen_2, done, early, True),
        (people.ana, voice_1, partly, on_time, True),
        (people.ana, voice_2, not_yet, early, True),
        (people.ana, voice_3, CommitmentStatus.OPEN, None, None),
        (people.ben, listen_1, partly, early, True),
        (people.ben, listen_2, not_yet, on_time, True),
        (people.ben, voice_1, CommitmentStatus.OPEN, None, None),
        (people.ben, voice_2, CommitmentStatus.NOT_ARISEN, on_time, False),
        (people.ben, voice_3, done, later, True),
        (people.loner, listen_1, done, later, True),
        (people.loner, voice_1, CommitmentStatus.NOT_ARISEN, early, False),
        (people.gone, listen_1, done, on_time, True),
    ]:
        plan_reported(person, module, status, reported_at, arose)
    return SimpleNamespace(listen=listen, voice=voice)


def test_commitments_count_done_and_partly_only_when_reported_on_time(people, team, plans):
    units = organisation_read(today=TODAY).units
    assert {cell: found[("commit",)] for cell, found in units.items()} == {
        team: {"people": 2, "made": 10, "done": 2, "partly": 1, "not_yet": 2, "open": 2},
        (0, 0): {"people": 1, "made": 2, "done": 1, "partly": 0, "not_yet": 0, "open": 0},
    }


def test_plans_per_principle_count_only_those_reported_on_time(people, team, plans):
    units = organisation_read(today=TODAY).units
    listen, voice = plans.listen.pk, plans.voice.pk
    assert {
        cell: {key: value for key, value in found.items() if key[0] == "plans"}
        for cell, found in units.items()
    } == {
        team: {
            ("plans", listen): {"people": 2, "reported": 2, "arose": 2, "acted": 1},
            ("plans", voice): {"people": 2, "reported": 3, "arose": 2, "acted": 2},
        },
        (0, 0): {("plans", listen): {"people": 1, "reported": 1, "arose": 1, "acted": 1}},
    }


def test_retention_buckets_reviews_by_days_since_the_first_try(people, team):
    listen, voice = principle_named("listen"), principle_named("voice")
    listening = assessment_question(module_on(listen))
    speaking = assessment_question(module_on(voice))
    ana, ben = card_for(people.ana, listening), card_for(people.ben, listening)
    review(ana, 1, 0, correct=True)  # the first try
    review(ana, 2, 0, correct=True)  # the same day again: in no window
    review(ana, 3, 13, correct=True)
    review(ana, 4, 14, correct=False)
    review(ana, 5, 55, correct=True)
    review(ana, 6, 56, correct=False)
    review(ben, 1, 0, correct=False)
    review(ben, 2, 1, correct=True)
    loner = card_for(people.loner, speaking)
    review(loner, 1, 0, correct=True)
    review(loner, 2, 200, correct=True)
    review(card_for(people.gone, listening), 1, 0, correct=True)

    assert organisation_read(today=TODAY).units == {
        team: {
            ("retention", listen.pk, "first"): {"people": 2, "total": 1, "n": 2},
            ("retention", listen.pk, "week_1"): {"people": 2, "total": 2, "n": 2},
            ("retention", listen.pk, "week_4"): {"people": 1, "total": 1, "n": 2},
            ("retention", listen.pk, "week_12"): {"people": 1, "total": 0, "n": 1},
        },
        (0, 0): {
            ("retention", voice.pk, "first"): {"people": 1, "total": 1, "n": 1},
            ("retention", voice.pk, "week_12"): {"people": 1, "total": 1, "n": 1},
        },
    }
