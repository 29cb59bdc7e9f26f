"""Demo associations, volunteers, teams and a season of activities (an extension of
registry.demo): the seed's 35 associations spread over the seven communities, with leaders
and members; about a tenth of adults registered as volunteers (the five olds among them);
a building team per community; for each association four past activities (attended, the
hours attested into service records) and one to come (with sign-ups and a waiting list);
a neighbourhood festival per community that most residents attended (the seed's 70%
participation comes from attendance, not from a typed figure); for 王秀英 a correction request
and a certificate. Deterministic (but for the certificate's secret verification code); written in bulk (one audit event per community)."""

import datetime
import random
import secrets

from django.db import transaction
from django.utils import timezone

from zizhi.accounts.models import User
from zizhi.audit.log import record
from zizhi.registry.models import Community, Resident

from .actions.certificates import content_of
from .models import (
    Activity,
    ActivityStatus,
    Association,
    AssociationMember,
    Attendance,
    AttendanceSource,
    Attestation,
    Certificate,
    CorrectionRequest,
    Counter,
    ServiceRecord,
    SignUp,
    Team,
    TeamMember,
    Volunteer,
)

# (name, kind, service category of its activities, activity titles)
ASSOCIATIONS = [
    ("花卉协会", "hobby", "environment", ["社区花坛补种", "养花知识讲座"]),
    ("集邮协会", "hobby", "culture", ["邮票交流会", "少儿集邮课堂"]),
    ("摄影协会", "culture", "culture", ["社区风光摄影", "为老人拍全家福"]),
    ("书法协会", "culture", "culture", ["春联义写", "书法进课堂"]),
    ("绘画协会", "culture", "education", ["墙绘美化楼道", "儿童绘画辅导"]),
    ("老年艺术团", "elderly", "culture", ["敬老院慰问演出", "广场文艺汇演"]),
    ("老年诗社", "elderly", "culture", ["诗词朗诵会", "重阳诗会"]),
    ("法律服务协会", "legal", "legal", ["法律咨询日", "邻里纠纷调解"]),
    ("太极拳协会", "sports", "health", ["晨练教学", "太极拳展示"]),
    ("广场舞队", "sports", "culture", ["广场舞比赛", "健身操教学"]),
    ("合唱团", "culture", "culture", ["红歌合唱", "社区音乐会"]),
    ("京剧票友会", "culture", "culture", ["京剧清唱会", "戏曲进社区"]),
    ("象棋协会", "hobby", "culture", ["象棋擂台赛", "少儿象棋课"]),
    ("读书会", "culture", "education", ["好书分享会", "为老人读报"]),
    ("科普协会", "science", "education", ["防诈骗讲座", "智能手机教学"]),
    ("健康促进会", "elderly", "health", ["义诊量血压", "健康饮食讲座"]),
    ("青少年志愿者协会", "youth", "environment", ["捡拾垃圾", "图书馆整理"]),
    ("巾帼志愿队", "women", "elderly", ["探望独居老人", "包饺子送温暖"]),
    ("平安巡逻队", "volunteer", "safety", ["夜间巡逻", "消防隐患排查"]),
    ("环保协会", "volunteer", "environment", ["垃圾分类宣传", "旧衣回收"]),
    ("助老服务社", "elderly", "elderly", ["助餐送餐", "陪老人就医"]),
    ("维修服务队", "volunteer", "elderly", ["义务维修家电", "上门修水管"]),
    ("手工编织社", "hobby", "culture", ["编织围巾送老人", "手工课"]),
    ("茶艺协会", "hobby", "culture", ["茶艺表演", "茶文化讲座"]),
    ("剪纸协会", "culture", "culture", ["剪纸迎新春", "少儿剪纸课"]),
    ("关心下一代工作委员会", "youth", "education", ["暑期托管", "作业辅导"]),
    ("心理关爱协会", "volunteer", "health", ["心理健康讲座", "陪伴聊天"]),
    ("文明劝导队", "volunteer", "civilisation", ["文明养犬宣传", "劝导乱停车"]),
    ("红色宣讲团", "elderly", "education", ["党史宣讲", "老党员讲故事"]),
    ("应急救援队", "volunteer", "emergency", ["急救培训", "防汛演练"]),
    ("乒乓球协会", "sports", "health", ["乒乓球友谊赛", "少儿乒乓球课"]),
    ("模特队", "culture", "culture", ["时装表演", "社区晚会"]),
    ("社区工会", "union", "elderly", ["困难职工走访", "职工健康讲座"]),
    ("商户联盟", "other", "civilisation", ["商户门前三包", "爱心商户义卖"]),
    ("科技小组", "science", "education", ["机器人兴趣课", "科技小制作"]),
]
PER_COMMUNITY = 5
LEADER = ("13900000051", "群团组织会长")


def logins() -> list:
    from zizhi.registry.demo import Login

    return [Login(LEADER[0], _leader_name(), "群团组织会长 association leader", "HD")]


