"""The scenario loader: every validation failure named, and idempotent applying."""

import copy
from pathlib import Path

import pytest
import yaml
from django.db import connection
from django.test.utils import CaptureQueriesContext

from learning.content import CurriculumError
from quizzes import services
from quizzes.loader import (
    apply_scenario,
    validate_questions,
    validate_scenario,
)
from quizzes.models import Response, Scenario, Step
from tests.factories import (
    principle_for_quizzes,
    scenario_file,
    scenario_from_file,
)
from tests.quizzes.conftest import response_at
from tests.quizzes.scenario_edits import PRINCIPLES, SOURCE, _rejects, _response, _step

CURRICULUM = Path(__file__).resolve().parents[2] / "learning" / "curriculum"


# Scenario validation: the good file passes, and each problem is named -------------------


def test_the_practice_scenario_is_valid():
    validate_scenario(scenario_file(), SOURCE, PRINCIPLES)


@pytest.mark.parametrize("field", ["slug", "title", "summary", "principle", "start"])
def test_a_scenario_without_a_required_field_is_rejected(field):
    data = scenario_file()
    del data[field]
    _rejects(data, "scenario", f"is missing '{field}'")


def test_a_scenario_slug_in_the_wrong_format_is_rejected():
    data = scenario_file()
    data["slug"] = "Practice_Scenario"
    _rejects(data, "scenario", "lowercase letters, digits and hyphens")


def test_a_scenario_principle_that_does_not_exist_is_rejected():
    data = scenario_file()
    data["principle"] = "no-such-principle"
    _rejects(data, "scenario", "principle 'no-such-principle' is not in principles.yaml")


def test_a_retired_flag_that_is_not_true_or_false_is_rejected():
    data = scenario_file()
    data["retired"] = "yes"
    _rejects(data, "scenario", "'retired' must be true or false")


def test_a_scenario_without_steps_is_rejected():
    data = scenario_file()
    data["steps"] = []
    _rejects(data, "scenario", "has no steps")


def test_steps_that_are_not_a_list_of_entries_are_rejected():
    data = scenario_file()
    data["steps"] = "step-1"
    _rejects(data, "scenario", "'steps' must be a list of entries")


def test_a_start_step_that_does_not_exist_is_rejected():
    data = scenario_file()
    data["start"] = "nowhere"
    _rejects(data, "scenario", "start step 'nowhere' does not exist")


def test_a_step_without_a_slug_is_named_by_its_position():
    data = scenario_file()
    del data["steps"][1]["slug"]
    _rejects(data, "step #2", "is missing 'slug'")


def test_a_step_slug_in_the_wrong_format_is_rejected():
    data = scenario_file()
    _step(data, "step-2")["slug"] = "step 2"
    _rejects(data, 'step "step 2"', "lowercase letters, digits and hyphens")


def test_two_steps_with_one_slug_are_rejected():
    data = scenario_file()
    _step(data, "step-2")["slug"] = "step-3"
    _rejects(data, 'step "step-3"', "slug is used by another step")


@pytest.mark.parametrize("field", ["title", "situation"])
def test_a_step_without_its_text_is_rejected(field):
    data = scenario_file()
    del _step(data, "step-3")[field]
    _rejects(data, 'step "step-3"', f"is missing '{field}'")


def test_a_step_that_is_neither_an_ending_nor_has_responses_is_rejected():
    # Every path must end in an ending: a dead end without a debrief is refused.
    data = scenario_file()
    del _step(data, "ending-good")["ending"]
    _rejects(data, 'step "ending-good"', "is not an ending but has no responses")


def test_an_ending_with_responses_is_rejected():
    data = scenario_file()
    _step(data, "ending-poor")["responses"] = copy.deepcopy(_step(data, "step-4")["responses"])
    _rejects(data, 'step "ending-poor"', "is an ending, so it has no responses")


def test_a_step_with_two_responses_is_rejected():
    data = scenario_file()
    _step(data, "step-2")["responses"].pop()
    _rejects(data, 'step "step-2"', "has 2 responses; it needs 3 to 4")


def test_a_step_with_five_responses_is_rejected():
    data = scenario_file()
    responses = _step(data, "step-2")["responses"]
    for number in (1, 2):
        responses.append({**responses[0], "slug": f"extra-{number}"})
    _rejects(data, 'step "step-2"', "has 5 responses; it needs 3 to 4")


def test_responses_that_are_not_entries_are_rejected():
    data = scenario_file()
    _step(data, "step-2")["responses"] = ["one", "two", "three"]
    _rejects(data, 'step "step-2"', "'responses' must be a list of entries")


def test_two_responses_with_one_slug_in_a_step_are_rejected():
    data = scenario_file()
    _response(data, "step-2", "partial")["slug"] = "step-2-strong"
    _rejects(data, 'step "step-2" response "step-2-strong"', "slug is used twice in this step")


def test_a_response_slug_in_the_wrong_format_is_rejected():
    data = scenario_file()
    _response(data, "step-2", "partial")["slug"] = "-partial"
    _rejects(data, 'step "step-2" response "-partial"', "lowercase letters")


