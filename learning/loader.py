"""Load the curriculum files into the database: all of it, or nothing.

Every file is read and validated first; only then is anything written, inside one
transaction, keyed by slugs. Content no longer in the files is retired, never
deleted, so learners keep their progress, reflections and commitments.
"""

import re
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.urls import Resolver404, resolve

from learning.content import CurriculumError, reading_minutes, render_markdown, slug_field
from learning.models import (
    CommitmentSuggestion,
    Course,
    CourseModule,
    Lesson,
    Module,
    Principle,
    ReflectionPrompt,
)
from learning.services import course_module_count_refresh, module_lesson_count_refresh
from learning.summaries import learning_summaries_refresh_for_courses
from quizzes.loader import apply_questions, apply_scenario, validate_questions, validate_scenario
from quizzes.models import QuestionPurpose, Scenario

CURRICULUM_DIR = Path(__file__).resolve().parent / "curriculum"
RESERVED_LESSON_SLUGS = {"check", "commit"}
LINK = re.compile(r"\]\(([^)\s]+)")
LESSONS_RANGE = (3, 6)
LESSON_MINUTES_RANGE = (2, 4)
# Minutes a module's knowledge check and commitment take, and a course's two tests.
MODULE_EXTRA_MINUTES = 3
COURSE_TEST_MINUTES = 4


def _read_yaml(path: Path) -> Any:
    source = path.name if path.parent.name == "curriculum" else f"{path.parent.name}/{path.name}"
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise CurriculumError(source, "file", "is not UTF-8 text") from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise CurriculumError(source, "file", f"is not valid YAML ({exc})") from exc
    if not isinstance(data, dict):
        raise CurriculumError(source, "file", "must contain a mapping at the top level")
    return source, data


def _require(data: dict, key: str, source: str, entry: str, kind: type = str) -> Any:
    value = data.get(key)
    if value is None or (kind is str and not str(value).strip()):
        raise CurriculumError(source, entry, f"is missing '{key}'")
    if not isinstance(value, kind):
        raise CurriculumError(source, entry, f"'{key}' must be a {kind.__name__}")
    return value


def _check_links(text: str, source: str, entry: str) -> None:
    for target in LINK.findall(text or ""):
        if target.startswith("https://") or target.startswith("mailto:"):
            continue
        if not target.startswith("/"):
            raise CurriculumError(source, entry, f"link '{target}' must be https:// or a site path")
        try:
            resolve(target.split("#")[0].split("?")[0])
        except Resolver404 as exc:
            raise CurriculumError(source, entry, f"link '{target}' leads nowhere") from exc


def _unique(items: list[dict], source: str, entry: str, what: str) -> None:
    seen: set[str] = set()
    for item in items:
        slug = item["slug"]
        if slug in seen:
            raise CurriculumError(source, entry, f"{what} slug '{slug}' is used twice")
        seen.add(slug)


def _list(data: dict, key: str, source: str, entry: str, minimum: int = 1) -> list[dict]:
    items = data.get(key) or []
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise CurriculumError(source, entry, f"'{key}' must be a list of entries")
    if len(items) < minimum:
        raise CurriculumError(source, entry, f"needs at least {minimum} {key.replace('_', ' ')}")
    return items


def validate_principles(source: str, data: dict) -> list[dict]:
    principles = _list(data, "principles", source, "principles")
    for index, item in enumerate(principles):
        entry = f"principle {item.get('slug') or index + 1}"
        slug_field(item, source, entry)
        _require(item, "name", source, entry)
    _unique(principles, source, "principles", "principle")
    return principles


PRONOUNS = {"she/her": {"she", "her", "hers", "herself"}, "he/him": {"he", "him", "his", "himself"}}
PRONOUN_SETS = (*PRONOUNS, "they/them")
APPOSITIVE = r"\b{name}, (?:a|an|the|our|your) ([^,.;:()\n]+)"
ON_TEAM = r"\b{name}\b[^.\n]{{0,40}}?\b(?:on|in|from|joins|joined|leads|runs) the ([a-z-]+) team"


