"""The schematic plan on the public plots page: links, widths by area, the care marker,
escaping, contrast, and a query count that does not grow with the plots."""

import datetime
import re
import xml.etree.ElementTree as ET

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.greening_rows import adopt, plot
from zizhi.greening import actions as g
from zizhi.greening import plan
from zizhi.greening.models import Adoption

SVG = "{http://www.w3.org/2000/svg}"
PAGE = reverse("greening:public_plots", args=["HD"])


def page_svg(client=None) -> tuple[str, ET.Element]:
    html = (client or Client()).get(PAGE).content.decode()
    found = re.search(r'<svg xmlns="http://www.w3.org/2000/svg" class="plot-plan".*?</svg>', html)
    assert found, "the page has no plan"
    return html, ET.fromstring(found.group(0))


def links(svg: ET.Element) -> dict[str, ET.Element]:
    return {a.get("href"): a for a in svg.iter(f"{SVG}a")}


def test_one_link_per_shown_plot_with_a_title(world):
    w = world.worker_a
    shown = [plot(world.hd, w, "东区草坪", zone="东区"), plot(world.hd, w, "西区花坛", zone="西区")]
    retired = plot(world.hd, w, "旧花坛", zone="西区")
    g.do_move_plot(retired, "retired", actor=w)
    html, svg = page_svg()
    found = links(svg)
    expected = {reverse("greening:public_plot", args=["HD", p.pk]) for p in shown}
    assert set(found) == expected
    for a in found.values():
        title = a.find(f"{SVG}title").text
        assert title == a.get("aria-label") and "平方米" in title
    assert svg.get("aria-label") == "湖东社区绿地分布示意图：2 块，已认领 0 块"
    assert svg.get("viewBox").startswith("0 0 640 ") and svg.get("width") == "100%"
    # the legend is HTML words, and the table stays below the picture
    assert "可认领" in html and html.index("plot-plan") < html.index("<table")


def test_widths_follow_the_area_with_a_minimum(world):
    w = world.worker_a
    areas = ["5", "300", "150", "600"]
    plots = [plot(world.hd, w, f"草坪{i}", area=a, zone="东区") for i, a in enumerate(areas)]
    _, svg = page_svg()
    found = links(svg)
    width = {
        p.pk: float(
            found[reverse("greening:public_plot", args=["HD", p.pk])]
            .find(f"{SVG}rect")
            .get("width")
        )
        for p in plots
    }
    by_area = sorted(plots, key=lambda p: p.area_m2)
    assert [width[p.pk] for p in by_area] == sorted(width.values())
    assert width[by_area[0].pk] == plan.MIN_W  # 5 m² is drawn at the minimum width
    # above the minimum, proportional: 600 m² is twice 300 m², 300 m² twice 150 m²
    big, mid, small = width[plots[3].pk], width[plots[1].pk], width[plots[2].pk]
    assert abs(big - 2 * mid) < 0.2 and abs(mid - 2 * small) < 0.2


def test_a_plot_needing_care_carries_the_marker_and_the_stripes(world):
    w = world.worker_a
    cared = plot(world.hd, w, "月季花坛", zone="东区")
    neglected = plot(world.hd, w, "东区绿篱", zone="东区")
    adopt(cared, world.resident_a, w)
    a = adopt(neglected, world.resident_a, w)
    Adoption.objects.filter(pk=a.pk).update(
        starts_on=timezone.localdate() - datetime.timedelta(days=90)
    )
    _, svg = page_svg()
    found = links(svg)
    bad = found[reverse("greening:public_plot", args=["HD", neglected.pk])]
    good = found[reverse("greening:public_plot", args=["HD", cared.pk])]
    assert bad.find(f"{SVG}rect").get("fill") == f"url(#{plan.CARE_PATTERN})"
    assert bad.find(f"{SVG}text").text.startswith(plan.MARKER)
    assert "需要关注" in bad.find(f"{SVG}title").text
    assert good.find(f"{SVG}rect").get("fill") == plan.LOOKS["adopted"].fill
    assert plan.MARKER not in (good.find(f"{SVG}text").text or "")
    assert "需要关注" not in good.find(f"{SVG}title").text
    assert svg.get("aria-label").endswith("已认领 2 块，其中 1 块需要关注")


def test_names_are_escaped(world):
    p = plot(world.hd, world.worker_a, "<b>x</b>", zone="<i>区</i>")
    html, svg = page_svg()
    assert "<b>x</b>" not in html and "<i>区</i>" not in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html
    a = links(svg)[reverse("greening:public_plot", args=["HD", p.pk])]
    assert a.find(f"{SVG}title").text.startswith("<b>x</b>")  # parsed back: the text itself


def _luminance(hex_colour: str) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g_, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g_) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_the_text_on_each_fill_meets_wcag_aa():
    for key, look in plan.LOOKS.items():
        fills = plan.CARE_STRIPES if key == "care" else (look.fill,)
        for fill in fills:
            assert contrast(look.text, fill) >= 4.5, (key, fill)


def _page_queries() -> int:
    client = Client()
    client.get(PAGE)  # warm: sessions, caches
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(PAGE).status_code == 200
    return len(ctx.captured_queries)


def test_the_page_query_count_does_not_grow_with_the_plots(world):
    w = world.worker_a
    for i in range(3):
        adopt(plot(world.hd, w, f"东区草坪{i}", zone="东区"), world.resident_a, w)
    few = _page_queries()
    for i in range(9):
        plot(world.hd, w, f"西区花坛{i}", area=str(20 + i * 30), zone="西区")
    _, svg = page_svg()
    assert len(links(svg)) == 12
    assert _page_queries() == few


def test_one_band_and_one_table_per_area_even_when_names_interleave(world):
    w = world.worker_a
    for name, zone in (
        ("甲草坪", "西区"),
        ("乙草坪", "东区"),
        ("丙草坪", "西区"),
        ("丁草坪", "东区"),
    ):
        plot(world.hd, w, name, zone=zone)
    html, svg = page_svg()
    bands = svg.findall(f"{SVG}g")
    assert [b.find(f"{SVG}text").text for b in bands] == ["东区", "西区"]
    assert html.count("<h2>东区</h2>") == 1 and html.count("<h2>西区</h2>") == 1
