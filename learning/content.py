"""Rendering authored Markdown safely, and the error the curriculum loader raises."""

import re

import markdown
import nh3

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "ul",
    "ol",
    "li",
    "h3",
    "h4",
    "blockquote",
    "code",
    "pre",
    "a",
    "hr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


def render_markdown(text: str) -> str:
    """Markdown to HTML, then sanitised: raw HTML, scripts and unsafe links never get through."""
    html = markdown.markdown(text or "", extensions=["sane_lists"], output_format="html")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"https", "mailto"},
        link_rel="noopener noreferrer",
    )


WORDS_PER_MINUTE = 200


def reading_minutes(text: str) -> int:
    """Whole minutes to read the text, at least one."""
    return max(1, round(len(text.split()) / WORDS_PER_MINUTE))


class CurriculumError(Exception):
    """A curriculum file that cannot be loaded: names the file, the entry and the problem."""

    def __init__(self, source: str, entry: str, problem: str):
        self.source, self.entry, self.problem = source, entry, problem
        super().__init__(f"{source}: {entry}: {problem}")


# A slug in the curriculum files: lowercase letters, digits and single hyphens.
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def slug_field(data: dict, source: str, entry: str) -> str:
    """The entry's slug, checked; raises CurriculumError naming what is wrong."""
    slug = data.get("slug")
    if slug is None or (isinstance(slug, str) and not slug.strip()):
        raise CurriculumError(source, entry, "is missing 'slug'")
    if not isinstance(slug, str):
        raise CurriculumError(source, entry, "'slug' must be text")
    if not SLUG.match(slug):
        raise CurriculumError(
            source, entry, f"slug '{slug}' must be lowercase letters, digits and hyphens"
        )
    return slug
