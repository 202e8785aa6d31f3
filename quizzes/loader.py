"""Validate and write scenario and question content from the curriculum files.

`learning.loader.load_curriculum` reads every file, calls the `validate_*`
functions (which raise CurriculumError naming the file, the entry and the
problem, before anything is written), then calls the `apply_*` functions inside
one transaction. Applying is keyed by slugs and idempotent: loading the same
files twice changes no row. Content that learners have already answered is
retired, never deleted, so their history stays whole.
"""

import re
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model, ProtectedError

from learning.content import WORDS_PER_MINUTE, CurriculumError, render_markdown
from learning.models import Module, Principle
from quizzes.endings import CONDITION_KEYS, END, Conditions, choose_ending
from quizzes.models import (
    POINTS_RANGE,
    Option,
    Outcome,
    Question,
    QuestionForm,
    QuestionKind,
    QuestionPurpose,
    Rating,
    Response,
    Scenario,
    Step,
)

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
RESPONSES_RANGE = (3, 4)
OPTIONS_RANGE = (3, 5)
MIN_STRONGEST_DECISIONS = 4


# Shared checks -------------------------------------------------------------------------


def _text(data: dict, key: str, source: str, entry: str) -> str:
    value = data.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        raise CurriculumError(source, entry, f"is missing '{key}'")
    if not isinstance(value, str):
        raise CurriculumError(source, entry, f"'{key}' must be text")
    return value


def _slug(data: dict, source: str, entry: str) -> str:
    slug = _text(data, "slug", source, entry)
    if not SLUG.match(slug):
        raise CurriculumError(
            source, entry, f"slug '{slug}' must be lowercase letters, digits and hyphens"
        )
    return slug


def _flag(data: dict, key: str, source: str, entry: str) -> bool:
    value = data.get(key, False)
    if not isinstance(value, bool):
        raise CurriculumError(source, entry, f"'{key}' must be true or false")
    return value


def _entries(value: Any, key: str, source: str, entry: str) -> list[dict]:
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise CurriculumError(source, entry, f"'{key}' must be a list of entries")
    return value


# Scenarios -----------------------------------------------------------------------------


@dataclass(frozen=True)
class StrongestPath:
    """The best total any path can reach, and the steps (slugs) of the path that reaches it."""

    score: int
    steps: list[str]
    ratings: list[str] = field(default_factory=list)

    @property
    def decisions(self) -> int:
        """One choice per decision, whether the path finishes at an ending step or by
        `next: end`."""
        return len(self.ratings)


def _endings(steps: list[dict]) -> list[tuple[str, Conditions]]:
    return [
        (step["slug"], Conditions.from_data(step.get("when")))
        for step in steps
        if step.get("ending")
    ]


def strongest_path(steps: list[dict], start: str) -> StrongestPath:
    """Dynamic programming over the (validated, acyclic) step graph, from the endings back.

    Ties go to the response listed first, so the result is stable between loads. A path
    that finishes with `next: end` ends at the ending its score and flags earn.
    """
    by_slug = {step["slug"]: step for step in steps}
    best: dict[str, tuple[int, dict | None]] = {}

    def solve(slug: str) -> int:
        if slug in best:
            return best[slug][0]
        choice: tuple[int, dict | None] = (0, None)
        for response in by_slug[slug].get("responses") or []:
            after = 0 if response["next"] == END else solve(response["next"])
            total = response["points"] + after
            if choice[1] is None or total > choice[0]:
                choice = (total, response)
        best[slug] = choice
        return choice[0]

    score = solve(start)
    path, flags, slug, harmful = [start], set(), start, 0
    ratings: list[str] = []
    while (response := best[slug][1]) is not None:
        ratings.append(response["rating"])
        flags.update(response.get("sets") or [])
        harmful += response["rating"] == Rating.HARMFUL
        if response["next"] == END:
            ending = choose_ending(
                _endings(steps), score=score, max_score=score, flags=flags, harmful=harmful
            )
            if ending is not None:
                path.append(ending)
            break
        slug = response["next"]
        path.append(slug)
    return StrongestPath(score=score, steps=path, ratings=ratings)


