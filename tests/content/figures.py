"""Figures about the written curriculum: what a test-taking strategy would score, and more.

Pure functions over the curriculum as `learning.loader.read_curriculum` returns it (the
validated files, before anything is written), so the content check needs no database.
"""

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

STRONG = "strong"


@dataclass(frozen=True)
class Strategy:
    """Percentages: what a strategy scores against what picking at random scores."""

    name: str
    chance: float
    longest: float
    first: float

    def line(self) -> str:
        return (
            f"{self.name}: chance {self.chance:.1f}%, pick-the-longest {self.longest:.1f}%, "
            f"pick-the-first {self.first:.1f}%"
        )


def _share(hits: float, total: int) -> float:
    return round(100 * hits / total, 1) if total else 0.0


def _longest_hit(items: list[tuple[str, bool]]) -> float:
    """1 when the longest text is right, shared out between texts of equal length."""
    longest = max(len(text) for text, _ in items)
    tied = [right for text, right in items if len(text) == longest]
    return sum(tied) / len(tied)


def decision_steps(plan: dict) -> list[tuple[str, dict]]:
    return [
        (scenario["slug"], step)
        for scenario in plan["scenarios"]
        for step in scenario["steps"]
        if step.get("responses")
    ]


def questions(plan: dict) -> list[tuple[dict, dict]]:
    """(module, question) for every knowledge-check and assessment question."""
    return [
        (module, question)
        for module in plan["modules"]
        for question in module["knowledge_check"] + module["assessment"]
    ]


def scenario_strategy(plan: dict) -> Strategy:
    """A strategy 'wins' a step when the response it picks is rated strong."""
    steps = [step for _, step in decision_steps(plan)]
    chance = sum(
        sum(r["rating"] == STRONG for r in s["responses"]) / len(s["responses"]) for s in steps
    )
    longest = sum(
        _longest_hit([(r["text"], r["rating"] == STRONG) for r in s["responses"]]) for s in steps
    )
    first = sum(s["responses"][0]["rating"] == STRONG for s in steps)
    return Strategy(
        "scenario steps",
        _share(chance, len(steps)),
        _share(longest, len(steps)),
        _share(first, len(steps)),
    )


def question_strategy(plan: dict, kind: str | None = None) -> Strategy:
    """A strategy 'wins' when the single option it picks is a correct one."""
    items = [q for _, q in questions(plan) if kind is None or q["kind"] == kind]
    chance = sum(
        sum(bool(o.get("correct")) for o in q["options"]) / len(q["options"]) for q in items
    )
    longest = sum(
        _longest_hit([(o["text"], bool(o.get("correct"))) for o in q["options"]]) for q in items
    )
    first = sum(bool(q["options"][0].get("correct")) for q in items)
    name = f"{kind}-choice questions" if kind else "all questions"
    return Strategy(
        name, _share(chance, len(items)), _share(longest, len(items)), _share(first, len(items))
    )


def correct_positions(plan: dict, kind: str) -> Counter:
    """How often each written position (1-based) holds a correct option."""
    counts: Counter = Counter()
    for _, question in questions(plan):
        if question["kind"] == kind:
            for number, option in enumerate(question["options"], start=1):
                if option.get("correct"):
                    counts[number] += 1
    return counts


def correct_counts(plan: dict) -> Counter:
    """Multiple-choice questions by how many of their options are correct."""
    return Counter(
        sum(bool(o.get("correct")) for o in q["options"])
        for _, q in questions(plan)
        if q["kind"] == "multiple"
    )


def questions_per_principle(plan: dict) -> Counter:
    return Counter(module["principle"] for module, _ in questions(plan))


def partial_detours(plan: dict) -> tuple[int, int]:
    """(partial choices leading somewhere other than the step's strong choice, all partials)."""
    own = total = 0
    for _, step in decision_steps(plan):
        strong_next = {r["next"] for r in step["responses"] if r["rating"] == STRONG}
        for response in step["responses"]:
            if response["rating"] == "partial":
                total += 1
                own += response["next"] not in strong_next
    return own, total


def feedback_without_principle(plan: dict) -> list[str]:
    """Responses whose feedback uses none of its principle's terms."""
    terms = {p["slug"]: [t.lower() for t in p.get("terms", [])] for p in plan["principles"]}
    missing = []
    for scenario, step in decision_steps(plan):
        for response in step["responses"]:
            feedback = response["feedback"].lower()
            if not any(term in feedback for term in terms[response["principle"]]):
                missing.append(
                    f"{scenario}/{step['slug']}/{response['slug']} ({response['principle']})"
                )
    return missing


WORD = re.compile(r"[a-z0-9']+")


def words(text: str) -> list[str]:
    return WORD.findall(text.lower().replace("\u2019", "'"))


def shared_runs(texts: dict[str, str], seeds_dir: Path, length: int = 6) -> list[str]:
    """Every run of `length` words that a curriculum text shares with a seed article."""
    seen: set[tuple[str, ...]] = set()
    for path in sorted(seeds_dir.glob("*.txt")):
        tokens = words(path.read_text(encoding="utf-8", errors="replace"))
        seen.update(tuple(tokens[i : i + length]) for i in range(len(tokens) - length + 1))
    found = []
    for name, text in texts.items():
        tokens = words(text)
        for i in range(len(tokens) - length + 1):
            run = tuple(tokens[i : i + length])
            if run in seen:
                found.append(f"{name}: {' '.join(run)}")
    return found


def all_texts(plan: dict) -> dict[str, str]:
    """Every piece of learner-facing text, by where it lives."""

    def strings(value, where):
        if isinstance(value, str):
            yield where, value
        elif isinstance(value, dict):
            for key, item in value.items():
                yield from strings(item, f"{where}.{key}")
        elif isinstance(value, list):
            for index, item in enumerate(value):
                yield from strings(item, f"{where}[{index}]")

    texts = {}
    for group in ("modules", "scenarios"):
        for item in plan[group]:
            for where, text in strings(item, f"{group}/{item['slug']}"):
                texts[where] = text
    return texts


PROMOTION = re.compile(
    r"promotion (panel|committee|calibration|discussion|round)|calibration meeting", re.I
)
# The repeated story: a promotion decided on a vague word about the candidate's manner.
VAGUE = re.compile(
    r'"[^"\n]*(abrasive|abrupt|not quite ready|has the presence|executive presence'
    r"|not very visible)",
    re.I,
)


def promotion_panel_stories(plan: dict) -> list[str]:
    """Lessons and scenarios that tell the "abrasive, not ready" promotion-panel story."""

    def tells(text: str) -> bool:
        return bool(PROMOTION.search(text) and VAGUE.search(text))

    stories = [
        f"{module['slug']}/{lesson['slug']}"
        for module in plan["modules"]
        for lesson in module["lessons"]
        if tells(lesson["body"])
    ]
    for scenario in plan["scenarios"]:
        if tells(" ".join(step["situation"] for step in scenario["steps"])):
            stories.append(scenario["slug"])
    return stories
