"""Demo suggestions for every community of the demo subdistrict (an extension of
registry.demo): 20 in 湖东社区 (HD), 10 in each other community, in every status, filed online by the demo residents or
entered by the worker for residents who came or phoned; some overdue, some supported, one
reopened after a "dissatisfied", one escalated to the subdistrict. Deterministic."""

import datetime
import random

from django.db.models import F
from django.utils import timezone

from zizhi.accounts.models import User
from zizhi.registry.models import Community, Resident

from . import actions, workdays
from .models import Channel, Rating, Suggestion, SuggestionStep, Support

S = actions.S
# (category, title, text); {b} is a building of the community
TOPICS = [
    ("facilities", "{b}门口路灯坏了", "晚上很黑，老人出门容易摔倒，希望尽快修好。"),
    ("environment", "{b}旁垃圾分类亭味道大", "夏天气味很重，希望每天多清运一次。"),
    ("traffic", "小区东门电动车乱停", "电动车堵住消防通道，希望划定停放区域。"),
    ("care", "希望老年食堂增加送餐服务", "行动不便的老人下楼吃饭困难，能否送餐上门？"),
    ("safety", "{b}楼道堆放杂物", "楼道里堆了纸箱和旧家具，有火灾隐患。"),
    ("property", "{b}电梯经常停运", "电梯一周坏了两次，请物业尽快检修。"),
    ("culture", "希望开放活动室晚上时间", "下班后想去活动室下棋，晚上能否开放到九点？"),
    ("facilities", "健身器材松动", "中心花园的健身器材螺丝松了，锻炼时晃动。"),
    ("environment", "绿化带杂草多", "{b}北侧绿化带杂草很高，有蚊虫。"),
    ("other", "希望增设快递柜", "快递经常放在门口丢失，希望在{b}附近增设快递柜。"),
]
# the path of each of the 20: (status reached, days ago filed)
PLAN = [
    ("registered", 0),
    ("registered", 1),
    ("registered", 9),  # not accepted in time: overdue
    ("accepted", 2),
    ("accepted", 40),  # not replied in time: overdue
    ("not_accepted", 20),
    ("not_accepted", 35),
    ("assigned", 4),
    ("assigned", 6),
    ("in_progress", 7),
    ("in_progress", 50),  # overdue
    ("reopened", 30),
    ("replied", 10),
    ("replied", 14),
    ("escalated", 45),
    ("closed", 25),
    ("closed", 33),
    ("closed", 60),
    ("closed", 75),
    ("closed", 88),
]
# The other communities get every status too, with fewer of each (the demo stays fast).
SHORT_PLAN = [PLAN[i] for i in (1, 2, 4, 5, 7, 9, 11, 12, 14, 15)]
REPLY = "已联系物业和相关单位现场查看，问题已处理完毕，感谢您的建议。"