def validate_characters(source: str, data: dict) -> dict[str, dict]:
    """The cast sheet, by slug. First names are unique, so a name means one person."""
    characters = _list(data, "characters", source, "characters")
    first_names: dict[str, str] = {}
    for item in characters:
        entry = f"character {item.get('slug', '?')}"
        slug_field(item, source, entry)
        name = _require(item, "name", source, entry)
        _require(item, "role", source, entry)
        _require(item, "known", source, entry)
        if _require(item, "pronouns", source, entry) not in PRONOUN_SETS:
            raise CurriculumError(
                source, entry, f"pronouns must be one of {', '.join(PRONOUN_SETS)}"
            )
        first = name.split()[0]
        if first in first_names:
            raise CurriculumError(
                source, entry, f"the first name '{first}' is already {first_names[first]}'s"
            )
        first_names[first] = item["slug"]
    _unique(characters, source, "characters", "character")
    return {item["slug"]: item for item in characters}


def _strings(value: Any):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key != "cast":
                yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def check_cast(source: str, entry: str, data: dict, characters: dict[str, dict]) -> None:
    """A story names only its declared cast, and keeps to the sheet's role, team and pronouns."""
    cast = data.get("cast") or []
    if not isinstance(cast, list) or not all(isinstance(slug, str) for slug in cast):
        raise CurriculumError(source, entry, "'cast' must be a list of character slugs")
    for slug in cast:
        if slug not in characters:
            raise CurriculumError(source, entry, f"cast member '{slug}' is not in characters.yaml")
    text = "\n".join(_strings(data))
    firsts = {c["name"].split()[0]: c for c in characters.values()}
    for first, character in firsts.items():
        if re.search(rf"\b{re.escape(first)}\b", text) and character["slug"] not in cast:
            raise CurriculumError(
                source,
                entry,
                f"names {first}, who is {character['name']} ({character['role']}) in "
                f"characters.yaml: add '{character['slug']}' to 'cast', or use a new name",
            )
    for slug in cast:
        character = characters[slug]
        first = character["name"].split()[0]
        for name in {re.escape(character["name"]), re.escape(first)}:
            for found in re.finditer(APPOSITIVE.format(name=name), text):
                if not found.group(1).lower().startswith(character["role"].lower()):
                    raise CurriculumError(
                        source,
                        entry,
                        f"describes {first} as '{found.group(1)}', but characters.yaml has "
                        f"'{character['role']}'",
                    )
            team = character.get("team")
            for found in re.finditer(ON_TEAM.format(name=name), text):
                if team and found.group(1) != team:
                    raise CurriculumError(
                        source,
                        entry,
                        f"puts {first} on the {found.group(1)} team, but characters.yaml has "
                        f"'{team}'",
                    )
    for slug in cast:
        character = characters[slug]
        if character["pronouns"] not in PRONOUNS:
            continue
        first = re.escape(character["name"].split()[0])
        wrong = "herself" if character["pronouns"] == "he/him" else "himself"
        # "Priya found himself ...": the wrong reflexive in the clause that names them
        # (reported speech such as "Luis says she ..." is about someone else, so subject
        # pronouns are not judged).
        found = re.search(rf"\b{first}\b[^.,;:!?\n]{{0,40}}\b{wrong}\b", text)
        if found:
            raise CurriculumError(
                source,
                entry,
                f"refers to {character['name']} ({character['pronouns']}) as '{wrong}': "
                f'"{found.group(0)}"',
            )


