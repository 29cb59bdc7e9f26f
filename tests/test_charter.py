"""The charter: choosing the workflow preset and adding the community's own voting rules."""

from django.urls import reverse

from zizhi.governance.models import Charter, Rule
from zizhi.governance.rules import pick_rule

from .govworld import gov


def test_worker_chooses_four_two_and_new_matters_follow_it(client, world):
    client.force_login(world.worker_a)
    url = reverse("governance:update_charter", args=["HD"])
    bad = client.post(url, {"workflow": "four_two", "meeting_notice_days": "0"}, follow=True)
    assert "1到30天" in bad.content.decode()
    client.post(url, {"workflow": "four_two", "meeting_notice_days": "5"})
    assert Charter.objects.get(community=world.hd).workflow == "four_two"
    client.post(
        reverse("governance:matter_new", args=["HD"]),
        {"title": "事项", "matter_type": "general", "text": "x", "why_major": "y"},
    )
    html = client.get(reverse("governance:charter", args=["HD"])).content.decode()
    assert "四议两公开" in html and "第九条" in html
    from zizhi.governance.models import Matter

    assert Matter.objects.get().workflow == "four_two"


def test_a_charter_rule_is_added_with_its_source_and_used(client, world):
    g = gov(world, reps=3)
    client.force_login(world.worker_a)
    url = reverse("governance:add_rule", args=["HD"])
    data = {
        "name": "代表大会（湖东章程）",
        "source": "湖东社区自治章程第十二条",
        "body_kind": "representative_assembly",
        "matter_type": "",
        "quorum_num": "3",
        "quorum_den": "4",
        "pass_num": "1",
        "pass_den": "2",
        "pass_strict": "1",
    }
    refused = client.post(url, {**data, "quorum_den": "0"}, follow=True)
    assert "分母须大于0" in refused.content.decode()
    meeting_rule = client.post(url, {**data, "body_kind": "residents_meeting"}, follow=True)
    assert "章程不能另定" in meeting_rule.content.decode()
    client.post(url, data)
    rule = Rule.objects.get(community=world.hd)
    assert rule.quorum.words() == "四分之三以上" and rule.majority.words() == "超过半数"
    assert pick_rule(g.assembly) == rule
    client.force_login(world.worker_b)
    assert client.post(url, data).status_code == 404
