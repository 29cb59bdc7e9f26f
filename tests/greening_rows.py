"""Rows of the greening app for tests: plots, an adoption by resident_a, photos."""

import datetime
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from zizhi.greening import actions as g


def png_bytes() -> bytes:
    """A real 1x1 PNG."""
    import struct
    import zlib

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"\x00\xff\x00\x00"
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def photo(name="photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def plot(community, actor, name="中心花园草坪", area="120", kind="lawn", zone="中心花园"):
    return g.do_create_plot(
        community, actor=actor, name=name, zone=zone, location="3栋南侧", area_m2=area, kind=kind
    )


def term(days=365):
    start = timezone.localdate()
    return start, start + datetime.timedelta(days=days)


def adopt(plot, resident_user, worker, kind="resident", show_name=True):
    """An adoption of `plot` applied for by a resident, approved by a worker."""
    start, end = term()
    adoption = g.do_apply_adoption(
        plot,
        actor=resident_user,
        adopter_kind=kind,
        starts_on=start,
        ends_on=end,
        show_name=show_name,
    )
    return g.do_approve_adoption(adoption, actor=worker)


def matrix_objects(world):
    w = world.worker_a
    available = plot(world.hd, w, "可认领草坪")
    adopted = plot(world.hd, w, "已认领花坛", kind="flower_bed")
    pending_plot = plot(world.hd, w, "待审核绿篱", kind="hedge")
    adoption = adopt(adopted, world.resident_a, w)
    start, end = term()
    other = world.resident_a.resident
    pending = g.do_apply_adoption(
        pending_plot,
        actor=w,
        adopter_kind="resident",
        resident=other,
        starts_on=start,
        ends_on=end,
    )
    log = g.do_log_upkeep(
        adoption, actor=world.resident_a, done_on=start, text_="浇水", photo=photo()
    )
    picture = g.do_add_plot_photo(adopted, photo(), actor=w, caption="春天")
    return SimpleNamespace(
        available=available,
        adopted=adopted,
        adoption=adoption,
        pending=pending,
        log=log,
        photo=picture,
    )
