"""The curriculum as written: complete, in range, and safe."""

import re

import pytest
from django.urls import Resolver404, resolve

from learning.content import reading_minutes, render_markdown
from learning.loader import CURRICULUM_DIR, read_curriculum

PLAN = read_curriculum(CURRICULUM_DIR)
PRINCIPLES = {p["slug"] for p in PLAN["principles"]}


def test_there_is_a_module_for_every_principle():
    assert len(PLAN["modules"]) >= 11
    assert {m["principle"] for m in PLAN["modules"]} == PRINCIPLES


@pytest.mark.parametrize("module", PLAN["modules"], ids=lambda m: m["slug"])
def test_every_module_is_complete(module):
    assert 3 <= len(module["lessons"]) <= 6
    for lesson in module["lessons"]:
        assert 2 <= reading_minutes(lesson["body"]) <= 4, lesson["slug"]
    assert module["reflection_prompts"]
    assert module["knowledge_check"]
    assert len(module["commitments"]) >= 3
    assert module["scenario"]


def test_the_three_required_courses_exist():
    titles = {c["title"] for c in PLAN["courses"]}
    assert {"Allyship foundations", "Allyship in meetings", "Allyship for people leaders"} <= titles
    foundations = next(c for c in PLAN["courses"] if c["title"] == "Allyship foundations")
    leaders = next(c for c in PLAN["courses"] if c["title"] == "Allyship for people leaders")
    # Foundations covers every module except the people-leader track's own.
    assert set(foundations["modules"]) | set(leaders["modules"]) == {
        m["slug"] for m in PLAN["modules"]
    }
    assert not set(foundations["modules"]) & set(leaders["modules"])


def test_every_slug_is_unique_where_it_must_be():
    for kind in ("modules", "courses", "scenarios"):
        slugs = [item["slug"] for item in PLAN[kind]]
        assert len(slugs) == len(set(slugs)), kind
    questions = [q["slug"] for m in PLAN["modules"] for q in m["knowledge_check"] + m["assessment"]]
    assert len(questions) == len(set(questions))


def test_every_link_in_the_content_resolves():
    for module in PLAN["modules"]:
        for lesson in module["lessons"]:
            for target in re.findall(r"\]\(([^)\s]+)", lesson["body"]):
                if target.startswith("/"):
                    try:
                        resolve(target)
                    except Resolver404:
                        pytest.fail(f"{module['slug']}/{lesson['slug']} links to {target}")
                else:
                    assert target.startswith("https://"), target


def test_markdown_is_sanitised():
    html = render_markdown(
        "Hello <script>alert(1)</script> [x](javascript:alert(1)) <b onclick='x()'>hi</b>"
    )
    assert "<script" not in html and "javascript:" not in html and "onclick" not in html
    assert "Hello" in html
