"""Residents' suggestions, the core: filing (by a resident, or entered by a worker for a
resident who came or phoned), every move of the one table and each refusal, deadlines, the
rating that closes, reopens once or escalates, support, the lookup that leaks nothing, the
lists (overdue flag, bounded queries), the on-time rates, duplicates and the export."""

import datetime
import io

import openpyxl
import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.utils import timezone

from zizhi.accounts.models import User
from zizhi.audit.models import Event
from zizhi.governance.models import Body, BodyKind
from zizhi.proposals import actions, queries, workdays
from zizhi.proposals.access import can_handle, get_suggestion_for, lookup_by_number
from zizhi.proposals.export import suggestions_xlsx
from zizhi.proposals.models import (
    Channel,
    DeadlineSettings,
    Rating,
    Suggestion,
    SuggestionStatus,
    SuggestionStep,
    Support,
)
from zizhi.registry.models import Building, LocalUnit, Resident

from . import factories as f
from .upload_files import REAL_PNG

S = SuggestionStatus
PNG = REAL_PNG


@pytest.fixture(autouse=True)
def clear_cache(db):  # the cache is the database cache (settings.CACHES)
    cache.clear()
    yield
    cache.clear()


def file(world, title="3栋门口路灯坏了", text="晚上很黑，老人容易摔倒", actor=None, **kw):
    kw.setdefault("category", "facilities")
    return actions.do_file_suggestion(
        world.hd, title=title, text=text, actor=actor or world.resident_a, **kw
    )


def to(world, status, **kw):
    """A suggestion of resident_a brought to `status` through the actions."""
    s = file(world, **kw)
    w = world.worker_a
    path = {
        S.REGISTERED: [],
        S.ACCEPTED: ["accept"],
        S.NOT_ACCEPTED: ["decline"],
        S.ASSIGNED: ["accept", "assign"],
        S.IN_PROGRESS: ["accept", "assign", "start"],
        S.REPLIED: ["accept", "assign", "start", "reply"],
        S.ESCALATED: ["accept", "assign", "start", "reply", "bad", "reply", "bad"],
        S.CLOSED: ["accept", "assign", "start", "reply", "good"],
    }[status]
    for step in path:
        if step == "accept":
            actions.do_accept_suggestion(s, actor=w)
        elif step == "decline":
            actions.do_decline_suggestion(s, "不属于社区职责", actor=w)
        elif step == "assign":
            actions.do_assign_suggestion(s, user=w, actor=w)
        elif step == "start":
            actions.do_start_suggestion(s, actor=w)
        elif step == "reply":
            actions.do_reply_suggestion(s, "已修好", actor=w)
        elif step == "bad":
            actions.do_rate_suggestion(s, Rating.DISSATISFIED, actor=world.resident_a)
        elif step == "good":
            actions.do_rate_suggestion(s, Rating.SATISFIED, actor=world.resident_a)
    s.refresh_from_db()
    assert s.status == status
    return s


def verbs(s):
    return list(
        Event.objects.filter(object_id=str(s.pk), verb__startswith="suggestion.")
        .order_by("seq")
        .values_list("verb", flat=True)
    )


# --- filing -------------------------------------------------------------------------------


def test_resident_files_with_number_deadline_step_and_audit(world):
    s = file(world, show_name=True)
    year = timezone.localdate().year
    assert s.number == f"HD-{year}-00001"
    assert s.status == S.REGISTERED and s.channel == Channel.ONLINE and not s.public
    assert s.resident.user == world.resident_a
    assert s.accept_due == workdays.add_workdays(timezone.localdate(), 2, world.hd)
    assert list(SuggestionStep.objects.filter(suggestion=s).values_list("status", flat=True)) == [
        S.REGISTERED
    ]
    assert verbs(s) == ["suggestion.file"]
    assert file(world).number == f"HD-{year}-00002"
    other = actions.do_file_suggestion(
        world.xh, title="路灯", text="坏了", category="facilities", actor=world.resident_b
    )
    assert other.number == f"XH-{year}-00001"


def test_resident_of_another_community_or_anonymous_cannot_file(world):
    with pytest.raises(PermissionDenied):
        file(world, actor=world.resident_b)
    with pytest.raises(PermissionDenied):
        actions.do_file_suggestion(world.hd, title="t", text="x", category="other", actor=None)
    with pytest.raises(PermissionDenied):
        file(world, actor=world.worker_a)  # a worker files online only as a resident


