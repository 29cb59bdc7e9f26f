"""Demo data of the wishes app (called by `zizhi demo` after the registry's and the
associations' demos).

Every community with a worker gets eight wishes of residents living alone or on low income,
in every state: one waiting for verification, two on the wall (one rolled over from last
month, shown first), one claimed, one contacted, one fulfilled waiting for confirmation, two
confirmed. In 湖东社区 a volunteer with a login (13900000071) holds the claims: one whose
7-day contact deadline is in two days, one contacted, one fulfilled for 王秀英 (13900000001)
to confirm on her phone, and one confirmed. Elsewhere the claims are local units' (辖区单位),
recorded by the worker. One audit event per community.

The demo writes no service records for its confirmed wishes: the Moral Bank's demo year is
built before this one and its figures are fixed (tests/test_demo.py); confirming a wish in
the running demo does write one (actions.posting.do_confirm_wish)."""

import dataclasses
import datetime

from django.db import transaction
from django.utils import timezone

from zizhi.accounts.models import User
from zizhi.associations.models import Volunteer
from zizhi.audit.log import record
from zizhi.registry.demo import Login
from zizhi.registry.models import Community, LocalUnit, Resident

from .models import CONTACT_DAYS, Claim, ClaimKind, Wish, WishStatus

VOLUNTEER = Login("13900000071", "湖东社区志愿者", "志愿者 volunteer（认领微心愿）", "HD")
S = WishStatus
# (wish text, category, value in yuan, public title, public text, status)
WISHES = [
    ("想要一副老花镜，看报纸太吃力了", "goods", 80, "一位高龄老人想要一副老花镜", "", S.SUBMITTED),
    (
        "想要一台收音机，平时听听越剧",
        "goods",
        150,
        "一位独居老人想要一台收音机",
        "老人喜欢听越剧，眼神不好，按键大一些更方便。",
        S.PUBLISHED,
    ),
    (
        "希望有人每周来陪我聊聊天",
        "company",
        None,
        "一位独居老人希望每周有人上门聊天",
        "老人子女在外地，希望每周有人来坐一坐、说说话。",
        S.PUBLISHED,
    ),
    (
        "希望有人陪我去医院复查",
        "company",
        None,
        "一位行动不便的老人希望有人陪同去医院复查",
        "每月一次到区医院复查，需要有人陪同挂号、取药。",
        S.CLAIMED,
    ),
    (
        "孩子想要一套课外书",
        "goods",
        200,
        "一户困难家庭的孩子想要一套课外书",
        "孩子读小学四年级，喜欢科普读物。",
        S.CONTACTED,
    ),
    ("想要一个电饭煲，旧的坏了", "goods", 300, "一位低保老人想要一个电饭煲", "", S.FULFILLED),
    (
        "希望有人帮忙修一下漏水的水龙头",
        "service",
        None,
        "一位独居老人家里水龙头漏水，希望有人帮忙修理",
        "",
        S.CONFIRMED,
    ),
    (
        "希望有人教我用手机和孙子视频",
        "service",
        None,
        "一位老人希望学会用手机和孙子视频通话",
        "",
        S.CONFIRMED,
    ),
]
PROOF = {
    "goods": "已把物品送到老人家里，老人很高兴。",
    "service": "上门服务一个半小时，已经弄好了。",
    "company": "陪同老人到医院复查，取好了药送回家。",
}


def logins() -> list:
    """The volunteer's login, under the name of the resident the demo gave it to."""
    from zizhi.accounts.models import User

    user = User.objects.filter(phone=VOLUNTEER.phone).first()
    return [dataclasses.replace(VOLUNTEER, name=user.name) if user else VOLUNTEER]


def build(subdistrict, password_hash) -> dict:
    from zizhi.registry.demo import WORKER_LOGINS

    totals = {"wishes": 0, "claims": 0}
    volunteer = None
    for community in Community.objects.filter(subdistrict=subdistrict).order_by("code"):
        login = next((w for w in WORKER_LOGINS if w.community == community.code), None)
        if login is None:
            continue
        worker = User.objects.get(phone=login.phone)
        with transaction.atomic():
            if community.code == VOLUNTEER.community:
                volunteer = _volunteer_login(community, password_hash)
            counts = _community(community, worker, volunteer if community.code == "HD" else None)
            record(worker, "wishes.demo_build", community, community=community, extra=counts)
        for key, value in counts.items():
            totals[key] += value
    return totals


