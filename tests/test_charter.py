"""The charter as versioned documents: version 1 from the defaults, a draft copied from the
version in force, proposed as a major matter, in force only through the assembly's resolution
(rules rewritten from its numbers), a failed vote leaves the old one; the public pages."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from zizhi.audit.models import Event
from zizhi.governance import actions as a
from zizhi.governance.actions.meetings import notice_days
from zizhi.governance.charter import charter_in_force, diff_html
from zizhi.governance.models import CharterVersion, Matter, Rule
from zizhi.governance.rules import pick_rule

from .govworld import gov
from .test_governance_workflow import all_opinions, vote


def draft_v2(world, **numbers):
    draft = a.do_draft_charter_version(world.hd, actor=world.worker_a)
    a.do_edit_charter_version(
        draft,
        text="第一条 总则。\n第二条 居民代表大会每两个月召开一次。",
        note="提高附议人数",
        numbers={"motion_cosigners": 7, "meeting_notice_days": 5, **numbers},
        bylaws=[("居务公开制度", "每月公开一次"), ("述职制度", "每年述职")],
        actor=world.worker_a,
    )
    draft.refresh_from_db()
    return draft


def through_the_vote(world, g, version, yes):
    a.do_propose_charter_version(version, actor=world.worker_a)
    version.refresh_from_db()
    matter = version.matter
    a.do_move_matter(matter, "start_review", actor=world.worker_a)
    all_opinions(matter, g)
    a.do_conclude_review(matter, "submit", conclusion="提交大会", actor=g.secretary)
    vote(world, g, matter, yes=yes)
    version.refresh_from_db()
    return matter


def test_a_community_without_a_version_gets_version_1_from_the_defaults(world):
    v1 = charter_in_force(world.hd)
    assert (v1.number, v1.status, v1.motion_cosigners, v1.meeting_notice_days) == (
        1,
        "in_force",
        5,
        3,
    )
    assert charter_in_force(world.hd) == v1 and CharterVersion.objects.count() == 1
    assert notice_days(world.hd) == 3


def test_a_draft_copies_the_version_in_force_and_changes_nothing_until_voted(world):
    v1 = charter_in_force(world.hd)
    draft = draft_v2(world)
    assert draft.number == 2 and draft.status == "draft"
    assert [b.title for b in draft.bylaws.all()] == ["居务公开制度", "述职制度"]
    assert charter_in_force(world.hd) == v1 and notice_days(world.hd) == 3
    with pytest.raises(ValidationError, match="修订稿在起草或表决中"):
        a.do_draft_charter_version(world.hd, actor=world.worker_a)
    with pytest.raises(PermissionDenied):
        a.do_draft_charter_version(world.hd, actor=world.worker_b)
    with pytest.raises(ValidationError, match="1到30天"):
        a.do_edit_charter_version(
            draft, text="x", numbers={"meeting_notice_days": 0}, bylaws=[], actor=world.worker_a
        )
    with pytest.raises(ValidationError, match="分母须大于0"):
        a.do_edit_charter_version(
            draft, text="x", numbers={"charter_pass_den": 0}, bylaws=[], actor=world.worker_a
        )
    draft.refresh_from_db()
    assert draft.meeting_notice_days == 5 and draft.charter_pass_den == 3


def test_proposed_version_is_a_charter_matter_and_never_changes(client, world):
    draft = draft_v2(world)
    a.do_propose_charter_version(draft, actor=world.worker_a)
    draft.refresh_from_db()
    matter = draft.matter
    assert draft.status == "proposed" and matter.matter_type == "charter"
    assert matter.origin_label == "自治章程第2版修订稿"
    assert matter.origin_url == reverse("governance:charter_version", args=["HD", 2])
    with pytest.raises(ValidationError, match="不能再修改"):
        a.do_edit_charter_version(draft, text="x", numbers={}, bylaws=[], actor=world.worker_a)
    with pytest.raises(ValidationError):
        a.do_propose_charter_version(draft, actor=world.worker_a)
    client.force_login(world.worker_a)
    html = client.get(reverse("governance:matter", args=["HD", matter.pk])).content.decode()
    assert "来源" in html and matter.origin_url in html


def test_the_resolution_brings_the_version_into_force_and_rewrites_the_rules(world):
    g = gov(world, reps=5)
    v1 = charter_in_force(world.hd)
    draft = draft_v2(world, workflow="four_two", pass_num=3, pass_den=5, pass_strict=False)
    matter = through_the_vote(world, g, draft, yes=4)  # 4 of 5: two thirds of all
    assert matter.state == "resolved"
    v1.refresh_from_db()
    assert draft.status == "in_force" and v1.status == "superseded"
    assert draft.resolution == matter.resolution and draft.in_force_from is not None
    assert charter_in_force(world.hd) == draft and notice_days(world.hd) == 5
    rule = pick_rule(g.assembly)
    assert rule.community_id == world.hd.pk
    assert rule.source == f"自治章程第2版（{matter.resolution.number}）"
    assert (rule.pass_num, rule.pass_den, rule.pass_strict) == (3, 5, False)
    assert pick_rule(g.assembly, "recall").pass_of_all
    assert Rule.objects.filter(community=world.hd).count() == 3
    assert Event.objects.filter(verb="charter.in_force", object_id=str(draft.pk)).exists()
    new = a.do_register_matter(
        world.hd, title="事项", matter_type="general", text="x", why_major="y", actor=world.worker_a
    )
    assert new.workflow == "four_two"


def test_a_failed_vote_leaves_the_old_version_in_force(world):
    g = gov(world, reps=5)
    v1 = charter_in_force(world.hd)
    draft = draft_v2(world)
    matter = through_the_vote(world, g, draft, yes=3)  # 3 of 5 is short of two thirds
    assert matter.state == "not_passed" and draft.status == "withdrawn"
    assert charter_in_force(world.hd) == v1 and notice_days(world.hd) == 3
    assert not Rule.objects.filter(community=world.hd).exists()
    # a new draft can then be made, numbered after the withdrawn one
    assert a.do_draft_charter_version(world.hd, actor=world.worker_a).number == 3


def test_public_pages_show_the_version_in_force_history_and_diff(client, world):
    g = gov(world, reps=5)
    charter_in_force(world.hd)
    draft = draft_v2(world)
    html = client.get(reverse("governance:charter", args=["HD"])).content.decode()
    assert "现行第1版" in html and "居民议案须有代表附议" in html and "5人以上" in html
    assert "第2版" not in html  # a draft is for the staff only
    url2 = reverse("governance:charter_version", args=["HD", 2])
    assert client.get(url2).status_code == 404
    client.force_login(world.worker_a)
    assert "第2版" in client.get(reverse("governance:charter", args=["HD"])).content.decode()
    client.logout()
    through_the_vote(world, g, draft, yes=5)
    html = client.get(reverse("governance:charter", args=["HD"])).content.decode()
    assert "现行第2版" in html and "7人以上" in html and draft.resolution.number in html
    page = client.get(url2).content.decode()
    assert "与第1版对照" in page and "<ins>" in page and "<del>" in page
    assert "每两个月" in page
    assert client.get(reverse("governance:charter_version", args=["HD", 1])).status_code == 200
    assert client.get(reverse("governance:charter_version", args=["HD", 9])).status_code == 404


def test_staff_pages_draft_edit_propose(client, world):
    charter_in_force(world.hd)
    client.force_login(world.worker_a)
    r = client.post(reverse("governance:charter_draft", args=["HD"]))
    assert r.status_code == 302 and r["Location"].endswith("/charter/v/2/edit/")
    edit = reverse("governance:charter_edit", args=["HD", 2])
    form = client.get(edit).content.decode()
    assert 'name="motion_cosigners"' in form and "居民代表大会制度" in form
    data = {
        "text": "新章程",
        "motion_cosigners": "8",
        "meeting_notice_days": "4",
        "workflow": "seed",
        "quorum_num": "2",
        "quorum_den": "3",
        "pass_num": "1",
        "pass_den": "2",
        "pass_strict": "1",
        "charter_pass_num": "2",
        "charter_pass_den": "3",
        "recall_pass_num": "2",
        "recall_pass_den": "3",
        "bylaw_title": ["居务公开制度", ""],
        "bylaw_text": ["每月", ""],
    }
    bad = client.post(edit, {**data, "motion_cosigners": "0"}, follow=True).content.decode()
    assert "1到100人" in bad
    assert client.post(edit, data).status_code == 302
    v2 = CharterVersion.objects.get(community=world.hd, number=2)
    assert v2.motion_cosigners == 8 and [b.title for b in v2.bylaws.all()] == ["居务公开制度"]
    r = client.post(reverse("governance:charter_act", args=["HD", 2, "propose"]))
    matter = Matter.objects.get(matter_type="charter")
    assert r["Location"] == reverse("governance:matter", args=["HD", matter.pk])
    assert client.get(edit).status_code == 302  # no longer a draft
    assert charter_in_force(world.hd).number == 1


def test_diff_escapes_text():
    html = diff_html("<b>旧</b>\n同", "<b>新</b>\n同")
    assert "<b>" not in html and "&lt;b&gt;" in html
    assert "<del>旧</del><ins>新</ins>" in html