def test_worker_enters_for_a_resident_who_phoned(world):
    caller = f.resident(world.hd, name="王大爷", phone="13912345678")
    s = file(world, actor=world.worker_a, resident=caller, channel=Channel.PHONE)
    assert s.resident == caller and s.entered_by == world.worker_a and s.channel == "phone"
    with pytest.raises(ValidationError):
        file(world, actor=world.worker_a, channel=Channel.OFFICE)  # no resident
    stranger = f.resident(world.xh, name="外社区")
    with pytest.raises(ValidationError):
        file(world, actor=world.worker_a, resident=stranger, channel=Channel.PHONE)
    with pytest.raises(PermissionDenied):
        file(world, actor=world.worker_b, resident=caller, channel=Channel.PHONE)
    with pytest.raises(PermissionDenied):
        file(world, actor=world.resident_a, resident=caller, channel=Channel.PHONE)


@pytest.mark.parametrize(
    "kw, message",
    [
        ({"title": "  "}, "标题"),
        ({"text": ""}, "内容"),
        ({"title": "长" * 121}, "120"),
        ({"category": "nonsense"}, "类别"),
        ({"plan_x": 120, "plan_y": 5}, "平面图"),
        ({"plan_x": 10, "plan_y": None}, "平面图"),
    ],
)
def test_filing_refusals(world, kw, message):
    with pytest.raises(ValidationError) as exc:
        file(world, **kw)
    assert message in " ".join(exc.value.messages)
    assert not Suggestion.objects.exists()


def test_building_of_another_community_and_photos_checked(world):
    b = Building.objects.create(community=world.xh, name="1栋")
    with pytest.raises(ValidationError):
        file(world, building=b)
    fake = SimpleUploadedFile("x.png", b"GIF89a" + b"0" * 40, content_type="image/png")
    with pytest.raises(ValidationError):
        file(world, photos=[fake])
    many = [SimpleUploadedFile(f"{i}.png", PNG, content_type="image/png") for i in range(4)]
    with pytest.raises(ValidationError):
        file(world, photos=many)
    s = file(world, photos=many[:2], plan_x=33.3, plan_y=50)
    assert s.photos.count() == 2 and (s.plan_x, s.plan_y) == (33.3, 50)


# --- the table of moves -------------------------------------------------------------------


def test_allowed_moves_follow_the_table(world):
    expected = {
        S.REGISTERED: ["accept", "decline"],
        S.ACCEPTED: ["assign"],
        S.NOT_ACCEPTED: [],
        S.ASSIGNED: ["assign", "start"],
        S.IN_PROGRESS: ["assign", "reply"],
        S.REPLIED: ["rate"],
        S.ESCALATED: ["answer"],
        S.CLOSED: [],
    }
    for status, moves in expected.items():
        assert actions.allowed_moves(Suggestion(status=status)) == moves, status


def test_every_illegal_move_is_refused_with_a_message(world):
    calls = {
        "accept": lambda s: actions.do_accept_suggestion(s, actor=world.worker_a),
        "decline": lambda s: actions.do_decline_suggestion(s, "理由", actor=world.worker_a),
        "assign": lambda s: actions.do_assign_suggestion(
            s, user=world.worker_a, actor=world.worker_a
        ),
        "start": lambda s: actions.do_start_suggestion(s, actor=world.worker_a),
        "reply": lambda s: actions.do_reply_suggestion(s, "答复", actor=world.worker_a),
        "answer": lambda s: actions.do_answer_escalation(s, "答复", actor=world.subadmin),
        "rate": lambda s: actions.do_rate_suggestion(s, "satisfied", actor=world.resident_a),
    }
    refused = 0
    for status in S.values:
        s = to(world, status)
        allowed = actions.allowed_moves(s)
        for move, call in calls.items():
            if move in allowed:
                continue
            with pytest.raises(ValidationError) as exc:
                call(s)
            assert "当前状态为「" in exc.value.messages[0]
            s.refresh_from_db()
            assert s.status == status
            refused += 1
    assert refused == 8 * 7 - 9  # 9 moves in the table


