"""The paths through a scenario's step graph: every path with its ending, the strongest
path (best total over the whole graph), and the minutes a scenario takes."""

from dataclasses import dataclass, field

from learning.content import WORDS_PER_MINUTE, CurriculumError
from quizzes.endings import END, Conditions, choose_ending
from quizzes.models import (
    Rating,
)


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


def endings_of(steps: list[dict]) -> list[tuple[str, Conditions]]:
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
                endings_of(steps), score=score, max_score=score, flags=flags, harmful=harmful
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
    endings = endings_of(steps)
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
