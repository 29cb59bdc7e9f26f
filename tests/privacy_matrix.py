"""The rows of the permission matrix for residents' data rights (tests/test_access_matrix.py
uses them): the resident's downloads and correction form, the workers' correction requests
and the erasure page. (web:my_data and web:my_data_export are in the main table.)"""

from types import SimpleNamespace

from .matrix_base import Try, expect, hd_staff, residents_only, url

ROUTES: dict[str, Try] = {
    "web:my_data_pdf": Try(url("web:my_data_pdf"), residents_only()),
    "web:my_data_correct": Try(url("web:my_data_correct"), residents_only()),
    "api:my_data": Try(
        url("api:my_data"), expect(404, resident_a=200, resident_b=200, anonymous=401)
    ),
    "registry:corrections": Try(url("registry:corrections", "HD"), hd_staff()),
    "registry:correction": Try(
        url("registry:correction", "HD", lambda o: o.privacy.correction.pk), hd_staff()
    ),
    "registry:erase": Try(url("registry:erase", "HD", lambda o: o.privacy.moved.pk), hd_staff()),
}


def objects(world):
    """An open correction request of resident_a (HD) and a resident of HD who moved away."""
    from zizhi.registry import rights

    from . import factories as f

    correction = rights.do_request_correction(
        world.resident_a.resident, "address", "湖东路 8 号", "门牌号变了", actor=world.resident_a
    )
    moved = f.resident(world.hd, name="已迁出甲", hh=f.household(world.hd, "7栋", "701"))
    return SimpleNamespace(correction=correction, moved=moved)
