"""Facts about a learner that the quizzes app owns (scenario scores, knowledge gain), read
by badges and XP. Learning never imports quizzes: quizzes registers its readers here when
Django starts (quizzes.apps.QuizzesConfig.ready), so imports run one way, quizzes to learning.
Until then (or without quizzes installed) a learner has no scenario scores and no gain.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple


class ScenarioScore(NamedTuple):
    max_score: int
    best_score: int | None  # None until the person finishes an attempt


@dataclass
class QuizFacts:
    # Every scenario's slug with its best possible and the person's best finished score.
    scenario_scores: Callable[[Any], dict[str, ScenarioScore]] = lambda user: {}
    # Whether any course's closing test beat its starting test for the person.
    knowledge_gained: Callable[[Any], bool] = lambda user: False
    # One course's gain (post minus pre, percentage points), None without both tests.
    course_gain: Callable[[Any, Any], float | None] = lambda user, course: None


QUIZ_FACTS = QuizFacts()


def register(**readers: Callable) -> None:
    """Install the quizzes app's readers (called once, from its AppConfig.ready)."""
    for name, reader in readers.items():
        if not hasattr(QUIZ_FACTS, name):
            raise TypeError(f"No quiz fact called {name!r}.")
        setattr(QUIZ_FACTS, name, reader)
