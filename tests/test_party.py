"""The party app's behaviour: report-in, claims, quarterly reports with hours from service
records, evaluation and verification, the gaps list, care of retired members, seats."""

import datetime
import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from zizhi.associations.models import ServiceRecord
from zizhi.audit.models import Event
from zizhi.governance.models import MemberRole, Membership
from zizhi.party import actions
from zizhi.party.access import party_community_ids
from zizhi.party.models import (
    PartyMember,
    QuarterlyReport,
    ReportIn,
    quarter_bounds,
    quarter_of,
)
from zizhi.party.queries import (
    birthdays,
    care_list,
    gaps,
    hours_text,
    is_member,
    quarter_report,
)

from . import factories as f
from .party_rows import party_resident_user, party_world, seat

_n = itertools.count(1)


@pytest.fixture
def pw(world):
    return party_world(world)


def client_for(user):
    c = Client()
    c.force_login(user)
    return c


def service(resident, day, minutes, actor, content="周末巡逻"):
    return ServiceRecord.objects.create(
        number=f"FWTEST{next(_n):06d}",
        resident=resident,
        community=resident.community,
        service_date=day,
        minutes=minutes,
        category="safety",
        content=content,
        organiser="湖东社区",
        attested_by=actor,
    )


def test_quarter_bounds():
    assert quarter_bounds("2026Q4") == (datetime.date(2026, 10, 1), datetime.date(2026, 12, 31))
    assert quarter_bounds("2027Q1") == (datetime.date(2027, 1, 1), datetime.date(2027, 3, 31))
    assert quarter_of(datetime.date(2026, 6, 30)) == "2026Q2"
    with pytest.raises(ValueError):
        quarter_bounds("2026Q5")


def test_is_member(pw, world):
    assert is_member(pw.member_user, world.hd)
    assert not is_member(pw.member_user, world.xh)
    assert not is_member(world.resident_a, world.hd)
    assert not is_member(pw.hd_secretary, world.hd)
    assert not is_member(None, world.hd)
    # an in-service member whose membership is with the employer and who has not reported
    # in is not yet serving the community; once reported in, he is
    u = party_resident_user(world.hd, "未报到党员")
    actions.do_register_member(
        world.hd,
        u.resident,
        status="in_service",
        branch="employer",
        joined_on=datetime.date(2012, 7, 1),
        actor=pw.hd_secretary,
    )
    assert not is_member(u, world.hd)
    actions.do_report_in(employer="区税务局", actor=u)
    assert is_member(u, world.hd)
    # a member of the community's own branch (retired, say) counts without a report-in
    retired = party_resident_user(world.hd, "退休党员")
    retired.resident.birth_date = datetime.date(1950, 1, 1)
    retired.resident.save()
    actions.do_register_member(
        world.hd,
        retired.resident,
        status="retired",
        joined_on=datetime.date(1975, 7, 1),
        actor=pw.hd_secretary,
    )
    assert is_member(retired, world.hd) and not is_member(retired, world.xh)


def test_report_in_page_registers_a_resident_member(pw, world):
    u = party_resident_user(world.hd, "新报到党员")
    c = client_for(u)
    assert c.get(reverse("party:report_in")).status_code == 200
    # missing employer: the form comes back with the input kept
    r = c.post(reverse("party:report_in"), {"employer": "", "skills": "维修水电"})
    assert r.status_code == 400
    body = r.content.decode()
    assert "请填写工作单位" in body and "维修水电" in body
    assert not PartyMember.objects.filter(resident=u.resident).exists()
    r = c.post(
        reverse("party:report_in"),
        {"employer": "区税务局", "organisation": pw.org.pk, "joined_on": "2015-07-01"},
    )
    assert r.status_code == 302
    m = PartyMember.objects.get(resident=u.resident)
    assert (m.status, m.branch, m.organisation_id) == ("in_service", "employer", pw.org.pk)
    assert ReportIn.objects.get(member=m).community_id == world.hd.pk
    assert Event.objects.filter(verb="party.report_in").count() == 2
    # a second report-in is refused
    with pytest.raises(ValidationError):
        actions.do_report_in(employer="区税务局", actor=u)