def _leader_name() -> str:
    user = User.objects.filter(phone=LEADER[0]).first()
    return user.name if user else LEADER[1]


class _Numbers:
    def __init__(self):
        self.values: dict[str, int] = {}

    def next(self, key: str) -> int:
        self.values[key] = self.values.get(key, 0) + 1
        return self.values[key]

    def save(self):
        Counter.objects.bulk_create([Counter(key=k, value=v) for k, v in self.values.items()])


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def build(subdistrict, password_hash) -> dict:
    from zizhi.registry.demo import WORKER_LOGINS

    today = timezone.localdate()
    numbers = _Numbers()
    totals = {"associations": 0, "volunteers": 0, "activities": 0, "service_records": 0}
    communities = list(Community.objects.filter(subdistrict=subdistrict).order_by("code"))
    for index, community in enumerate(communities):
        login = next((w for w in WORKER_LOGINS if w.community == community.code), None)
        if login is None:
            continue
        worker = User.objects.get(phone=login.phone)
        rng = random.Random(f"associations-{community.code}")
        specs = ASSOCIATIONS[index * PER_COMMUNITY : (index + 1) * PER_COMMUNITY]
        with transaction.atomic():
            counts = _community(community, worker, specs, rng, today, numbers, password_hash)
            record(worker, "associations.demo_build", community, community=community, extra=counts)
        for key, value in counts.items():
            totals[key] = totals.get(key, 0) + value
    numbers.save()
    return totals


