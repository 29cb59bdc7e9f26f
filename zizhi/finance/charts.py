"""Server-side SVG bar charts (no JavaScript, nothing from a CDN).

The charts are pictures of a table shown next to them: the SVG is hidden from screen readers
(aria-hidden) and the page always has the table with the same figures.
"""

from django.utils.html import escape
from django.utils.safestring import mark_safe

from .money import format_fen

INCOME_COLOR = "#1e6b3a"
EXPENSE_COLOR = "#9b1c1c"
WIDTH = 360


def _bar_width(value: int, top: int, room: float) -> float:
    if top <= 0 or value <= 0:
        return 0.0
    return max(2.0, room * value / top)


def category_bars(rows: list[dict]) -> str:
    """Horizontal bars, one per category: rows of {"label", "direction", "total_fen"}. The
    label and the amount sit above the bar (never on it); income and expense share one scale
    so their lengths compare."""
    if not rows:
        return ""
    top = max(r["total_fen"] for r in rows)
    width, row_h = 320, 48
    height = len(rows) * row_h + 4
    parts = [
        f'<svg class="fin-chart" viewBox="0 0 {width} {height}" width="100%" '
        f'preserveAspectRatio="xMinYMin meet" aria-hidden="true" focusable="false">'
    ]
    for i, r in enumerate(rows):
        y = i * row_h + 2
        color = INCOME_COLOR if r["direction"] == "income" else EXPENSE_COLOR
        bar = _bar_width(r["total_fen"], top, width - 2)
        label = r["label"] if len(r["label"]) <= 11 else r["label"][:10] + "…"
        parts.append(
            f'<text x="0" y="{y + 16}" font-size="16" fill="#1a1a1a">{escape(label)}</text>'
            f'<text x="{width}" y="{y + 16}" font-size="16" fill="#1a1a1a" text-anchor="end">'
            f"{escape(format_fen(r['total_fen']))}</text>"
            f'<rect x="0" y="{y + 24}" width="{bar:.1f}" height="16" rx="2" fill="{color}"/>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def trend_bars(points: list[dict]) -> str:
    """Grouped vertical bars per month: points of {"label", "income_fen", "expense_fen"};
    a month without published books has no bars."""
    if not points or not any(p["income_fen"] or p["expense_fen"] for p in points):
        return ""
    top = max(max(p["income_fen"] or 0, p["expense_fen"] or 0) for p in points)
    chart_h, base = 150, 170
    slot = WIDTH / len(points)
    bar = max(3.0, slot / 2 - 3)
    parts = [
        f'<svg class="fin-chart" viewBox="0 0 {WIDTH} 200" width="100%" '
        f'preserveAspectRatio="xMinYMin meet" aria-hidden="true" focusable="false">',
        f'<line x1="0" y1="{base}" x2="{WIDTH}" y2="{base}" stroke="#888" stroke-width="1"/>',
    ]
    for i, p in enumerate(points):
        x = i * slot + 2
        for j, (value, color) in enumerate(
            ((p["income_fen"], INCOME_COLOR), (p["expense_fen"], EXPENSE_COLOR))
        ):
            h = _bar_width(value or 0, top, chart_h)
            if h:
                parts.append(
                    f'<rect x="{x + j * (bar + 1):.1f}" y="{base - h:.1f}" width="{bar:.1f}" '
                    f'height="{h:.1f}" fill="{color}"/>'
                )
        parts.append(
            f'<text x="{x + slot / 2 - 2:.1f}" y="{base + 20}" font-size="13" '
            f'text-anchor="middle">{escape(p["short"])}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