def test_a_resident_who_is_not_a_member_cannot_report_in(world):
    c = client_for(world.resident_a)
    assert c.get(reverse("party:report_in")).status_code == 404
    r = c.post(reverse("api:party_report_in"), {"employer": "x"}, content_type="application/json")
    assert r.status_code == 404
    with pytest.raises(PermissionDenied):
        actions.do_report_in(
            employer="x", joined_on=datetime.date(2000, 1, 1), actor=world.resident_a
        )


def test_claim_rules(pw, world):
    # an in-service member must report in first
    u = party_resident_user(world.hd, "未报到党员")
    actions.do_register_member(
        world.hd,
        u.resident,
        status="in_service",
        joined_on=datetime.date(2012, 7, 1),
        actor=pw.hd_secretary,
    )
    with pytest.raises(ValidationError, match="请先到社区报到"):
        actions.do_claim_post(pw.post, actor=u)
    # once only
    with pytest.raises(ValidationError, match="已经认领"):
        actions.do_claim_post(pw.post, actor=pw.member_user)
    # places
    one = actions.do_create_post(world.hd, title="楼栋长助理", places=1, actor=pw.hd_secretary)
    actions.do_claim_post(one, actor=pw.member_user)
    actions.do_report_in(employer="区财政局", actor=u)
    with pytest.raises(ValidationError, match="名额已满"):
        actions.do_claim_post(one, actor=u)
    # a member of another community may not claim an HD post
    xh_user = party_resident_user(world.xh, "西湖在职党员")
    actions.do_report_in(employer="区财政局", joined_on=datetime.date(2011, 7, 1), actor=xh_user)
    with pytest.raises(PermissionDenied):
        actions.do_claim_post(pw.post2, actor=xh_user)
    assert (
        client_for(xh_user).post(reverse("party:claim", args=["HD", pw.post2.pk])).status_code
        == 404
    )


def test_claim_on_the_posts_page(pw):
    c = client_for(pw.member_user)
    page = c.get(reverse("party:posts", args=["HD"])).content.decode()
    assert "您已认领" in page and "认领“法律咨询”" in page
    assert c.post(reverse("party:claim", args=["HD", pw.post2.pk])).status_code == 302
    report = c.get(reverse("party:report", args=["HD", pw.member.pk, pw.quarter])).content.decode()
    assert "法律咨询" in report and "周末巡逻" in report


def test_quarterly_report_hours_come_from_service_records(pw, world):
    start, end = quarter_bounds(pw.quarter)
    r = pw.member.resident
    service(r, start, 90, pw.hd_secretary)
    service(r, end, 30, pw.hd_secretary, content="帮邻居修水管")
    service(r, start - datetime.timedelta(days=1), 600, pw.hd_secretary)
    rep = quarter_report(pw.member, pw.quarter)
    assert rep.minutes == 120 and rep.hours == "2"
    assert [x["content"] for x in rep.records] == ["周末巡逻", "帮邻居修水管"]
    # the issued report was evaluated before the service: re-evaluating freezes the new hours
    assert QuarterlyReport.objects.get(pk=pw.report.pk).minutes == 0
    report = actions.do_evaluate_member(
        pw.member, pw.quarter, grade="excellent", actor=pw.hd_secretary
    )
    assert report.minutes == 120 and report.number == pw.report.number
    page = client_for(pw.member_user).get(
        reverse("party:report", args=["HD", pw.member.pk, pw.quarter])
    )
    assert "帮邻居修水管" in page.content.decode()
    pdf = client_for(pw.member_user).get(
        reverse("party:report_pdf", args=["HD", pw.member.pk, pw.quarter])
    )
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    verify = Client().get(reverse("party:verify", args=[report.verify_code])).content.decode()
    assert "湖**员" in verify and "湖东党员" not in verify
    assert "2 小时" in verify and "优秀" in verify and report.number in verify
    assert "区税务局" not in verify
    assert Client().get(reverse("party:verify", args=["nope"])).status_code == 404


