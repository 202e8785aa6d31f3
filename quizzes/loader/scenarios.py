"""Scenario files: validate one (its fields, its graph, its endings), then write it in place,
keyed by slugs; steps learners have used are retired, never deleted."""

from learning.content import SLUG, CurriculumError, render_markdown, slug_field
from learning.models import Principle
from quizzes.endings import CONDITION_KEYS, END
from quizzes.loader.checks import (
    MIN_STRONGEST_DECISIONS,
    RESPONSES_RANGE,
    deleted,
    entry_list,
    flag_field,
    required_text,
    sync,
)
from quizzes.loader.paths import (
    ScenarioPath,
    endings_of,
    scenario_minutes,
    scenario_paths,
    strongest_path,
)
from quizzes.models import (
    POINTS_RANGE,
    Outcome,
    Rating,
    Response,
    Scenario,
    Step,
)


def _flags_list(data: dict, key: str, source: str, entry: str) -> list[str]:
    value = data.get(key) or []
    if not isinstance(value, list) or not all(isinstance(i, str) and SLUG.match(i) for i in value):
        raise CurriculumError(source, entry, f"'{key}' must be a list of flag slugs")
    return value


def _validate_response(
    response: dict, step_slugs: set[str], source: str, entry: str, principle_slugs: set[str]
) -> None:
    required_text(response, "text", source, entry)
    required_text(response, "feedback", source, entry)
    rating = required_text(response, "rating", source, entry)
    if rating not in Rating.values:
        raise CurriculumError(
            source, entry, f"rating '{rating}' must be one of {', '.join(Rating.values)}"
        )
    points = response.get("points")
    if isinstance(points, bool) or not isinstance(points, int):
        raise CurriculumError(source, entry, "'points' must be a whole number")
    low, high = POINTS_RANGE[Rating(rating)]
    if not low <= points <= high:
        raise CurriculumError(
            source, entry, f"{points} points is outside {low}-{high}, the range for '{rating}'"
        )
    principle = required_text(response, "principle", source, entry)
    if principle not in principle_slugs:
        raise CurriculumError(source, entry, f"principle '{principle}' is not in principles.yaml")
    _flags_list(response, "sets", source, entry)
    target = required_text(response, "next", source, entry)
    if target != END and target not in step_slugs:
        raise CurriculumError(
            source, entry, f"next step '{target}' does not exist (use '{END}' to finish)"
        )


def _validate_graph(steps: list[dict], start: str, source: str) -> None:
    """Every step reachable from the start, and no path that loops back on itself."""
    by_slug = {step["slug"]: step for step in steps}
    reached: set[str] = set()
    finished: set[str] = set()

    def visit(slug: str, trail: list[str]) -> None:
        reached.add(slug)
        for response in by_slug[slug].get("responses") or []:
            target = response["next"]
            if target == END:
                if not any(step.get("ending") for step in steps):
                    raise CurriculumError(
                        source,
                        f'step "{slug}" response "{response["slug"]}"',
                        "finishes the scenario, but the scenario has no ending",
                    )
                continue
            if target in trail:
                loop = " -> ".join([*trail[trail.index(target) :], target])
                raise CurriculumError(
                    source,
                    f'step "{slug}" response "{response["slug"]}"',
                    f"leads back to an earlier step, so a path never ends ({loop})",
                )
            if target not in finished:
                visit(target, [*trail, target])
        finished.add(slug)

    visit(start, [start])
    # Endings are reached through `next: end` (the path's conditions pick one), or named.
    chosen = (
        {step["slug"] for step in steps if step.get("ending")}
        if any(
            response["next"] == END
            for step in steps
            if step["slug"] in reached
            for response in step.get("responses") or []
        )
        else set()
    )
    for step in steps:
        if step["slug"] not in reached and step["slug"] not in chosen:
            raise CurriculumError(
                source, f'step "{step["slug"]}"', f'cannot be reached from the start "{start}"'
            )


def _validate_ending_fields(step: dict, source: str, entry: str) -> None:
    outcome = step.get("outcome")
    if outcome not in Outcome.values:
        raise CurriculumError(
            source, entry, f"an ending needs 'outcome', one of {', '.join(Outcome.values)}"
        )
    when = step.get("when")
    if when is None:
        return
    if not isinstance(when, dict):
        raise CurriculumError(source, entry, "'when' must be a mapping of conditions")
    for key in when:
        if key not in CONDITION_KEYS:
            raise CurriculumError(
                source, entry, f"'when' has '{key}'; conditions are {', '.join(CONDITION_KEYS)}"
            )
    for key in ("score_at_least", "score_below"):
        value = when.get(key)
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100
        ):
            raise CurriculumError(source, entry, f"'{key}' must be a percentage from 0 to 100")
    harmful = when.get("harmful_at_most")
    if harmful is not None and (
        isinstance(harmful, bool) or not isinstance(harmful, int) or harmful < 0
    ):
        raise CurriculumError(source, entry, "'harmful_at_most' must be a whole number, 0 or more")
    for key in ("all_of", "any_of", "none_of"):
        _flags_list(when, key, source, entry)


