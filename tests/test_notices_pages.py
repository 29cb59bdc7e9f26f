"""Notice pages: the public board without login, a notice, the Atom feed, the A4 PDF, the
objection form, attachments and the staff pages."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from zizhi.notices import actions
from zizhi.notices.models import Category, Notice, NoticeStatus, Objection
from zizhi.notices.pdf import render_notice_pdf

from .test_notices import PDF, PNG, draft, expire, published

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def login(client, user):
    client.force_login(user)
    return client


def board(client, query=""):
    return client.get(reverse("notices:board", args=["HD"]) + query)


def page_of(notice):
    return reverse("notices:detail", args=[notice.community.code, notice.pk])


# ---- the public board -------------------------------------------------------------------
def test_board_needs_no_login_and_hides_drafts(client, world):
    current = published(world, title="当前公示")
    draft(world, title="内部草稿")
    old = expire(published(world, title="往期公示"))
    response = board(client)
    html = response.content.decode()
    assert response.status_code == 200
    assert "当前公示" in html and "内部草稿" not in html and "往期公示" not in html
    assert page_of(current) in html
    expired_html = board(client, "?show=expired").content.decode()
    assert "往期公示" in expired_html and "当前公示" not in expired_html
    assert "已到期" in expired_html and page_of(old) in expired_html


def test_board_filters_by_category_and_ignores_bad_filters(client, world):
    published(world, title="财务收支", category=Category.FINANCE)
    published(world, title="居民公约", category=Category.RULES)
    html = board(client, "?category=finance").content.decode()
    assert "财务收支" in html and "居民公约" not in html
    assert board(client, "?category=<x>&show=nope&page=zz").status_code == 200


def test_withdrawn_notices_show_their_reason_but_never_published_ones_stay_hidden(client, world):
    shown = actions.do_withdraw_notice(
        published(world, title="已撤回的公示"), "数据有误，更正后重发", actor=world.worker_a
    )
    hidden = actions.do_withdraw_notice(
        draft(world, title="作废草稿"), "不用了", actor=world.worker_a
    )
    html = board(client, "?show=withdrawn").content.decode()
    assert "已撤回的公示" in html and "作废草稿" not in html
    page = client.get(page_of(shown)).content.decode()
    assert "数据有误，更正后重发" in page and "撤回" in page
    assert client.get(page_of(hidden)).status_code == 404


def test_other_communities_and_missing_codes(client, world):
    notice = published(world)
    assert client.get(reverse("notices:detail", args=["XH", notice.pk])).status_code == 404
    assert client.get(reverse("notices:board", args=["NOPE"])).status_code == 404
    assert client.get(reverse("notices:detail", args=["HD", 99999])).status_code == 404


def test_community_page_lists_current_notices_and_links_the_board(client, world):
    published(world, title="正在公示的事项")
    draft(world, title="不公开草稿")
    html = client.get(reverse("web:community", args=["HD"])).content.decode()
    assert "正在公示的事项" in html and "不公开草稿" not in html
    assert reverse("notices:board", args=["HD"]) in html


def test_large_text_mode_renders_the_board_and_the_notice(client, world):
    notice = published(world)
    client.cookies["zizhi_large_text"] = "1"
    for path in (reverse("notices:board", args=["HD"]), page_of(notice)):
        html = client.get(path).content.decode()
        assert 'class="large-text"' in html


# ---- a notice ---------------------------------------------------------------------------
def test_notice_page_shows_period_in_chinese_dates_and_a_qr_code(client, world):
    notice = published(world, title="加装电梯方案", body="第一段\n\n第二段")
    html = client.get(page_of(notice)).content.decode()
    first, last = notice.first_day, notice.last_day
    assert (
        f"{first.year}年{first.month}月{first.day}日至{last.year}年{last.month}月{last.day}日"
        in html
    )
    assert notice.number in html and "第二段" in html
    assert re.search(r'<svg role="img"[^>]*class="qr"', html)
    assert "<title>本公示网址的二维码</title>" in html
    assert reverse("notices:pdf", args=["HD", notice.pk]) in html
    assert "登录后提出异议" in html


def test_only_answered_objections_are_public(client, world):
    notice = published(world)
    answered = actions.do_file_objection(notice, "金额写错了吗", actor=world.resident_a)
    actions.do_answer_objection(answered, "已核对无误", actor=world.worker_a)
    actions.do_file_objection(notice, "尚未答复的异议", actor=world.resident_a)
    html = client.get(page_of(notice)).content.decode()
    assert "金额写错了吗" in html and "已核对无误" in html
    assert "尚未答复的异议" not in html
    assert world.resident_a.name not in html  # objections do not name the resident
    own = login(client, world.resident_a).get(page_of(notice)).content.decode()
    assert "尚未答复的异议" in own and "等待社区答复" in own


def test_objection_form_flow(client, world):
    notice = published(world)
    login(client, world.resident_a)
    html = client.get(page_of(notice)).content.decode()
    assert "提交异议" in html
    target = reverse("notices:object", args=["HD", notice.pk])
    response = client.post(target, {"text": ""})
    assert response.status_code == 200 and "这个字段是必填项" in response.content.decode()
    response = client.post(target, {"text": "公示金额与账目不符"})
    assert response.status_code == 302 and response["Location"] == page_of(notice)
    assert Objection.objects.get().text == "公示金额与账目不符"
    assert "您的异议已提交" in client.get(page_of(notice)).content.decode()


def test_objection_refused_after_the_period_and_for_other_residents(client, world):
    notice = expire(published(world))
    login(client, world.resident_a)
    assert "公示期已结束" in client.get(page_of(notice)).content.decode()
    response = client.post(reverse("notices:object", args=["HD", notice.pk]), {"text": "迟了"})
    assert response.status_code == 200 and "公示期已过" in response.content.decode()
    current = published(world)
    login(client, world.resident_b)
    assert "提交异议" not in client.get(page_of(current)).content.decode()
    response = client.post(reverse("notices:object", args=["HD", current.pk]), {"text": "x"})
    assert response.status_code == 403
    assert not Objection.objects.exists()


# ---- the Atom feed --------------------------------------------------------------------
def test_feed_is_valid_atom_with_the_public_notices(client, world):
    one = published(world, title="第一条公示")
    two = published(world, title="第二条公示")
    actions.do_withdraw_notice(two, "重复发布", actor=world.worker_a)
    draft(world, title="草稿不进订阅")
    response = client.get(reverse("notices:feed", args=["HD"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    assert root.find(f"{ATOM}title").text == "湖东社区居务公开"
    assert root.find(f"{ATOM}id").text and root.find(f"{ATOM}updated").text
    entries = root.findall(f"{ATOM}entry")
    titles = {e.find(f"{ATOM}title").text for e in entries}
    assert titles == {"第一条公示", "【已撤回】第二条公示"}
    for entry in entries:
        assert entry.find(f"{ATOM}id").text and entry.find(f"{ATOM}updated").text
    links = {e.find(f"{ATOM}link").get("href") for e in entries}
    assert f"http://testserver{page_of(one)}" in links


# ---- the A4 PDF ---------------------------------------------------------------------------
def pdf_text(data: bytes) -> str:
    """The text shown by an uncompressed reportlab PDF (CID font: UTF-16 string literals)."""
    shown = []
    for literal in re.findall(rb"\(((?:\\.|[^\\)])*)\)\s*Tj", data, re.S):
        raw = re.sub(
            rb"\\([0-7]{1,3}|.)",
            lambda m: (
                bytes([int(m.group(1), 8)])
                if m.group(1)[:1].isdigit()
                else {b"n": b"\n", b"r": b"\r", b"t": b"\t"}.get(m.group(1), m.group(1))
            ),
            literal,
            flags=re.S,
        )
        try:
            shown.append(raw.decode("utf-16-be"))
        except UnicodeDecodeError:
            shown.append(raw.decode("latin-1"))
    return "".join(shown)


def test_pdf_view_gives_an_a4_pdf(client, world):
    notice = published(world)
    response = client.get(reverse("notices:pdf", args=["HD", notice.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert b"/MediaBox [ 0 0 595.2756 841.8898 ]" in response.content
    assert client.get(reverse("notices:pdf", args=["HD", draft(world).pk])).status_code == 404


def test_pdf_holds_community_title_period_seal_and_qr(world):
    notice = published(world, title="关于加装电梯方案的公示", body="经居民代表会议讨论。" * 40)
    data = render_notice_pdf(notice, "https://example.org/c/HD/notices/1/", compress=False)
    text = pdf_text(data)
    first, last = notice.first_day, notice.last_day
    for expected in (
        "湖东社区",
        "关于加装电梯方案的公示",
        notice.number,
        "经居民代表会议讨论。",
        f"公示期：{first.year}年{first.month}月{first.day}日至{last.year}年{last.month}月{last.day}日",
        "盖章处",
        "扫码查看网上公示",
    ):
        assert expected in text, expected
    assert b"STSong-Light" in data
    # the QR code: many filled squares drawn as rectangles
    assert data.count(b" re") > 100


# ---- attachments ------------------------------------------------------------------------
def test_attachments_are_public_with_the_notice_only(client, world):
    notice = draft(world)
    item = actions.do_add_attachment(
        notice, SimpleUploadedFile("收支.pdf", PDF), name="收支明细.pdf", actor=world.worker_a
    )
    target = reverse("notices:attachment", args=["HD", notice.pk, item.pk])
    assert client.get(target).status_code == 404
    assert login(client, world.worker_a).get(target).status_code == 200
    assert login(client, world.worker_b).get(target).status_code == 404
    actions.do_publish_notice(notice, actor=world.worker_a)
    client.logout()
    response = client.get(target)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF
    assert "收支明细.pdf" in client.get(page_of(notice)).content.decode()
    wrong = reverse("notices:attachment", args=["XH", notice.pk, item.pk])
    assert client.get(wrong).status_code == 404


# ---- staff pages --------------------------------------------------------------------------
def test_staff_create_edit_publish_and_withdraw(client, world):
    login(client, world.worker_a)
    manage = reverse("notices:manage", args=["HD"])
    assert client.get(manage).status_code == 200
    response = client.post(manage, {"category": "finance", "title": "", "body": "x"})
    assert response.status_code == 200 and "这个字段是必填项" in response.content.decode()
    response = client.post(
        manage,
        {"category": "finance", "title": "三季度财务", "body": "明细", "period_days": 7},
    )
    notice = Notice.objects.get()
    assert response["Location"] == reverse("notices:staff_detail", args=["HD", notice.pk])
    edit = reverse("notices:edit", args=["HD", notice.pk])
    assert client.get(edit).status_code == 200
    client.post(
        edit, {"category": "finance", "title": "三季度财务收支", "body": "明细", "period_days": 10}
    )
    notice.refresh_from_db()
    assert (notice.title, notice.period_days) == ("三季度财务收支", 10)
    client.post(reverse("notices:publish", args=["HD", notice.pk]))
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.PUBLISHED
    again = client.post(reverse("notices:publish", args=["HD", notice.pk]), follow=True)
    assert "公示不能从" in again.content.decode()
    assert client.get(edit, follow=True).redirect_chain  # a published notice is not edited
    response = client.post(reverse("notices:withdraw", args=["HD", notice.pk]), {"reason": ""})
    assert response.status_code == 200 and "这个字段是必填项" in response.content.decode()
    client.post(reverse("notices:withdraw", args=["HD", notice.pk]), {"reason": "金额有误"})
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.WITHDRAWN and notice.withdraw_reason == "金额有误"
    listing = client.get(manage).content.decode()
    assert "三季度财务收支" in listing and "已撤回" in listing


def test_staff_answer_objections_and_record_postings(client, world):
    notice = published(world)
    objection = actions.do_file_objection(notice, "请公布明细", actor=world.resident_a)
    login(client, world.worker_a)
    detail = reverse("notices:staff_detail", args=["HD", notice.pk])
    html = client.get(detail).content.decode()
    assert "请公布明细" in html and world.resident_a.name in html
    answer = reverse("notices:answer", args=["HD", notice.pk, objection.pk])
    assert client.post(answer, {"answer": ""}).status_code == 200
    client.post(answer, {"answer": "明细见附件"})
    objection.refresh_from_db()
    assert objection.answer == "明细见附件"
    assert "明细见附件" in client.get(page_of(notice)).content.decode()

    postings = reverse("notices:record_posting", args=["HD", notice.pk])
    when = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    bad = client.post(
        postings,
        {"posted_at": when, "place": "公告栏", "photo": SimpleUploadedFile("p.png", b"GIF89a")},
    )
    assert bad.status_code == 200 and "照片只能是" in bad.content.decode()
    ok = client.post(
        postings,
        {"posted_at": when, "place": "1栋公告栏", "photo": SimpleUploadedFile("p.png", PNG)},
    )
    assert ok.status_code == 302
    row = notice.postings.get()
    assert row.place == "1栋公告栏"
    photo = client.get(reverse("notices:posting_photo", args=["HD", notice.pk, row.pk]))
    assert photo["Content-Type"] == "image/png"


def test_staff_add_attachments_to_drafts(client, world):
    notice = draft(world)
    login(client, world.worker_a)
    target = reverse("notices:add_attachment", args=["HD", notice.pk])
    bad = client.post(target, {"file": SimpleUploadedFile("a.pdf", b"not a pdf")})
    assert bad.status_code == 200 and "附件只能是" in bad.content.decode()
    client.post(target, {"file": SimpleUploadedFile("a.pdf", PDF), "name": "明细"})
    assert notice.attachments.get().name == "明细"


def test_staff_pages_of_another_community_are_404(client, world):
    notice = published(world)
    login(client, world.worker_b)
    assert client.get(reverse("notices:manage", args=["HD"])).status_code == 404
    detail = reverse("notices:staff_detail", args=["HD", notice.pk])
    assert client.get(detail).status_code == 404
    assert client.get(reverse("notices:staff_detail", args=["XH", notice.pk])).status_code == 404


def test_nav_links_staff_to_the_notice_list(client, world):
    login(client, world.worker_a)
    html = client.get("/").content.decode()
    assert reverse("notices:manage", args=["HD"]) in html and ">公示<" in html
