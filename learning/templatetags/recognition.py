"""Template helpers for recognition: badge icons, registry look-ups, certificate codes."""

from django import template
from django.utils.safestring import SafeString

from learning.recognition.badges import REGISTRY, Badge
from learning.recognition.certificates import certificate_code_display
from learning.recognition.selectors import team_goals_shared

register = template.Library()


@register.filter
def as_badge(slug: str) -> Badge | None:
    """The registry entry for an award's badge slug (no query); None for a retired badge."""
    return REGISTRY.get(slug)


@register.simple_tag
def badge_icon(
    badge: Badge | None, earned: bool = True, size: int = 64, decorative: bool = False
) -> SafeString | str:
    """The badge's inline SVG icon with its text alternative (or hidden, when `decorative`)."""
    if badge is None:
        return ""
    return badge.svg(earned=earned, size=size, decorative=decorative)


@register.filter
def certificate_code(code: str) -> str:
    return certificate_code_display(code or "")


@register.simple_tag
def team_goals_for(user) -> list:
    """Team goals for pages whose view does not provide them (shared by the team, see the
    selector)."""

    return team_goals_shared(user) if getattr(user, "is_authenticated", False) else []
