"""Greening pages: public plot page privacy, resident apply and upkeep, staff desk, PDFs."""

import datetime
import json

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.greening_rows import adopt, photo, plot, term
from zizhi.greening import actions as g
from zizhi.greening.models import Adoption, AdoptionStatus, Donation, UpkeepLog


def client_for(user=None) -> Client:
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


def test_public_page_names_the_adopter_only_with_consent(world):
    p = plot(world.hd, world.worker_a, "月季花坛")
    a = adopt(p, world.resident_a, world.worker_a, show_name=False)
    g.do_log_upkeep(a, actor=world.resident_a, done_on=timezone.localdate(), text_="修剪月季")
    page = client_for().get(reverse("greening:public_plot", args=["HD", p.pk]))
    text = page.content.decode()
    assert "已被认领" in text and "修剪月季" in text
    assert "湖东居民" not in text
    Adoption.objects.filter(pk=a.pk).update(show_name=True)
    text = client_for().get(reverse("greening:public_plot", args=["HD", p.pk])).content.decode()
    assert "湖东居民" in text


def test_retired_plots_are_not_public(world):
    p = plot(world.hd, world.worker_a)
    g.do_move_plot(p, "retired", actor=world.worker_a)
    assert client_for().get(reverse("greening:public_plot", args=["HD", p.pk])).status_code == 404
    # and another community's code does not reach it either
    q = plot(world.hd, world.worker_a, "二")
    assert client_for().get(reverse("greening:public_plot", args=["XH", q.pk])).status_code == 404


def test_resident_applies_and_logs_upkeep_with_a_photo(world):
    p = plot(world.hd, world.worker_a)
    c = client_for(world.resident_a)
    start, end = term()
    bad = c.post(
        reverse("greening:apply", args=[p.pk]),
        {
            "kind": "resident",
            "starts_on": start.isoformat(),
            "ends_on": start.isoformat(),
            "note": "想种花",
        },
    )
    assert bad.status_code == 200 and "至少" in bad.content.decode()
    assert 'value="想种花"' in bad.content.decode()  # the input is kept
    ok = c.post(
        reverse("greening:apply", args=[p.pk]),
        {
            "kind": "resident",
            "starts_on": start.isoformat(),
            "ends_on": end.isoformat(),
            "show_name": "1",
        },
    )
    assert ok.status_code == 302
    a = Adoption.objects.get()
    assert a.show_name and a.status == AdoptionStatus.PENDING
    assert c.get(reverse("greening:my_adoption", args=[a.pk])).status_code == 200
    g.do_approve_adoption(a, actor=world.worker_a)
    page = c.get(reverse("greening:my_adoption", args=[a.pk])).content.decode()
    assert 'capture="environment"' in page
    done = c.post(
        reverse("greening:my_adoption", args=[a.pk]),
        {
            "text": "浇水除草",
            "done_on": timezone.localdate().isoformat(),
            "photo": photo("IMG_1.jpg"),
        },
    )
    assert done.status_code == 302
    log = UpkeepLog.objects.get()
    assert log.text == "浇水除草" and log.photo
    image = client_for().get(reverse("greening:log_photo", args=["HD", p.pk, log.pk]))
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    # not a photo: refused with a message, nothing written
    fake = c.post(
        reverse("greening:my_adoption", args=[a.pk]),
        {"text": "x", "done_on": timezone.localdate().isoformat(), "photo": _fake()},
    )
    assert "不是照片" in fake.content.decode() and UpkeepLog.objects.count() == 1


def _fake():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("a.jpg", b"<html>not an image</html>", content_type="image/jpeg")