def test_a_response_without_a_slug_is_named_by_its_position():
    data = scenario_file()
    del _response(data, "step-2", "partial")["slug"]
    _rejects(data, 'step "step-2" response #2', "is missing 'slug'")


@pytest.mark.parametrize("field", ["text", "feedback", "rating", "principle", "next"])
def test_a_response_without_a_required_field_is_rejected(field):
    data = scenario_file()
    del _response(data, "step-3", "harmful")[field]
    _rejects(data, 'step "step-3" response "step-3-harmful"', f"is missing '{field}'")


def test_an_unknown_rating_is_rejected():
    data = scenario_file()
    _response(data, "step-3", "harmful")["rating"] = "terrible"
    _rejects(
        data,
        'step "step-3" response "step-3-harmful"',
        "rating 'terrible' must be one of strong, partial, harmful",
    )


@pytest.mark.parametrize(
    ("rating", "points", "expected"),
    [("strong", 6, "7-10"), ("partial", 7, "3-6"), ("harmful", 3, "0-2"), ("strong", 11, "7-10")],
)
def test_points_outside_the_ratings_range_are_rejected(rating, points, expected):
    data = scenario_file()
    response = _response(data, "step-4", rating)
    response["points"] = points
    _rejects(
        data,
        f'step "step-4" response "step-4-{rating}"',
        f"{points} points is outside {expected}, the range for '{rating}'",
    )


@pytest.mark.parametrize("points", ["10", 9.5, True, None])
def test_points_that_are_not_a_whole_number_are_rejected(points):
    data = scenario_file()
    _response(data, "step-4", "strong")["points"] = points
    _rejects(data, 'step "step-4" response "step-4-strong"', "'points' must be a whole number")


def test_a_response_principle_that_does_not_exist_is_rejected():
    data = scenario_file()
    _response(data, "step-2", "strong")["principle"] = "kindness"
    _rejects(
        data,
        'step "step-2" response "step-2-strong"',
        "principle 'kindness' is not in principles.yaml",
    )


def test_a_next_step_that_does_not_exist_is_rejected():
    data = scenario_file()
    _response(data, "step-2", "strong")["next"] = "step-9"
    _rejects(data, 'step "step-2" response "step-2-strong"', "next step 'step-9' does not exist")


def test_a_step_nobody_can_reach_is_rejected():
    data = scenario_file()
    _response(data, "step-1", "harmful")["next"] = "step-2"
    _rejects(data, 'step "consequence"', 'cannot be reached from the start "step-1"')


def test_a_cycle_is_rejected_because_its_path_never_ends():
    data = scenario_file()
    _response(data, "step-3", "partial")["next"] = "step-2"
    error = _rejects(
        data, 'step "step-3" response "step-3-partial"', "leads back to an earlier step"
    )
    assert "step-2 -> step-3 -> step-2" in error.problem


def test_a_scenario_whose_strongest_path_has_three_decisions_is_rejected():
    data = scenario_file()
    for response in _step(data, "step-3")["responses"]:
        response["next"] = "ending-good"
    data["steps"].remove(_step(data, "step-4"))
    _rejects(data, "scenario", "has 3 decision(s); it needs at least 4")


def test_a_file_that_is_not_a_mapping_is_rejected():
    with pytest.raises(CurriculumError) as caught:
        validate_scenario(["not", "a", "mapping"], SOURCE, PRINCIPLES)
    assert caught.value.source == SOURCE


# Applying a scenario --------------------------------------------------------------------


@pytest.mark.django_db
def test_applying_creates_the_graph_with_rendered_markdown_and_the_strongest_path():
    data = scenario_file()
    _step(data, "step-1")["situation"] = "You notice **something**.<script>x()</script>"
    scenario = scenario_from_file(data, order=3)
    assert scenario.order == 3 and not scenario.retired
    assert scenario.start_step.slug == "step-1"
    assert scenario.max_score == 39
    assert scenario.strongest_path == ["step-1", "step-2", "step-3", "step-4", "ending-good"]
    assert scenario.steps.count() == 7
    assert Response.objects.filter(step__scenario=scenario).count() == 15
    first = Step.objects.get(scenario=scenario, slug="step-1")
    assert "<strong>something</strong>" in first.situation_html
    assert "<script>" not in first.situation_html
    assert response_at(scenario, "step-1", "harmful").next_step.slug == "consequence"
    assert Step.objects.get(scenario=scenario, slug="ending-good").is_ending


