"""The dashboard's rows of the permission matrix (tests/test_access_matrix.py uses them).

No persona of the matrix is a city administrator; tests/test_stats.py checks that role."""

from .matrix_base import Try, expect, hd_staff, url

ROUTES: dict[str, Try] = {
    "stats:community": Try(url("stats:community", "HD"), hd_staff(200)),
    "stats:subdistrict": Try(
        url("stats:subdistrict", "dh"), expect(404, subadmin=200, anonymous="302 to login")
    ),
    "stats:city": Try(url("stats:city", "zs"), expect(404, anonymous="302 to login")),
    "stats:list": Try(url("stats:list", "HD", "participants"), hd_staff(200)),
    "api:stats_dashboard": Try(
        url("api:stats_dashboard", "community", "HD"), hd_staff(200, anonymous=401)
    ),
}


def objects(world):
    """The city zs above dh (no persona administers it: everyone gets 404 on its page)."""
    from zizhi.registry.models import City

    world.dh.city = City.objects.create(code="zs", name="示范市")
    world.dh.save()
    return world.dh.city