def test_accept_sets_reply_deadline_and_goes_public(world):
    DeadlineSettings.objects.create(community=world.hd, accept_days=3, reply_days=10)
    s = file(world)
    assert s.accept_due == workdays.add_workdays(timezone.localdate(), 3, world.hd)
    actions.do_accept_suggestion(s, actor=world.worker_a)
    assert s.status == S.ACCEPTED and s.public and s.accepted_at
    assert s.reply_due == workdays.add_workdays(timezone.localdate(), 10, world.hd)
    assert verbs(s) == ["suggestion.file", "suggestion.accept"]


def test_only_the_communitys_staff_handle_it(world):
    s = file(world)
    for outsider in (world.worker_b, world.resident_a, world.subadmin_other, None):
        with pytest.raises(PermissionDenied):
            actions.do_accept_suggestion(s, actor=outsider)
    assert can_handle(world.subadmin, s) and not can_handle(world.worker_b, s)
    actions.do_accept_suggestion(s, actor=world.subadmin)  # the subdistrict may handle too
    assert s.status == S.ACCEPTED


def test_decline_needs_a_reason_the_resident_reads(world):
    s = file(world)
    with pytest.raises(ValidationError):
        actions.do_decline_suggestion(s, "  ", actor=world.worker_a)
    actions.do_decline_suggestion(s, "属于物业公司职责，已转告物业", actor=world.worker_a)
    assert s.status == S.NOT_ACCEPTED and s.decline_reason.startswith("属于")
    assert [st.note for st in queries.timeline(s)][-1] == "属于物业公司职责，已转告物业"


def test_assign_to_exactly_one_handler_of_the_community(world):
    s = to(world, S.ACCEPTED)
    own_body = Body.objects.create(
        community=world.hd,
        subdistrict=world.dh,
        kind=BodyKind.RESIDENTS_COMMITTEE,
        name="湖东居委会",
    )
    other_body = Body.objects.create(
        community=world.xh,
        subdistrict=world.dh,
        kind=BodyKind.RESIDENTS_COMMITTEE,
        name="西湖居委会",
    )
    unit = LocalUnit.objects.create(community=world.hd, name="湖东物业公司")
    other_unit = LocalUnit.objects.create(community=world.xh, name="西湖物业公司")
    bad = [
        {},
        {"user": world.worker_a, "unit": unit},
        {"user": world.worker_b},
        {"body": other_body},
        {"unit": other_unit},
    ]
    for kw in bad:
        with pytest.raises(ValidationError):
            actions.do_assign_suggestion(s, actor=world.worker_a, **kw)
    actions.do_assign_suggestion(s, unit=unit, note="请三天内修复", actor=world.worker_a)
    assert s.status == S.ASSIGNED and s.handler_unit == unit
    actions.do_assign_suggestion(s, body=own_body, actor=world.worker_a)  # handed on
    s.refresh_from_db()
    assert s.handler_body == own_body and s.handler_unit is None


def test_reply_needs_text_and_notes_late_reply(world):
    s = to(world, S.IN_PROGRESS)
    with pytest.raises(ValidationError):
        actions.do_reply_suggestion(s, "", actor=world.worker_a)
    Suggestion.objects.filter(pk=s.pk).update(reply_due=datetime.date(2020, 1, 1))
    s.refresh_from_db()
    actions.do_reply_suggestion(s, "已更换灯泡", actor=world.worker_a)
    assert s.status == S.REPLIED and s.late and s.replied_at


# --- rating -------------------------------------------------------------------------------


def test_satisfied_closes(world):
    s = to(world, S.REPLIED)
    actions.do_rate_suggestion(s, Rating.BASIC, "还行", actor=world.resident_a)
    assert s.status == S.CLOSED and s.rating == Rating.BASIC and s.closed_at


