"""The scenario reads in quizzes.selectors, with the values written out: the catalogue, attempts
and results, live and shuffled responses, the path, the strongest moves and turning points."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from quizzes import selectors, services
from quizzes.models import (
    Attempt,
    Choice,
    Rating,
    Response,
    Scenario,
    ScenarioResult,
    Step,
)
from tests.factories import (
    scenario_file,
    scenario_from_file,
)
from tests.quizzes.conftest import response_at
from tests.quizzes.scenario_edits import _response
from tests.quizzes.selector_rules.conftest import NOW, scenario_made

pytestmark = pytest.mark.django_db


# Scenarios ------------------------------------------------------------------------------


def test_the_catalogue_lists_live_scenarios_in_order_with_only_the_learners_figures(
    employee, outsider, django_assert_num_queries
):
    # Beta is made before Alpha: only the title puts them in order.
    third = scenario_made("c-third", title="Beta", order=1)
    second = scenario_made("a-second", title="Alpha", order=1)
    first = scenario_made("b-first", title="Zed", order=0)
    scenario_made("d-retired", order=0, retired=True)
    ScenarioResult.objects.create(
        user=employee, scenario=second, best_score=30, attempts_finished=2
    )
    ScenarioResult.objects.create(user=outsider, scenario=third, best_score=39, attempts_finished=1)
    Attempt.objects.create(user=employee, scenario=first, number=1, finished_at=NOW)
    Attempt.objects.create(user=outsider, scenario=second, number=1)
    open_attempt = Attempt.objects.create(user=employee, scenario=third, number=1)
    with django_assert_num_queries(1):
        rows = [
            (s.slug, s.principle.slug, s.best_score, s.attempts_finished, s.unfinished_attempt)
            for s in selectors.scenario_catalogue(employee)
        ]
    assert rows == [
        ("b-first", "interrupting-bias", None, 0, None),
        ("a-second", "interrupting-bias", 30, 2, None),
        ("c-third", "interrupting-bias", None, 0, open_attempt.pk),
    ]


def test_a_learners_attempts_come_newest_number_first_and_only_their_own(
    employee, outsider, django_assert_num_queries
):
    scenario, elsewhere = scenario_made("mine"), scenario_made("elsewhere")
    ending = Step.objects.create(
        scenario=scenario, slug="end", title="Things change", situation=".", is_ending=True
    )
    # Started in the opposite order to their numbers: the number decides.
    for number, minutes in ((1, 30), (3, 10), (2, 20)):
        Attempt.objects.create(
            user=employee,
            scenario=scenario,
            number=number,
            started_at=NOW - datetime.timedelta(minutes=minutes),
            finished_at=NOW,
            ending=ending if number == 3 else None,
        )
    Attempt.objects.create(user=outsider, scenario=scenario, number=4, finished_at=NOW)
    Attempt.objects.create(user=employee, scenario=elsewhere, number=5, finished_at=NOW)
    with django_assert_num_queries(1):
        attempts = [
            (a.number, a.ending and a.ending.title)
            for a in selectors.scenario_attempts(employee, scenario)
        ]
    assert attempts == [(3, "Things change"), (2, None), (1, None)]


def test_a_scenario_result_is_the_learners_own_or_none(employee, outsider):
    scenario, other = scenario_made("mine"), scenario_made("other")
    mine = ScenarioResult.objects.create(user=employee, scenario=scenario, best_score=12)
    ScenarioResult.objects.create(user=outsider, scenario=other, best_score=39)
    ScenarioResult.objects.create(user=employee, scenario=other, best_score=7)
    assert selectors.scenario_result(employee, scenario) == mine
    assert selectors.scenario_result(outsider, scenario) is None


@pytest.fixture
def shuffled_step(db):
    """A step (pk 7001) with three live responses (pks 7101 to 7103) and a retired one."""
    scenario = scenario_made("shuffled")
    step = Step.objects.create(pk=7001, scenario=scenario, slug="s", title="S", situation=".")
    for number in range(4):
        Response.objects.create(
            pk=7101 + number,
            step=step,
            slug=f"r{number}",
            text=f"Response {number}",
            rating=Rating.STRONG,
            points=7,
            principle=scenario.principle,
            feedback=".",
            order=number,
            retired=number == 3,
        )
    return step


def test_live_responses_leave_out_retired_ones_unless_the_step_itself_is_retired(
    shuffled_step,
):
    assert [r.pk for r in selectors.live_responses(shuffled_step).order_by("order")] == [
        7101,
        7102,
        7103,
    ]
    shuffled_step.retired = True
    assert [r.pk for r in selectors.live_responses(shuffled_step).order_by("order")] == [
        7101,
        7102,
        7103,
        7104,
    ]


def test_a_response_is_live_unless_it_is_retired_at_a_live_step():
    def live(retired, step_retired):
        return selectors.response_is_live_at(Response(retired=retired), step_retired=step_retired)

    assert (live(False, False), live(True, False), live(False, True), live(True, True)) == (
        True,
        False,
        True,
        True,
    )


def test_a_retired_response_is_not_accepted_when_posted_unless_its_step_is_retired(
    employee, attempt
):
    retired = response_at(attempt.scenario, "step-1", "strong")
    Response.objects.filter(pk=retired.pk).update(retired=True)
    with pytest.raises(ValidationError) as caught:
        services.attempt_choose(
            attempt=attempt, step_id=retired.step_id, response_id=retired.pk, acting_user=employee
        )
    assert caught.value.code == "not_a_response"
    assert not Choice.objects.filter(attempt=attempt).exists()
    # A step retired mid-attempt keeps every old response, so the attempt can still end.
    Step.objects.filter(pk=retired.step_id).update(retired=True)
    outcome = services.attempt_choose(
        attempt=attempt, step_id=retired.step_id, response_id=retired.pk, acting_user=employee
    )
    assert outcome.recorded is True
    assert list(Choice.objects.filter(attempt=attempt).values_list("response_id", flat=True)) == [
        retired.pk
    ]


def test_responses_are_shown_in_a_shuffle_fixed_per_attempt_and_step(shuffled_step):
    # The order random.Random("9002:7001") gives; written out, not computed here.
    attempt = Attempt(pk=9002, current_step=shuffled_step)
    assert [r.pk for r in selectors.responses_for_display(attempt)] == [7102, 7103, 7101]
    assert [r.pk for r in selectors.responses_for_display(attempt)] == [7102, 7103, 7101]
    shuffled_step.retired = True
    assert [r.pk for r in selectors.responses_for_display(attempt)] == [7102, 7103, 7104, 7101]


def test_no_responses_are_shown_without_a_current_step_or_once_finished(shuffled_step):
    assert selectors.responses_for_display(Attempt(pk=9002, current_step=None)) == []
    finished = Attempt(pk=9002, current_step=shuffled_step, finished_at=NOW)
    assert selectors.responses_for_display(finished) == []


def test_the_last_choice_and_the_path_follow_the_position_not_the_insertion(
    attempt, django_assert_num_queries
):
    assert selectors.last_choice(attempt) is None
    scenario = attempt.scenario
    for position, step in ((2, "step-2"), (3, "step-3"), (1, "step-1")):
        response = response_at(scenario, step, "strong")
        Choice.objects.create(
            attempt=attempt,
            step_id=response.step_id,
            response=response,
            position=position,
            points=response.points,
        )
    with django_assert_num_queries(1):
        last = selectors.last_choice(attempt)
        assert (last.position, last.step.slug, last.response.principle.slug) == (
            3,
            "step-3",
            "interrupting-bias",
        )
    with django_assert_num_queries(1):
        path = [
            (c.position, c.step.slug, c.response.slug, c.response.principle.slug)
            for c in selectors.attempt_path(attempt)
        ]
    assert path == [
        (1, "step-1", "step-1-strong", "interrupting-bias"),
        (2, "step-2", "step-2-strong", "interrupting-bias"),
        (3, "step-3", "step-3-strong", "interrupting-bias"),
    ]


def _moves(scenario) -> list[tuple[str, str]]:
    return [(m.step.slug, m.response.slug) for m in selectors.strongest_moves(scenario)]


def test_the_strongest_moves_take_the_best_response_that_stays_on_the_path(
    scenario, django_assert_num_queries
):
    with django_assert_num_queries(2):
        moves = selectors.strongest_moves(scenario)
        principles = {m.response.principle.slug for m in moves}
    # At step-2 all three responses lead on to step-3: the most points wins.
    assert [(m.step.slug, m.response.slug) for m in moves] == [
        ("step-1", "step-1-strong"),
        ("step-2", "step-2-strong"),
        ("step-3", "step-3-strong"),
        ("step-4", "step-4-strong"),
    ]
    assert principles == {"interrupting-bias"}


def test_only_the_last_strongest_move_may_finish_the_scenario():
    data = scenario_file()
    # A response that finishes mid-way leaves the path; at the last step finishing is the way.
    _response(data, "step-3", "strong")["next"] = "end"
    _response(data, "step-4", "strong")["next"] = "end"
    _response(data, "step-4", "partial")["next"] = "end"
    scenario = scenario_from_file(data)
    assert scenario.strongest_path == ["step-1", "step-2", "step-3", "step-4", "ending-good"]
    assert _moves(scenario) == [
        ("step-1", "step-1-strong"),
        ("step-2", "step-2-strong"),
        ("step-3", "step-3-partial"),
        ("step-4", "step-4-strong"),
    ]


def test_strongest_moves_skip_steps_gone_from_the_scenario_and_pairs_no_response_joins(
    scenario,
):
    # "gone" was removed from the files; no response leads from step-1 to step-3.
    Scenario.objects.filter(pk=scenario.pk).update(
        strongest_path=["step-1", "gone", "step-3", "step-4"]
    )
    scenario.refresh_from_db()
    assert _moves(scenario) == [("step-3", "step-3-strong")]


def test_turning_points_read_every_flag_the_ending_tests_and_responses_without_flags():
    ending = Step(
        title="Heard at last", conditions={"any_of": ["spoke-up"], "none_of": ["stayed-silent"]}
    )
    plain, dilemma = Step(dilemma=False), Step(dilemma=True)

    def choice(step, rating, sets):
        return Choice(step=step, response=Response(rating=rating, sets=sets))

    spoke = choice(plain, Rating.PARTIAL, ["spoke-up"])
    silent = choice(plain, Rating.STRONG, ["stayed-silent", "other"])
    unflagged_harm = choice(plain, Rating.HARMFUL, None)
    quiet = choice(plain, Rating.STRONG, [])
    hard = choice(dilemma, Rating.STRONG, None)
    decided = "It decided the ending you reached: “Heard at last”."
    points = selectors.turning_points([spoke, silent, unflagged_harm, quiet, hard], ending)
    assert [(point.choice, point.reasons) for point in points] == [
        (spoke, [decided]),
        (silent, [decided]),
        (unflagged_harm, ["It was a harmful move, and the story changed course because of it."]),
        (
            hard,
            [
                "It was a real dilemma: more than one move was defensible, and the feedback "
                "weighs what each one costs."
            ],
        ),
    ]
    # An ending that tests no flag: a flag decides nothing.
    assert selectors.turning_points([spoke, quiet], Step(title="Plain", conditions={})) == []
