"""The community's plots as a schematic plan: inline SVG built on the server (no JavaScript,
nothing from a CDN).

One band per area (片区, Plot.zone), in the order of the list below it; in a band the plots
are rectangles, their width proportional to their m² (one scale for the whole picture, with a
minimum so a small plot stays visible and tappable on a 390px phone), wrapping onto more rows
when a band is full. The fill says the state; a plot needing care is striped and its label
starts with "！", so the picture never speaks by colour alone. Each rectangle links to the
plot's public page and is named by its `<title>` and aria-label. The positions are not the
real ones: the table below the picture is the full record. The text drawn on each fill
meets WCAG AA (4.5:1; tests/test_greening_plan.py checks it).

The SVG has role="group" with the summary as aria-label, not role="img": an img's children
are presentational, so its links would be unreachable for screen readers (axe:
nested-interactive, serious).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from unicodedata import east_asian_width

from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .models import PlotState

WIDTH = 640  # viewBox units; the SVG is 100% wide, at most 40rem
PAD = 12
INNER = WIDTH - 2 * PAD
MIN_W = 56  # about 32px on a 390px phone: above the 24px of a tap target
ROW_H = 52
GAP = 8
FONT = 24
HEAD = 40  # the area's name above its rectangles
ROWS_PER_BAND = 3  # the biggest area fills about this many rows
CARE_PATTERN = "plot-plan-care"
MARKER = "！"


@dataclass(frozen=True)
class Look:
    fill: str
    stroke: str
    text: str
    dash: str = ""


LOOKS = {
    "available": Look("#dcefe1", "#0f6b2f", "#1a1a1a"),
    "adopted": Look("#0f6b2f", "#0a4a20", "#ffffff"),
    "care": Look(f"url(#{CARE_PATTERN})", "#5c3200", "#1a1a1a"),
    "resting": Look("#e6e6e6", "#4a4a4a", "#1a1a1a", dash="6 4"),
}
CARE_STRIPES = ("#fff0c2", "#f2c14e")  # the two stripes of "care"; text #1a1a1a on both


def look_key(plot) -> str | None:
    """Which look a plot gets; None for a retired plot (not drawn)."""
    if plot.state == PlotState.RETIRED:
        return None
    if plot.state == PlotState.ADOPTED:
        return "care" if getattr(plot, "needs_care", False) else "adopted"
    if plot.state == PlotState.RESTING:
        return "resting"
    return "available"


def legend() -> list[dict]:
    """The legend's entries: key, words, and a small swatch (aria-hidden SVG)."""
    words = {
        "available": PlotState.AVAILABLE.label,
        "adopted": PlotState.ADOPTED.label,
        "care": _("需要关注"),
        "resting": PlotState.RESTING.label,
    }
    return [
        {"key": key, "words": str(words[key]), "swatch": swatch(key)}
        for key in ("available", "adopted", "care", "resting")
    ]


def swatch(key: str) -> SafeString:
    look = LOOKS[key]
    fill, defs, marker = look.fill, "", ""
    if key == "care":
        fill, defs = f"url(#{CARE_PATTERN}-key)", _care_defs(f"{CARE_PATTERN}-key")
        marker = format_html(
            '<text x="20" y="15" font-size="16" font-weight="700" text-anchor="middle" '
            'dominant-baseline="central" fill="{}">{}</text>',
            look.text,
            MARKER,
        )
    return format_html(
        '<svg viewBox="0 0 40 30" width="40" height="30" aria-hidden="true" focusable="false">'
        "{}"
        '<rect x="1.5" y="1.5" width="37" height="27" rx="3" fill="{}" stroke="{}" '
        'stroke-width="3"{}/>{}</svg>',
        defs,
        fill,
        look.stroke,
        _dash(look),
        marker,
    )


def area_text(area) -> str:
    """Decimal('120.0') -> '120', Decimal('85.5') -> '85.5'."""
    value = Decimal(area)
    return format(value.quantize(Decimal(1)) if value == value.to_integral() else value, "f")


def state_words(plot) -> str:
    words = str(plot.get_state_display())
    if look_key(plot) == "care":
        words += _("，需要关注")
    return words


def plot_title(plot) -> str:
    return _("%(name)s，%(area)s 平方米，%(state)s") % {
        "name": plot.name,
        "area": area_text(plot.area_m2),
        "state": state_words(plot),
    }


def summary(community_name: str, plots: Iterable) -> str:
    """The picture's aria-label: how many plots it shows, how many are adopted."""
    keys = [look_key(p) for p in plots]
    shown = [k for k in keys if k]
    text = _("%(community)s绿地分布示意图：%(n)s 块，已认领 %(adopted)s 块") % {
        "community": community_name,
        "n": len(shown),
        "adopted": sum(1 for k in shown if k in ("adopted", "care")),
    }
    care = shown.count("care")
    if care:
        text += _("，其中 %(n)s 块需要关注") % {"n": care}
    return text


def text_width(text: str, size: float = FONT) -> float:
    """Rough width of a label: a CJK character is 1em, anything else about 0.6em."""
    return sum(size if east_asian_width(ch) in "WF" else size * 0.6 for ch in text)