def test_no_pdf_before_evaluation(pw, world):
    last = quarter_of(quarter_bounds(pw.quarter)[0] - datetime.timedelta(days=1))
    c = client_for(pw.member_user)
    assert c.get(reverse("party:report", args=["HD", pw.member.pk, last])).status_code == 200
    assert c.get(reverse("party:report_pdf", args=["HD", pw.member.pk, last])).status_code == 404
    assert c.get(reverse("party:report", args=["HD", pw.member.pk, "2026Q9"])).status_code == 404


def test_evaluation_rules(pw, world):
    with pytest.raises(ValidationError):
        actions.do_evaluate_member(pw.member, pw.quarter, grade="great", actor=pw.hd_secretary)
    with pytest.raises(ValidationError, match="还没有开始"):
        actions.do_evaluate_member(pw.member, "2099Q1", grade="qualified", actor=pw.hd_secretary)
    with pytest.raises(PermissionDenied):
        actions.do_evaluate_member(pw.member, pw.quarter, grade="qualified", actor=pw.xh_secretary)
    with pytest.raises(PermissionDenied):
        actions.do_evaluate_member(pw.member, pw.quarter, grade="qualified", actor=world.worker_a)
    api = client_for(pw.dh_committee).post(
        reverse("api:evaluate_party_member", args=[pw.member.pk, pw.quarter]),
        {"grade": "basic", "comment": "需加强"},
        content_type="application/json",
    )
    assert api.status_code == 200 and api.json()["evaluation"]["grade"] == "basic"


def test_gaps(pw, world):
    u = party_resident_user(world.hd, "未报到党员")
    actions.do_register_member(
        world.hd,
        u.resident,
        status="in_service",
        joined_on=datetime.date(2012, 7, 1),
        actor=pw.hd_secretary,
    )
    found = gaps(world.hd, pw.quarter)
    assert [m.resident.name for m in found["not_reported"]] == ["未报到党员"]
    assert [(row["member"].pk, row["claimed"], row["minutes"]) for row in found["idle"]] == [
        (pw.member.pk, True, 0)
    ]
    service(pw.member.resident, timezone.localdate(), 60, pw.hd_secretary)
    assert gaps(world.hd, pw.quarter)["idle"] == []
    page = client_for(pw.hd_secretary).get(reverse("party:gaps", args=["HD"])).content.decode()
    assert "未报到党员" in page


def test_care_list_and_birthdays(pw, world):
    today = timezone.localdate()
    lonely = f.resident(
        world.hd, name="独居老党员", born=datetime.date(1938, 2, 2), lives_alone_elderly=True
    )
    never = actions.do_register_member(
        world.hd,
        lonely,
        status="retired",
        joined_on=datetime.date(1960, 1, 15) if today.month != 1 else datetime.date(1960, 2, 15),
        actor=pw.hd_secretary,
    )
    rows = {row["member"].pk: row for row in care_list(world.hd)}
    assert rows[never.pk]["due"] and rows[never.pk]["alone"] and rows[never.pk]["elderly"]
    assert not rows[pw.other.pk]["due"] and rows[pw.other.pk]["last_visit"] == today
    assert list(rows)[0] == never.pk  # due first
    assert [b["member"].pk for b in birthdays(world.hd)] == [pw.other.pk]
    page = client_for(pw.hd_secretary).get(reverse("party:care", args=["HD"])).content.decode()
    assert "独居老党员" in page and "该走访了" in page and "本月政治生日" in page


def test_the_member_page_shows_a_years_activities(pw, world):
    today = timezone.localdate()
    service(pw.other.resident, today - datetime.timedelta(days=3), 45, world.worker_a, "义务理发")
    service(pw.other.resident, today - datetime.timedelta(days=400), 30, world.worker_a, "旧的服务")
    page = client_for(pw.hd_secretary).get(reverse("party:member", args=["HD", pw.other.pk]))
    body = page.content.decode()
    assert "义务理发" in body and "共 1 次，45 分钟" in body
    assert "旧的服务" not in body  # older than a year


