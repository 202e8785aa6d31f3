"""The content check: the written curriculum teaches and measures, or this fails loudly.

Runs on the files as the loader reads them (no database). Each test prints its figures
when it fails, so a regression says what moved.
"""

from collections import Counter
from pathlib import Path

import pytest

from learning.loader import CURRICULUM_DIR, read_curriculum
from tests.content import figures

# The seed articles live beside the repository, in the shared folder.
SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"
MARGIN = 10.0  # a strategy may beat chance by at most this many points


@pytest.fixture(scope="module")
def plan():
    return read_curriculum(CURRICULUM_DIR)


def _no_better_than_chance(strategy: figures.Strategy) -> None:
    limit = strategy.chance + MARGIN
    assert strategy.longest <= limit and strategy.first <= limit, (
        f"{strategy.line()}; each must be at most {limit:.1f}%"
    )


def test_guessing_strategies_do_not_beat_chance_on_scenario_steps(plan):
    _no_better_than_chance(figures.scenario_strategy(plan))


@pytest.mark.parametrize("kind", [None, "single", "multiple"])
def test_guessing_strategies_do_not_beat_chance_on_questions(plan, kind):
    _no_better_than_chance(figures.question_strategy(plan, kind))


def test_correct_answers_are_spread_over_the_written_positions(plan):
    positions = figures.correct_positions(plan, "single")
    total = sum(positions.values())
    shares = {position: round(100 * count / total, 1) for position, count in positions.items()}
    # Single choice has 3 to 5 options: no position may hold more than 35% of the right
    # answers, and each of the first four holds at least 15%.
    assert max(shares.values()) <= 35, f"correct positions (single choice): {dict(positions)}"
    assert all(shares.get(p, 0) >= 15 for p in (1, 2, 3, 4)), (
        f"correct positions (single choice): {dict(positions)}"
    )
    multiple = figures.correct_positions(plan, "multiple")
    assert len(multiple) >= 4, f"correct positions (multiple choice): {dict(multiple)}"


def test_multiple_choice_questions_vary_how_many_options_are_correct(plan):
    counts = figures.correct_counts(plan)
    total = sum(counts.values())
    assert len(counts) >= 2 and max(counts.values()) <= 0.75 * total, (
        f"multiple-choice questions by number of correct options: {dict(counts)}"
    )


def test_every_response_feedback_names_its_principle(plan):
    missing = figures.feedback_without_principle(plan)
    assert not missing, "feedback that names none of its principle's terms:\n" + "\n".join(missing)


def test_every_principle_has_at_least_three_questions(plan):
    per_principle = figures.questions_per_principle(plan)
    short = {p["slug"]: per_principle.get(p["slug"], 0) for p in plan["principles"]}
    assert all(count >= 3 for count in short.values()), f"questions per principle: {short}"


def test_every_module_has_two_or_three_application_questions(plan):
    counts = {
        module["slug"]: sum(
            bool(q.get("application")) for q in module["knowledge_check"] + module["assessment"]
        )
        for module in plan["modules"]
    }
    assert all(2 <= count <= 3 for count in counts.values()), f"application questions: {counts}"


def test_pre_and_post_tests_are_parallel_forms_of_at_least_two_questions_a_module(plan):
    forms = {
        module["slug"]: Counter(q["form"] for q in module["assessment"])
        for module in plan["modules"]
    }
    assert all(f["pre"] >= 2 and f["post"] >= 2 for f in forms.values()), (
        f"assessment forms per module: { {m: dict(f) for m, f in forms.items()} }"
    )
    for module in plan["modules"]:
        pre = {q["prompt"] for q in module["assessment"] if q["form"] == "pre"}
        post = {q["prompt"] for q in module["assessment"] if q["form"] == "post"}
        assert not pre & post, f"{module['slug']}: the post-test repeats {pre & post}"


def test_every_scenario_has_a_real_dilemma(plan):
    without = [
        scenario["slug"]
        for scenario in plan["scenarios"]
        if not any(
            step.get("dilemma") and sum(r["rating"] == "strong" for r in step["responses"]) >= 2
            for step in scenario["steps"]
        )
    ]
    assert not without, f"scenarios without a dilemma step: {without}"


def test_at_least_half_the_partial_choices_lead_to_their_own_consequence(plan):
    own, total = figures.partial_detours(plan)
    assert own * 2 >= total, f"partial choices with their own next step: {own} of {total}"


def test_the_promotion_panel_story_is_told_at_most_twice(plan):
    stories = figures.promotion_panel_stories(plan)
    assert len(stories) <= 2, f"promotion-panel stories: {stories}"


def test_no_six_word_run_is_shared_with_the_seed_articles(plan):
    assert SEEDS.is_dir(), f"the seed articles are expected in {SEEDS.name}/ beside the repository"
    shared = figures.shared_runs(figures.all_texts(plan), SEEDS)
    assert not shared, f"{len(shared)} runs shared with the seeds:\n" + "\n".join(shared[:40])
