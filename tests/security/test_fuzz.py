"""Property-based fuzzing: the content loader and the forms answer bad input with clear
errors, never a crash."""

import contextlib
import datetime
import shutil

import pytest
import yaml
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from learning import services
from learning.content import CurriculumError
from learning.loader import CURRICULUM_DIR, read_curriculum
from quizzes.loader import validate_scenario
from tests.learning.builders import build_module

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


# The type each mangled field must have; any other value must be refused with an error that
# names the file (a fuzz test that only checked for "no crash" would pass if it were accepted).
MODULE_TYPES = (
    dict.fromkeys(("slug", "title", "principle", "scenario"), str)
    | dict.fromkeys(
        ("lessons", "reflection_prompts", "knowledge_check", "assessment", "commitments"), list
    )
    | {"order": int}
)
SCENARIO_TYPES = dict.fromkeys(SCENARIO_KEYS, str) | {"steps": list}
STEP_TYPES = {"responses": list, "next": str, "points": int, "rating": str, "slug": str}


def _wrong_type(kind: type, value: object) -> bool:
    return isinstance(value, bool) or not isinstance(value, kind)


def _real(kind: str, slug: str) -> dict:
    return yaml.safe_load((CURRICULUM_DIR / kind / f"{slug}.yaml").read_text())


@FUZZ
@given(key=st.sampled_from(MODULE_KEYS), value=values)
def test_a_module_file_with_any_field_mangled_is_rejected_clearly(tmp_path_factory, key, value):
    base = tmp_path_factory.mktemp("curriculum") / "curriculum"
    shutil.copytree(CURRICULUM_DIR, base)
    data = _real("modules", "safe-spaces")
    data[key] = value
    (base / "modules" / "safe-spaces.yaml").write_text(yaml.safe_dump(data))
    if _wrong_type(MODULE_TYPES[key], value):
        with pytest.raises(CurriculumError, match="safe-spaces.yaml"):
            read_curriculum(base)
        return
    try:
        read_curriculum(base)
    except CurriculumError as error:
        assert "safe-spaces.yaml" in str(error)


@FUZZ
@given(key=st.sampled_from(SCENARIO_KEYS), value=values)
def test_a_scenario_with_any_field_mangled_is_rejected_clearly(key, value):
    data = _real("scenarios", "token-panel")
    data[key] = value
    principles = {
        p["slug"]
        for p in yaml.safe_load((CURRICULUM_DIR / "principles.yaml").read_text())["principles"]
    }
    if _wrong_type(SCENARIO_TYPES[key], value):
        with pytest.raises(CurriculumError, match="token-panel.yaml"):
            validate_scenario(data, "scenarios/token-panel.yaml", principles)
        return
    try:
        validate_scenario(data, "scenarios/token-panel.yaml", principles)
    except CurriculumError as error:
        assert "token-panel.yaml" in str(error)


@FUZZ
@given(
    step=st.integers(0, 40),
    field=st.sampled_from(["responses", "next", "points", "rating", "slug"]),
    value=values,
)
def test_a_scenario_step_mangled_anywhere_is_rejected_clearly(step, field, value):
    data = _real("scenarios", "interrupted-in-meetings")
    target = data["steps"][step % len(data["steps"])]
    ending = not target.get("responses")
    if field in ("responses", "slug") or ending:
        target[field] = value
    else:
        target["responses"][0][field] = value
    principles = {
        p["slug"]
        for p in yaml.safe_load((CURRICULUM_DIR / "principles.yaml").read_text())["principles"]
    }
    # On a response (or a step's slug) a value of the wrong type is refused by name; on an
    # ending, only a truthy `responses` is (an ending may say it has none).
    wrong = _wrong_type(STEP_TYPES[field], value) and (field != "responses" or not ending or value)
    if field in ("next", "points", "rating") and ending:
        wrong = False  # an ending ignores response fields set on the step itself
    if wrong:
        with pytest.raises(CurriculumError, match="interrupted-in-meetings.yaml"):
            validate_scenario(data, "scenarios/interrupted-in-meetings.yaml", principles)
        return
    with contextlib.suppress(CurriculumError):
        validate_scenario(data, "scenarios/interrupted-in-meetings.yaml", principles)


form_values = st.dictionaries(
    st.sampled_from(
        ["choice", "text", "check_in_on", "status", "note", "new_check_in_on", "step", "response"]
    ),
    st.one_of(st.text(max_size=80), st.integers(-(10**12), 10**12).map(str), st.dates().map(str)),
    max_size=6,
)


@pytest.mark.django_db
@FUZZ
@given(data=form_values)
def test_learning_forms_never_crash(employee, data):
    module = build_module()
    commitment = services.commitment_make(
        user=employee,
        module=build_module(),
        suggestion=None,
        text="Act",
        check_in_on=timezone.localdate() + datetime.timedelta(days=3),
    )
    client = Client()
    client.force_login(employee)
    urls = [
        reverse("learning:module-commit", args=[module.slug]),
        reverse("learning:commitment-check-in", args=[commitment.pk]),
        reverse("learning:reflection-edit", args=[module.prompts.first().pk]),
    ]
    for url in urls:
        response = client.post(url, data)
        assert response.status_code < 500, (url, data)