def test_record_visit_keeps_input_on_error(pw):
    c = client_for(pw.hd_secretary)
    r = c.post(
        reverse("party:add_visit", args=["HD", pw.other.pk]),
        {"visited_on": "2099-01-01", "kind": "visit", "visitor": "王书记", "needs": "送药上门"},
    )
    assert r.status_code == 400
    body = r.content.decode()
    assert "走访日期不能晚于今天" in body and "送药上门" in body


def test_register_member_rules(pw, world):
    r = f.resident(world.hd, name="候选党员", political_status="party_member")
    with pytest.raises(ValidationError, match="不能晚于今天"):
        actions.do_register_member(
            world.hd,
            r,
            status="retired",
            joined_on=datetime.date(2099, 1, 1),
            actor=pw.hd_secretary,
        )
    with pytest.raises(ValidationError, match="十八周岁"):
        actions.do_register_member(
            world.hd,
            r,
            status="retired",
            joined_on=datetime.date(1955, 1, 1),
            actor=pw.hd_secretary,
        )
    xh = f.resident(world.xh, name="西湖居民党员", political_status="party_member")
    with pytest.raises(ValidationError, match="不住在本社区"):
        actions.do_register_member(
            world.hd,
            xh,
            status="retired",
            joined_on=datetime.date(1990, 1, 1),
            actor=pw.hd_secretary,
        )
    with pytest.raises(PermissionDenied):
        actions.do_register_member(
            world.hd, r, status="retired", joined_on=datetime.date(1990, 1, 1), actor=world.worker_a
        )
    c = client_for(pw.hd_secretary)
    resp = c.post(
        reverse("party:register", args=["HD"]),
        {"resident": r.pk, "status": "mobile", "joined_on": "2099-01-01", "employer": "外地某公司"},
    )
    assert resp.status_code == 400 and "外地某公司" in resp.content.decode()
    resp = c.post(
        reverse("party:register", args=["HD"]),
        {"resident": r.pk, "status": "mobile", "joined_on": "1990-01-01", "employer": "外地某公司"},
    )
    assert resp.status_code == 302
    assert PartyMember.objects.get(resident=r).employer == "外地某公司"


def test_seats_that_do_not_count(world):
    from tests.party_rows import body

    branch = body(world, "party_branch", world.hd)
    today = timezone.localdate()
    ended = seat(branch, name="已离任", ended_on=today)
    future = seat(branch, name="未到任", started_on=today + datetime.timedelta(days=3))
    clerk = seat(branch, MemberRole.CLERK, "记录员")
    later = seat(branch, name="下月离任", ended_on=today + datetime.timedelta(days=30))
    assert party_community_ids(ended) == frozenset()
    assert party_community_ids(future) == frozenset()
    assert party_community_ids(clerk) == frozenset()
    assert party_community_ids(later) == {world.hd.pk}
    committee = body(world, "subdistrict_party_committee", sub=world.dh)
    assert party_community_ids(seat(committee, MemberRole.MEMBER, "委员")) == {
        world.hd.pk,
        world.xh.pk,
    }
    assert Membership.objects.count() == 5


def test_home_sections(pw, world):
    home = client_for(pw.member_user).get(reverse("web:home")).content.decode()
    assert "季度报告" in home and "我的岗位" in home
    assert "党建工作台" not in client_for(world.worker_a).get(reverse("web:home")).content.decode()
    assert "党建工作台" in client_for(pw.hd_secretary).get(reverse("web:home")).content.decode()
    # a worker who also sits in the branch finds the desk on the workbench
    Membership.objects.create(
        body=pw.hd_branch,
        name="湖东工作者",
        user=world.worker_a,
        role="member",
        started_on=datetime.date(2024, 1, 1),
    )
    assert "党建工作台" in client_for(world.worker_a).get(reverse("web:home")).content.decode()
    # a resident whose registry row says Party member is invited to report in
    u = party_resident_user(world.hd, "待报到")
    assert "党员报到" in client_for(u).get(reverse("web:home")).content.decode()