def _volunteer_login(community, password_hash):
    """A volunteer of HD without a login gets one (13900000071)."""
    v = (
        Volunteer.objects.filter(community=community, resident__user__isnull=True)
        .select_related("resident")
        .order_by("pk")
        .first()
    )
    name = v.resident.name if v is not None else VOLUNTEER.name
    user = User.objects.create(phone=VOLUNTEER.phone, name=name, password=password_hash)
    if v is None:
        return None
    resident = v.resident
    resident.user = user
    resident.save(update_fields=["user"])
    return user


def _beneficiaries(community) -> list[Resident]:
    """Residents living alone or on low income, 王秀英 (a login of HD) first in HD."""
    people = list(
        Resident.objects.filter(community=community, user__isnull=True)
        .filter(lives_alone_elderly=True)
        .order_by("pk")[: len(WISHES)]
    )
    if len(people) < len(WISHES):
        people += list(
            Resident.objects.filter(community=community, user__isnull=True)
            .exclude(pk__in=[p.pk for p in people])
            .order_by("birth_date")[: len(WISHES) - len(people)]
        )
    return people


def _community(community, worker, volunteer) -> dict:
    now = timezone.now()
    people = _beneficiaries(community)
    if community.code == "HD":
        granny = Resident.objects.filter(community=community, user__phone="13900000001").first()
        if granny is not None and len(people) > 5:
            people[5] = granny  # her wish is fulfilled and waits for her confirmation
    units = list(LocalUnit.objects.filter(community=community).order_by("pk"))
    counts = {"wishes": 0, "claims": 0}
    for index, (text, category, value, title, public, status) in enumerate(WISHES):
        if index >= len(people):
            break
        created = now - datetime.timedelta(days=40 - index * 3)
        published = created + datetime.timedelta(days=1) if status != S.SUBMITTED else None
        rolled = index == 1  # last month's, still unclaimed
        by_volunteer = volunteer is not None and index != 7
        unit = None if by_volunteer or not units else units[index % len(units)]
        if status in (S.CLAIMED, S.CONTACTED, S.FULFILLED, S.CONFIRMED) and not (
            by_volunteer or unit
        ):
            status = S.PUBLISHED  # nobody to hold the claim
        wish = Wish.objects.create(
            community=community,
            beneficiary=people[index],
            posted_by=worker,
            by_worker=True,
            text=text,
            category=category,
            value_cap_fen=value * 100 if value else None,
            status=status,
            title=f"{community.name}{title}" if status != S.SUBMITTED else "",
            public_text=public if status != S.SUBMITTED else "",
            contact_hint="请先给社区网格员打电话，由网格员陪同上门" if published else "",
            verified_by=worker if published else None,
            published_at=published,
            rolled_over_times=1 if rolled else 0,
            rolled_over_at=now - datetime.timedelta(days=2) if rolled else None,
            closed_at=now - datetime.timedelta(days=2) if status == S.CONFIRMED else None,
        )
        Wish.objects.filter(pk=wish.pk).update(created_at=created)
        counts["wishes"] += 1
        if status in (S.CLAIMED, S.CONTACTED, S.FULFILLED, S.CONFIRMED):
            _claim(wish, worker, volunteer if by_volunteer else None, unit, now)
            counts["claims"] += 1
    return counts


def _claim(wish, worker, volunteer, unit, now) -> None:
    status = wish.status
    claimed = now - datetime.timedelta(days=5 if status == S.CLAIMED else 12)
    contacted = claimed + datetime.timedelta(days=1) if status != S.CLAIMED else None
    fulfilled = (
        claimed + datetime.timedelta(days=4) if status in (S.FULFILLED, S.CONFIRMED) else None
    )
    minutes = 90 if wish.category != "goods" else 30
    resident = volunteer.resident if volunteer is not None else None
    claim = Claim.objects.create(
        wish=wish,
        community=wish.community,
        kind=ClaimKind.VOLUNTEER if volunteer else ClaimKind.LOCAL_UNIT,
        user=volunteer or worker,
        resident=resident,
        local_unit=unit,
        by_worker=volunteer is None,
        claimed_at=claimed,
        contact_due=claimed + datetime.timedelta(days=CONTACT_DAYS),
        contacted_at=contacted,
        contact_note="已电话联系，约好了上门时间" if contacted else "",
        fulfilled_at=fulfilled,
        proof_text=PROOF[wish.category] if fulfilled else "",
        minutes=minutes if fulfilled else 0,
    )
    if status != S.CONFIRMED:
        return
    confirmer = wish.beneficiary.user or worker
    claim.confirmed_at = now - datetime.timedelta(days=2)
    claim.confirmed_by = confirmer
    claim.confirmed_by_worker = wish.beneficiary.user_id is None
    claim.confirm_note = "" if wish.beneficiary.user_id else "上门走访，老人说已经实现了"
    claim.save()
