"""The six scenarios of issue 15: they load, and each meets the structural rules.

Bystander intervention with the five Ds, a hard-of-hearing colleague in hybrid meetings, an
autistic colleague's direct style in a review, everyday racial microaggressions, hybrid work
(kitchen decisions, cameras, time zones) and a Ramadan team dinner.
"""

from collections import Counter

import pytest
import yaml
from django.urls import reverse
from django.utils.html import escape

from learning.loader import CURRICULUM_DIR, load_curriculum, read_curriculum
from learning.models import Module
from quizzes import services
from quizzes.loader import END, scenario_paths, strongest_path
from quizzes.models import Attempt, Scenario
from tests.factories import UserFactory

# Scenario slug -> (its principle, the module that practises it).
NEW_SCENARIOS = {
    "bystander-team-event": ("interrupting-bias", "interrupting-bias"),
    "hybrid-meeting-hearing": ("active-listening", "active-listening"),
    "direct-style-review": ("education-awareness", "education-awareness"),
    "where-are-you-really-from": ("educating-others", "educating-others"),
    "decided-in-the-kitchen": ("advocacy-action", "advocacy-action"),
    "ramadan-team-dinner": ("authentic-relationships", "authentic-relationships"),
}
# The words a feedback uses to name each principle.
PRINCIPLE_WORDS = {
    "education-awareness": "education and awareness",
    "active-listening": "active listening",
    "amplifying-voices": "amplifying marginalised voices",
    "advocacy-action": "advocacy and taking action",
    "interrupting-bias": "interrupting bias",
    "intersectionality": "intersectional",
    "authentic-relationships": "authentic relationships",
    "safe-spaces": "safe spaces",
    "using-privilege": "privilege",
    "educating-others": "educating others",
    "avoiding-pitfalls": "pitfall",
}
FIVE_DS = ("distract", "delegate", "document", "delay", "direct")


@pytest.fixture(scope="module")
def plan() -> dict:
    return read_curriculum(CURRICULUM_DIR)


@pytest.fixture(scope="module")
def scenarios(plan) -> dict[str, dict]:
    found = {s["slug"]: s for s in plan["scenarios"] if s["slug"] in NEW_SCENARIOS}
    assert set(found) == set(NEW_SCENARIOS)
    return found


def _decision_steps(scenario: dict) -> list[dict]:
    return [step for step in scenario["steps"] if step.get("responses")]


def _every(scenarios) -> list[tuple[str, dict]]:
    return [(slug, scenarios[slug]) for slug in sorted(NEW_SCENARIOS)]


def test_the_six_validate_with_the_whole_curriculum_and_practise_their_principle(scenarios):
    for slug, scenario in _every(scenarios):
        assert scenario["principle"] == NEW_SCENARIOS[slug][0], slug


def test_each_strongest_path_has_five_decisions_all_strong(scenarios):
    for slug, scenario in _every(scenarios):
        best = strongest_path(scenario["steps"], scenario["start"])
        assert best.decisions >= 5, (slug, best.steps)
        assert set(best.ratings) == {"strong"}, (slug, best.ratings)


def test_every_response_feedback_names_its_principle(scenarios):
    missing = [
        f"{slug}/{step['slug']}/{response['slug']}"
        for slug, scenario in _every(scenarios)
        for step in _decision_steps(scenario)
        for response in step["responses"]
        if PRINCIPLE_WORDS[response["principle"]] not in response["feedback"].lower()
    ]
    assert missing == []


def test_at_least_half_the_partial_choices_lead_to_their_own_consequence_step(scenarios):
    for slug, scenario in _every(scenarios):
        own = total = 0
        for step in _decision_steps(scenario):
            strong_next = {r["next"] for r in step["responses"] if r["rating"] == "strong"}
            for response in step["responses"]:
                if response["rating"] == "partial":
                    total += 1
                    own += response["next"] not in strong_next and response["next"] != END
        assert total >= 6, slug
        assert 2 * own >= total, (slug, own, total)


def test_each_has_a_marked_dilemma_with_two_strong_responses(scenarios):
    for slug, scenario in _every(scenarios):
        dilemmas = [step for step in scenario["steps"] if step.get("dilemma")]
        assert dilemmas, slug
        for step in dilemmas:
            assert sum(r["rating"] == "strong" for r in step["responses"]) >= 2, slug


def test_a_strong_response_is_never_the_longest_and_rarely_the_shortest(scenarios):
    steps = [step for _, s in _every(scenarios) for step in _decision_steps(s)]
    shortest = 0
    for step in steps:
        lengths = [len(r["text"]) for r in step["responses"]]
        for response in step["responses"]:
            if response["rating"] == "strong":
                assert len(response["text"]) < max(lengths), step["slug"]
        shortest += any(
            r["rating"] == "strong" and len(r["text"]) == min(lengths) for r in step["responses"]
        )
    # Picking the shortest must do no better than picking at random (about one in three).
    assert len(steps) == 55
    assert shortest <= len(steps) // 4


def test_strong_responses_are_spread_over_the_written_positions(scenarios):
    positions = Counter(
        index
        for _, scenario in _every(scenarios)
        for step in _decision_steps(scenario)
        for index, response in enumerate(step["responses"])
        if response["rating"] == "strong"
    )
    steps = sum(len(_decision_steps(s)) for _, s in _every(scenarios))
    # The first written response is strong at no more than a third of the steps.
    assert positions[0] <= steps // 3
    assert positions[1] > 0 and positions[2] > 0