def test_api_members_are_masked(pw, world):
    rows = client_for(pw.hd_secretary).get(reverse("api:party_members", args=["HD"])).json()
    me = next(r for r in rows if r["id"] == pw.member.pk)
    phone = pw.member.resident.phone
    assert me["phone_masked"] == f"{phone[:3]}****{phone[-4:]}" and phone not in str(rows)
    assert me["organisation"] == "区税务局机关党支部" and me["reported_on"]
    mine = client_for(pw.member_user).get(reverse("api:party_me")).json()
    assert mine["id"] == pw.member.pk
    report = (
        client_for(pw.member_user)
        .get(reverse("api:party_report", args=[pw.member.pk, pw.quarter]))
        .json()
    )
    assert report["posts"] == ["周末巡逻"] and report["evaluation"]["grade"] == "excellent"


def test_every_action_is_audited(pw):
    verbs = set(Event.objects.filter(verb__startswith="party.").values_list("verb", flat=True))
    assert verbs == {
        "party.organisation.register",
        "party.post.create",
        "party.report_in",
        "party.post.claim",
        "party.member.register",
        "party.report.evaluate",
        "party.visit.record",
    }


def test_openapi_lists_the_party_routes(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/party/communities/{code}/members" in paths
    assert "/api/v1/party/members/{member_id}/reports/{quarter}/evaluation" in paths


def test_forms_keep_the_input_on_error(pw):
    c = client_for(pw.hd_secretary)
    r = c.post(
        reverse("party:evaluate", args=["HD", pw.member.pk, pw.quarter]),
        {"grade": "", "comment": "本季度参加巡逻三次"},
    )
    assert r.status_code == 400
    body = r.content.decode()
    assert "请选择评价等次" in body and "本季度参加巡逻三次" in body
    r = c.post(
        reverse("party:add_post", args=["HD"]),
        {"title": "助老陪护", "places": "-1", "description": "陪老人看病"},
    )
    assert r.status_code == 400
    body = r.content.decode()
    assert "名额应在" in body and "陪老人看病" in body and 'value="助老陪护"' in body


def test_a_wish_fulfilled_by_a_reported_in_member_counts_in_his_report(world, pw):
    """The wishes app writes a ServiceRecord when the beneficiary's wish is confirmed; the
    member's quarterly report counts it (live, and frozen into the issued report)."""
    from zizhi.wishes import actions as wishes

    from .wishes_rows import beneficiary

    assert is_member(pw.member_user, world.hd)
    granny = beneficiary(world.hd, "王奶奶").resident
    w = wishes.do_post_wish(
        granny, actor=world.worker_a, text="想要一台收音机", category="goods", value_cap_yuan=200
    )
    w = wishes.do_verify_wish(
        w, actor=world.worker_a, title="一位老人想要一台收音机", public_text="喜欢听戏曲"
    )
    before = quarter_report(pw.member, pw.quarter).minutes
    claim = wishes.do_claim_wish(w, actor=pw.member_user, kind="party_member")
    claim = wishes.do_record_contact(claim, actor=pw.member_user, note="已电话联系")
    wishes.do_record_fulfilment(claim, actor=pw.member_user, minutes=90, proof_text="送到家里")
    assert quarter_report(pw.member, pw.quarter).minutes == before  # not yet confirmed
    wishes.do_confirm_wish(w, actor=granny.user, note="收到了")
    rep = quarter_report(pw.member, pw.quarter)
    assert rep.minutes == before + 90
    record = ServiceRecord.objects.get(resident=pw.member.resident, minutes=90)
    assert quarter_of(record.service_date) == pw.quarter
    assert any(r["minutes"] == 90 and r["content"] == record.content for r in rep.records)
    body = client_for(pw.member_user).get(
        reverse("party:report", args=["HD", pw.member.pk, pw.quarter])
    )
    assert f"{hours_text(before + 90)} 小时" in body.content.decode()
    issued = actions.do_evaluate_member(
        pw.member, pw.quarter, grade="excellent", actor=pw.hd_secretary
    )
    assert issued.minutes == before + 90
    assert any(a["minutes"] == 90 for a in issued.activities)
