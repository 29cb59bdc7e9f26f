"""Wishes pages and API: the wall hides the person, claiming through the page, the
claimant's deadline and audited contact reveal, the beneficiary's page, the worker's desk,
the home cards, and the API's shapes."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests import factories as f
from tests.wishes_rows import beneficiary, live_claim, volunteer_user, wish
from zizhi.audit.models import Event
from zizhi.wishes.models import Claim, Wish, WishStatus

from .upload_files import REAL_PNG

pytestmark = pytest.mark.django_db


def client_for(user):
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def granny(world):
    return beneficiary(world.hd).resident


@pytest.fixture
def helper(world):
    return volunteer_user(world.hd)


def test_wall_shows_the_public_wording_only_and_rolled_over_first(world, granny):
    first = wish(world.worker_a, granny)
    second = wish(world.worker_a, f.resident(world.hd, name="赵爷爷"))
    Wish.objects.filter(pk=second.pk).update(rolled_over_times=1, title="优先的心愿")
    hidden = wish(world.worker_a, granny, WishStatus.SUBMITTED, text="想要保温杯")
    page = Client().get(reverse("wishes:wall", args=["HD"])).content.decode()
    assert first.title in page and "优先的心愿" in page
    assert page.index("优先的心愿") < page.index(first.title)
    assert granny.name not in page and granny.phone not in page and "保温杯" not in page
    assert Client().get(reverse("wishes:detail", args=["HD", hidden.pk])).status_code == 404
    detail = Client().get(reverse("wishes:detail", args=["HD", first.pk])).content.decode()
    assert granny.name not in detail and "登录后认领" in detail


def test_api_never_names_the_person_to_others(world, granny, helper):
    w = wish(world.worker_a, granny)
    body = Client().get(reverse("api:list_wishes") + "?community=HD").content.decode()
    assert w.title in body and granny.name not in body and "beneficiary" not in body
    assert (
        granny.name
        not in client_for(helper).get(reverse("api:get_wish", args=[w.pk])).content.decode()
    )
    desk = client_for(world.worker_a).get(reverse("api:desk_wishes") + "?community=HD").json()
    assert desk["items"][0]["beneficiary_name"] == granny.name
    assert (
        client_for(world.worker_b).get(reverse("api:desk_wishes") + "?community=HD").status_code
        == 404
    )


def test_volunteer_claims_on_the_page_and_sees_the_deadline(world, granny, helper):
    w = wish(world.worker_a, granny)
    c = client_for(helper)
    page = c.get(reverse("wishes:detail", args=["HD", w.pk])).content.decode()
    assert "确认认领" in page and "志愿者" in page
    response = c.post(reverse("wishes:claim", args=["HD", w.pk]), {"kind": "volunteer"})
    assert response.status_code == 302 and response["Location"] == reverse("wishes:my_claims")
    claim = live_claim(w)
    due = timezone.localtime(claim.contact_due)
    mine = c.get(reverse("wishes:my_claims")).content.decode()
    assert f"请在 {due.year}年{due.month}月{due.day}日 前联系受助人" in mine
    page = c.get(reverse("wishes:claim_detail", args=[claim.pk])).content.decode()
    assert granny.phone not in page  # shown only on request
    shown = c.post(reverse("wishes:contact", args=[claim.pk])).content.decode()
    assert granny.name in shown and granny.phone in shown
    assert Event.objects.filter(verb="wishes.reveal_contact", actor=helper).count() == 1


def test_claimant_records_contact_and_fulfilment_with_a_photo(
    world, granny, helper, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    w = wish(world.worker_a, granny, WishStatus.CLAIMED, claimant=helper)
    claim = live_claim(w)
    c = client_for(helper)
    c.post(reverse("wishes:record_contact", args=[claim.pk]), {"note": "已电话联系"})
    from django.core.files.uploadedfile import SimpleUploadedFile

    photo = SimpleUploadedFile("radio.png", REAL_PNG, content_type="image/png")
    c.post(
        reverse("wishes:record_fulfilment", args=[claim.pk]),
        {"proof_text": "送去收音机", "hours": "1.5", "photo": photo},
    )
    claim.refresh_from_db()
    assert claim.minutes == 90 and claim.proof_type == "image/png"
    assert Wish.objects.get(pk=w.pk).status == "fulfilled"
    her = client_for(granny.user)
    assert her.get(reverse("wishes:proof_photo", args=[claim.pk])).status_code == 200
    assert (
        client_for(world.resident_a).get(reverse("wishes:proof_photo", args=[claim.pk])).status_code
        == 404
    )
    page = her.get(reverse("wishes:mine")).content.decode()
    assert "请您确认" in page and "送去收音机" in page


def test_beneficiary_posts_in_plain_words_and_keeps_input_on_error(world):
    c = client_for(world.resident_a)
    response = c.post(
        reverse("wishes:mine"), {"text": "想要一台电视机", "category": "goods", "value": "900"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "想要一台电视机" in page and "500" in page
    assert not Wish.objects.exists()
    c.post(reverse("wishes:mine"), {"text": "希望有人陪去医院复查", "category": "company"})
    w = Wish.objects.get()
    assert (w.beneficiary, w.status, w.by_worker) == (world.resident_a.resident, "submitted", False)


def test_beneficiary_confirms_on_the_page(world, granny, helper):
    w = wish(world.worker_a, granny, WishStatus.FULFILLED, claimant=helper)
    assert (
        client_for(world.resident_a).post(reverse("wishes:confirm", args=[w.pk])).status_code == 404
    )
    client_for(granny.user).post(reverse("wishes:confirm", args=[w.pk]))
    assert Wish.objects.get(pk=w.pk).status == "confirmed"
    assert not live_claim(w).confirmed_by_worker


def test_desk_verify_keeps_input_and_publishes(world, granny):
    w = wish(world.worker_a, granny, WishStatus.SUBMITTED)
    c = client_for(world.worker_a)
    url = reverse("wishes:verify", args=["HD", w.pk])
    response = c.post(url, {"title": f"{granny.name}想要收音机", "public_text": "喜欢听戏"})
    page = response.content.decode()
    assert response.status_code == 200 and "不能出现受助人" in page and "喜欢听戏" in page
    c.post(
        url,
        {
            "title": "一位独居老人想要收音机",
            "public_text": "喜欢听戏",
            "contact_hint": "上午打电话",
        },
    )
    w.refresh_from_db()
    assert w.status == "published" and w.contact_hint == "上午打电话"


def test_desk_lists_overdue_contacts_and_records_for_a_resident(world, granny, helper):
    w = wish(world.worker_a, granny, WishStatus.CLAIMED, claimant=helper)
    Claim.objects.filter(wish=w).update(contact_due=timezone.now() - datetime.timedelta(days=1))
    c = client_for(world.worker_a)
    page = c.get(reverse("wishes:desk", args=["HD"])).content.decode()
    assert "逾期未联系" in page and granny.name in page
    c.post(
        reverse("wishes:post_for", args=["HD"]),
        {"phone": granny.phone, "text": "想要老花镜", "category": "goods"},
    )
    assert Wish.objects.filter(text="想要老花镜", by_worker=True, posted_by=world.worker_a).exists()
    response = c.post(
        reverse("wishes:post_for", args=["HD"]),
        {"phone": "13000000000", "text": "想要拐杖", "category": "goods"},
    )
    assert (
        "没有登记这个手机号" in response.content.decode()
        and "想要拐杖" in response.content.decode()
    )


def test_worker_records_a_unit_claim_and_confirms_after_a_visit(world, granny):
    from zizhi.registry.models import LocalUnit

    unit = LocalUnit.objects.create(community=world.hd, name="湖东超市")
    w = wish(world.worker_a, granny)
    c = client_for(world.worker_a)
    c.post(reverse("wishes:unit_claim", args=["HD", w.pk]), {"unit": str(unit.pk)})
    claim = live_claim(w)
    assert claim.local_unit == unit and claim.user == world.worker_a
    c.post(reverse("wishes:record_contact", args=[claim.pk]), {"note": "超市已联系老人"})
    c.post(
        reverse("wishes:record_fulfilment", args=[claim.pk]),
        {"proof_text": "送去米面油", "hours": "0"},
    )
    c.post(reverse("wishes:staff_confirm", args=["HD", w.pk]), {"note": "上门看过，已收到"})
    claim.refresh_from_db()
    assert claim.confirmed_by_worker and Wish.objects.get(pk=w.pk).status == "confirmed"


def test_api_flow_claim_contact_fulfil_confirm(world, granny, helper):
    w = wish(world.worker_a, granny)
    c = client_for(helper)
    made = c.post(
        reverse("api:claim_wish", args=[w.pk]),
        {"kind": "volunteer"},
        content_type="application/json",
    )
    assert made.status_code == 201
    claim_id = made.json()["id"]
    assert c.post(reverse("api:reveal_contact", args=[claim_id])).json()["phone"] == granny.phone
    c.post(
        reverse("api:record_contact", args=[claim_id]),
        {"note": "约好了"},
        content_type="application/json",
    )
    done = c.post(
        reverse("api:record_fulfilment", args=[claim_id]),
        {"minutes": 45, "proof_text": "陪同复查"},
        content_type="application/json",
    )
    assert done.json()["fulfilled_at"]
    her = client_for(granny.user)
    assert her.get(reverse("api:my_wishes")).json()["items"][0]["text"] == "想要一台收音机"
    confirmed = her.post(
        reverse("api:confirm_wish", args=[w.pk]), {}, content_type="application/json"
    )
    assert confirmed.json()["status"] == "confirmed"
    assert c.get(reverse("api:my_claims")).json()["items"][0]["service_record_number"]


def test_home_cards(world, granny, helper):
    w = wish(world.worker_a, granny, WishStatus.FULFILLED, claimant=helper)
    assert "您的心愿实现了，请确认" in client_for(granny.user).get("/").content.decode()
    other = wish(
        world.worker_a, f.resident(world.hd, name="赵爷爷"), WishStatus.CLAIMED, claimant=helper
    )
    Claim.objects.filter(wish=other).update(
        contact_due=timezone.now() + datetime.timedelta(hours=20)
    )
    assert "快到联系期限了" in client_for(helper).get("/").content.decode()
    staff = client_for(world.worker_a).get("/").content.decode()
    assert reverse("wishes:desk", args=["HD"]) in staff and "1 待确认" in staff
    assert w.pk


def test_api_worker_posts_for_a_resident_and_drafts_stay_private(world, granny):
    worker = client_for(world.worker_a)
    made = worker.post(
        reverse("api:post_wish"),
        {
            "text": "想要一副老花镜",
            "category": "goods",
            "value_cap_yuan": 80,
            "beneficiary_id": granny.pk,
        },
        content_type="application/json",
    )
    assert made.status_code == 201 and made.json()["value_cap_fen"] == 8000
    pk = made.json()["id"]
    assert Client().get(reverse("api:get_wish", args=[pk])).status_code == 404
    other = client_for(world.worker_b).post(
        reverse("api:post_wish"),
        {"text": "想要拐杖", "category": "goods", "beneficiary_id": granny.pk},
        content_type="application/json",
    )
    assert other.status_code == 404
    bad = worker.post(
        reverse("api:verify_wish", args=[pk]),
        {"title": f"{granny.name}想要老花镜"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "不能出现受助人" in bad.content.decode()


def test_home_sections_take_few_queries(world, granny, helper, django_assert_max_num_queries):
    from zizhi.accounts.access import access_for
    from zizhi.wishes import home

    wish(world.worker_a, granny, WishStatus.FULFILLED, claimant=helper)
    access_for(granny.user)  # computed once per request by the access layer
    with django_assert_max_num_queries(2):
        assert home.resident(granny.user)["to_confirm"] == 1
    with django_assert_max_num_queries(1):
        assert home.staff(world.worker_a, world.hd)["fulfilled"] == 1
    with django_assert_max_num_queries(2):
        assert home.member(helper)["claims"] == 1