def test_endings_follow_the_path_best_only_without_harm_and_weak_paths_never_best(scenarios):
    for slug, scenario in _every(scenarios):
        by_slug = {step["slug"]: step for step in scenario["steps"]}
        paths = scenario_paths(scenario["steps"], scenario["start"])
        endings = {path.ending for path in paths}
        assert None not in endings, slug
        assert len(endings) >= 4, slug
        outcomes = {by_slug[e]["outcome"] for e in endings}
        assert {"best", "poor"} <= outcomes, slug
        for path in paths:
            outcome = by_slug[path.ending]["outcome"]
            if outcome == "best":
                assert "harmful" not in path.ratings, (slug, path.describe())
            if all(rating == "harmful" for rating in path.ratings):
                assert outcome == "poor", (slug, path.describe())
        # The last choice alone no longer decides the ending: one final response reaches
        # different endings depending on what came before.
        finals: dict[str, set[str]] = {}
        for path in paths:
            finals.setdefault(path.choices[-1][1]["slug"], set()).add(path.ending)
        assert any(len(reached) > 1 for reached in finals.values()), slug


def test_the_bystander_scenario_uses_all_five_ds(scenarios):
    feedback = " ".join(
        response["feedback"].lower()
        for step in _decision_steps(scenarios["bystander-team-event"])
        for response in step["responses"]
    )
    assert [d for d in FIVE_DS if d not in feedback] == []


def test_the_cast_is_on_the_sheet_and_no_first_name_is_shared(scenarios):
    sheet = yaml.safe_load((CURRICULUM_DIR / "characters.yaml").read_text(encoding="utf-8"))
    people = {person["slug"]: person for person in sheet["characters"]}
    firsts = Counter(person["name"].split()[0] for person in sheet["characters"])
    assert [name for name, count in firsts.items() if count > 1] == []
    cast_by_scenario = {slug: set(s["cast"]) for slug, s in _every(scenarios)}
    for slug, cast in cast_by_scenario.items():
        assert cast and cast <= set(people), slug
    # Nobody is cast in two of the six, and a story names only the people it casts.
    everyone = [p for cast in cast_by_scenario.values() for p in cast]
    assert len(everyone) == len(set(everyone))
    for slug, cast in cast_by_scenario.items():
        text = (CURRICULUM_DIR / "scenarios" / f"{slug}.yaml").read_text(encoding="utf-8")
        for person in everyone:
            first = people[person]["name"].split()[0]
            assert (first in text) == (person in cast), (slug, first)


@pytest.mark.django_db
def test_load_curriculum_writes_the_six_and_attaches_each_to_its_module():
    load_curriculum()
    for slug, (principle, module_slug) in NEW_SCENARIOS.items():
        scenario = Scenario.objects.get(slug=slug)
        assert not scenario.retired
        assert scenario.principle.slug == principle
        assert scenario.max_score >= 45
        assert Module.objects.get(slug=module_slug).scenario == scenario
    # The five older scenarios each still belong to at least one module.
    for old in (
        "interrupted-in-meetings",
        "transgender-colleague",
        "leadership-representation",
        "performative-statement",
        "token-panel",
    ):
        assert Module.objects.filter(scenario__slug=old, retired=False).exists(), old


def _play(scenario: Scenario, user, pick) -> Attempt:
    """Play a loaded scenario through the services, choosing at each step with `pick`."""
    attempt = services.attempt_start(scenario=scenario, acting_user=user)
    while attempt.finished_at is None:
        step = attempt.current_step
        response = pick(list(step.responses.filter(retired=False).order_by("order")))
        services.attempt_choose(
            attempt=attempt, step_id=step.pk, response_id=response.pk, acting_user=user
        )
        attempt.refresh_from_db()
    return attempt


@pytest.mark.django_db
def test_playing_the_strongest_moves_earns_the_best_ending_and_the_weakest_a_poor_one():
    load_curriculum()
    user = UserFactory()
    for slug in sorted(NEW_SCENARIOS):
        scenario = Scenario.objects.get(slug=slug)
        best = _play(scenario, user, lambda rs: max(rs, key=lambda r: r.points))
        assert best.score == scenario.max_score, slug
        assert best.ending.outcome == "best", slug
        worst = _play(scenario, user, lambda rs: min(rs, key=lambda r: r.points))
        assert worst.ending.outcome == "poor", slug
        assert worst.score < scenario.max_score // 4, slug


@pytest.mark.django_db
def test_the_debrief_page_shows_the_ending_and_turning_points_of_a_weak_path(client):
    load_curriculum()
    user = UserFactory()
    client.force_login(user)
    for slug in sorted(NEW_SCENARIOS):
        assert client.get(reverse("quizzes:scenario-detail", args=[slug])).status_code == 200
        attempt = _play(
            Scenario.objects.get(slug=slug), user, lambda rs: min(rs, key=lambda r: r.points)
        )
        page = client.get(reverse("quizzes:attempt-detail", args=[attempt.pk])).text
        assert f"Debrief: {escape(attempt.ending.title)}" in page, slug
        # Every choice on this path was harmful, so each is a turning point.
        first = attempt.choices.order_by("pk").first()
        assert escape(first.response.text) in page, slug
