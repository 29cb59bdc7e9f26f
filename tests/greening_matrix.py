"""The greening app's rows of the permission matrix (tests/test_access_matrix.py uses them).

ROUTES: one `Try` per URL name of the app (pages and API); objects(world): the rows of
community HD that they need, reached from a `Try` as `o.greening`.
"""

import datetime

from .greening_rows import matrix_objects
from .matrix_base import LOGIN, Try, api_hd, everyone, expect, hd_staff, residents_only, url


def _plot(o):
    return o.greening.adopted.pk


def _avail(o):
    return o.greening.available.pk


def _adoption(o):
    return o.greening.adoption.pk


def _pending(o):
    return o.greening.pending.pk


TODAY = datetime.date.today().isoformat()
LATER = (datetime.date.today() + datetime.timedelta(days=400)).isoformat()
OWN = expect(404, resident_a=200, anonymous=LOGIN)  # resident_a's own adoption / community
API_STAFF_400 = hd_staff(400, anonymous=401)

ROUTES: dict[str, Try] = {
    # public pages
    "greening:public_plots": Try(url("greening:public_plots", "HD"), everyone(200)),
    "greening:fund": Try(url("greening:fund", "HD"), everyone(200)),
    "greening:public_plot": Try(url("greening:public_plot", "HD", _plot), everyone(200)),
    "greening:plot_photo": Try(
        url("greening:plot_photo", "HD", _plot, lambda o: o.greening.photo.pk), everyone(200)
    ),
    "greening:log_photo": Try(
        url("greening:log_photo", "HD", _plot, lambda o: o.greening.log.pk), everyone(200)
    ),
    # resident pages
    "greening:home": Try(url("greening:home"), residents_only()),
    "greening:my_money": Try(url("greening:my_money"), residents_only()),
    "greening:apply": Try(url("greening:apply", _avail), OWN),
    "greening:my_adoption": Try(url("greening:my_adoption", _adoption), OWN),
    # staff pages
    "greening:subdistrict": Try(
        url("greening:subdistrict"), expect(404, subadmin=200, subadmin_other=200, anonymous=LOGIN)
    ),
    "greening:manage": Try(url("greening:manage", "HD"), hd_staff()),
    "greening:care_days": Try(url("greening:care_days", "HD"), hd_staff(302), method="post"),
    "greening:plot_new": Try(url("greening:plot_new", "HD"), hd_staff()),
    "greening:plot": Try(url("greening:plot", "HD", _plot), hd_staff()),
    "greening:plot_edit": Try(url("greening:plot_edit", "HD", _plot), hd_staff(), method="post"),
    "greening:plot_move": Try(url("greening:plot_move", "HD", _plot), hd_staff(), method="post"),
    "greening:plot_photo_add": Try(
        url("greening:plot_photo_add", "HD", _plot), hd_staff(), method="post"
    ),
    "greening:inspect": Try(url("greening:inspect", "HD", _plot), hd_staff(), method="post"),
    "greening:sign_pdf": Try(url("greening:sign_pdf", "HD", _plot), hd_staff()),
    "greening:applications": Try(url("greening:applications", "HD"), hd_staff()),
    "greening:register": Try(url("greening:register", "HD"), hd_staff()),
    "greening:adoption": Try(url("greening:adoption", "HD", _pending), hd_staff()),
    "greening:review": Try(url("greening:review", "HD", _pending), hd_staff(), method="post"),
    "greening:agreement_pdf": Try(url("greening:agreement_pdf", "HD", _adoption), hd_staff()),
    "greening:fund_desk": Try(url("greening:fund_desk", "HD"), hd_staff()),
    "greening:donation_add": Try(url("greening:donation_add", "HD"), hd_staff(), method="post"),
    "greening:fund_use_add": Try(url("greening:fund_use_add", "HD"), hd_staff(), method="post"),
    # API
    "api:greening_plots": Try(
        lambda o: url("api:greening_plots")(o) + "?community=HD", everyone(200)
    ),
    "api:greening_plot": Try(url("api:greening_plot", _plot), everyone(200)),
    "api:greening_totals": Try(
        lambda o: url("api:greening_totals")(o) + "?community=HD", everyone(200)
    ),
    "api:greening_create_plot": Try(
        url("api:greening_create_plot"),
        API_STAFF_400,  # a valid request of a kind the action refuses: 404 before for others
        method="post",
        json={"community": "HD", "name": "矩阵", "location": "1栋", "area_m2": 10, "kind": "x"},
    ),
    "api:greening_move_plot": Try(
        url("api:greening_move_plot", _plot),
        API_STAFF_400,  # "adopted" only by approving
        method="post",
        json={"state": "adopted"},
    ),
    "api:greening_inspect": Try(
        url("api:greening_inspect", _plot),
        hd_staff(201, anonymous=401),
        method="post",
        json={"done_on": TODAY, "text": "巡查", "result": "good"},
    ),
    "api:greening_adoptions": Try(url("api:greening_adoptions"), expect(200, anonymous=401)),
    "api:greening_apply": Try(
        url("api:greening_apply"),
        # resident_a applies; staff without naming an adopter are refused (400)
        expect(404, anonymous=401, resident_a=201, worker_a=400, subadmin=400),
        method="post",
        json=lambda o: {
            "plot_id": o.greening.available.pk,
            "adopter_kind": "resident",
            "starts_on": TODAY,
            "ends_on": LATER,
        },
    ),
    "api:greening_review": Try(
        url("api:greening_review", _pending),
        hd_staff(422, anonymous=401),
        method="post",
        json={"move": "nothing"},
    ),
    "api:greening_log_upkeep": Try(
        url("api:greening_log_upkeep", _adoption),
        api_hd(201),
        method="post",
        json={"done_on": TODAY, "text": "除草"},
    ),
    "api:greening_donate": Try(
        url("api:greening_donate"),
        API_STAFF_400,
        method="post",
        json={
            "community": "HD",
            "amount_fen": 100,
            "donor_kind": "nobody",
            "receipt_no": "M-1",
            "given_on": TODAY,
        },
    ),
}


def objects(world):
    return matrix_objects(world)
