"""Badge icons: white line drawings on a 64 x 64 hexagon, as accessible inline SVG."""

from dataclasses import dataclass

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

# Icons --------------------------------------------------------------------------------------

# White line drawings on a 64 x 64 badge. Trusted constants, drawn with strokes only.
GLYPHS: dict[str, str] = {
    "book": '<path d="M18 22c5-2 10-2 14 1v21c-4-3-9-3-14-1z"/>'
    '<path d="M46 22c-5-2-10-2-14 1v21c4-3 9-3 14-1z"/>',
    "check": '<path d="M20 33l8 8 16-17"/>',
    "checks": '<path d="M15 31l6 6 11-12M30 37l3 3 16-17M15 44h34"/>',
    "flag": '<path d="M22 47V17M22 19h20l-5 7 5 7H22"/>',
    "clock": '<circle cx="32" cy="32" r="14"/><path d="M32 24v9l6 4"/>',
    "flame": '<path d="M32 47c-7 0-11-5-11-10 0-7 7-10 7-17 5 3 8 8 8 12 2-1 3-3 3-5 3 3 4 7 4 '
    '10 0 5-4 10-11 10z"/>',
    "growth": '<path d="M17 45l10-10 7 6 13-15M38 26h9v9"/>',
    "speech": '<path d="M18 21h28v17H31l-8 7v-7h-5z"/><path d="M24 28h16M24 33h10"/>',
    "shield": '<path d="M32 16l13 5v9c0 9-6 15-13 18-7-3-13-9-13-18v-9z"/>'
    '<path d="M26 32l4 4 8-8"/>',
    "stairs": '<path d="M17 46h10v-9h10v-9h10v-9"/><circle cx="22" cy="28" r="3"/>',
    "megaphone": '<path d="M19 28v8h6l14 8V20l-14 8zM25 36l3 9M44 28c2 1 2 7 0 8"/>',
    "people": '<circle cx="24" cy="25" r="5"/><circle cx="40" cy="25" r="5"/>'
    '<path d="M15 45c0-6 4-10 9-10s9 4 9 10M31 45c0-6 4-10 9-10s9 4 9 10"/>',
    "star": '<path d="M32 16l5 10 11 2-8 8 2 11-10-5-10 5 2-11-8-8 11-2z"/>',
    "handshake": '<path d="M14 31l8-8 7 4 6-4 8 8 7-1M14 31l14 12c2 2 5 2 6 0l13-11M29 27l-6 6'
    'c2 2 5 2 7 0l4-3"/>',
}

EARNED_STROKE = "#ffffff"
UNEARNED_FILL = "#f5f3fa"
UNEARNED_INK = "#4a4658"  # 8:1 on the light fill: the outline reads without colour


@dataclass(frozen=True)
class Icon:
    glyph: str
    colour: str  # a dark fill: white strokes on it keep at least 4.5:1


def icon_svg(
    icon: Icon,
    *,
    label: str,
    earned: bool = True,
    size: int = 64,
    standalone: bool = False,
    decorative: bool = False,
) -> SafeString:
    """The icon with role="img" and `label` as its text alternative.

    `decorative` hides it from assistive technology where text beside it already names
    the badge; `standalone` makes it a complete SVG document (for credentials).
    """
    if decorative:
        accessibility = mark_safe('aria-hidden="true"')
        title = ""
    else:
        accessibility = format_html('role="img" aria-label="{}"', label)
        title = format_html("<title>{}</title>", label)
    if earned:
        shape = format_html('fill="{}"', icon.colour)
    else:
        shape = format_html(
            'fill="{}" stroke="{}" stroke-width="2" stroke-dasharray="4 3"',
            UNEARNED_FILL,
            UNEARNED_INK,
        )
    return format_html(
        '<svg{} class="badge-icon{}" viewBox="0 0 64 64" width="{}" height="{}" {} '
        'focusable="false">{}<path d="M32 3l25 14.5v29L32 61 7 46.5v-29z" {}/>'
        '<g fill="none" stroke="{}" stroke-width="3.5" stroke-linecap="round" '
        'stroke-linejoin="round">{}</g></svg>',
        mark_safe(' xmlns="http://www.w3.org/2000/svg"' if standalone else ""),
        "" if earned else " badge-icon-unearned",
        size,
        size,
        accessibility,
        title,
        shape,
        EARNED_STROKE if earned else UNEARNED_INK,
        mark_safe(GLYPHS[icon.glyph]),  # trusted constants above
    )