@pytest.mark.django_db
def test_applying_the_same_file_twice_writes_nothing_the_second_time():
    data = scenario_file()
    scenario_from_file(data)
    before = list(Response.objects.order_by("pk").values())
    principles = {slug: principle_for_quizzes(slug) for slug in PRINCIPLES}
    with CaptureQueriesContext(connection) as context:
        apply_scenario(copy.deepcopy(data), principles, 0)
    writes = [
        q["sql"]
        for q in context.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []
    assert list(Response.objects.order_by("pk").values()) == before


@pytest.mark.django_db
def test_revised_wording_is_updated_in_place():
    data = scenario_file()
    scenario = scenario_from_file(data)
    response = response_at(scenario, "step-2", "strong")
    _response(data, "step-2", "strong")["feedback"] = "Revised *feedback*."
    scenario_from_file(data)
    response.refresh_from_db()
    assert response.feedback_html == "<p>Revised <em>feedback</em>.</p>"
    assert Scenario.objects.count() == 1


@pytest.mark.django_db
def test_removed_content_nobody_chose_is_deleted(employee):
    data = scenario_file()
    scenario = scenario_from_file(data)
    _step(data, "step-2")["responses"].append(
        {**_response(data, "step-2", "partial"), "slug": "step-2-other", "points": 3}
    )
    scenario_from_file(data)
    assert Response.objects.filter(slug="step-2-other").exists()
    _step(data, "step-2")["responses"].pop()
    _response(data, "step-1", "harmful")["next"] = "step-2"
    data["steps"].remove(_step(data, "consequence"))
    scenario_from_file(data)
    assert not Response.objects.filter(slug="step-2-other").exists()
    assert not Step.objects.filter(scenario=scenario, slug="consequence").exists()


@pytest.mark.django_db
def test_removed_content_a_learner_chose_is_retired_and_keeps_their_history(employee):
    data = scenario_file()
    scenario = scenario_from_file(data)
    attempt = services.attempt_start(scenario=scenario, acting_user=employee)
    harmful = response_at(scenario, "step-1", "harmful")
    services.attempt_choose(
        attempt=attempt, step_id=harmful.step_id, response_id=harmful.pk, acting_user=employee
    )
    consequence = response_at(scenario, "consequence", "strong")
    services.attempt_choose(
        attempt=attempt,
        step_id=consequence.step_id,
        response_id=consequence.pk,
        acting_user=employee,
    )

    # The harmful response and the consequence step leave the file.
    _step(data, "step-1")["responses"].remove(_response(data, "step-1", "harmful"))
    _step(data, "step-1")["responses"].append(
        {**_response(data, "step-1", "partial"), "slug": "step-1-other", "points": 4}
    )
    data["steps"].remove(_step(data, "consequence"))
    scenario_from_file(data)

    harmful.refresh_from_db()
    assert harmful.retired
    step = Step.objects.get(scenario=scenario, slug="consequence")
    assert step.retired
    assert not step.responses.filter(retired=False).exists()
    assert attempt.choices.count() == 2
    # Loading the (now changed) file again is still idempotent, and put back it revives.
    scenario_from_file(data)
    assert Step.objects.get(pk=step.pk).retired
    scenario_from_file(scenario_file())
    assert not Step.objects.get(pk=step.pk).retired
    harmful.refresh_from_db()
    assert not harmful.retired


@pytest.mark.django_db
def test_the_retired_flag_comes_from_the_file():
    data = scenario_file()
    data["retired"] = True
    scenario = scenario_from_file(data)
    assert scenario.retired
    del data["retired"]
    scenario_from_file(data)
    scenario.refresh_from_db()
    assert not scenario.retired


# The real curriculum --------------------------------------------------------------------

REAL_SCENARIOS = {
    "interrupted-in-meetings",
    "transgender-colleague",
    "leadership-representation",
    "performative-statement",
    "token-panel",
}


def _real_principles() -> set[str]:
    data = yaml.safe_load((CURRICULUM / "principles.yaml").read_text(encoding="utf-8"))
    return {item["slug"] for item in data["principles"]}


def test_all_five_real_scenarios_exist():
    files = {path.stem for path in (CURRICULUM / "scenarios").glob("*.yaml")}
    assert files >= REAL_SCENARIOS


@pytest.mark.parametrize("slug", sorted(REAL_SCENARIOS))
def test_each_real_scenario_file_is_valid(slug):
    path = CURRICULUM / "scenarios" / f"{slug}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    validate_scenario(data, f"scenarios/{path.name}", _real_principles())
    assert data["slug"] == slug


@pytest.mark.parametrize("path", sorted((CURRICULUM / "modules").glob("*.yaml")), ids=str)
def test_each_real_modules_questions_are_valid(path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    source = f"modules/{path.name}"
    validate_questions(data["knowledge_check"], source, "knowledge_check", "check")
    validate_questions(data["assessment"], source, "assessment", "assessment")


@pytest.mark.django_db
def test_the_real_scenarios_apply_and_apply_again_unchanged():
    principles = {slug: principle_for_quizzes(slug) for slug in _real_principles()}
    for order, slug in enumerate(sorted(REAL_SCENARIOS)):
        data = yaml.safe_load((CURRICULUM / "scenarios" / f"{slug}.yaml").read_text("utf-8"))
        scenario = apply_scenario(data, principles, order)
        assert len(scenario.strongest_path) >= 5
        assert scenario.max_score >= 4 * 7
    snapshot = list(Response.objects.order_by("pk").values())
    for order, slug in enumerate(sorted(REAL_SCENARIOS)):
        data = yaml.safe_load((CURRICULUM / "scenarios" / f"{slug}.yaml").read_text("utf-8"))
        apply_scenario(data, principles, order)
    assert list(Response.objects.order_by("pk").values()) == snapshot