def validate_module(
    source: str, data: dict, principle_slugs: set[str], scenario_slugs: set[str]
) -> dict:
    entry = f"module {data.get('slug', '?')}"
    slug = slug_field(data, source, entry)
    expected = Path(source).stem
    if slug != expected:
        raise CurriculumError(source, entry, f"slug '{slug}' must match the file name '{expected}'")
    _require(data, "title", source, entry)
    order = data.get("order", 0)
    if isinstance(order, bool) or not isinstance(order, int) or order < 0:
        raise CurriculumError(source, entry, "'order' must be a whole number (0 or more)")
    principle = _require(data, "principle", source, entry)
    if principle not in principle_slugs:
        raise CurriculumError(source, entry, f"principle '{principle}' is not in principles.yaml")
    scenario = _require(data, "scenario", source, entry)
    if scenario not in scenario_slugs:
        raise CurriculumError(source, entry, f"scenario '{scenario}' has no file in scenarios/")
    lessons = _list(data, "lessons", source, entry, minimum=LESSONS_RANGE[0])
    if len(lessons) > LESSONS_RANGE[1]:
        raise CurriculumError(source, entry, f"has {len(lessons)} lessons; at most 6 are allowed")
    for lesson in lessons:
        lesson_entry = f"lesson {lesson.get('slug', '?')}"
        lesson_slug = slug_field(lesson, source, lesson_entry)
        if lesson_slug in RESERVED_LESSON_SLUGS:
            raise CurriculumError(source, lesson_entry, f"slug '{lesson_slug}' is reserved")
        _require(lesson, "title", source, lesson_entry)
        body = _require(lesson, "body", source, lesson_entry)
        minutes = reading_minutes(body)
        low, high = LESSON_MINUTES_RANGE
        if not low <= minutes <= high:
            raise CurriculumError(
                source,
                lesson_entry,
                f"reads in about {minutes} minute(s) ({len(body.split())} words); "
                f"a lesson should take {low} to {high}",
            )
        _check_links(body, source, lesson_entry)
    _unique(lessons, source, entry, "lesson")
    prompts = _list(data, "reflection_prompts", source, entry)
    for prompt in prompts:
        prompt_entry = f"reflection prompt {prompt.get('slug', '?')}"
        slug_field(prompt, source, prompt_entry)
        _require(prompt, "prompt", source, prompt_entry)
    _unique(prompts, source, entry, "reflection prompt")
    commitments = _list(data, "commitments", source, entry)
    for commitment in commitments:
        commitment_entry = f"commitment {commitment.get('slug', '?')}"
        slug_field(commitment, source, commitment_entry)
        text = _require(commitment, "text", source, commitment_entry)
        if len(text) > 500:
            raise CurriculumError(source, commitment_entry, "text is longer than 500 characters")
        when = commitment.get("when", "")
        if not isinstance(when, str) or len(when) > 300:
            raise CurriculumError(
                source, commitment_entry, "when must be text of at most 300 characters"
            )
    _unique(commitments, source, entry, "commitment")

    checks = _list(data, "knowledge_check", source, entry)
    validate_questions(checks, source, f"{entry} knowledge_check", "check")
    assessment = _list(data, "assessment", source, entry)
    validate_questions(assessment, source, f"{entry} assessment", "assessment")
    return data


def validate_courses(source: str, data: dict, module_slugs: set[str]) -> list[dict]:
    courses = _list(data, "courses", source, "courses")
    for course in courses:
        entry = f"course {course.get('slug', '?')}"
        slug_field(course, source, entry)
        _require(course, "title", source, entry)
        modules = _require(course, "modules", source, entry, kind=list)
        if not modules:
            raise CurriculumError(source, entry, "lists no modules")
        for module in modules:
            if module not in module_slugs:
                raise CurriculumError(source, entry, f"module '{module}' has no file in modules/")
        if len(set(modules)) != len(modules):
            raise CurriculumError(source, entry, "lists a module twice")
    _unique(courses, source, "courses", "course")
    return courses


def read_curriculum(base_dir: Path) -> dict:
    """Read and validate every file; raises CurriculumError naming the first problem."""

    source, principles_data = _read_yaml(base_dir / "principles.yaml")
    principles = validate_principles(source, principles_data)
    principle_slugs = {p["slug"] for p in principles}
    characters: dict[str, dict] = {}
    if (base_dir / "characters.yaml").exists():
        characters = validate_characters(*_read_yaml(base_dir / "characters.yaml"))

    scenarios = []
    for path in sorted((base_dir / "scenarios").glob("*.yaml")):
        source, data = _read_yaml(path)
        validate_scenario(data, source, principle_slugs)
        check_cast(source, f"scenario {data['slug']}", data, characters)
        if data["slug"] != path.stem:
            raise CurriculumError(
                source, f"scenario {data['slug']}", "slug must match the file name"
            )
        scenarios.append(data)
    scenario_slugs = {s["slug"] for s in scenarios}

    modules = []
    question_slugs: dict[str, str] = {}
    for path in sorted((base_dir / "modules").glob("*.yaml")):
        source, data = _read_yaml(path)
        modules.append(validate_module(source, data, principle_slugs, scenario_slugs))
        check_cast(source, f"module {data['slug']}", data, characters)
        for question in data["knowledge_check"] + data["assessment"]:
            if question["slug"] in question_slugs:
                raise CurriculumError(
                    source,
                    f"question {question['slug']}",
                    f"slug is already used in {question_slugs[question['slug']]}",
                )
            question_slugs[question["slug"]] = source
    module_slugs = {m["slug"] for m in modules}

    source, courses_data = _read_yaml(base_dir / "courses.yaml")
    courses = validate_courses(source, courses_data, module_slugs)
    return {
        "principles": principles,
        "scenarios": scenarios,
        "modules": modules,
        "courses": courses,
    }


