"""Notices: the state table, numbering, withdrawal, objections, answers, postings, audit."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from zizhi.audit.log import verify
from zizhi.audit.models import Event
from zizhi.notices import actions
from zizhi.notices.models import (
    TRANSITIONS,
    Category,
    Notice,
    NoticeStatus,
    Objection,
    check_move,
    period_end,
)

from .upload_files import REAL_JPEG, REAL_PNG

PNG = REAL_PNG
JPEG = REAL_JPEG
PDF = b"%PDF-1.4\n" + b"0" * 64


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def draft(world, actor=None, **fields):
    values = {"category": Category.FINANCE, "title": "第三季度财务公开", "body": "收入与支出明细"}
    values.update(fields)
    return actions.do_create_notice(world.hd, **values, actor=actor or world.worker_a)


def published(world, **fields):
    return actions.do_publish_notice(draft(world, **fields), actor=world.worker_a)


def expire(notice):
    past = timezone.now() - datetime.timedelta(days=30)
    Notice.objects.filter(pk=notice.pk).update(
        published_at=past, ends_at=period_end(past, notice.period_days)
    )
    notice.refresh_from_db()
    return notice


def events(verb):
    return Event.objects.filter(verb=verb)


# ---- the state table ------------------------------------------------------------------------
LEGAL = [("draft", "published"), ("draft", "withdrawn"), ("published", "withdrawn")]
ILLEGAL = [
    ("draft", "draft"),
    ("published", "draft"),
    ("published", "published"),
    ("withdrawn", "draft"),
    ("withdrawn", "published"),
    ("withdrawn", "withdrawn"),
]


def test_the_table_lists_every_status_and_nothing_else():
    assert set(TRANSITIONS) == set(NoticeStatus)
    moves = {(a, b) for a, targets in TRANSITIONS.items() for b in targets}
    assert moves == set(LEGAL)


@pytest.mark.parametrize(("a", "b"), LEGAL)
def test_legal_moves_pass(a, b):
    check_move(a, b)


@pytest.mark.parametrize(("a", "b"), ILLEGAL)
def test_illegal_moves_raise_a_chinese_message(a, b):
    with pytest.raises(ValidationError, match="公示不能从"):
        check_move(a, b)


def test_create_makes_a_draft_without_number(world):
    notice = draft(world)
    assert notice.status == NoticeStatus.DRAFT and notice.number == ""
    assert notice.period_days == 7 and notice.published_at is None
    assert notice.state == "draft" and not notice.is_current
    event = events("notice.create").get()
    assert event.community == world.hd and event.actor == world.worker_a


def test_bad_input_gives_chinese_messages_and_writes_nothing(world):
    with pytest.raises(ValidationError) as exc:
        draft(world, category="nope", title=" ", body="", period_days=0)
    text = " ".join(exc.value.messages)
    assert "类别" in text and "标题" in text and "正文" in text and "公示天数" in text
    with pytest.raises(ValidationError, match="来源链接"):
        draft(world, source_url="javascript:alert(1)")
    assert not Notice.objects.exists() and not events("notice.create").exists()


def test_only_staff_of_the_community_manage_notices(world):
    for outsider in (world.worker_b, world.worker_c, world.resident_a, world.subadmin_other):
        with pytest.raises(PermissionDenied):
            draft(world, actor=outsider)
    notice = draft(world, actor=world.subadmin)
    with pytest.raises(PermissionDenied):
        actions.do_publish_notice(notice, actor=world.worker_b)
    with pytest.raises(PermissionDenied):
        actions.do_withdraw_notice(notice, "理由", actor=world.resident_a)


def test_publish_sets_number_dates_and_period(world):
    notice = published(world)
    now = timezone.localtime()
    assert notice.status == NoticeStatus.PUBLISHED
    assert notice.number == f"HD-{now.year}-001"
    assert notice.first_day == now.date()
    assert notice.last_day == now.date() + datetime.timedelta(days=7)
    assert notice.is_current and notice.state == "published"
    event = events("notice.publish").get()
    assert event.summary["before"]["status"] == "draft"
    assert event.summary["after"]["number"] == notice.number


def test_period_runs_to_the_end_of_the_last_day():
    tz = timezone.get_current_timezone()
    start = datetime.datetime(2026, 11, 28, 9, 30, tzinfo=tz)
    end = period_end(start, 7)
    assert timezone.localtime(end) == datetime.datetime(2026, 12, 6, 0, 0, tzinfo=tz)


def test_numbers_count_per_community(world):
    first, second = published(world), published(world)
    xh = actions.do_publish_notice(
        actions.do_create_notice(
            world.xh, category=Category.OTHER, title="西湖", body="正文", actor=world.worker_b
        ),
        actor=world.worker_b,
    )
    year = timezone.localtime().year
    assert [first.number, second.number] == [f"HD-{year}-001", f"HD-{year}-002"]
    assert xh.number == f"XH-{year}-001"


def test_publishing_twice_is_refused(world):
    notice = published(world)
    with pytest.raises(ValidationError, match="公示不能从“公示中”变为“公示中”"):
        actions.do_publish_notice(notice, actor=world.worker_a)
    assert events("notice.publish").count() == 1


def test_expired_is_derived_from_the_period(world):
    notice = expire(published(world))
    assert notice.status == NoticeStatus.PUBLISHED
    assert notice.is_expired and not notice.is_current
    assert notice.state == "expired" and notice.state_label == "已到期"


def test_update_changes_a_draft_only(world):
    notice = draft(world)
    values = {"category": Category.RULES, "title": "居民公约", "body": "新正文", "period_days": 10}
    actions.do_update_notice(notice, **values, actor=world.worker_a)
    notice.refresh_from_db()
    assert (notice.title, notice.period_days) == ("居民公约", 10)
    event = events("notice.update").get()
    assert event.summary["before"]["title"] == "第三季度财务公开"
    actions.do_publish_notice(notice, actor=world.worker_a)
    with pytest.raises(ValidationError, match="只有草稿可以修改"):
        actions.do_update_notice(notice, **values, actor=world.worker_a)


def test_withdraw_needs_a_reason_and_keeps_the_notice(world):
    notice = published(world)
    with pytest.raises(ValidationError, match="撤回原因"):
        actions.do_withdraw_notice(notice, "  ", actor=world.worker_a)
    actions.do_withdraw_notice(notice, "金额有误，更正后重新公示", actor=world.worker_a)
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.WITHDRAWN and notice.withdrawn_at
    assert notice.withdraw_reason == "金额有误，更正后重新公示"
    assert events("notice.withdraw").get().summary["after"]["reason"] == notice.withdraw_reason
    with pytest.raises(ValidationError, match="公示不能从“已撤回”变为“已撤回”"):
        actions.do_withdraw_notice(notice, "再次", actor=world.worker_a)
    assert Notice.objects.filter(pk=notice.pk).exists()


def test_publish_notice_creates_and_publishes_in_one_go(world):
    notice = actions.publish_notice(
        world.hd,
        category=Category.RESOLUTION,
        title="关于加装电梯的决议",
        body="表决通过",
        source_label="第3次居民代表大会决议",
        source_url="/c/HD/matters/1/",
        actor=world.worker_a,
    )
    assert notice.status == NoticeStatus.PUBLISHED and notice.number
    assert notice.source_label == "第3次居民代表大会决议"
    assert events("notice.create").count() == 1 and events("notice.publish").count() == 1


def test_publish_notice_rolls_back_on_refusal(world):
    with pytest.raises(PermissionDenied):
        actions.publish_notice(
            world.hd, category=Category.OTHER, title="t", body="b", actor=world.worker_b
        )
    assert not Notice.objects.exists()


def test_the_platform_itself_may_publish_when_told_so(world):
    notice = actions.publish_notice(
        world.hd, category=Category.OTHER, title="t", body="b", actor=None, system=True
    )
    assert notice.status == NoticeStatus.PUBLISHED
    assert events("notice.publish").get().actor_label == "system"
    with pytest.raises(PermissionDenied):
        actions.publish_notice(world.hd, category=Category.OTHER, title="t", body="b", actor=None)


# ---- attachments ------------------------------------------------------------------------------
def test_attachments_are_checked_by_their_first_bytes(world):
    notice = draft(world)
    item = actions.do_add_attachment(
        notice, SimpleUploadedFile("明细.pdf", PDF), name="收支明细", actor=world.worker_a
    )
    assert (item.name, item.content_type) == ("收支明细", "application/pdf")
    assert item.file.name.startswith("notices/attachments/") and "明细" not in item.file.name
    with pytest.raises(ValidationError, match="附件只能是"):
        actions.do_add_attachment(
            notice, SimpleUploadedFile("x.pdf", b"<html>"), actor=world.worker_a
        )
    with pytest.raises(ValidationError, match="附件只能是"):
        actions.do_add_attachment(notice, SimpleUploadedFile("x.exe", PDF), actor=world.worker_a)
    assert events("notice.add_attachment").count() == 1
    actions.do_publish_notice(notice, actor=world.worker_a)
    with pytest.raises(ValidationError, match="只有草稿可以添加附件"):
        actions.do_add_attachment(notice, SimpleUploadedFile("b.pdf", PDF), actor=world.worker_a)


# ---- objections -----------------------------------------------------------------------------
def test_a_resident_of_the_community_objects_during_the_period(world):
    notice = published(world)
    objection = actions.do_file_objection(notice, " 金额不对 ", actor=world.resident_a)
    assert objection.text == "金额不对" and objection.resident == world.resident_a.resident
    assert not objection.is_answered
    event = events("notice.file_objection").get()
    assert event.community == world.hd and event.summary["notice"] == notice.pk


@pytest.mark.parametrize("who", ["resident_b", "worker_a", "subadmin", "worker_c"])
def test_only_residents_of_the_community_may_object(world, who):
    notice = published(world)
    with pytest.raises(PermissionDenied, match="只有本社区的居民"):
        actions.do_file_objection(notice, "异议", actor=getattr(world, who))


def test_a_resident_without_login_cannot_object(world):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        actions.do_file_objection(published(world), "异议", actor=AnonymousUser())


def test_no_objection_outside_the_period(world):
    with pytest.raises(ValidationError, match="不在公示期内"):
        actions.do_file_objection(draft(world), "异议", actor=world.resident_a)
    with pytest.raises(ValidationError, match="公示期已过"):
        actions.do_file_objection(expire(published(world)), "异议", actor=world.resident_a)
    withdrawn = actions.do_withdraw_notice(published(world), "错误", actor=world.worker_a)
    with pytest.raises(ValidationError, match="不在公示期内"):
        actions.do_file_objection(withdrawn, "异议", actor=world.resident_a)
    with pytest.raises(ValidationError, match="请写下"):
        actions.do_file_objection(published(world), "   ", actor=world.resident_a)
    assert not events("notice.file_objection").exists()


def test_staff_answer_an_objection_once(world):
    notice = published(world)
    objection = actions.do_file_objection(notice, "金额不对", actor=world.resident_a)
    with pytest.raises(PermissionDenied):
        actions.do_answer_objection(objection, "答复", actor=world.worker_b)
    with pytest.raises(ValidationError, match="请填写答复"):
        actions.do_answer_objection(objection, "", actor=world.worker_a)
    expire(notice)  # answering is still due after the period
    actions.do_answer_objection(objection, "已核对，金额无误", actor=world.worker_a)
    objection.refresh_from_db()
    assert objection.is_answered and objection.answered_by == world.worker_a
    assert objection.answer == "已核对，金额无误"
    with pytest.raises(ValidationError, match="已经答复"):
        actions.do_answer_objection(objection, "再答", actor=world.subadmin)
    assert events("notice.answer_objection").count() == 1


# ---- paper postings -----------------------------------------------------------------------
def posting(world, notice, photo, **extra):
    values = {
        "posted_at": timezone.now() - datetime.timedelta(hours=1),
        "place": "3栋单元门公告栏",
        "photo": photo,
    }
    values.update(extra)
    return actions.do_record_posting(notice, **values, actor=world.worker_a)


@pytest.mark.parametrize(("name", "data"), [("p.png", PNG), ("p.jpg", JPEG), ("p.JPEG", JPEG)])
def test_posting_with_a_jpg_or_png_photo(world, name, data):
    notice = published(world)
    row = posting(world, notice, SimpleUploadedFile(name, data))
    assert row.place == "3栋单元门公告栏" and row.recorded_by == world.worker_a
    assert row.photo.name.startswith("notices/postings/")
    assert row.photo_type in ("image/png", "image/jpeg")
    assert events("notice.record_posting").get().summary["place"] == "3栋单元门公告栏"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("p.png", JPEG, "照片只能是"),  # the name says PNG, the bytes say JPEG
        ("p.gif", b"GIF89a" + b"\x00" * 20, "照片只能是"),
        ("p.png", b"<svg onload=alert(1)>", "照片只能是"),
        ("p.jpg", b"", "照片文件是空的"),
    ],
)
def test_posting_photos_are_checked(world, name, data, message):
    notice = published(world)
    with pytest.raises(ValidationError, match=message):
        posting(world, notice, SimpleUploadedFile(name, data))
    assert not notice.postings.exists() and not events("notice.record_posting").exists()


def test_posting_needs_place_a_time_not_in_the_future_and_a_published_notice(world):
    notice = published(world)
    with pytest.raises(ValidationError) as exc:
        posting(
            world,
            notice,
            None,
            place="",
            posted_at=timezone.now() + datetime.timedelta(days=1),
        )
    text = " ".join(exc.value.messages)
    assert "张贴地点" in text and "不能晚于现在" in text and "请选择照片" in text
    with pytest.raises(ValidationError, match="只有已发布的公示"):
        posting(world, draft(world), SimpleUploadedFile("p.png", PNG))


def test_every_action_writes_one_event_and_the_chain_verifies(world):
    notice = draft(world)
    actions.do_add_attachment(notice, SimpleUploadedFile("a.pdf", PDF), actor=world.worker_a)
    actions.do_publish_notice(notice, actor=world.worker_a)
    objection = actions.do_file_objection(notice, "异议", actor=world.resident_a)
    actions.do_answer_objection(objection, "答复", actor=world.worker_a)
    posting(world, notice, SimpleUploadedFile("p.png", PNG))
    actions.do_withdraw_notice(notice, "更正", actor=world.worker_a)
    verbs = list(
        Event.objects.filter(verb__startswith="notice.")
        .order_by("id")
        .values_list("verb", flat=True)
    )
    assert verbs == [
        "notice.create",
        "notice.add_attachment",
        "notice.publish",
        "notice.file_objection",
        "notice.answer_objection",
        "notice.record_posting",
        "notice.withdraw",
    ]
    assert verify()[1] == []


def test_the_demo_has_notices_in_every_state(db, monkeypatch):
    from zizhi.registry import demo

    monkeypatch.setattr(demo, "EXTENSIONS", ("zizhi.notices.demo",))  # this app's part only
    demo.build(residents=demo.MIN_RESIDENTS)
    for code in ("HD", "XH"):
        notices = list(Notice.objects.filter(community__code=code))
        states = {n.state for n in notices}
        assert states == {"draft", "published", "expired", "withdrawn"}, code
        assert all(n.withdraw_reason for n in notices if n.is_withdrawn)
    answered = Objection.objects.get(notice__community__code="HD")
    assert answered.is_answered and answered.notice.is_current
    assert verify()[1] == []
