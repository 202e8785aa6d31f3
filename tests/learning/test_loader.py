import shutil
from pathlib import Path

import pytest
import yaml

from learning.content import CurriculumError
from learning.loader import (
    CURRICULUM_DIR,
    check_cast,
    load_curriculum,
    read_curriculum,
    validate_characters,
)
from learning.models import (
    Commitment,
    Course,
    Lesson,
    LessonCompletion,
    Module,
    Reflection,
)
from learning.services import commitment_make, lesson_complete, reflection_save

pytestmark = pytest.mark.django_db


@pytest.fixture
def curriculum(tmp_path) -> Path:
    target = tmp_path / "curriculum"
    shutil.copytree(CURRICULUM_DIR, target)
    return target


def _edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


def test_the_real_curriculum_loads_and_loading_twice_changes_nothing():
    first = load_curriculum()
    assert first["modules"] >= 11 and first["courses"] >= 3 and first["scenarios"] >= 5
    snapshot = list(Lesson.objects.order_by("pk").values_list("pk", "title", "body_html"))
    assert load_curriculum() == first
    assert list(Lesson.objects.order_by("pk").values_list("pk", "title", "body_html")) == snapshot


def test_revising_a_lesson_updates_it_in_place_and_keeps_progress(curriculum, employee):
    load_curriculum(curriculum)
    lesson = Lesson.objects.filter(module__slug="active-listening").first()
    lesson_complete(user=employee, lesson=lesson)
    path = curriculum / "modules" / "active-listening.yaml"

    def retitle(data):
        data["lessons"][0]["title"] = "A revised title"

    _edit(path, retitle)
    load_curriculum(curriculum)
    lesson.refresh_from_db()
    assert lesson.title == "A revised title"
    assert LessonCompletion.objects.filter(user=employee, lesson=lesson).exists()


def test_retiring_a_module_keeps_reflections_and_commitments(curriculum, employee):
    import datetime

    from django.utils import timezone

    load_curriculum(curriculum)
    module = Module.objects.get(slug="safe-spaces")
    reflection_save(user=employee, prompt=module.prompts.first(), text="Private thought")
    lesson_complete(user=employee, lesson=module.lessons.first())
    commitment_make(
        user=employee,
        module=module,
        suggestion=module.suggestions.first(),
        text="",
        check_in_on=timezone.localdate() + datetime.timedelta(days=7),
    )

    def drop_module(data):
        for course in data["courses"]:
            course["modules"] = [m for m in course["modules"] if m != "safe-spaces"]

    _edit(curriculum / "courses.yaml", drop_module)
    (curriculum / "modules" / "safe-spaces.yaml").unlink()
    load_curriculum(curriculum)
    module.refresh_from_db()
    assert module.retired
    assert Reflection.objects.filter(user=employee).count() == 1
    assert Commitment.objects.filter(user=employee, module=module).count() == 1


@pytest.mark.parametrize(
    ("file", "change", "message"),
    [
        ("modules/intersectionality.yaml", lambda d: d.pop("title"), "missing 'title'"),
        (
            "modules/intersectionality.yaml",
            lambda d: d.update(principle="nope"),
            "principle 'nope'",
        ),
        ("modules/intersectionality.yaml", lambda d: d.update(scenario="nope"), "scenario 'nope'"),
        (
            "modules/intersectionality.yaml",
            lambda d: d.update(lessons=d["lessons"][:2]),
            "at least 3",
        ),
        (
            "modules/intersectionality.yaml",
            lambda d: d["lessons"][1].update(body="Too short to be a lesson."),
            "should take 2 to 4",
        ),
        (
            "modules/intersectionality.yaml",
            lambda d: d["lessons"][1].update(slug=d["lessons"][0]["slug"]),
            "used twice",
        ),
        (
            "modules/intersectionality.yaml",
            lambda d: d["lessons"][0].update(slug="Bad Slug"),
            "lowercase letters",
        ),
        ("modules/intersectionality.yaml", lambda d: d.update(reflection_prompts=[]), "at least 1"),
        ("modules/intersectionality.yaml", lambda d: d.update(commitments=[]), "at least 1"),
        (
            "modules/intersectionality.yaml",
            lambda d: d["lessons"][0].update(body=d["lessons"][0]["body"] + "\n[x](/nowhere/)"),
            "leads nowhere",
        ),
        (
            "modules/intersectionality.yaml",
            lambda d: d["knowledge_check"][0].update(slug=d["assessment"][0]["slug"]),
            "already used",
        ),
        ("courses.yaml", lambda d: d["courses"][0]["modules"].append("ghost"), "module 'ghost'"),
        ("modules/intersectionality.yaml", lambda d: d.update(order=None), "'order' must be"),
        ("modules/intersectionality.yaml", lambda d: d.update(order="2"), "'order' must be"),
        ("modules/intersectionality.yaml", lambda d: d.update(order=-1), "'order' must be"),
    ],
)
def test_a_malformed_file_is_rejected_whole_naming_file_entry_and_problem(
    curriculum, file, change, message
):
    _edit(curriculum / file, change)
    with pytest.raises(CurriculumError) as error:
        load_curriculum(curriculum)
    assert message in str(error.value)
    assert Path(file).name in error.value.source
    assert not Module.objects.exists() and not Course.objects.exists()


