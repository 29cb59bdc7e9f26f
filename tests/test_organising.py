"""The organiser's desk (/activities/organising/): exactly the activities the user may
organise, what needs doing first, in a fixed number of queries; linked from the homes."""

from django.test import Client
from django.urls import reverse

from zizhi.associations.access import can_organise, organised_q
from zizhi.associations.models import Activity, Attendance

from . import assoc_rows as rows

PAGE = "/activities/organising/"


def client_for(user):
    c = Client()
    c.force_login(user)
    return c


def _section(page: str, heading: str) -> str:
    """The part of the page under an <h2> heading, up to the next one."""
    start = page.index(heading)
    end = page.find("<h2>", start + 1)
    return page[start : end if end != -1 else len(page)]


def test_a_leader_sees_their_associations_activities_and_what_to_do(
    db, world, django_assert_max_num_queries
):
    leader = rows.leader_user(world.hd)
    mine = rows.association(world.hd, leader)
    other = rows.association(world.hd, name="摄影协会")
    coming = rows.activity(
        world.hd, leader, title="书法讲座", organiser_kind="association", association=mine
    )
    to_close = rows.activity(
        world.hd,
        leader,
        starts_in_hours=-5,
        title="写春联",
        organiser_kind="association",
        association=mine,
        is_volunteer_service=True,
    )
    Attendance.objects.create(
        activity=to_close,
        resident=world.resident_a.resident,
        check_in_at=to_close.starts_at,
        check_in_source="qr",
    )
    rows.activity(
        world.hd,
        leader,
        starts_in_hours=-30,
        title="上月展览",
        organiser_kind="association",
        association=mine,
        status="attested",
    )
    rows.activity(
        world.hd, world.worker_a, title="摄影外拍", organiser_kind="association", association=other
    )
    rows.activity(world.hd, world.worker_a, title="社区大扫除")
    rows.activity(world.xh, world.worker_b, title="西湖活动")

    as_leader = client_for(leader)
    with django_assert_max_num_queries(12):
        page = as_leader.get(PAGE).content.decode()
    todo = _section(page, "待办")
    assert "写春联" in todo and "请结束签到" in todo and "1 人缺少签退" in todo
    assert "书法讲座" in _section(page, "即将开始和进行中")
    assert "上月展览" in _section(page, "已完成")
    for not_mine in ("摄影外拍", "社区大扫除", "西湖活动"):
        assert not_mine not in page
    assert reverse("associations:organise", args=[coming.pk]) in page

    # the community's staff see every activity of HD, nothing of XH
    staff_page = client_for(world.worker_a).get(PAGE).content.decode()
    assert all(t in staff_page for t in ("写春联", "摄影外拍", "社区大扫除"))
    assert "西湖活动" not in staff_page
    assert "我组织的活动" in client_for(world.worker_a).get("/").content.decode()

    # a resident who organises nothing gets an empty desk and no card on their home
    empty = client_for(world.resident_a).get(PAGE).content.decode()
    assert "没有待办的活动" in empty and "写春联" not in empty
    assert "我组织的活动" not in client_for(world.resident_a).get("/").content.decode()
    assert "我组织的活动" in client_for(leader).get("/").content.decode()
    assert Client().get(PAGE).status_code == 302  # anonymous: to the login page


def test_the_filter_agrees_with_can_organise(db, world):
    leader = rows.leader_user(world.hd)
    mine = rows.association(world.hd, leader)
    rows.activity(world.hd, leader, organiser_kind="association", association=mine)
    rows.activity(world.hd, world.worker_a)
    rows.activity(world.xh, world.worker_b)
    for user in (leader, world.worker_a, world.worker_b, world.subadmin, world.resident_a):
        listed = set(Activity.objects.filter(organised_q(user)).values_list("pk", flat=True))
        allowed = {a.pk for a in Activity.objects.all() if can_organise(user, a)}
        assert listed == allowed, user
