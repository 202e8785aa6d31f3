"""Small edits of a scenario file for the loader tests, and the check that it is refused."""

import pytest

from learning.content import CurriculumError
from quizzes.loader import validate_scenario

PRINCIPLES = {"interrupting-bias", "active-listening", "amplifying-voices"}
SOURCE = "scenarios/practice-scenario.yaml"


def _step(data: dict, slug: str) -> dict:
    return next(step for step in data["steps"] if step["slug"] == slug)


def _response(data: dict, step: str, rating: str) -> dict:
    return next(r for r in _step(data, step)["responses"] if r["rating"] == rating)


def _rejects(data: dict, entry: str, problem: str) -> CurriculumError:
    with pytest.raises(CurriculumError) as caught:
        validate_scenario(data, SOURCE, PRINCIPLES)
    error = caught.value
    assert error.source == SOURCE
    assert error.entry == entry, str(error)
    assert problem in error.problem, str(error)
    assert SOURCE in str(error) and entry in str(error)
    return error