def _shift(s: Suggestion, days: int, accept_days: int, reply_days: int) -> None:
    """Move the suggestion and its steps `days` into the past; the deadlines follow."""
    if not days:
        return
    delta = datetime.timedelta(days=days)
    SuggestionStep.objects.filter(suggestion=s).update(at=F("at") - delta)
    s.refresh_from_db()
    created = timezone.localtime(s.created_at - delta).date()
    accept_due = workdays.add_workdays(created, accept_days, s.community)
    fields = {"created_at": s.created_at - delta, "accept_due": accept_due}
    for name in ("accepted_at", "replied_at", "closed_at", "escalated_at"):
        value = getattr(s, name)
        if value is not None:
            fields[name] = value - delta
    if s.accepted_at and s.reply_due:
        start = timezone.localtime(fields["accepted_at"]).date()
        if s.reopened and s.status == S.IN_PROGRESS:
            start = created + datetime.timedelta(days=days // 2)
        fields["reply_due"] = workdays.add_workdays(start, reply_days, s.community)
    Suggestion.objects.filter(pk=s.pk).update(**fields)


def build(subdistrict, password_hash) -> dict:
    from zizhi.registry.demo import RESIDENT_LOGINS, WORKER_LOGINS

    rng = random.Random(20261001)
    made = 0
    for community in Community.objects.filter(subdistrict=subdistrict).order_by("code"):
        login = next((w for w in WORKER_LOGINS if w.community == community.code), None)
        if login is None:
            continue
        worker = User.objects.get(phone=login.phone)
        residents = list(
            Resident.objects.filter(community=community).exclude(phone="").order_by("pk")[:200]
        )
        if len(residents) < 3:
            continue
        online = [
            User.objects.get(phone=r.phone)
            for r in RESIDENT_LOGINS
            if r.community == community.code
        ]
        buildings = list(community.buildings.order_by("pk")[:20])
        accept_days, reply_days = actions.deadlines(community)
        plan = PLAN if community.code == "HD" else SHORT_PLAN
        for i, (target, days) in enumerate(plan):
            category, title, text = TOPICS[(i + len(community.code)) % len(TOPICS)]
            building = rng.choice(buildings) if buildings and "{b}" in title + text else None
            name = building.name if building else ""
            kw = {
                "title": title.format(b=name),
                "text": text.format(b=name or "小区"),
                "category": category,
                "building": building,
                "show_name": i % 3 == 0,
            }
            if online and i % 4 == 0:
                s = actions.do_file_suggestion(community, actor=online[i % len(online)], **kw)
            else:
                channel = Channel.PHONE if i % 5 == 1 else Channel.OFFICE
                s = actions.do_file_suggestion(
                    community, resident=rng.choice(residents), channel=channel, actor=worker, **kw
                )
            _walk(s, target, worker)
            _shift(s, days, accept_days, reply_days)
            made += 1
        _supports(community, rng, residents)
    return {"suggestions": made}


def _walk(s: Suggestion, target: str, worker) -> None:
    if target == "registered":
        return
    if target == "not_accepted":
        actions.do_decline_suggestion(
            s, "该事项属于市政道路管理范围，已告知您向区城管部门反映。", actor=worker
        )
        return
    actions.do_accept_suggestion(s, actor=worker)
    if target == "accepted":
        return
    actions.do_assign_suggestion(s, user=worker, note="请尽快到现场查看", actor=worker)
    if target == "assigned":
        return
    actions.do_start_suggestion(s, "已到现场查看", actor=worker)
    if target == "in_progress":
        return
    actions.do_reply_suggestion(s, REPLY, actor=worker)
    if target == "replied":
        return
    # the resident's rating; the worker enters it when the resident has no login
    rater = s.resident.user or worker
    if target == "closed":
        rating = Rating.BASIC if s.pk % 3 == 0 else Rating.SATISFIED
        actions.do_rate_suggestion(s, rating, actor=rater)
        return
    actions.do_rate_suggestion(s, Rating.DISSATISFIED, "问题没有解决", actor=rater)
    if target == "reopened":
        return
    actions.do_reply_suggestion(s, "已请维修单位再次处理。", actor=worker)
    actions.do_rate_suggestion(s, Rating.DISSATISFIED, "还是没有解决", actor=rater)


def _supports(community, rng, residents) -> None:
    """Neighbours' support of the public open suggestions, a few to many each."""
    rows = []
    open_public = Suggestion.objects.filter(
        community=community, public=True, status__in=actions.OPEN_STATUSES
    ).order_by("pk")
    for s in open_public:
        others = [r for r in residents if r.pk != s.resident_id]
        for r in rng.sample(others, min(len(others), rng.choice([0, 1, 2, 3, 5, 8, 13]))):
            rows.append(Support(suggestion=s, resident=r))
    Support.objects.bulk_create(rows)
    for s in open_public:
        Suggestion.objects.filter(pk=s.pk).update(support_count=s.supports.count())


def logins() -> list:
    return []
