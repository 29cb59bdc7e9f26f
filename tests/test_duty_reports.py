"""述职评议: the schedule (a committee member without a report this year is flagged), the
report published as a notice before the meeting, the appraisal poll (secret by default,
appraisal choices checked on every path), the results with rates, the cadre's page."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from zizhi.governance import actions as a
from zizhi.governance import tally
from zizhi.governance.models import Body, BodyKind, DutyReport, Membership, Poll
from zizhi.notices.models import Notice

from .govworld import gov, member


@pytest.fixture
def g(world):
    g = gov(world, reps=5)
    g.rc = Body.objects.create(
        kind=BodyKind.RESIDENTS_COMMITTEE,
        name="湖东社区居委会",
        subdistrict=world.dh,
        community=world.hd,
    )
    member(g.rc, "chair", "居委会主任", with_user=False)
    member(g.rc, "member", "居委会委员", with_user=False)
    g.director = Membership.objects.get(body=g.rc, name="居委会主任")
    return g


def meeting(world, g):
    m = a.do_convene_meeting(
        g.assembly,
        title="年度述职评议大会",
        starts_at=timezone.now() + datetime.timedelta(days=5),
        place="活动室",
        items=[("开幕", "", None)],
        actor=world.worker_a,
    )
    return m


def scheduled(world, g, m=None):
    return a.do_schedule_report(
        g.director,
        period="2026年度",
        scheduled_on=timezone.localdate(),
        meeting=m or meeting(world, g),
        actor=world.worker_a,
    )


def open_appraisal(world, g, report, mode="online"):
    poll = a.do_create_appraisal_poll(report, mode=mode, actor=world.worker_a)
    m = report.meeting
    a.do_notify_meeting(m, actor=world.worker_a)
    a.do_open_meeting(m, actor=world.worker_a)
    for u in g.reps:
        a.do_sign_in(m, m.signin_token, actor=u)
    poll = Poll.objects.get(pk=poll.pk)  # its meeting is open now
    a.do_open_poll(poll, actor=world.worker_a)
    return poll


def test_schedule_rules_and_the_flag_for_a_cadre_without_a_report(client, world, g):
    with pytest.raises(ValidationError, match="只有居委会成员和党组织成员"):
        a.do_schedule_report(
            Membership.objects.filter(body=g.assembly).first(),
            period="2026年度",
            scheduled_on=timezone.localdate(),
            actor=world.worker_a,
        )
    with pytest.raises(PermissionDenied):
        a.do_schedule_report(
            g.director, period="2026年度", scheduled_on=timezone.localdate(), actor=world.worker_b
        )
    scheduled(world, g)
    with pytest.raises(ValidationError, match="已安排了2026年度"):
        scheduled(world, g)
    client.force_login(world.worker_a)
    html = client.get(reverse("governance:reports", args=["HD"])).content.decode()
    assert (
        "尚未安排述职" in html and "居委会委员" in html.split("尚未安排述职")[1].split("</ul>")[0]
    )
    assert "居委会主任" not in html.split("尚未安排述职")[1].split("</ul>")[0]


def test_publishing_the_report_publishes_a_notice_and_the_page(client, world, g):
    report = scheduled(world, g)
    url = reverse("governance:duty_report", args=["HD", report.pk])
    assert client.get(url).status_code == 404  # not published yet: staff only
    with pytest.raises(ValidationError, match="请先为述职评议安排|述职报告须先公示"):
        a.do_create_appraisal_poll(report, actor=world.worker_a)
    a.do_publish_report(report, text="一年来，我主要做了三件事。", actor=world.worker_a)
    report.refresh_from_db()
    notice = Notice.objects.get(title__startswith="述职报告公示")
    assert report.status == "published" and notice.source_url == url
    assert "三件事" in client.get(url).content.decode()
    with pytest.raises(ValidationError, match="已经公示过"):
        a.do_publish_report(report, text="again", actor=world.worker_a)


def test_online_appraisal_secret_by_default_with_rates_and_history(client, world, g):
    report = scheduled(world, g)
    a.do_publish_report(report, text="述职", actor=world.worker_a)
    poll = open_appraisal(world, g, report)
    assert poll.kind == "appraisal" and poll.secret
    with pytest.raises(ValidationError, match="满意、基本满意或不满意"):
        a.do_cast_ballot(poll, "yes", actor=g.reps[0])
    seat = g.seat(g.assembly, g.reps[0])
    with pytest.raises(ValidationError, match="满意、基本满意或不满意"):
        a.do_enter_assisted_ballot(poll, seat, "no", reason="年老", actor=world.worker_a)
    for user, choice in zip(
        g.reps, ["satisfied", "satisfied", "satisfied", "basically", "dissatisfied"], strict=True
    ):
        a.do_cast_ballot(poll, choice, actor=user)
    a.do_close_poll(poll, actor=world.worker_a)
    poll.refresh_from_db()
    report.refresh_from_db()
    expected = "满意 3 票（60.0%），基本满意 1 票（20.0%），不满意 1 票（20.0%）"
    assert poll.result_text == expected and poll.passed is None
    assert tally.verify(poll)  # the stored counts and hash recompute from the ballots
    assert report.status == "appraised"
    assert (report.appraisal.satisfied, report.appraisal.basically) == (3, 1)
    assert report.appraisal.dissatisfied == 1
    results = Notice.objects.get(title__startswith="述职评议结果")
    assert expected in results.body
    page = client.get(reverse("governance:cadre", args=["HD", g.director.pk])).content.decode()
    assert "2026年度" in page and expected in page
    # the ballots of a secret appraisal are not in the audit log
    from zizhi.audit.models import Event

    ballots = Event.objects.filter(verb="poll.ballot")
    assert ballots.count() == 5 and "satisfied" not in str([e.summary for e in ballots])


def test_teller_counted_appraisal_and_decision_polls_unchanged(world, g):
    report = scheduled(world, g)
    a.do_publish_report(report, text="述职", actor=world.worker_a)
    poll = open_appraisal(world, g, report, mode="paper")
    # yes = satisfied, abstain = basically, no = dissatisfied (see APPRAISAL_COLUMNS)
    a.do_enter_teller_count(poll, yes=4, no=0, abstain=1, actor=world.worker_a)
    a.do_enter_teller_count(poll, yes=4, no=0, abstain=1, actor=world.subadmin)
    a.do_close_poll(poll, actor=world.worker_a)
    report.refresh_from_db()
    assert report.appraisal.result_text.startswith("满意 4 票（80.0%），基本满意 1 票（20.0%）")
    # a decision poll on the same meeting still takes yes/no/abstain and decides
    decision = a.do_create_poll(report.meeting.items.first(), question="是否", actor=world.worker_a)
    assert decision.kind == "decision"
    a.do_open_poll(decision, actor=world.worker_a)
    with pytest.raises(ValidationError, match="赞成、反对或弃权"):
        a.do_cast_ballot(decision, "satisfied", actor=g.reps[0])
    for u in g.reps:
        a.do_cast_ballot(decision, "yes", actor=u)
    a.do_close_poll(decision, actor=world.worker_a)
    decision.refresh_from_db()
    assert decision.passed is True and "赞成" in decision.result_text
    assert Poll.objects.filter(kind="appraisal").count() == 1


def test_staff_pages_schedule_publish_appraise(client, world, g):
    m = meeting(world, g)
    client.force_login(world.worker_a)
    r = client.post(
        reverse("governance:report_new", args=["HD"]),
        {
            "cadre": g.director.pk,
            "period": "2026年度",
            "scheduled_on": timezone.localdate().isoformat(),
            "meeting": m.pk,
        },
    )
    assert r.status_code == 302
    report = DutyReport.objects.get()
    act = reverse("governance:report_act", args=["HD", report.pk, "publish"])
    assert "请填写述职报告内容" in client.post(act, {"text": ""}, follow=True).content.decode()
    client.post(act, {"text": "述职全文"})
    r = client.post(reverse("governance:report_act", args=["HD", report.pk, "appraise"]))
    poll = Poll.objects.get(kind="appraisal")
    assert r["Location"] == reverse("governance:poll", args=["HD", poll.pk]) and poll.secret
    a.do_notify_meeting(m, actor=world.worker_a)
    a.do_open_meeting(m, actor=world.worker_a)
    for u in g.reps:
        a.do_sign_in(m, m.signin_token, actor=u)
    a.do_open_poll(Poll.objects.get(pk=poll.pk), actor=world.worker_a)
    client.force_login(g.reps[0])
    page = client.get(reverse("governance:poll", args=["HD", poll.pk])).content.decode()
    assert 'value="basically"' in page and 'value="yes"' not in page
    vote = reverse("governance:poll_vote", args=["HD", poll.pk])
    assert (
        "满意、基本满意或不满意"
        in client.post(vote, {"choice": "no"}, follow=True).content.decode()
    )
    client.post(vote, {"choice": "basically"})
    assert poll.ballots.get().choice == "basically"


def test_demo_has_charters_a_proposed_version_and_an_appraised_report(db):
    from zizhi.audit.log import verify
    from zizhi.governance.models import CharterVersion
    from zizhi.registry import demo

    demo.build(residents=1400)
    in_force = CharterVersion.objects.filter(status="in_force")
    assert in_force.count() == in_force.values("community").distinct().count() >= 7
    assert all(v.bylaws.count() == 8 for v in in_force)
    v2 = CharterVersion.objects.get(community__code="HD", number=2)
    assert v2.status == "proposed" and v2.matter.matter_type == "charter"
    assert v2.meeting_notice_days == 5 and v2.motion_cosigners == 6
    appraised = DutyReport.objects.get(community__code="HD", status="appraised")
    assert appraised.appraisal.result_text.startswith("满意 ")
    assert appraised.published_at < appraised.meeting.starts_at
    assert DutyReport.objects.filter(community__code="HD", status="scheduled").exists()
    assert verify()[1] == []


def test_attachments_before_publishing_public_after(client, world, g, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    report = scheduled(world, g)
    with pytest.raises(ValidationError):
        a.do_add_report_attachment(
            report, SimpleUploadedFile("x.pdf", b"not a pdf"), actor=world.worker_a
        )
    client.force_login(world.worker_a)
    act = reverse("governance:report_act", args=["HD", report.pk, "attach"])
    client.post(act, {"file": SimpleUploadedFile("述职.pdf", b"%PDF-1.4 report"), "name": ""})
    item = report.attachments.get()
    url = reverse("governance:report_file", args=["HD", report.pk, item.pk])
    assert client.get(url).status_code == 200
    client.logout()
    assert client.get(url).status_code == 404  # not published yet
    a.do_publish_report(report, text="述职", actor=world.worker_a)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert (
        "述职.pdf"
        in client.get(reverse("governance:duty_report", args=["HD", report.pk])).content.decode()
    )
    with pytest.raises(ValidationError, match="公示后不能再添加附件"):
        a.do_add_report_attachment(
            report, SimpleUploadedFile("b.pdf", b"%PDF-1.4 b"), actor=world.worker_a
        )


def test_api_lists_and_gets_reports_hiding_unpublished_from_the_public(client, world, g):
    published = scheduled(world, g)
    a.do_publish_report(published, text="本年度工作述职", actor=world.worker_a)
    hidden = a.do_schedule_report(
        Membership.objects.get(body=g.rc, name="居委会委员"),
        period="2026年度",
        scheduled_on=timezone.localdate(),
        meeting=published.meeting,
        actor=world.worker_a,
    )
    listing = reverse("api:list_reports") + "?community=HD"
    public = client.get(listing).json()
    assert [r["id"] for r in public["items"]] == [published.pk]
    assert client.get(reverse("api:get_report", args=[hidden.pk])).status_code == 404
    one = client.get(reverse("api:get_report", args=[published.pk])).json()
    assert one["status"] == "published" and "本年度工作述职" in one["text"]
    client.force_login(world.worker_a)
    staff = client.get(listing).json()
    assert {r["id"] for r in staff["items"]} == {published.pk, hidden.pk}
    again = client.post(
        reverse("api:publish_report", args=[published.pk]),
        {"text": "x"},
        content_type="application/json",
    )
    assert again.status_code == 400 and again.json()["detail"]
    client.force_login(world.worker_b)  # another community's worker: 404 alike
    assert client.get(reverse("api:get_report", args=[hidden.pk])).status_code == 404
    assert "/api/v1/reports" in client.get("/api/v1/openapi.json").content.decode()
