"""The people-leader course as written: its own modules, measured questions, real scenarios.

Reads the validated curriculum files (no database) except the last test, which loads
them and checks what a learner would be given.
"""

import re
from collections import Counter

import pytest
import yaml

from learning.loader import CURRICULUM_DIR, load_curriculum, read_curriculum
from quizzes.loader import scenario_paths, strongest_path
from tests.content import figures

PLAN = read_curriculum(CURRICULUM_DIR)
COURSE = next(c for c in PLAN["courses"] if c["slug"] == "allyship-for-people-leaders")
MODULES = [next(m for m in PLAN["modules"] if m["slug"] == slug) for slug in COURSE["modules"]]
SCENARIOS = {s["slug"]: s for s in PLAN["scenarios"]}
LEADER_SCENARIOS = [SCENARIOS[m["scenario"]] for m in MODULES]
LEADER_PLAN = {**PLAN, "modules": MODULES, "scenarios": LEADER_SCENARIOS}
CAST = yaml.safe_load((CURRICULUM_DIR / "characters.yaml").read_text(encoding="utf-8"))
CHARACTERS = {c["slug"]: c for c in CAST["characters"]}
IF_THEN = re.compile(r"^When .+?, I will .+\.$")


def test_the_course_has_its_own_five_modules_on_the_five_leader_topics():
    assert COURSE["title"] == "Allyship for people leaders"
    assert COURSE["modules"] == [
        "leader-receiving-disclosures",
        "leader-complaints-without-retaliation",
        "leader-fair-reviews",
        "leader-inclusive-meetings",
        "leader-sponsorship",
    ]
    others = {
        slug for course in PLAN["courses"] if course is not COURSE for slug in course["modules"]
    }
    assert not others & set(COURSE["modules"])
    # Each module has its own scenario, not shared with any other module.
    scenarios = [m["scenario"] for m in PLAN["modules"]]
    for module in MODULES:
        assert scenarios.count(module["scenario"]) == 1, module["slug"]


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m["slug"])
def test_each_module_measures_with_application_questions_and_parallel_forms(module):
    checks, assessment = module["knowledge_check"], module["assessment"]
    assert 3 <= len(checks) <= 5
    assert 2 <= sum(bool(q.get("application")) for q in checks) <= 3
    forms = Counter(q["form"] for q in assessment)
    assert forms["pre"] >= 2 and forms["post"] >= 2
    pre = {q["prompt"] for q in assessment if q["form"] == "pre"}
    post = {q["prompt"] for q in assessment if q["form"] == "post"}
    assert not pre & post  # the post-test is not a repeat
    kinds = {q["kind"] for q in checks + assessment}
    assert kinds == {"single", "multiple"}


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m["slug"])
def test_each_module_suggests_if_then_commitments_and_several_reflections(module):
    assert len(module["commitments"]) >= 3
    for commitment in module["commitments"]:
        assert IF_THEN.match(commitment["text"]), commitment["text"]
    assert len(module["reflection_prompts"]) >= 2


def test_the_course_questions_cannot_be_answered_by_position_or_length():
    figures_seen = []
    for kind in ("single", "multiple"):
        strategy = figures.question_strategy(LEADER_PLAN, kind)
        figures_seen.append(strategy.line())
        assert strategy.longest <= strategy.chance + 10, figures_seen
        assert strategy.first <= strategy.chance + 10, figures_seen
    single = figures.correct_positions(LEADER_PLAN, "single")
    assert set(single) == {1, 2, 3, 4}
    assert max(single.values()) <= 2 * min(single.values()), single
    assert len(figures.correct_counts(LEADER_PLAN)) >= 2  # 2 correct, 3 correct, ...


@pytest.mark.parametrize("scenario", LEADER_SCENARIOS, ids=lambda s: s["slug"])
def test_each_scenario_has_a_long_strong_path_a_dilemma_and_path_aware_endings(scenario):
    steps = scenario["steps"]
    best = strongest_path(steps, scenario["start"])
    assert best.decisions >= 5, best.steps
    assert set(best.ratings) == {"strong"}
    dilemmas = [s for s in steps if s.get("dilemma")]
    assert dilemmas
    for step in dilemmas:
        assert sum(r["rating"] == "strong" for r in step["responses"]) >= 2
    endings = {s["slug"]: s for s in steps if s.get("ending")}
    outcomes = {s["outcome"] for s in endings.values()}
    assert {"best", "poor"} <= outcomes and len(endings) >= 3
    reached = Counter(path.ending for path in scenario_paths(steps, scenario["start"]))
    assert set(reached) == set(endings)
    # The ending follows the path, not only the last choice: some final choice leads to
    # different endings depending on what came before.
    by_last: dict[str, set[str]] = {}
    for path in scenario_paths(steps, scenario["start"]):
        step, response = path.choices[-1]
        by_last.setdefault(f"{step}/{response['slug']}", set()).add(path.ending)
    assert any(len(found) > 1 for found in by_last.values()), by_last