def test_dissatisfied_reopens_once_then_escalates_then_answer_and_close(world):
    s = to(world, S.REPLIED)
    Suggestion.objects.filter(pk=s.pk).update(reply_due=datetime.date(2020, 1, 1))
    s.refresh_from_db()
    actions.do_rate_suggestion(s, Rating.DISSATISFIED, "灯还是不亮", actor=world.resident_a)
    assert s.status == S.IN_PROGRESS and s.reopened
    assert s.reply_due == workdays.add_workdays(timezone.localdate(), 15, world.hd)
    actions.do_reply_suggestion(s, "换了线路", actor=world.worker_a)
    actions.do_rate_suggestion(s, Rating.DISSATISFIED, actor=world.resident_a)
    assert s.status == S.ESCALATED and s.escalated_at
    for wrong in (world.worker_a, world.subadmin_other, world.resident_a):
        with pytest.raises(PermissionDenied):
            actions.do_answer_escalation(s, "街道答复", actor=wrong)
    with pytest.raises(ValidationError):
        actions.do_answer_escalation(s, "", actor=world.subadmin)
    actions.do_answer_escalation(s, "街道协调供电公司处理", actor=world.subadmin)
    assert s.status == S.REPLIED and s.reply == "街道协调供电公司处理"
    actions.do_rate_suggestion(s, Rating.DISSATISFIED, actor=world.resident_a)
    assert s.status == S.CLOSED and s.rating == Rating.DISSATISFIED
    seen = [st.status for st in queries.timeline(s)]
    assert seen[0] == S.REGISTERED and seen[-1] == S.CLOSED and S.ESCALATED in seen
    assert verbs(s).count("suggestion.rate") == 3


def test_who_may_rate(world):
    s = to(world, S.REPLIED)
    for wrong in (world.resident_b, world.worker_b, None):
        with pytest.raises(PermissionDenied):
            actions.do_rate_suggestion(s, Rating.SATISFIED, actor=wrong)
    with pytest.raises(ValidationError):
        actions.do_rate_suggestion(s, "great", actor=world.resident_a)
    # a worker enters the rating the resident gave by phone
    actions.do_rate_suggestion(s, Rating.SATISFIED, actor=world.worker_a)
    assert s.status == S.CLOSED
    assert "电话回访" in list(queries.timeline(s))[-2].actor_label


# --- support ------------------------------------------------------------------------------


def test_support_once_public_only_not_ones_own(world):
    s = file(world)
    neighbour = f.resident_user(world.hd, "邻居")
    with pytest.raises(ValidationError):  # not accepted yet: not public
        actions.do_support_suggestion(s, actor=neighbour)
    actions.do_accept_suggestion(s, actor=world.worker_a)
    actions.do_support_suggestion(s, actor=neighbour)
    assert s.support_count == 1
    with pytest.raises(ValidationError):
        actions.do_support_suggestion(s, actor=neighbour)
    with pytest.raises(ValidationError):
        actions.do_support_suggestion(s, actor=world.resident_a)
    with pytest.raises(PermissionDenied):
        actions.do_support_suggestion(s, actor=world.resident_b)
    with pytest.raises(PermissionDenied):
        actions.do_support_suggestion(s, actor=world.worker_a)
    s.refresh_from_db()
    assert s.support_count == 1 == Support.objects.filter(suggestion=s).count()


# --- access and lookup --------------------------------------------------------------------


def test_visibility(world):
    s = file(world)
    for ok in (world.resident_a, world.worker_a, world.subadmin):
        assert get_suggestion_for(ok, world.hd, s.pk) == s
    for no in (world.resident_b, world.worker_b, world.subadmin_other, None):
        with pytest.raises(Http404):
            get_suggestion_for(no, world.hd, s.pk)
    with pytest.raises(Http404):
        get_suggestion_for(world.worker_b, world.xh, s.pk)  # wrong community in the URL
    actions.do_accept_suggestion(s, actor=world.worker_a)
    assert get_suggestion_for(None, world.hd, s.pk) == s


def test_lookup_by_number_and_last_four_digits(world):
    s = file(world)
    phone = Resident.objects.get(user=world.resident_a).phone
    assert lookup_by_number(s.number.lower(), phone[-4:], ip="1.2.3.4") == s
    wrong = "0000" if phone[-4:] != "0000" else "1111"
    assert lookup_by_number(s.number, wrong, ip="1.2.3.4") is None
    assert lookup_by_number("HD-2026-99999", phone[-4:], ip="1.2.3.4") is None
    assert lookup_by_number(s.number, "", ip="1.2.3.4") is None


