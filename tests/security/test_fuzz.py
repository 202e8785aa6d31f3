"""Property-based fuzzing: the content loader and the forms answer bad input with clear
errors, never a crash."""

import pytest
import yaml
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from learning.content import CurriculumError
from learning.loader import CURRICULUM_DIR, check_cast, validate_characters, validate_module
from quizzes.loader import validate_scenario
from tests.factories import UserFactory
from tests.learning.builders import build_module, module_start, plan_come_due, plan_make
from tests.learning.refresher_builders import refresher_due

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 5), st.text(max_size=30), st.floats(allow_nan=False)
)
values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=5)
    ),
    max_leaves=20,
)
MODULE_KEYS = [
    "slug",
    "title",
    "principle",
    "scenario",
    "lessons",
    "reflection_prompts",
    "knowledge_check",
    "assessment",
    "commitments",
    "order",
]
SCENARIO_KEYS = ["slug", "title", "principle", "start", "steps", "summary"]


def _wrong_type(original, value) -> bool:
    """A required field given a value of another kind (a list for a title, text for a list
    of steps) must be refused; a value of the right kind may be valid."""
    if original is None or value is None:
        return False  # an optional field, or one left empty, which may take a default
    kinds = {str: (str,), int: (int,), list: (list,), dict: (dict,), bool: (bool,)}
    wanted = kinds.get(type(original), (type(original),))
    if isinstance(value, bool) and not isinstance(original, bool):
        return True
    return not isinstance(value, wanted)


def _real(kind: str, slug: str) -> dict:
    return yaml.safe_load((CURRICULUM_DIR / kind / f"{slug}.yaml").read_text())


PRINCIPLE_SLUGS = {p["slug"] for p in _real(".", "principles")["principles"]}
SCENARIO_SLUGS = {path.stem for path in (CURRICULUM_DIR / "scenarios").glob("*.yaml")}
CHARACTERS = validate_characters("characters.yaml", _real(".", "characters"))


def _module_checked(data: dict) -> None:
    """The checks the loader runs on one module file (read_curriculum runs them on each)."""
    source = "modules/safe-spaces.yaml"
    validate_module(source, data, PRINCIPLE_SLUGS, SCENARIO_SLUGS)
    check_cast(source, f"module {data.get('slug')}", data, CHARACTERS)


@FUZZ
@given(key=st.sampled_from(MODULE_KEYS), value=values)
def test_a_module_file_with_any_field_mangled_is_rejected_clearly(key, value):
    data = _real("modules", "safe-spaces")
    must_fail = _wrong_type(data.get(key), value)
    data[key] = value
    try:
        _module_checked(data)
    except CurriculumError as error:
        assert "safe-spaces.yaml" in str(error)
    else:
        assert not must_fail, f"{key}={value!r} was accepted"


@FUZZ
@given(key=st.sampled_from(SCENARIO_KEYS), value=values)
def test_a_scenario_with_any_field_mangled_is_rejected_clearly(key, value):
    data = _real("scenarios", "token-panel")
    must_fail = _wrong_type(data.get(key), value)
    data[key] = value
    try:
        validate_scenario(data, "scenarios/token-panel.yaml", PRINCIPLE_SLUGS)
    except CurriculumError as error:
        assert "token-panel.yaml" in str(error)
    else:
        assert not must_fail, f"{key}={value!r} was accepted"


@FUZZ
@given(
    step=st.integers(0, 40),
    field=st.sampled_from(["responses", "next", "points", "rating", "slug"]),
    value=values,
)
def test_a_scenario_step_mangled_anywhere_is_rejected_clearly(step, field, value):
    data = _real("scenarios", "interrupted-in-meetings")
    target = data["steps"][step % len(data["steps"])]
    if field in ("responses", "slug") or not target.get("responses"):
        must_fail = _wrong_type(target.get(field), value)
        target[field] = value
    else:
        must_fail = _wrong_type(target["responses"][0].get(field), value)
        target["responses"][0][field] = value
    try:
        validate_scenario(data, "scenarios/interrupted-in-meetings.yaml", PRINCIPLE_SLUGS)
    except CurriculumError as error:
        assert "interrupted-in-meetings.yaml" in str(error)
    else:
        assert not must_fail, f"step {step} {field}={value!r} was accepted"


form_values = st.dictionaries(
    st.sampled_from(
        [
            "choice",
            "text",
            "check_in_on",
            "status",
            "note",
            "new_check_in_on",
            "step",
            "response",
            "situation",
            "private_note",
            "arose",
            "went",
            "number",
            "selected",
        ]
    ),
    st.one_of(st.text(max_size=80), st.integers(-(10**12), 10**12).map(str), st.dates().map(str)),
    max_size=6,
)


@pytest.mark.django_db
@FUZZ
@given(data=form_values)
def test_learning_forms_never_crash(employee, data):
    learner = UserFactory()  # a fresh learner per example: the open-plan limit never bites
    module = build_module()
    module_start(learner, module)
    commitment = plan_make(learner, build_module(), days=3)
    plan_come_due(commitment)
    card, _ = refresher_due(learner)
    client = Client()
    client.force_login(learner)
    urls = [
        reverse("learning:module-commit", args=[module.slug]),
        reverse("learning:commitment-check-in", args=[commitment.pk]),
        reverse("learning:reflection-edit", args=[module.prompts.first().pk]),
        reverse("refreshers:answer", args=[card.pk]),
    ]
    for url in urls:
        response = client.post(url, data)
        assert response.status_code < 500, (url, data)