def _community(community, worker, specs, rng, today, numbers, password_hash) -> dict:
    residents = list(
        Resident.objects.filter(community=community).select_related("household").order_by("id")
    )
    adults = [r for r in residents if r.age(today) >= 18]
    code = community.code
    # volunteers: about a tenth of adults, the five olds first
    pool = sorted(adults, key=lambda r: (r.five_olds == "", r.pk))
    chosen = pool[: max(len(adults) // 10, 8)]
    me = Resident.objects.filter(user__phone="13900000001", community=community).first()
    if me is not None and me not in chosen:
        chosen.append(me)
    volunteers = Volunteer.objects.bulk_create(
        Volunteer(
            resident=r,
            community=community,
            number=f"{code}V{numbers.next(f'volunteer:{code}'):05d}",
            five_olds=r.five_olds,
            skills=rng.choice(["理发", "维修", "陪伴聊天", "书法", "医护", "法律", ""]),
            availability=rng.choice(["周末", "工作日上午", "晚上", "随时"]),
            registered_by=worker,
            by_worker=rng.random() < 0.5,
        )
        for r in chosen
    )
    team = Team.objects.create(community=community, name=f"{community.name}楼栋志愿服务队")
    TeamMember.objects.bulk_create(
        TeamMember(
            team=team,
            volunteer=v,
            role="leader" if i == 0 else "member",
            joined_on=today - datetime.timedelta(days=200),
        )
        for i, v in enumerate(volunteers[:12])
    )
    leader_user = _leader(community, adults, password_hash) if code == "HD" else None
    members_by_assoc, activities = {}, []
    for i, (name, kind, category, titles) in enumerate(specs):
        assoc = Association.objects.create(
            subdistrict=community.subdistrict,
            community=community,
            name=name,
            kind=kind,
            description=f"{name}由{community.name}居民自发组织，欢迎爱好者加入。",
            charter_text="第一条 本会由社区居民自愿组成。\n第二条 本会活动不收取费用。",
            founded_on=datetime.date(2010 + i, 3, 1),
            created_by=worker,
        )
        size = min(len(adults), rng.randint(8, 20))
        people = rng.sample(adults, size)
        if leader_user is not None and i == 0:  # leads the first association of HD
            people = [leader_user.resident, *[p for p in people if p.pk != leader_user.resident.pk]]
        if me is not None and i == 0:
            people = [*people, me] if me not in people else people
        AssociationMember.objects.bulk_create(
            AssociationMember(
                association=assoc,
                resident=p,
                role="leader" if j == 0 else ("deputy" if j == 1 else "member"),
                joined_on=today - datetime.timedelta(days=rng.randint(60, 2000)),
            )
            for j, p in enumerate(people)
        )
        members_by_assoc[assoc.pk] = people
        for k in range(4):
            day = today - datetime.timedelta(days=7 + 21 * k + i)
            activities.append(
                _activity(
                    community,
                    worker,
                    assoc,
                    titles[k % 2],
                    category,
                    day,
                    9 + i % 4,
                    ActivityStatus.ATTESTED,
                )
            )
        upcoming = _activity(
            community,
            worker,
            assoc,
            titles[0],
            category,
            today + datetime.timedelta(days=3 + i),
            9,
            ActivityStatus.OPEN,
            capacity=10,
        )
        activities.append(upcoming)
    festival = _activity(
        community,
        worker,
        None,
        "社区邻里节",
        "culture",
        today - datetime.timedelta(days=45),
        9,
        ActivityStatus.ENDED,
        service=False,
    )
    activities.append(festival)
    Activity.objects.bulk_create(activities)
    counts = _attendance(activities, members_by_assoc, residents, rng, numbers, worker, code, me)
    counts.update(associations=len(specs), volunteers=len(volunteers), activities=len(activities))
    return counts


def _leader(community, adults, password_hash):
    resident = next(r for r in adults if r.user_id is None)
    user = User.objects.create(phone=LEADER[0], name=resident.name, password=password_hash)
    resident.user = user
    resident.save(update_fields=["user"])
    return user


def _activity(
    community, worker, assoc, title, category, day, hour, status, capacity=None, service=True
):
    start = _at(day, hour)
    return Activity(
        subdistrict=community.subdistrict,
        community=community,
        organiser_kind="association" if assoc else "community",
        association=assoc,
        title=title,
        place=f"{community.name}活动室",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        signup_deadline=start - datetime.timedelta(hours=2),
        capacity=capacity,
        category=category,
        is_volunteer_service=service,
        status=status,
        created_by=worker,
    )


def _attendance(activities, members_by_assoc, residents, rng, numbers, worker, code, me) -> dict:
    signups, rows, attestations = [], [], []
    for a in activities:
        if a.association_id is None:  # the festival: most residents came
            for r in residents:
                if rng.random() < 0.68:
                    rows.append(
                        Attendance(
                            activity=a,
                            resident=r,
                            check_in_at=a.starts_at,
                            check_out_at=a.ends_at,
                            check_in_source=AttendanceSource.LIST,
                            check_out_source=AttendanceSource.LIST,
                            entered_by=worker,
                            minutes=120,
                        )
                    )
            continue
        people = members_by_assoc[a.association_id]
        if a.status == ActivityStatus.OPEN:  # to come: full, with a waiting list
            for j, p in enumerate(people[:12]):
                signups.append(
                    SignUp(activity=a, resident=p, status="confirmed" if j < 10 else "waiting")
                )
            continue
        came = [p for p in people if rng.random() < 0.75 or p == me]
        for p in came:
            signups.append(SignUp(activity=a, resident=p, status="confirmed"))
            late = rng.choice([0, 0, 10, 20])
            rows.append(
                Attendance(
                    activity=a,
                    resident=p,
                    check_in_at=a.starts_at + datetime.timedelta(minutes=late),
                    check_out_at=a.ends_at,
                    check_in_source=AttendanceSource.QR,
                    check_out_source=AttendanceSource.QR,
                    minutes=120 - late,
                )
            )
        attestations.append(
            Attestation(
                activity=a, status="approved", attested_by=worker, decided_at=a.ends_at, lines=[]
            )
        )
    SignUp.objects.bulk_create(signups)
    Attendance.objects.bulk_create(rows)
    Attestation.objects.bulk_create(attestations)
    by_activity = {
        att.activity_id: att
        for att in Attestation.objects.filter(
            activity__in=[a for a in activities if a.status == ActivityStatus.ATTESTED]
        )
    }
    records = []
    for row in rows:
        a = row.activity
        if a.status != ActivityStatus.ATTESTED:
            continue
        day = timezone.localdate(a.starts_at)
        records.append(
            ServiceRecord(
                number=f"FW{code}{day.year}{numbers.next(f'record:{code}:{day.year}'):06d}",
                resident=row.resident,
                community_id=row.resident.community_id,
                activity=a,
                attestation=by_activity[a.pk],
                service_date=day,
                started_at=row.check_in_at,
                ended_at=row.check_out_at,
                minutes=row.minutes,
                category=a.category,
                content=a.title,
                place=a.place,
                organiser=a.association.name,
                attested_by=worker,
            )
        )
    ServiceRecord.objects.bulk_create(records)
    if me is not None:
        _mine(me, worker, numbers, code)
    return {"service_records": len(records)}


def _mine(me, worker, numbers, code):
    """王秀英 asks to correct one record and holds a certificate of this year's service."""
    records = list(ServiceRecord.objects.filter(resident=me).order_by("service_date"))
    if not records:
        return
    CorrectionRequest.objects.create(
        record=records[0],
        resident=me,
        claimed_minutes=records[0].minutes + 30,
        reason="我提前半小时到场帮忙布置，签到晚了",
    )
    today = timezone.localdate()
    volunteer = Volunteer.objects.get(resident=me)
    Certificate.objects.create(
        number=f"ZM{code}{today.year}{numbers.next(f'certificate:{code}:{today.year}'):06d}",
        verify_code=secrets.token_urlsafe(16),
        resident=me,
        community=me.community,
        name=me.name,
        id_number_masked=me.id_number_masked,
        volunteer_number=volunteer.number,
        period_from=records[0].service_date,
        period_to=today,
        minutes=sum(r.minutes for r in records),
        content=content_of(records),
        issuer=f"{me.community.name}居民委员会",
        issued_by=worker,
    )