def short_name(plot) -> str:
    """The name without its area's name in front ("东区草坪1号" in 东区 -> "草坪1号")."""
    name, zone = plot.name.strip(), (plot.zone or "").strip()
    if zone and name.startswith(zone) and len(name) > len(zone):
        return name[len(zone) :].strip()
    return name


def fitted_label(text: str, room: float) -> str:
    """`text` if it fits in `room`, else "" (a cut name would mislead: "绿…" of 绿篱2号)."""
    return text if text_width(text) <= room else ""


def widths(plots: list) -> dict[int, float]:
    """Each shown plot's rectangle width, one scale for all: proportional to m², at least
    MIN_W, at most a band's inner width."""
    shown = [p for p in plots if look_key(p)]
    if not shown:
        return {}
    biggest = max(Decimal(p.area_m2) for p in shown)
    zone_totals: dict[str, Decimal] = {}
    for p in shown:
        zone_totals[p.zone or ""] = zone_totals.get(p.zone or "", Decimal(0)) + Decimal(p.area_m2)
    scale = min(INNER / float(biggest), ROWS_PER_BAND * INNER / float(max(zone_totals.values())))
    return {p.pk: min(INNER, max(MIN_W, float(p.area_m2) * scale)) for p in shown}


def _care_defs(pattern_id: str = CARE_PATTERN) -> SafeString:
    light, dark = CARE_STRIPES
    return format_html(
        '<defs><pattern id="{}" width="14" height="14" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="14" height="14" fill="{}"/>'
        '<rect width="6" height="14" fill="{}"/></pattern></defs>',
        pattern_id,
        light,
        dark,
    )


def _dash(look: Look) -> SafeString:
    return format_html(' stroke-dasharray="{}"', look.dash) if look.dash else mark_safe("")


def _plot_link(plot, code: str, x: float, y: float, w: float) -> SafeString:
    key = look_key(plot)
    look = LOOKS[key]
    title = plot_title(plot)
    label = fitted_label(short_name(plot), w - 12 - (FONT if key == "care" else 0))
    if key == "care":
        label = MARKER + label  # the marker always shows: a minimum-width plot has room
    caption = ""
    if label:
        caption = format_html(
            '<text x="{}" y="{}" font-size="{}" text-anchor="middle" dominant-baseline="central" '
            'fill="{}"{}>{}</text>',
            f"{x + w / 2:.1f}",
            f"{y + ROW_H / 2:.1f}",
            FONT,
            look.text,
            mark_safe(' font-weight="700"') if key == "care" else "",
            label,
        )
    return format_html(
        '<a href="{}" aria-label="{}"><title>{}</title>'
        '<rect x="{}" y="{}" width="{}" height="{}" rx="4" fill="{}" stroke="{}" '
        'stroke-width="2"{}/>{}</a>',
        reverse("greening:public_plot", args=[code, plot.pk]),
        title,
        title,
        f"{x:.1f}",
        f"{y:.1f}",
        f"{w:.1f}",
        ROW_H,
        look.fill,
        look.stroke,
        _dash(look),
        caption,
    )


def plan_svg(plots: Iterable, code: str, community_name: str, other: str | None = None) -> str:
    """The plan of `plots` (in list order, one band per zone in order of first appearance; each with `needs_care` set by
    queries.mark_care) as SVG markup, or "" when no plot is shown. `code` is the community's
    code for the links; `other` names the band of plots without an area."""
    plots = [p for p in plots if look_key(p)]
    if not plots:
        return ""
    other = other if other is not None else _("其他")
    sizes = widths(plots)
    parts, y = [], 0.0
    bands: dict[str, list] = {}
    for p in plots:  # one band per area even if the plots come unsorted
        bands.setdefault(p.zone or "", []).append(p)
    for zone, items in bands.items():
        band_top = y
        rects, x, row_y = [], 0.0, band_top + HEAD
        for p in items:
            w = sizes[p.pk]
            if x > 0 and x + w > INNER:
                x, row_y = 0.0, row_y + ROW_H + GAP
            rects.append(_plot_link(p, code, PAD + x, row_y, w))
            x += w + GAP
        band_h = row_y + ROW_H + PAD - band_top
        parts.append(
            format_html(
                '<g><rect x="1" y="{}" width="{}" height="{}" rx="6" fill="#f4f5f7" '
                'stroke="#8a8f98" stroke-width="1"/>'
                '<text x="{}" y="{}" font-size="{}" font-weight="700" fill="#1a1a1a">{}</text>'
                "{}</g>",
                f"{band_top + 1:.1f}",
                WIDTH - 2,
                f"{band_h - 2:.1f}",
                PAD,
                f"{band_top + HEAD - 12:.1f}",
                FONT,
                zone or other,
                mark_safe("".join(rects)),  # noqa: S308 - built by format_html
            )
        )
        y = band_top + band_h + GAP
    height = y - GAP
    head = format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="plot-plan" viewBox="0 0 {} {}" '
        'width="100%" preserveAspectRatio="xMinYMin meet" role="group" aria-label="{}" '
        'style="max-width:40rem;display:block">{}',
        WIDTH,
        f"{height:.0f}",
        summary(community_name, plots),
        _care_defs(),
    )
    return mark_safe(head + "".join(parts) + "</svg>")  # noqa: S308 - built by format_html