@dataclass(frozen=True)
class ScenarioPath:
    """One way through a scenario: the choices made, in order, and the ending earned."""

    choices: tuple[tuple[str, dict], ...]  # (step slug, response) pairs
    ending: str | None

    @property
    def score(self) -> int:
        return sum(response["points"] for _, response in self.choices)

    @property
    def flags(self) -> frozenset[str]:
        return frozenset(flag for _, r in self.choices for flag in r.get("sets") or [])

    @property
    def ratings(self) -> list[str]:
        return [response["rating"] for _, response in self.choices]

    def describe(self) -> str:
        moves = " -> ".join(f"{step}:{response['slug']}" for step, response in self.choices)
        return f"{moves} ({self.score} points)"


MAX_PATHS = 200_000


def scenario_paths(steps: list[dict], start: str) -> list[ScenarioPath]:
    """Every path from the start of a (validated, acyclic) scenario, each with its ending."""
    by_slug = {step["slug"]: step for step in steps}
    max_score = strongest_path(steps, start).score
    endings = _endings(steps)
    paths: list[ScenarioPath] = []

    def walk(slug: str, choices: tuple) -> None:
        if len(paths) > MAX_PATHS:
            raise CurriculumError("scenario", "steps", f"has more than {MAX_PATHS} paths")
        for response in by_slug[slug].get("responses") or []:
            here = (*choices, (slug, response))
            target = response["next"]
            if target == END:
                path = ScenarioPath(here, None)
                ending = choose_ending(
                    endings,
                    score=path.score,
                    max_score=max_score,
                    flags=path.flags,
                    harmful=path.ratings.count(Rating.HARMFUL),
                )
                paths.append(ScenarioPath(here, ending))
            elif by_slug[target].get("ending"):
                paths.append(ScenarioPath(here, target))
            else:
                walk(target, here)

    walk(start, ())
    return paths


def scenario_minutes(steps: list[dict], start: str) -> int:
    """Minutes to play the strongest path: read every situation, the responses on offer
    and the feedback, plus half a minute to weigh each decision."""
    by_slug = {step["slug"]: step for step in steps}
    words = 0
    path = strongest_path(steps, start).steps
    for slug in path:
        step = by_slug[slug]
        words += len(step["situation"].split())
        for response in step.get("responses") or []:
            words += len(response["text"].split())
        if step.get("responses"):
            words += max(len(r["feedback"].split()) for r in step["responses"])
    decisions = len(path) - 1
    return max(1, round(words / WORDS_PER_MINUTE + decisions / 2))


def _flags_list(data: dict, key: str, source: str, entry: str) -> list[str]:
    value = data.get(key) or []
    if not isinstance(value, list) or not all(isinstance(i, str) and SLUG.match(i) for i in value):
        raise CurriculumError(source, entry, f"'{key}' must be a list of flag slugs")
    return value


def _validate_response(
    response: dict, step_slugs: set[str], source: str, entry: str, principle_slugs: set[str]
) -> None:
    _text(response, "text", source, entry)
    _text(response, "feedback", source, entry)
    rating = _text(response, "rating", source, entry)
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
    principle = _text(response, "principle", source, entry)
    if principle not in principle_slugs:
        raise CurriculumError(source, entry, f"principle '{principle}' is not in principles.yaml")
    _flags_list(response, "sets", source, entry)
    target = _text(response, "next", source, entry)
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
    for slug, conditions in _endings(steps):
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
    for slug, _ in _endings(steps):
        if slug not in reached:
            raise CurriculumError(
                source, f'step "{slug}"', "is an ending no path reaches (check its 'when')"
            )


