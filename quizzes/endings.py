"""Which ending a scenario path earns: score bands and flags, read from the scenario file.

Pure functions on plain values, shared by the loader (which walks every path to prove
each ending reachable and deserved) and the attempt service (which picks the ending
when a learner's choice finishes the scenario). Neither touches the database here.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

# A response whose `next` is this finishes the scenario; the path's conditions pick the ending.
END = "end"
HARMFUL = "harmful"  # quizzes.models.Rating.HARMFUL, kept here so this module stays pure
CONDITION_KEYS = (
    "score_at_least",
    "score_below",
    "harmful_at_most",
    "all_of",
    "any_of",
    "none_of",
)


@dataclass(frozen=True)
class Conditions:
    """When an ending is given: every condition present must hold.

    Scores are percentages of the scenario's best possible score; `harmful_at_most`
    counts the choices rated harmful on the path.
    """

    score_at_least: int | None = None
    score_below: int | None = None
    harmful_at_most: int | None = None
    all_of: frozenset[str] = frozenset()
    any_of: frozenset[str] = frozenset()
    none_of: frozenset[str] = frozenset()

    @classmethod
    def from_data(cls, data: Mapping | None) -> "Conditions":
        data = data or {}
        return cls(
            score_at_least=data.get("score_at_least"),
            score_below=data.get("score_below"),
            harmful_at_most=data.get("harmful_at_most"),
            all_of=frozenset(data.get("all_of") or ()),
            any_of=frozenset(data.get("any_of") or ()),
            none_of=frozenset(data.get("none_of") or ()),
        )

    def flags(self) -> frozenset[str]:
        """Every flag these conditions mention."""
        return self.all_of | self.any_of | self.none_of

    def holds(self, *, score: int, max_score: int, flags: Iterable[str], harmful: int = 0) -> bool:
        # Integer arithmetic: score / max_score >= n% without rounding surprises.
        scaled = score * 100
        limit = max(max_score, 1)
        if self.score_at_least is not None and scaled < self.score_at_least * limit:
            return False
        if self.score_below is not None and scaled >= self.score_below * limit:
            return False
        if self.harmful_at_most is not None and harmful > self.harmful_at_most:
            return False
        have = set(flags)
        if not self.all_of <= have:
            return False
        if self.any_of and not self.any_of & have:
            return False
        return not self.none_of & have


def choose_ending[T](
    endings: Iterable[tuple[T, Conditions]],
    *,
    score: int,
    max_score: int,
    flags: Iterable[str],
    harmful: int = 0,
) -> T | None:
    """The first ending (in file order) whose conditions hold for the path, or None."""
    flags = frozenset(flags)
    for ending, conditions in endings:
        if conditions.holds(score=score, max_score=max_score, flags=flags, harmful=harmful):
            return ending
    return None


def ending_for_path[T](endings: Iterable[T], choices: Iterable, *, max_score: int) -> T | None:
    """The ending a finished path earns, from rows already loaded.

    `endings` are ending steps in file order (each with `conditions`); `choices` are the
    path's responses (each with `points`, `sets` and `rating`).
    """
    choices = list(choices)
    return choose_ending(
        [(ending, Conditions.from_data(ending.conditions)) for ending in endings],
        score=sum(choice.points for choice in choices),
        max_score=max_score,
        flags={flag for choice in choices for flag in choice.sets or []},
        harmful=sum(choice.rating == HARMFUL for choice in choices),
    )