# What an outcome promises about every path that reaches it.
def _outcome_problem(outcome: str, path: ScenarioPath) -> str | None:
    harmful = path.ratings.count(Rating.HARMFUL)
    if outcome == Outcome.BEST and harmful:
        return "is marked best, but a path with a harmful choice reaches it"
    if outcome == Outcome.GOOD and harmful > 1:
        return "is marked good, but a path with more than one harmful choice reaches it"
    if outcome == Outcome.POOR and all(r == Rating.STRONG for r in path.ratings):
        return "is marked poor, but a path of only strong choices reaches it"
    return None


def _validate_endings(steps: list[dict], start: str, source: str) -> None:
    """Walk every path: each earns an ending, each ending is reached and deserved."""
    by_slug = {step["slug"]: step for step in steps}
    set_flags = {
        flag for step in steps for r in step.get("responses") or [] for flag in r.get("sets") or []
    }
    tested: set[str] = set()
    for slug, conditions in endings_of(steps):
        tested |= conditions.flags()
        for flag in sorted(conditions.flags() - set_flags):
            raise CurriculumError(
                source, f'step "{slug}"', f"tests the flag '{flag}', which no response sets"
            )
    for flag in sorted(set_flags - tested):
        raise CurriculumError(
            source, "scenario", f"a response sets the flag '{flag}', but no ending tests it"
        )
    reached: dict[str, int] = {}
    for path in scenario_paths(steps, start):
        if path.ending is None:
            raise CurriculumError(
                source,
                "endings",
                f"no ending's 'when' holds for the path {path.describe()} with flags "
                f"{sorted(path.flags) or 'none'}; add a broad ending last",
            )
        reached[path.ending] = reached.get(path.ending, 0) + 1
        problem = _outcome_problem(by_slug[path.ending]["outcome"], path)
        if problem:
            raise CurriculumError(source, f'step "{path.ending}"', f"{problem}: {path.describe()}")
    for slug, _ in endings_of(steps):
        if slug not in reached:
            raise CurriculumError(
                source, f'step "{slug}"', "is an ending no path reaches (check its 'when')"
            )


def validate_scenario(data: dict, source: str, principle_slugs: set[str]) -> None:
    """Check one scenario file completely; raises CurriculumError naming the first problem."""
    if not isinstance(data, dict):
        raise CurriculumError(source, "scenario", "must be a mapping of fields")
    entry = "scenario"
    slug_field(data, source, entry)
    required_text(data, "title", source, entry)
    required_text(data, "summary", source, entry)
    principle = required_text(data, "principle", source, entry)
    if principle not in principle_slugs:
        raise CurriculumError(source, entry, f"principle '{principle}' is not in principles.yaml")
    flag_field(data, "retired", source, entry)
    start = required_text(data, "start", source, entry)
    steps = entry_list(data.get("steps"), "steps", source, entry)
    if not steps:
        raise CurriculumError(source, entry, "has no steps")

    step_slugs: set[str] = set()
    for index, step in enumerate(steps, start=1):
        step_entry = f'step "{step.get("slug")}"' if step.get("slug") else f"step #{index}"
        slug = slug_field(step, source, step_entry)
        if slug in step_slugs:
            raise CurriculumError(source, step_entry, "slug is used by another step")
        if slug == END:
            raise CurriculumError(source, step_entry, f"'{END}' is reserved for finishing")
        step_slugs.add(slug)
    if start not in step_slugs:
        raise CurriculumError(source, entry, f"start step '{start}' does not exist")

    for step in steps:
        step_entry = f'step "{step["slug"]}"'
        required_text(step, "title", source, step_entry)
        required_text(step, "situation", source, step_entry)
        responses = step.get("responses")
        dilemma = flag_field(step, "dilemma", source, step_entry)
        if flag_field(step, "ending", source, step_entry):
            if responses:
                raise CurriculumError(source, step_entry, "is an ending, so it has no responses")
            if dilemma:
                raise CurriculumError(source, step_entry, "is an ending, so it is no dilemma")
            _validate_ending_fields(step, source, step_entry)
            continue
        if not responses:
            raise CurriculumError(
                source,
                step_entry,
                "is not an ending but has no responses, so a path would stop here without "
                "a debrief (add 3-4 responses or 'ending: true')",
            )
        for key in ("outcome", "when"):
            if key in step:
                raise CurriculumError(source, step_entry, f"only an ending has '{key}'")
        responses = entry_list(responses, "responses", source, step_entry)
        low, high = RESPONSES_RANGE
        if not low <= len(responses) <= high:
            raise CurriculumError(
                source, step_entry, f"has {len(responses)} responses; it needs {low} to {high}"
            )
        response_slugs: set[str] = set()
        for index, response in enumerate(responses, start=1):
            response_entry = (
                f'{step_entry} response "{response.get("slug")}"'
                if response.get("slug")
                else f"{step_entry} response #{index}"
            )
            response_slug = slug_field(response, source, response_entry)
            if response_slug in response_slugs:
                raise CurriculumError(source, response_entry, "slug is used twice in this step")
            response_slugs.add(response_slug)
            _validate_response(response, step_slugs, source, response_entry, principle_slugs)
        if dilemma and sum(r["rating"] == Rating.STRONG for r in responses) < 2:
            raise CurriculumError(
                source, step_entry, "is a dilemma, so it needs at least two strong responses"
            )

    _validate_graph(steps, start, source)
    best = strongest_path(steps, start)
    if best.decisions < MIN_STRONGEST_DECISIONS:
        raise CurriculumError(
            source,
            entry,
            f"the strongest path ({' -> '.join(best.steps)}) has {best.decisions} decision(s); "
            f"it needs at least {MIN_STRONGEST_DECISIONS}",
        )
    if any(rating != Rating.STRONG for rating in best.ratings):
        raise CurriculumError(
            source,
            entry,
            f"the highest-scoring path ({' -> '.join(best.steps)}) includes a choice that is not "
            "strong: a detour must not pay more than the strong choice it replaces",
        )
    try:
        _validate_endings(steps, start, source)
    except CurriculumError as error:
        if error.source == "scenario":  # raised by the path walk, which has no file name
            raise CurriculumError(source, error.entry, error.problem) from error
        raise


