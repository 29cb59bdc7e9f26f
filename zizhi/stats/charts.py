"""The dashboard's pictures as server-side SVG: no JavaScript, nothing from a CDN, sharp in
print and on a phone (viewBox, width 100%). Each is a picture of a table that the page shows
with it, so the SVG is hidden from screen readers (aria-hidden)."""

from django.utils.html import escape
from django.utils.safestring import mark_safe

BAR = "#1d5fa8"
MALE = "#1d5fa8"
FEMALE = "#b4235a"
TEXT = "#222"
GRID = "#ccc"


def _number(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}"
    return f"{int(value):,}"


def _svg(width: int, height: int, parts: list[str], label_class: str = "chart") -> str:
    head = (
        f'<svg class="{label_class}" viewBox="0 0 {width} {height}" width="100%" '
        f'preserveAspectRatio="xMinYMin meet" aria-hidden="true" focusable="false" '
        f'font-family="sans-serif" font-size="13">'
    )
    return mark_safe(head + "".join(parts) + "</svg>")


def bars(rows: list[tuple[str, float | None]], *, width: int = 360) -> str:
    """Horizontal bars, one per row (label, value); the label and the figure above the bar."""
    if not rows:
        return ""
    top = max((v or 0) for _, v in rows) or 1
    row_h = 40
    parts = []
    for i, (label, value) in enumerate(rows):
        y = i * row_h
        length = max(2.0, (width - 4) * (value or 0) / top) if value else 0
        parts.append(
            f'<text x="0" y="{y + 14}" fill="{TEXT}">{escape(label)}: {_number(value)}</text>'
            f'<rect x="0" y="{y + 20}" width="{length:.1f}" height="14" fill="{BAR}"/>'
        )
    return _svg(width, len(rows) * row_h, parts)


def columns(rows: list[tuple[str, float]], *, width: int = 360, height: int = 150) -> str:
    """Vertical columns over time (label under each, the top value written once)."""
    if not rows:
        return ""
    top = max((v or 0) for _, v in rows) or 1
    room = height - 34
    step = width / len(rows)
    parts = [
        f'<line x1="0" y1="{room + 14}" x2="{width}" y2="{room + 14}" stroke="{GRID}"/>',
        f'<text x="0" y="11" fill="{TEXT}">{_number(top)}</text>',
    ]
    for i, (label, value) in enumerate(rows):
        h = room * (value or 0) / top
        x = i * step + step * 0.15
        parts.append(
            f'<rect x="{x:.1f}" y="{room + 14 - h:.1f}" width="{step * 0.7:.1f}" '
            f'height="{h:.1f}" fill="{BAR}"/>'
            f'<text x="{x + step * 0.35:.1f}" y="{height - 4}" text-anchor="middle" '
            f'font-size="11" fill="{TEXT}">{escape(label)}</text>'
        )
    return _svg(width, height, parts)


def pyramid(rows: list[tuple[str, int, int]], *, width: int = 360) -> str:
    """An age pyramid: one band per row (label, men, women), men to the left, the oldest on
    top."""
    if not rows:
        return ""
    top = max(max(m, f) for _, m, f in rows) or 1
    middle, label_w, row_h = width / 2, 56, 26
    half = middle - label_w / 2 - 40
    parts = []
    for i, (label, men, women) in enumerate(reversed(rows)):
        y = i * row_h
        m_len, f_len = half * men / top, half * women / top
        parts.append(
            f'<rect x="{middle - label_w / 2 - m_len:.1f}" y="{y + 4}" width="{m_len:.1f}" '
            f'height="18" fill="{MALE}"/>'
            f'<text x="{middle - label_w / 2 - m_len - 4:.1f}" y="{y + 18}" text-anchor="end" '
            f'font-size="11" fill="{TEXT}">{men}</text>'
            f'<text x="{middle}" y="{y + 18}" text-anchor="middle" fill="{TEXT}">'
            f"{escape(label)}</text>"
            f'<rect x="{middle + label_w / 2:.1f}" y="{y + 4}" width="{f_len:.1f}" height="18" '
            f'fill="{FEMALE}"/>'
            f'<text x="{middle + label_w / 2 + f_len + 4:.1f}" y="{y + 18}" font-size="11" '
            f'fill="{TEXT}">{women}</text>'
        )
    return _svg(width, len(rows) * row_h + 4, parts)
