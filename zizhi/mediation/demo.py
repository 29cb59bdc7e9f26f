"""Demo data of the mediation app (called by `zizhi demo` after the registry's and the
associations' demos).

Every community of the demo subdistrict gets a legal-service association of its own (法律
服务协会调解组) with three or four resident members as mediators, a mediation lead and a
year of cases run through the actions (so the conflict check, the numbers and the audit
events are the real ones), then moved back in time: most closed after an agreement, some
referred elsewhere, a few in mediation, one just registered, one withdrawn. In 湖东社区 the
lead is a resident with a login (13900000092) and one mediator has a login (13900000091);
王秀英 (13900000001) asked for mediation of a leak from the flat above, which waits for the
lead, and she is a party to a closed noise case with a printable agreement. One follow-up is
overdue on HD's desk.
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from zizhi.accounts.models import User
from zizhi.associations.actions.associations import do_add_member, do_create_association
from zizhi.registry.models import Community, Resident

from . import actions as m
from .conflicts import candidates
from .models import FollowUp, MediationCase, Session

MEDIATOR = ("13900000091", "调解员")
LEAD = ("13900000092", "调解负责人")
# (kind, what happened, agreed terms or None for a referral, referral)
STORIES = [
    (
        "noise",
        "楼上住户晚上十点后仍在跳绳、拖动桌椅，影响楼下老人休息。",
        "晚十点后不再跳绳、拖动桌椅\n桌椅脚加装防噪垫",
        "",
    ),
    (
        "leak",
        "楼上卫生间防水层老化，渗水到楼下厨房顶棚。",
        "楼上住户一个月内重做卫生间防水\n赔偿楼下顶棚修补费用八百元",
        "",
    ),
    (
        "parking",
        "两户为楼下固定车位的使用发生争执，多次互相堵车。",
        "按单双日轮流使用车位\n不再堵对方车辆",
        "",
    ),
    (
        "neighbours",
        "楼道堆放杂物，邻居认为影响通行和消防安全。",
        "三日内清理楼道杂物\n今后不在楼道堆放物品",
        "",
    ),
    (
        "family",
        "兄妹三人为母亲的赡养费用分担发生争执。",
        "三人每月各出赡养费一千元\n轮流每周看望母亲",
        "",
    ),
    ("property", "业主认为物业收费标准不合理，拒交物业费。", None, "other"),
    (
        "noise",
        "底商空调外机夜间噪音大，影响二楼住户。",
        "外机加装减震垫和隔音罩\n晚十点后调低运行档位",
        "",
    ),
    ("leak", "空调冷凝水滴落到楼下阳台。", "一周内加装冷凝水管", ""),
    ("family", "夫妻为房屋归属争执，一方要求离婚分割财产。", None, "court"),
    ("neighbours", "饲养犬只夜间吠叫、在楼道便溺。", "遛狗牵绳并清理粪便\n夜间将狗关在室内", ""),
    ("parking", "电动车在楼道充电，邻居担心火灾。", "电动车改到充电棚充电", ""),
    ("other", "邻居在公共绿地私自种菜，其他居民不满。", None, "petition"),
]


def logins() -> list:
    from zizhi.registry.demo import Login

    return [
        Login(MEDIATOR[0], _name(MEDIATOR), "调解员 mediator（街道法律服务协会）", _code(MEDIATOR)),
        Login(LEAD[0], _name(LEAD), "调解负责人 mediation lead", "HD"),
    ]


def _code(login) -> str:
    resident = Resident.objects.filter(user__phone=login[0]).select_related("community").first()
    return resident.community.code if resident else "XH"


def _name(login) -> str:
    user = User.objects.filter(phone=login[0]).first()
    return user.name if user else login[1]


def _give_login(resident, phone, password_hash):
    user = User.objects.create(phone=phone, name=resident.name, password=password_hash)
    resident.user = user
    resident.save(update_fields=["user"])
    return user


def build(subdistrict, password_hash) -> dict:
    from zizhi.registry.demo import ADMIN_LOGIN, WORKER_LOGINS

    admin = User.objects.get(phone=ADMIN_LOGIN.phone)
    communities = [
        (c, User.objects.get(phone=login.phone))
        for c in Community.objects.filter(subdistrict=subdistrict).order_by("code")
        for login in WORKER_LOGINS
        if login.community == c.code
    ]
    with transaction.atomic():
        # a subdistrict-wide association: its mediators serve every community, so a case
        # always finds one who lives in another building (the conflict check)
        assoc = do_create_association(
            actor=admin,
            subdistrict=subdistrict,
            name=f"{subdistrict.name}法律服务协会",
            kind="legal",
            description="退休法官、律师和热心居民组成的人民调解员队伍，服务街道各社区。",
        )
        # the lead of HD is one of HD's own members (13900000092); the mediator with the demo
        # login (13900000091) lives in the next community, so no HD party is his neighbour
        people, spare = {}, [LEAD[0], MEDIATOR[0]]
        for c, _w in communities:
            phones = [spare.pop(0)] if c.code == "HD" or (spare and spare[0] == MEDIATOR[0]) else []
            people[c.pk] = _mediators(c, assoc, admin, password_hash, phones)
    totals = {"mediation_cases": 0, "mediators": sum(len(v) for v in people.values())}
    for community, worker in communities:
        rng = random.Random(f"mediation-{community.code}")
        with transaction.atomic():
            own = people[community.pk]
            lead_user = own[0].user if community.code == "HD" and own else worker
            totals["mediation_cases"] += _community(community, worker, lead_user, rng)
    return totals


def _mediators(community, assoc, admin, password_hash, phones) -> list:
    """Two residents aged 35 to 70 without a login, of different households, join the
    association and get a login (the first the given phone numbers, if any)."""
    today = timezone.localdate()
    showcase = community.code == "HD"
    chosen, households = [], set()
    for r in (
        Resident.objects.filter(community=community, household__isnull=False, user__isnull=True)
        .select_related("community")
        .order_by("id")
    ):
        if 35 <= r.age(today) <= 70 and r.household_id not in households:
            chosen.append(r)
            households.add(r.household_id)
        if len(chosen) == 2:
            break
    phones = [*phones, None, None]
    for i, (r, phone) in enumerate(zip(chosen, phones, strict=False)):
        do_add_member(assoc, r, actor=admin, role="leader" if showcase and i == 0 else "member")
        _give_login(r, phone or f"1370{community.pk:03d}{i:04d}", password_hash)
    return chosen


def _community(community, worker, lead_user, rng) -> int:
    today = timezone.localdate()
    showcase = community.code == "HD"
    m.do_appoint_lead(
        community, lead_user, actor=worker, started_on=today - datetime.timedelta(days=365)
    )
    residents = list(
        Resident.objects.filter(community=community, household__isnull=False)
        .select_related("household__building", "user")
        .order_by("id")
    )
    if len(residents) < 4:
        return 0
    granny = next((r for r in residents if r.user and r.user.phone == "13900000001"), None)
    others = [r for r in residents if r.user_id is None or r == granny]
    count = 0
    stories = STORIES if showcase else rng.sample(STORIES, 3)
    for index, (kind, text, terms, referral) in enumerate(stories):
        a, b = rng.sample(others, 2)
        if showcase and index == 0 and granny is not None:
            a = granny
            b = next(r for r in others if r.household_id != granny.household_id)
        stage = "closed" if index % 4 != 3 else "open"
        if index == len(stories) - 1:
            stage = "withdrawn"
        days_ago = 20 + (len(stories) - index) * 25
        _case(community, worker, lead_user, a, b, kind, text, terms, referral, stage, days_ago)
        count += 1
    if showcase and granny is not None:
        upstairs = next(r for r in others if r.household_id != granny.household_id)
        m.do_apply_case(
            kind="leak",
            description="楼上厨房的水管漏水，我家厨房顶上一直往下滴水，找过楼上两次没人管。",
            other_name=upstairs.name,
            other_building=upstairs.household.building.name,
            actor=granny.user,
        )
        # one agreed case whose follow-up is overdue on the desk
        a, b = rng.sample(others, 2)
        late = _case(community, worker, lead_user, a, b, *STORIES[2], "agreed", 45)
        FollowUp.objects.filter(case=late).update(due_on=today - datetime.timedelta(days=10))
        count += 2
    return count


def _case(community, worker, lead_user, a, b, kind, text, terms, referral, stage, days_ago):
    today = timezone.localdate()
    case = m.do_register_case(
        community,
        kind=kind,
        description=text,
        parties=[
            {"side": "applicant", "name": a.name, "phone": a.phone},
            {"side": "respondent", "name": b.name, "phone": b.phone},
        ],
        actor=worker,
    )
    when = timezone.now() - datetime.timedelta(days=days_ago)
    if stage == "withdrawn":
        m.do_withdraw_case(case, reason="双方已自行和解", actor=lead_user)
        MediationCase.objects.filter(pk=case.pk).update(registered_at=when, closed_at=when)
        return case
    eligible = [c.resident for c in candidates(case) if c.eligible]
    if not eligible:  # everyone must step aside: it waits for a mediator from elsewhere
        MediationCase.objects.filter(pk=case.pk).update(registered_at=when)
        return case
    # the mediator with the demo login where possible, else anyone but the lead
    preferred = [r for r in eligible if r.user.phone == MEDIATOR[0]]
    others = [r for r in eligible if r.user_id != lead_user.pk]
    mediator = (preferred or others or eligible)[0]
    m.do_assign_mediator(case, mediator, actor=lead_user)
    m.do_respond_assignment(case.assignments.get(), accept=True, actor=mediator.user)
    m.do_record_session(
        case,
        held_on=today,
        place=f"{community.name}调解室",
        notes="双方分别陈述，调解员讲解相关法律规定，双方同意各退一步。",
        mediator_ids=[mediator.user_id],
        actor=mediator.user,
    )
    session_day = (when + datetime.timedelta(days=3)).date()
    Session.objects.filter(case=case).update(held_on=session_day)
    MediationCase.objects.filter(pk=case.pk).update(registered_at=when)
    if stage == "open":
        return case
    agreed = terms is not None
    m.do_record_outcome(
        case,
        agreed=agreed,
        facts=text,
        terms=terms or "",
        performance_deadline=today + datetime.timedelta(days=14) if agreed else None,
        referral_to=referral,
        referral_note="" if agreed else "已告知当事人相关渠道和所需材料。",
        actor=mediator.user,
    )
    outcome_on = session_day + datetime.timedelta(days=4)
    MediationCase.objects.filter(pk=case.pk).update(
        outcome_on=outcome_on,
        performance_deadline=outcome_on + datetime.timedelta(days=14) if agreed else None,
    )
    FollowUp.objects.filter(case=case).update(due_on=outcome_on + datetime.timedelta(days=30))
    if stage == "closed" and outcome_on + datetime.timedelta(days=30) <= today:
        m.do_record_follow_up(
            case,
            kept=agreed or None,
            note="回访时双方表示已按协议履行。" if agreed else "当事人已到相关部门办理。",
            actor=mediator.user,
        )
        FollowUp.objects.filter(case=case).update(done_on=outcome_on + datetime.timedelta(days=30))
    return case
