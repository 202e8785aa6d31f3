"""Validate and write scenario and question content from the curriculum files.

`learning.loader.load_curriculum` reads every file, calls the `validate_*`
functions (which raise CurriculumError naming the file, the entry and the
problem, before anything is written), then calls the `apply_*` functions inside
one transaction. Applying is keyed by slugs and idempotent: loading the same
files twice changes no row. Content that learners have already answered is
retired, never deleted, so their history stays whole.

- `checks`: the checks every entry shares, and writing only what changed.
- `paths`: the step graph's paths, the strongest path, a scenario's minutes.
- `scenarios`: `validate_scenario`, `apply_scenario`.
- `questions`: `validate_questions`, `apply_questions`.

It may import learning's content rules and models (a scenario belongs to a principle, a
question to a module) and quizzes' models; learning.loader is its one caller.
"""

from quizzes.endings import END
from quizzes.loader.paths import (
    ScenarioPath,
    StrongestPath,
    scenario_minutes,
    scenario_paths,
    strongest_path,
)
from quizzes.loader.questions import apply_questions, validate_questions
from quizzes.loader.scenarios import apply_scenario, validate_scenario

__all__ = [
    "END",
    "ScenarioPath",
    "StrongestPath",
    "apply_questions",
    "apply_scenario",
    "scenario_minutes",
    "scenario_paths",
    "strongest_path",
    "validate_questions",
    "validate_scenario",
]