def _remove_steps(steps: list[Step]) -> None:
    """Delete removed steps nothing needs; retire the rest with all their responses.

    Deleting runs until nothing more can go, so a step only another removed step leads
    to goes too. A step an open attempt stands on is retired whole, together with the
    old steps it leads to, so that attempt can still reach an ending.
    """
    while steps:
        remaining = [step for step in steps if not deleted(step)]
        if len(remaining) == len(steps):
            break
        steps = remaining
    for step in steps:
        sync(step, retired=True)
        for response in step.responses.all():
            sync(response, retired=True)


def apply_scenario(data: dict, principles: dict[str, Principle], order: int) -> Scenario:
    """Create or update a validated scenario in place, keyed by slugs; idempotent.

    Side effects: the scenario, its steps and responses (Markdown rendered); steps and
    responses no longer in the file are deleted, or retired if a choice refers to them.
    """
    steps_data = data["steps"]
    best = strongest_path(steps_data, data["start"])
    scenario = Scenario.objects.filter(slug=data["slug"]).first() or Scenario(slug=data["slug"])
    sync(
        scenario,
        title=data["title"],
        principle=principles[data["principle"]],
        summary=data.get("summary", ""),
        order=order,
        retired=bool(data.get("retired", False)),
    )

    existing_steps = {step.slug: step for step in scenario.steps.all()}
    steps: dict[str, Step] = {}
    for position, item in enumerate(steps_data):
        step = existing_steps.get(item["slug"]) or Step(scenario=scenario, slug=item["slug"])
        steps[item["slug"]] = sync(
            step,
            title=item["title"],
            situation=item["situation"],
            situation_html=render_markdown(item["situation"]),
            is_ending=bool(item.get("ending", False)),
            dilemma=bool(item.get("dilemma", False)),
            outcome=item.get("outcome", "") if item.get("ending") else "",
            conditions=dict(item.get("when") or {}),
            order=position,
            retired=False,
        )

    existing_responses = {
        (response.step_id, response.slug): response
        for response in Response.objects.filter(step__scenario=scenario)
    }
    kept: set[int] = set()
    for item in steps_data:
        step = steps[item["slug"]]
        for position, entry in enumerate(item.get("responses") or []):
            response = existing_responses.get((step.pk, entry["slug"])) or Response(
                step=step, slug=entry["slug"]
            )
            sync(
                response,
                text=entry["text"],
                rating=entry["rating"],
                points=entry["points"],
                principle=principles[entry["principle"]],
                feedback=entry["feedback"],
                feedback_html=render_markdown(entry["feedback"]),
                sets=list(entry.get("sets") or []),
                next_step=None if entry["next"] == END else steps[entry["next"]],
                order=position,
                retired=False,
            )
            kept.add(response.pk)

    sync(
        scenario,
        start_step=steps[data["start"]],
        max_score=best.score,
        strongest_path=best.steps,
        minutes=scenario_minutes(steps_data, data["start"]),
    )
    live_step_ids = {step.pk for step in steps.values()}
    for response in existing_responses.values():
        if response.pk not in kept and response.step_id in live_step_ids and not deleted(response):
            sync(response, retired=True)
    _remove_steps([step for slug, step in existing_steps.items() if slug not in steps])
    return scenario