def validate_scenario(data: dict, source: str, principle_slugs: set[str]) -> None:
    """Check one scenario file completely; raises CurriculumError naming the first problem."""
    if not isinstance(data, dict):
        raise CurriculumError(source, "scenario", "must be a mapping of fields")
    entry = "scenario"
    _slug(data, source, entry)
    _text(data, "title", source, entry)
    _text(data, "summary", source, entry)
    principle = _text(data, "principle", source, entry)
    if principle not in principle_slugs:
        raise CurriculumError(source, entry, f"principle '{principle}' is not in principles.yaml")
    _flag(data, "retired", source, entry)
    start = _text(data, "start", source, entry)
    steps = _entries(data.get("steps"), "steps", source, entry)
    if not steps:
        raise CurriculumError(source, entry, "has no steps")

    step_slugs: set[str] = set()
    for index, step in enumerate(steps, start=1):
        step_entry = f'step "{step.get("slug")}"' if step.get("slug") else f"step #{index}"
        slug = _slug(step, source, step_entry)
        if slug in step_slugs:
            raise CurriculumError(source, step_entry, "slug is used by another step")
        if slug == END:
            raise CurriculumError(source, step_entry, f"'{END}' is reserved for finishing")
        step_slugs.add(slug)
    if start not in step_slugs:
        raise CurriculumError(source, entry, f"start step '{start}' does not exist")

    for step in steps:
        step_entry = f'step "{step["slug"]}"'
        _text(step, "title", source, step_entry)
        _text(step, "situation", source, step_entry)
        responses = step.get("responses")
        dilemma = _flag(step, "dilemma", source, step_entry)
        if _flag(step, "ending", source, step_entry):
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
        responses = _entries(responses, "responses", source, step_entry)
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
            response_slug = _slug(response, source, response_entry)
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


def _sync(instance: Model, **values: Any) -> Model:
    """Set the values, saving (only the changed fields) when anything actually changed."""
    if instance.pk is None:
        for name, value in values.items():
            setattr(instance, name, value)
        instance.save()
        return instance
    changed = []
    for name, value in values.items():
        # Compare foreign keys by id, so checking never loads the related row.
        field = instance._meta.get_field(name)
        current = getattr(instance, field.attname)
        wanted = value.pk if isinstance(value, Model) else value
        if current != wanted:
            setattr(instance, name, value)
            changed.append(name)
    if changed:
        instance.save(update_fields=changed)
    return instance


def _deleted(instance: Model) -> bool:
    """Delete content nobody refers to; False when a choice, an attempt or a step needs it."""
    try:
        instance.delete()
    except ProtectedError:
        return False
    return True


def _remove_steps(steps: list[Step]) -> None:
    """Delete removed steps nothing needs; retire the rest with all their responses.

    Deleting runs until nothing more can go, so a step only another removed step leads
    to goes too. A step an open attempt stands on is retired whole, together with the
    old steps it leads to, so that attempt can still reach an ending.
    """
    while steps:
        remaining = [step for step in steps if not _deleted(step)]
        if len(remaining) == len(steps):
            break
        steps = remaining
    for step in steps:
        _sync(step, retired=True)
        for response in step.responses.all():
            _sync(response, retired=True)


