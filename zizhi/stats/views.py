"""The dashboard pages: a community, a subdistrict (its communities side by side), a city (its
subdistricts side by side); and the list behind a community's figure."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from zizhi.accounts.access import get_staff_community
from zizhi.governance.workflow import STATES

from . import charts, dashboard, definitions, figures, lists
from . import period as periods
from .links import href, scope_href
from .scope import get_scope


def _period(request) -> periods.Period:
    try:
        return periods.from_query(request.GET)
    except periods.BadPeriod as exc:
        messages.error(request, _("时间范围有误：%(why)s。下面是近12个月的数字。") % {"why": exc})
        return periods.Period.last_12_months()


def _cards(user, board) -> list:
    total = board.total
    return [
        (
            label,
            [
                (f, total.values[f.key], scope_href(user, f, board.scope, board.period))
                for f in figs
            ],
        )
        for _key, label, figs in definitions.sections()
    ]


def _table(user, board) -> list:
    return [
        (row, [(f, row.values[f.key], href(user, f, row.unit, board.period)) for f in definitions.FIGURES])
        for row in board.rows
    ]  # fmt: skip


def _charts(board) -> dict:
    month = [m["month"].strftime("%y.%m") for m in board.trend]
    trend = {
        key: charts.columns(list(zip(month, [m[key] / div for m in board.trend], strict=True)))
        for key, div in (
            ("participants", 1),
            ("service_minutes", 60),
            ("credit_issued", 60),
            ("suggestions", 1),
        )
    }
    compared = []
    if len(board.rows) > 1:
        for key in definitions.COMPARED:
            figure = definitions.BY_KEY[key]
            rows = [(row.unit.name, row.values[key]) for row in board.rows]
            compared.append((figure, charts.bars(rows)))
    pyramid_rows = [(band, v["M"], v["F"]) for band, v in board.pyramid.items()]
    return {
        "trend": trend,
        "compared": compared,
        "pyramid": charts.pyramid(pyramid_rows),
        "pyramid_rows": pyramid_rows,
        "bands": charts.bars(board.depositor_bands()),
        "stages": charts.bars([(_stage_label(s), n) for s, n in board.stages()]),
        "stage_rows": [(_stage_label(s), n) for s, n in board.stages()],
    }


def _stage_label(state: str) -> str:
    return str(STATES.get(state, state))


def _render(request, kind: str, code: str):
    scope = get_scope(request.user, kind, code)
    period = _period(request)
    board = dashboard.get(scope, period, use_cache=request.GET.get("fresh") != "1")
    context = {
        "board": board,
        "scope": scope,
        "period": period,
        "presets": periods.presets(),
        "cards": _cards(request.user, board),
        "table": _table(request.user, board),
        "total_cells": [(f, board.total.values[f.key]) for f in definitions.FIGURES],
        "figures": definitions.FIGURES,
        "sections": definitions.sections(),
        "charts": _charts(board),
        "band_labels": figures.BAND_LABELS,
    }
    return render(request, "stats/dashboard.html", context)


@login_required
def community_dashboard(request, code):
    return _render(request, "community", code)


@login_required
def subdistrict_dashboard(request, code):
    return _render(request, "subdistrict", code)


@login_required
def city_dashboard(request, code):
    return _render(request, "city", code)


@login_required
def figure_list(request, code, figure):
    """The rows a community's figure counts, for the community's staff."""
    community = get_staff_community(request.user, code)
    spec = lists.LISTS.get(figure)
    if spec is None:
        raise Http404
    period = _period(request)
    page = Paginator(spec.rows(community, period), 50).get_page(request.GET.get("page"))
    context = {
        "current_community": community,
        "spec": spec,
        "period": period,
        "page": page,
        "rows": [
            [(label, *cell) for label, cell in zip(spec.columns, spec.cells(obj), strict=True)]
            for obj in page.object_list
        ],
    }
    return render(request, "stats/list.html", context)