@pytest.mark.parametrize("scenario", LEADER_SCENARIOS, ids=lambda s: s["slug"])
def test_strong_moves_are_single_and_partial_choices_change_the_story(scenario):
    for step in scenario["steps"]:
        responses = step.get("responses") or []
        if not responses:
            continue
        longest = max(len(r["text"]) for r in responses)
        for response in responses:
            if response["rating"] == "strong":
                assert len(response["text"]) < longest, (step["slug"], response["slug"])
    own, total = figures.partial_detours({**PLAN, "scenarios": [scenario]})
    assert 2 * own >= total, f"{own} of {total} partial choices have their own consequence"


def test_the_course_scenarios_cannot_be_won_by_position_or_length():
    strategy = figures.scenario_strategy(LEADER_PLAN)
    assert strategy.longest <= strategy.chance + 10, strategy.line()
    assert strategy.first <= strategy.chance + 10, strategy.line()


def test_every_person_named_in_the_course_is_on_the_cast_sheet_once():
    first_names = Counter(c["name"].split()[0] for c in CAST["characters"])
    assert [name for name, count in first_names.items() if count > 1] == []
    for item in [*MODULES, *LEADER_SCENARIOS]:
        assert item["cast"], item["slug"]
        for slug in item["cast"]:
            assert slug in CHARACTERS, (item["slug"], slug)
    # A first name of the course's cast appears in no other module or scenario.
    leader_names = {
        CHARACTERS[slug]["name"].split()[0]
        for item in [*MODULES, *LEADER_SCENARIOS]
        for slug in item["cast"]
    }
    elsewhere = [
        text
        for where, text in figures.all_texts(PLAN).items()
        if not where.split("/")[1].startswith("leader-")
    ]
    for name in sorted(leader_names):
        pattern = re.compile(rf"\b{name}\b")
        assert not any(pattern.search(text) for text in elsewhere), name


@pytest.mark.django_db
def test_loading_the_curriculum_gives_people_leaders_the_whole_course():
    from learning.models import Course
    from quizzes.models import Question, QuestionPurpose, Scenario

    load_curriculum()
    course = Course.objects.get(slug="allyship-for-people-leaders")
    modules = list(course.course_modules.order_by("order").values_list("module__slug", flat=True))
    assert modules == COURSE["modules"]
    assert course.module_count == 5 and not course.retired
    questions = Question.objects.filter(module__slug__in=modules, retired=False)
    assert questions.filter(purpose=QuestionPurpose.ASSESSMENT).count() == 20
    assert questions.filter(purpose=QuestionPurpose.CHECK).count() == 25
    scenarios = Scenario.objects.filter(slug__in=[m["scenario"] for m in MODULES])
    assert scenarios.count() == 5 and not scenarios.filter(retired=True).exists()


def _play(scenario, user, pick) -> "object":
    """Play a scenario through the service, choosing at each step with `pick`."""
    from quizzes import services
    from quizzes.models import Response

    attempt = services.attempt_start(scenario=scenario, acting_user=user)
    for _ in range(20):
        if attempt.finished_at is not None:
            return attempt
        live = Response.objects.filter(step=attempt.current_step, retired=False)
        chosen = pick(list(live.order_by("order")))
        services.attempt_choose(
            attempt=attempt,
            step_id=attempt.current_step_id,
            response_id=chosen.pk,
            acting_user=user,
        )
        attempt.refresh_from_db()
    pytest.fail(f"{scenario.slug} did not finish")


@pytest.mark.django_db
@pytest.mark.parametrize("slug", [s["slug"] for s in LEADER_SCENARIOS])
def test_the_strongest_play_earns_the_best_ending_and_harmful_play_a_poor_one(slug):
    from quizzes.models import Outcome, Scenario
    from tests.factories import UserFactory

    load_curriculum()
    scenario = Scenario.objects.get(slug=slug)
    strong = _play(scenario, UserFactory(), lambda rs: max(rs, key=lambda r: r.points))
    assert strong.ending.outcome == Outcome.BEST
    assert strong.score == scenario.max_score
    harmful = _play(scenario, UserFactory(), lambda rs: min(rs, key=lambda r: r.points))
    assert harmful.ending.outcome == Outcome.POOR
    assert harmful.score < scenario.max_score // 4