def test_lookup_refuses_after_ten_failures_per_ip(world):
    s = file(world)
    phone = Resident.objects.get(user=world.resident_a).phone
    wrong = "0000" if phone[-4:] != "0000" else "1111"
    for _i in range(10):
        assert lookup_by_number(s.number, wrong, ip="9.9.9.9") is None
    with pytest.raises(PermissionDenied):
        lookup_by_number(s.number, phone[-4:], ip="9.9.9.9")
    assert lookup_by_number(s.number, phone[-4:], ip="8.8.8.8") == s


# --- lists --------------------------------------------------------------------------------


def test_staff_list_flags_overdue_and_filters(world):
    late = file(world, title="垃圾桶满了")
    Suggestion.objects.filter(pk=late.pk).update(accept_due=datetime.date(2020, 1, 1))
    fresh = file(world, title="健身器材松动")
    replied_late = to(world, S.REPLIED)
    Suggestion.objects.filter(pk=replied_late.pk).update(reply_due=datetime.date(2020, 1, 1))
    rows = {s.pk: s.is_overdue for s in queries.staff_list(world.hd, page=1)}
    assert rows == {late.pk: True, fresh.pk: False, replied_late.pk: False}
    only = queries.staff_list(world.hd, overdue=True, page=1)
    assert [s.pk for s in only] == [late.pk]
    assert [s.pk for s in queries.staff_list(world.hd, q="健身", page=1)] == [fresh.pk]
    assert [s.pk for s in queries.staff_list(world.hd, status=S.REPLIED, page=1)] == [
        replied_late.pk
    ]
    assert not list(queries.staff_list(world.xh, page=1))


def _many(world, n):
    r = Resident.objects.get(user=world.resident_a)
    b = Building.objects.create(community=world.hd, name="5栋")
    today = timezone.localdate()
    Suggestion.objects.bulk_create(
        Suggestion(
            community=world.hd,
            number=f"HD-2026-{i + 1:05d}",
            title=f"建议{i}",
            text="内容",
            category="other",
            building=b if i % 2 else None,
            resident=r,
            status=S.ACCEPTED if i % 3 else S.REGISTERED,
            public=bool(i % 3),
            support_count=i % 7,
            accept_due=today,
            reply_due=today,
        )
        for i in range(n)
    )


def test_board_and_staff_list_query_counts_are_bounded(world, django_assert_max_num_queries):
    _many(world, 60)
    with django_assert_max_num_queries(2):
        page = queries.board(world.hd, page=1)
        rows = [(s.community.code, s.building and s.building.name, s.is_overdue) for s in page]
    assert len(rows) == 20 and page.paginator.count == 40
    with django_assert_max_num_queries(2):
        page = queries.staff_list(world.hd, page=2)
        rows = [(s.resident.name, s.building and s.building.name, s.is_overdue) for s in page]
    assert len(rows) == 20 and page.paginator.count == 60


def test_board_orders_by_support_then_new_and_hides_the_unaccepted(world):
    a = to(world, S.ACCEPTED, title="甲")
    b = to(world, S.ACCEPTED, title="乙")
    hidden = file(world, title="丙")
    declined = to(world, S.NOT_ACCEPTED, title="丁")
    Suggestion.objects.filter(pk=a.pk).update(support_count=5)
    assert [s.pk for s in queries.board(world.hd, "support", 1)] == [a.pk, b.pk]
    assert [s.pk for s in queries.board(world.hd, "new", 1)] == [b.pk, a.pk]
    assert hidden.pk not in [s.pk for s in queries.board(world.hd)]
    assert declined.pk not in [s.pk for s in queries.board(world.hd)]
    assert [s.pk for s in queries.mine(Resident.objects.get(user=world.resident_a))][0] == (
        declined.pk
    )


def test_similar_open_same_building_and_words(world):
    b3 = Building.objects.create(community=world.hd, name="3栋")
    b4 = Building.objects.create(community=world.hd, name="4栋")
    lamp = file(world, title="3栋门口路灯坏了", text="晚上很黑", building=b3)
    file(world, title="垃圾分类亭太臭", text="夏天味道大", building=b3)
    file(world, title="4栋门口路灯坏了", text="晚上很黑", building=b4)
    closed = to(world, S.CLOSED, title="3栋门口路灯不亮", building=b3)
    found = queries.similar_open(world.hd, b3, "三栋门口的路灯坏了", "天黑看不见")
    assert [s.pk for s in found] == [lamp.pk]
    assert closed.pk not in [s.pk for s in found]
    assert queries.similar_open(world.hd, b3, "健身器材松动", "") == []