def apply_scenario(data: dict, principles: dict[str, Principle], order: int) -> Scenario:
    """Create or update a validated scenario in place, keyed by slugs; idempotent.

    Side effects: the scenario, its steps and responses (Markdown rendered); steps and
    responses no longer in the file are deleted, or retired if a choice refers to them.
    """
    steps_data = data["steps"]
    best = strongest_path(steps_data, data["start"])
    scenario = Scenario.objects.filter(slug=data["slug"]).first() or Scenario(slug=data["slug"])
    _sync(
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
        steps[item["slug"]] = _sync(
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
            _sync(
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

    _sync(
        scenario,
        start_step=steps[data["start"]],
        max_score=best.score,
        strongest_path=best.steps,
        minutes=scenario_minutes(steps_data, data["start"]),
    )
    live_step_ids = {step.pk for step in steps.values()}
    for response in existing_responses.values():
        if response.pk not in kept and response.step_id in live_step_ids and not _deleted(response):
            _sync(response, retired=True)
    _remove_steps([step for slug, step in existing_steps.items() if slug not in steps])
    return scenario


# Questions -----------------------------------------------------------------------------


def validate_questions(items: list, source: str, entry_prefix: str, purpose: str) -> None:
    """Check a list of knowledge-check or assessment questions; raises CurriculumError."""
    if purpose not in QuestionPurpose.values:
        raise CurriculumError(source, entry_prefix, f"unknown question purpose '{purpose}'")
    questions = _entries(items, "questions", source, entry_prefix)
    seen: set[str] = set()
    for index, item in enumerate(questions, start=1):
        entry = (
            f'{entry_prefix} question "{item.get("slug")}"'
            if item.get("slug")
            else f"{entry_prefix} question #{index}"
        )
        slug = _slug(item, source, entry)
        if slug in seen:
            raise CurriculumError(source, entry, "slug is used twice")
        seen.add(slug)
        kind = _text(item, "kind", source, entry)
        if kind not in QuestionKind.values:
            raise CurriculumError(
                source, entry, f"kind '{kind}' must be one of {', '.join(QuestionKind.values)}"
            )
        _text(item, "prompt", source, entry)
        _text(item, "explanation", source, entry)
        _flag(item, "application", source, entry)
        form = item.get("form")
        if purpose == QuestionPurpose.ASSESSMENT and form not in QuestionForm.values:
            raise CurriculumError(
                source,
                entry,
                f"an assessment question needs 'form', one of {', '.join(QuestionForm.values)} "
                "(the parallel pre- and post-test forms)",
            )
        if purpose != QuestionPurpose.ASSESSMENT and form is not None:
            raise CurriculumError(source, entry, "only an assessment question has a 'form'")
        options = _entries(item.get("options"), "options", source, entry)
        low, high = OPTIONS_RANGE
        if not low <= len(options) <= high:
            raise CurriculumError(
                source, entry, f"has {len(options)} options; it needs {low} to {high}"
            )
        for number, option in enumerate(options, start=1):
            option_entry = f"{entry} option {number}"
            text = _text(option, "text", source, option_entry)
            if len(text) > 400:
                raise CurriculumError(source, option_entry, "text is longer than 400 characters")
            _flag(option, "correct", source, option_entry)
        correct = sum(1 for option in options if option.get("correct"))
        if kind == QuestionKind.SINGLE and correct != 1:
            raise CurriculumError(
                source,
                entry,
                f"a single-choice question needs exactly 1 correct option, not {correct}",
            )
        if kind == QuestionKind.MULTIPLE and correct < 2:
            raise CurriculumError(
                source,
                entry,
                f"a multiple-choice question needs at least 2 correct options, not {correct}",
            )
        if kind == QuestionKind.MULTIPLE and correct == len(options):
            raise CurriculumError(
                source, entry, "a multiple-choice question needs at least 1 wrong option"
            )


def apply_questions(
    items: list, module: Module, principle: Principle, purpose: str
) -> list[Question]:
    """Create or update validated questions in place, keyed by their global slugs; idempotent.

    Options are updated by position, so their ids (stored in learners' answers) stay
    stable. Questions of this module and purpose no longer listed are retired.
    """
    existing = {q.slug: q for q in Question.objects.filter(slug__in=[i["slug"] for i in items])}
    questions = []
    for position, item in enumerate(items):
        question = existing.get(item["slug"]) or Question(slug=item["slug"])
        _sync(
            question,
            module=module,
            principle=principle,
            purpose=purpose,
            kind=item["kind"],
            prompt=item["prompt"],
            explanation=item["explanation"],
            explanation_html=render_markdown(item["explanation"]),
            form=item.get("form", "") if purpose == QuestionPurpose.ASSESSMENT else "",
            application=bool(item.get("application", False)),
            order=position,
            retired=False,
        )
        options = {option.order: option for option in question.options.all()}
        for number, entry in enumerate(item["options"]):
            option = options.pop(number, None) or Option(question=question, order=number)
            _sync(option, text=entry["text"], is_correct=bool(entry.get("correct", False)))
        if options:
            Option.objects.filter(pk__in=[option.pk for option in options.values()]).delete()
        questions.append(question)
    stale = Question.objects.filter(module=module, purpose=purpose, retired=False).exclude(
        pk__in=[question.pk for question in questions]
    )
    if stale_ids := list(stale.values_list("pk", flat=True)):
        Question.objects.filter(pk__in=stale_ids).update(retired=True)
    return questions
