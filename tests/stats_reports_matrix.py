"""The monthly reports' rows of the permission matrix (tests/test_access_matrix.py uses them).

ROUTES: one `Try` per URL name of the reports (pages, files, API); objects(world): a finished
report of HD, reached from a `Try` as `o.stats_reports`. Who: as the dashboard (staff of HD,
the subdistrict's administrators; a city administrator is tested in test_stats_reports.py).
"""

from .matrix_base import LOGIN, Try, expect, hd_staff, url


def _report(o):
    return o.stats_reports.pk


ROUTES: dict[str, Try] = {
    "stats:community_reports": Try(url("stats:community_reports", "HD"), hd_staff()),
    "stats:subdistrict_reports": Try(
        url("stats:subdistrict_reports", "dh"), expect(404, subadmin=200, anonymous=LOGIN)
    ),
    "stats:report": Try(url("stats:report", _report), hd_staff()),
    "stats:report_xlsx": Try(url("stats:report_xlsx", _report), hd_staff()),
    "stats:report_pdf": Try(url("stats:report_pdf", _report), hd_staff()),
    # a month before 2000: refused with a reason (400) to HD's staff, 404 before that to others
    "api:stats_request_report": Try(
        url("api:stats_request_report"),
        hd_staff(400, anonymous=401),
        method="post",
        json={"kind": "community", "code": "HD", "month": "1999-12"},
    ),
    "api:stats_report": Try(url("api:stats_report", _report), hd_staff(anonymous=401)),
}


def objects(world):
    """HD's report of last month, generated (inline: the matrix runs without threads)."""
    from zizhi.stats import actions

    report = actions.do_request_report(
        world.worker_a, "community", "HD", actions.last_month(), actor=world.worker_a
    )
    return actions.run_report(report.pk)