def test_on_time_rates(world):
    on_time = to(world, S.CLOSED)  # replied in time, satisfied
    late = file(world)
    Suggestion.objects.filter(pk=late.pk).update(accept_due=datetime.date(2020, 1, 1))
    late.refresh_from_db()
    actions.do_accept_suggestion(late, actor=world.worker_a)  # accepted late
    actions.do_assign_suggestion(late, user=world.worker_a, actor=world.worker_a)
    actions.do_start_suggestion(late, actor=world.worker_a)
    actions.do_reply_suggestion(late, "好了", actor=world.worker_a)
    actions.do_rate_suggestion(late, Rating.DISSATISFIED, actor=world.resident_a)
    waiting = file(world)
    Suggestion.objects.filter(pk=waiting.pk).update(accept_due=datetime.date(2020, 1, 1))
    file(world)  # open, within its deadline: not yet due
    today = timezone.localdate()
    rows = {r["code"]: r for r in queries.on_time_rates(world.dh, today, today)}
    hd = rows["HD"]
    assert (hd["received"], hd["due"], hd["on_time"], hd["overdue"]) == (4, 3, 1, 1)
    assert hd["on_time_rate"] == pytest.approx(1 / 3)
    assert (hd["rated"], hd["satisfied"]) == (1, 1)  # the reopened one has no closing rating
    assert hd["satisfaction_rate"] == 1
    assert rows["XH"]["received"] == 0 and rows["XH"]["on_time_rate"] is None
    assert set(rows) == {"HD", "XH"}
    assert on_time.status == S.CLOSED


# --- settings -----------------------------------------------------------------------------


def test_deadlines_and_calendar_days(world):
    for bad in ((0, 15), (2, 0), (31, 15), (2, 91), ("x", 1)):
        with pytest.raises(ValidationError):
            actions.do_set_deadlines(world.hd, *bad, actor=world.worker_a)
    with pytest.raises(PermissionDenied):
        actions.do_set_deadlines(world.hd, 3, 10, actor=world.worker_b)
    actions.do_set_deadlines(world.hd, 5, 20, actor=world.worker_a)
    actions.do_set_deadlines(world.hd, 4, 20, actor=world.worker_a)
    assert DeadlineSettings.objects.get(community=world.hd).accept_days == 4
    day = datetime.date(2026, 12, 31)
    with pytest.raises(PermissionDenied):
        actions.do_set_calendar_day(world.hd, day, False, "", actor=world.resident_a)
    with pytest.raises(ValidationError):
        actions.do_set_calendar_day(world.hd, day, False, "长" * 51, actor=world.worker_a)
    actions.do_set_calendar_day(world.hd, day, False, "跨年", actor=world.worker_a)
    actions.do_set_calendar_day(world.hd, day, True, "改为上班", actor=world.worker_a)
    assert workdays.is_workday(day, world.hd)
    assert Event.objects.filter(verb="suggestion.calendar_day").count() == 2


# --- export -------------------------------------------------------------------------------


def test_export_is_formula_safe_scoped_and_audited(world):
    s = file(world, title='=HYPERLINK("http://x")', text="@SUM(A1)")
    actions.do_file_suggestion(
        world.xh, title="西湖", text="内容", category="other", actor=world.resident_b
    )
    today = timezone.localdate()
    with pytest.raises(PermissionDenied):
        suggestions_xlsx(world.hd, today, today, actor=world.worker_b)
    with pytest.raises(PermissionDenied):
        suggestions_xlsx(world.dh, today, today, actor=world.worker_a)
    data = suggestions_xlsx(world.hd, today, today, actor=world.worker_a)
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    values = [c for row in sheet.iter_rows(values_only=True) for c in row if c]
    assert '\'=HYPERLINK("http://x")' in values and "'@SUM(A1)" in values
    assert s.number in values and "西湖" not in values
    data = suggestions_xlsx(world.dh, today, today, actor=world.subadmin)
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet.max_row == 4  # note, header, two suggestions
    assert Event.objects.filter(verb="suggestion.export").count() == 2
    assert User.objects.filter(pk=world.worker_a.pk).exists()