def test_staff_register_approve_and_print(world):
    p = plot(world.hd, world.worker_a)
    c = client_for(world.worker_a)
    start, end = term()
    r = c.post(
        reverse("greening:register", args=["HD"]),
        {
            "plot": p.pk,
            "kind": "household",
            "who": world.resident_a.resident.phone,
            "starts_on": start.isoformat(),
            "ends_on": end.isoformat(),
        },
    )
    assert r.status_code == 302
    a = Adoption.objects.get()
    assert a.household_id == world.resident_a.resident.household_id
    assert (
        c.post(reverse("greening:review", args=["HD", a.pk]), {"move": "approve"}).status_code
        == 302
    )
    a.refresh_from_db()
    assert a.status == AdoptionStatus.ACTIVE
    pdf = c.get(reverse("greening:agreement_pdf", args=["HD", a.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    sign = c.get(reverse("greening:sign_pdf", args=["HD", p.pk]))
    assert sign.content.startswith(b"%PDF")
    manage = c.get(reverse("greening:manage", args=["HD"]))
    assert p.name in manage.content.decode()


def test_needs_care_filter_on_the_staff_list(world):
    p = plot(world.hd, world.worker_a, "荒草坪")
    q = plot(world.hd, world.worker_a, "好草坪")
    a = adopt(p, world.resident_a, world.worker_a)
    adopt(q, world.resident_a, world.worker_a)
    Adoption.objects.filter(pk=a.pk).update(
        starts_on=timezone.localdate() - datetime.timedelta(days=45)
    )
    page = client_for(world.worker_a).get(reverse("greening:manage", args=["HD"]) + "?show=care")
    text = page.content.decode()
    assert "荒草坪" in text and "好草坪" not in text


def test_donation_desk_and_what_my_money_did(world):
    c = client_for(world.worker_a)
    today = timezone.localdate().isoformat()
    r = c.post(
        reverse("greening:donation_add", args=["HD"]),
        {
            "donor_kind": "household",
            "who": world.resident_a.resident.phone,
            "amount": "300",
            "receipt_no": "HD-LH-9",
            "given_on": today,
        },
    )
    assert r.status_code == 302
    kept = c.post(
        reverse("greening:donation_add", args=["HD"]),
        {"donor_kind": "anonymous", "amount": "abc", "receipt_no": "HD-LH-10", "given_on": today},
    )
    assert "请填写金额" in kept.content.decode() and 'value="HD-LH-10"' in kept.content.decode()
    c.post(
        reverse("greening:fund_use_add", args=["HD"]),
        {"purpose": "购买花苗", "amount": "120", "used_on": today},
    )
    mine = client_for(world.resident_a).get(reverse("greening:my_money")).content.decode()
    assert "HD-LH-9" in mine and "300.00" in mine and "购买花苗" in mine and "180.00" in mine
    theirs = client_for(world.resident_b).get(reverse("greening:my_money")).content.decode()
    assert "HD-LH-9" not in theirs
    assert Donation.objects.count() == 1


def test_subdistrict_side_by_side(world):
    plot(world.hd, world.worker_a, area="1000")
    page = client_for(world.subadmin).get(reverse("greening:subdistrict")).content.decode()
    assert "湖东社区" in page and "西湖社区" in page and "南湖社区" not in page


def test_home_sections(world):
    p = plot(world.hd, world.worker_a)
    start, end = term()
    g.do_apply_adoption(
        p, actor=world.resident_a, adopter_kind="resident", starts_on=start, ends_on=end
    )
    staff_home = client_for(world.worker_a).get("/").content.decode()
    assert reverse("greening:manage", args=["HD"]) in staff_home and "待审核 1" in staff_home
    home = client_for(world.resident_a).get("/").content.decode()
    assert reverse("greening:home") in home


def test_api_flow(world):
    staff, me = client_for(world.worker_a), client_for(world.resident_a)
    made = staff.post(
        reverse("api:greening_create_plot"),
        json.dumps(
            {
                "community": "HD",
                "name": "API 草坪",
                "location": "1栋",
                "area_m2": 80,
                "kind": "lawn",
            }
        ),
        content_type="application/json",
    )
    assert made.status_code == 201
    pk = made.json()["id"]
    start, end = term()
    applied = me.post(
        reverse("api:greening_apply"),
        json.dumps(
            {
                "plot_id": pk,
                "adopter_kind": "resident",
                "starts_on": str(start),
                "ends_on": str(end),
            }
        ),
        content_type="application/json",
    )
    assert applied.status_code == 201 and applied.json()["status"] == "pending"
    aid = applied.json()["id"]
    ok = staff.post(
        reverse("api:greening_review", args=[aid]),
        json.dumps({"move": "approve"}),
        content_type="application/json",
    )
    assert ok.json()["status"] == "active"
    public = client_for().get(reverse("api:greening_plot", args=[pk])).json()
    assert public["state"] == "adopted" and public["adopter"] == "已被认领"
    t = client_for().get(reverse("api:greening_totals") + "?community=HD").json()
    assert t["plots_adopted"] == 1 and t["m2_adopted"] == 80.0
    mine = me.get(reverse("api:greening_adoptions")).json()
    assert [a["id"] for a in mine] == [aid]
    assert client_for(world.resident_b).get(reverse("api:greening_adoptions")).json() == []
    schema = client_for().get("/api/v1/openapi.json").json()
    paths = [p for p in schema["paths"] if "/greening/" in p]
    assert len(paths) >= 8