def test_invalid_yaml_is_named(curriculum):
    (curriculum / "courses.yaml").write_text("courses: [unclosed\n")
    with pytest.raises(CurriculumError, match="courses.yaml: file: is not valid YAML"):
        read_curriculum(curriculum)


def test_a_broken_file_changes_nothing_already_loaded(curriculum):
    load_curriculum(curriculum)
    before = list(Lesson.objects.values_list("pk", "title"))

    def break_it(data):
        data["lessons"][0]["title"] = "Changed"
        data["principle"] = "missing"

    _edit(curriculum / "modules" / "active-listening.yaml", break_it)
    with pytest.raises(CurriculumError):
        load_curriculum(curriculum)
    assert list(Lesson.objects.values_list("pk", "title")) == before


def test_load_curriculum_command_reports_a_clear_error(curriculum):
    from django.core.management import CommandError, call_command

    _edit(curriculum / "courses.yaml", lambda d: d["courses"][0].update(modules=[]))
    with pytest.raises(CommandError, match="Nothing was changed"):
        call_command("load_curriculum", path=curriculum)


# The cast sheet ------------------------------------------------------------------------

SHEET = {
    "priya-raman": {
        "slug": "priya-raman",
        "name": "Priya Raman",
        "pronouns": "she/her",
        "role": "backend engineer",
        "team": "payments",
        "known": "Joined last year.",
    }
}


def _story(text: str, cast: list[str] | None = None) -> dict:
    return {"slug": "story", "cast": cast if cast is not None else ["priya-raman"], "body": text}


def test_a_story_that_keeps_to_the_sheet_passes():
    check_cast(
        "s.yaml",
        "story",
        _story("Priya Raman, a backend engineer on the payments team, spoke."),
        SHEET,
    )


def test_a_story_naming_a_sheet_character_outside_its_cast_is_rejected():
    with pytest.raises(CurriculumError, match="names Priya, who is Priya Raman"):
        check_cast("s.yaml", "story", _story("Priya spoke first.", cast=[]), SHEET)


def test_a_cast_member_missing_from_the_sheet_is_rejected():
    with pytest.raises(CurriculumError, match="'jordan-ellis' is not in characters.yaml"):
        check_cast("s.yaml", "story", _story("Hello.", cast=["jordan-ellis"]), SHEET)


def test_a_role_that_contradicts_the_sheet_is_rejected():
    with pytest.raises(CurriculumError, match="describes Priya as 'principal engineer"):
        check_cast("s.yaml", "story", _story("Priya, a principal engineer, spoke."), SHEET)


def test_a_team_that_contradicts_the_sheet_is_rejected():
    with pytest.raises(CurriculumError, match="puts Priya on the platform team"):
        check_cast("s.yaml", "story", _story("Priya joined the platform team."), SHEET)


def test_the_wrong_pronoun_for_a_character_is_rejected():
    with pytest.raises(CurriculumError, match=r"refers to Priya Raman \(she/her\) as 'himself'"):
        check_cast("s.yaml", "story", _story("Priya found himself alone."), SHEET)


def test_two_characters_with_one_first_name_are_rejected():
    data = {
        "characters": [
            SHEET["priya-raman"],
            {**SHEET["priya-raman"], "slug": "priya-shah", "name": "Priya Shah"},
        ]
    }
    with pytest.raises(CurriculumError, match="the first name 'Priya' is already priya-raman's"):
        validate_characters("characters.yaml", data)


def test_the_real_cast_sheet_names_each_first_name_once():
    import yaml

    data = yaml.safe_load(
        (
            Path(__file__).resolve().parents[2] / "learning" / "curriculum" / "characters.yaml"
        ).read_text()
    )
    sheet = validate_characters("characters.yaml", data)
    assert len({c["name"].split()[0] for c in sheet.values()}) == len(sheet)
