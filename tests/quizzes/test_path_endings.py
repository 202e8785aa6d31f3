"""Path-aware endings: the loader walks every path and proves each ending is earned."""

import pytest

from quizzes.loader import scenario_paths, validate_scenario
from quizzes.models import Response
from tests.factories import scenario_file, scenario_from_file
from tests.quizzes.scenario_edits import PRINCIPLES, SOURCE, _rejects, _response, _step

# Path-aware endings --------------------------------------------------------------------


def path_aware_file() -> dict:
    """The practice scenario with every finishing choice on `next: end`: the best ending
    needs the strong retro choice's flag and no harm, the poor ending takes the rest."""
    data = scenario_file()
    for step in data["steps"]:
        for response in step.get("responses", []):
            if response["next"].startswith("ending-"):
                response["next"] = "end"
    _response(data, "step-4", "strong")["sets"] = ["retro-led"]
    good = _step(data, "ending-good")
    good["outcome"] = "best"
    good["when"] = {"score_at_least": 70, "harmful_at_most": 0, "all_of": ["retro-led"]}
    return data


def test_a_path_aware_scenario_is_valid():
    validate_scenario(path_aware_file(), SOURCE, PRINCIPLES)


def test_the_walk_gives_every_path_the_ending_its_score_and_flags_earn():
    data = path_aware_file()
    endings = {p.describe(): p.ending for p in scenario_paths(data["steps"], data["start"])}
    strong = "step-1:step-1-strong -> step-2:step-2-strong -> step-3:step-3-strong -> "
    assert endings[strong + "step-4:step-4-strong (39 points)"] == "ending-good"
    # The same path with a weaker last move misses the flag, so it ends poorly.
    assert endings[strong + "step-4:step-4-partial (35 points)"] == "ending-poor"


def test_an_ending_marked_best_that_a_harmful_path_reaches_is_rejected():
    data = path_aware_file()
    del _step(data, "ending-good")["when"]["harmful_at_most"]
    _rejects(data, 'step "ending-good"', "is marked best, but a path with a harmful choice")


def test_an_ending_marked_poor_that_an_all_strong_path_reaches_is_rejected():
    data = path_aware_file()
    when = _step(data, "ending-good")["when"]
    when["none_of"] = when.pop("all_of")  # now the all-strong path misses the best ending
    _rejects(data, 'step "ending-poor"', "is marked poor, but a path of only strong choices")


def test_an_ending_no_path_reaches_is_rejected():
    data = path_aware_file()
    _step(data, "ending-poor")["when"] = {"score_below": 0}
    _rejects(data, "endings", "no ending's 'when' holds for the path")


def test_an_ending_shadowed_by_an_earlier_one_is_rejected():
    data = path_aware_file()
    steps = data["steps"]
    poor = _step(data, "ending-poor")
    poor["outcome"] = "mixed"
    steps.remove(poor)
    steps.insert(steps.index(_step(data, "ending-good")), poor)
    _rejects(data, 'step "ending-good"', "is an ending no path reaches")


def test_a_flag_tested_but_never_set_is_rejected():
    data = path_aware_file()
    _step(data, "ending-good")["when"]["none_of"] = ["typo-flag"]
    _rejects(data, 'step "ending-good"', "tests the flag 'typo-flag', which no response sets")


def test_a_flag_set_but_never_tested_is_rejected():
    data = path_aware_file()
    _response(data, "step-1", "partial")["sets"] = ["orphan"]
    _rejects(data, "scenario", "sets the flag 'orphan', but no ending tests it")


def test_an_ending_without_an_outcome_is_rejected():
    data = path_aware_file()
    del _step(data, "ending-poor")["outcome"]
    _rejects(data, 'step "ending-poor"', "an ending needs 'outcome'")


@pytest.mark.parametrize(
    "when, problem",
    [
        ({"score_at_least": 120}, "must be a percentage from 0 to 100"),
        ({"harmful_at_most": -1}, "must be a whole number, 0 or more"),
        ({"all_of": "retro-led"}, "must be a list of flag slugs"),
        ({"most_of": ["retro-led"]}, "conditions are"),
    ],
)
def test_malformed_conditions_are_rejected(when, problem):
    data = path_aware_file()
    _step(data, "ending-poor")["when"] = when
    _rejects(data, 'step "ending-poor"', problem)


def test_a_dilemma_needs_two_strong_responses():
    data = path_aware_file()
    _step(data, "step-2")["dilemma"] = True
    _rejects(data, 'step "step-2"', "is a dilemma, so it needs at least two strong responses")


def test_a_detour_that_pays_more_than_the_strong_choice_is_rejected():
    data = path_aware_file()
    _response(data, "step-1", "partial")["points"] = 6
    _response(data, "step-1", "partial")["next"] = "consequence"
    _response(data, "consequence", "strong")["points"] = 10
    _response(data, "step-1", "strong")["points"] = 7
    _response(data, "step-2", "strong")["points"] = 7
    _rejects(data, "scenario", "a detour must not pay more than the strong choice")


def test_applying_stores_conditions_flags_and_finishing_responses(db):
    scenario = scenario_from_file(path_aware_file())
    good = scenario.steps.get(slug="ending-good")
    assert good.outcome == "best"
    assert good.conditions == {"score_at_least": 70, "harmful_at_most": 0, "all_of": ["retro-led"]}
    strong = Response.objects.get(step__scenario=scenario, slug="step-4-strong")
    assert strong.sets == ["retro-led"] and strong.next_step is None
    assert scenario.strongest_path[-1] == "ending-good"
    assert scenario.minutes >= 1