def _sync_children(model, module: Module, items: list[dict], fields) -> None:
    """Update or create a module's children by slug; retire the ones no longer listed."""
    kept = []
    for order, item in enumerate(items):
        values = {"order": order, "retired": False, **fields(item)}
        model.objects.update_or_create(module=module, slug=item["slug"], defaults=values)
        kept.append(item["slug"])
    model.objects.filter(module=module).exclude(slug__in=kept).update(retired=True)


def _shared_scenario_minutes(modules: list[Module]) -> int:
    """Minutes of scenarios counted more than once across these modules' estimates."""
    seen: set[int] = set()
    repeated = 0
    for module in modules:
        if module.scenario_id in seen:
            repeated += module.scenario.minutes
        seen.add(module.scenario_id)
    return repeated


def apply_curriculum(plan: dict) -> dict:
    """Write a validated plan; idempotent. Returns counts of what is live."""

    principles = {}
    for order, item in enumerate(plan["principles"]):
        principles[item["slug"]], _ = Principle.objects.update_or_create(
            slug=item["slug"],
            defaults={"name": item["name"], "summary": item.get("summary", ""), "order": order},
        )

    scenarios = {}
    for order, data in enumerate(plan["scenarios"]):
        scenarios[data["slug"]] = apply_scenario(data, principles, order)
    Scenario.objects.exclude(slug__in=scenarios).update(retired=True)

    modules = {}
    for data in sorted(plan["modules"], key=lambda m: (m.get("order", 0), m["slug"])):
        lessons = data["lessons"]
        # A module's estimate includes the scenario it practises.
        minutes = sum(reading_minutes(lesson["body"]) for lesson in lessons)
        minutes += scenarios[data["scenario"]].minutes
        module, _ = Module.objects.update_or_create(
            slug=data["slug"],
            defaults={
                "title": data["title"],
                "principle": principles[data["principle"]],
                "summary": data.get("summary", ""),
                "order": data.get("order", 0),
                "scenario": scenarios[data["scenario"]],
                "minutes": minutes + MODULE_EXTRA_MINUTES,
                "retired": bool(data.get("retired", False)),
            },
        )
        _sync_children(
            Lesson,
            module,
            lessons,
            lambda item: {
                "title": item["title"],
                "body": item["body"],
                "body_html": render_markdown(item["body"]),
                "minutes": reading_minutes(item["body"]),
            },
        )
        module_lesson_count_refresh(module=module)
        _sync_children(
            ReflectionPrompt, module, data["reflection_prompts"], lambda i: {"prompt": i["prompt"]}
        )
        _sync_children(
            CommitmentSuggestion,
            module,
            data["commitments"],
            lambda i: {"text": i["text"], "situation": i.get("when", "")},
        )
        principle = principles[data["principle"]]
        apply_questions(data["knowledge_check"], module, principle, QuestionPurpose.CHECK)
        apply_questions(data["assessment"], module, principle, QuestionPurpose.ASSESSMENT)
        modules[data["slug"]] = module
    Module.objects.exclude(slug__in=modules).update(retired=True)

    courses = {}
    for order, item in enumerate(plan["courses"]):
        listed = [modules[slug] for slug in item["modules"]]
        course, _ = Course.objects.update_or_create(
            slug=item["slug"],
            defaults={
                "title": item["title"],
                "summary": item.get("summary", ""),
                "order": order,
                # Modules that share a scenario count it once.
                "estimated_minutes": sum(m.minutes for m in listed)
                - _shared_scenario_minutes(listed)
                + COURSE_TEST_MINUTES,
                "retired": bool(item.get("retired", False)),
            },
        )
        CourseModule.objects.filter(course=course).exclude(module__in=listed).delete()
        for position, module in enumerate(listed):
            CourseModule.objects.update_or_create(
                course=course, module=module, defaults={"order": position}
            )
        course_module_count_refresh(course=course)
        courses[item["slug"]] = course
    Course.objects.exclude(slug__in=courses).update(retired=True)
    return {
        "principles": len(principles),
        "scenarios": len(scenarios),
        "modules": len(modules),
        "lessons": sum(len(m["lessons"]) for m in plan["modules"]),
        "courses": len(courses),
    }


def load_curriculum(base_dir: Path | None = None) -> dict:
    """Validate every file, then write all of it in one transaction (or nothing)."""
    plan = read_curriculum(base_dir or CURRICULUM_DIR)
    with transaction.atomic():
        retired_before = set(Course.objects.filter(retired=True).values_list("pk", flat=True))
        counts = apply_curriculum(plan)
        retired_after = set(Course.objects.filter(retired=True).values_list("pk", flat=True))
        learning_summaries_refresh_for_courses(course_ids=retired_before ^ retired_after)
    return counts
