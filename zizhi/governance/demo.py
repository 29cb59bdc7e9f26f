"""Governance demo data: each community's bodies and members, matters at every stage of its
workflow preset, a past assembly meeting with minutes and an upcoming one.

Everything goes through the real actions (so the audit log, steps and notices are what a
real community would have); afterwards the past meeting is dated back three weeks.
"""

import datetime
import random
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from zizhi.accounts.models import Role, RoleKind, User
from zizhi.registry.demo import DEMO_PASSWORD
from zizhi.registry.models import Community, PoliticalStatus, Resident, Subdistrict
from zizhi.registry.roster import name_initials

from . import actions as a
from .models import (
    Appraisal,
    Attendance,
    Body,
    BodyKind,
    BylawText,
    CharterVersion,
    DutyReport,
    Matter,
    Meeting,
    MemberRole,
    Membership,
    PollMode,
    ResidentGroup,
    Resolution,
    Step,
    VersionStatus,
    WorkflowPreset,
)
from .rules import adult_cutoff


@dataclass(frozen=True)
class Login:
    phone: str
    name: str
    role: str
    community: str = ""


# The HD logins print with `zizhi demo --logins`; their registry rows get these phones.
SECRETARY = Login("13900000011", "赵志刚", "党支部书记 Party branch secretary", "HD")
BRANCH_MEMBERS = [
    Login("13900000012", "钱丽华", "党员 branch member", "HD"),
    Login("13900000013", "孙建平", "党员 branch member", "HD"),
]
REPRESENTATIVES = [
    Login(f"1390000002{i}", name, "居民代表 representative", "HD")
    for i, name in enumerate(["李桂兰", "周德明", "吴海燕", "郑国华", "冯秀珍"], start=1)
]
COMMITTEE = Login("13800000201", "郑国庆", "街道党工委委员 subdistrict Party committee", "")
FOUR_TWO = {"XC", "DS", "HB"}
TERM_START = datetime.date(2021, 6, 18)
REPS_PER_GROUP = 5

SEED_MATTERS = [
    ("3栋加装电梯及费用分摊方案", "construction", "result_disclosed"),
    ("小区停车收费标准调整", "public_interest", "disclosed"),
    ("老年食堂运营补贴使用方案", "budget", "resolved"),
    ("拆除2栋北侧自行车棚", "construction", "rejected"),
    ("社区公共收益用于外墙维修", "budget", "on_agenda"),
    ("修订《居民公约》", "charter", "awaiting_vote"),
    ("增设垃圾分类智能回收站", "construction", "in_consultation"),
    ("引入第三方物业服务企业", "public_interest", "escalated"),
    ("社区活动中心开放时间调整", "general", "in_review"),
    ("沿河步道夜间照明改造", "construction", "registered"),
    ("小区大门改为人脸识别门禁", "public_interest", "not_passed"),
]
FOUR_TWO_MATTERS = [
    ("老旧管网改造工程", "construction", "result_disclosed"),
    ("社区微更新项目选址", "construction", "disclosed"),
    ("文化家园场地使用规则", "general", "resolved"),
    ("设立居民议事专项经费", "budget", "on_agenda"),
    ("楼道堆物集中清理方案", "public_interest", "reviewed"),
    ("小区绿化补种方案", "general", "discussed"),
    ("电动自行车集中充电点建设", "construction", "proposed"),
    ("社区年度公益项目计划", "budget", "registered"),
]
PATHS = {
    # the moves after registration that lead to each target, per preset
    "seed": [
        "start_review",
        "review_submit",
        "put_on_agenda",
        "vote",
        "disclose",
        "implement",
        "complete",
        "disclose_result",
    ],
    "four_two": [
        "propose",
        "discuss",
        "party_review",
        "submit",
        "put_on_agenda",
        "vote",
        "disclose",
        "implement",
        "complete",
        "disclose_result",
    ],
}


FROM = {
    "start_review": "registered",
    "review_submit": "in_review",
    "propose": "registered",
    "discuss": "proposed",
    "party_review": "discussed",
    "submit": "reviewed",
    "put_on_agenda": "awaiting_vote",
    "vote": "on_agenda",
    "disclose": "resolved",
    "implement": "disclosed",
    "complete": "disclosed",
    "disclose_result": "implemented",
}


BYLAW_TEXTS = {
    "居民代表大会制度": "居民代表大会每季度至少召开一次，由居民委员会召集；涉及全体居民利益的重大事项须经居民代表大会讨论决定。",
    "居务公开制度": "居务实行定期公开，一般事项每季度公开一次，重大事项随时公开；公开期满无异议后归档。",
    "民主评议制度": "居委会成员每年向居民代表大会述职，接受满意、基本满意、不满意三档评议。",
    "财务管理制度": "社区财务收支每月公开，重大开支须经居民代表大会决定，票据由两名工作人员审核签字。",
    "议事协商制度": "涉及部分居民利益的事项，由相关居民、物业、共建单位协商议定，协商结果公示。",
    "居民议案建议受理办法": "居民代表联名提出议案，经附议达到章程规定人数后，由居委会登记办理并答复。",
    "述职制度": "居委会成员和党组织书记每年第四季度述职，述职报告在会前公示。",
    "矛盾调解制度": "居民之间的纠纷由人民调解委员会调解，调解协议书面记录并回访。",
}


def charter_v1(community: Community):
    """Version 1 of the charter, in force since the term began, with its eight bylaws."""
    version = CharterVersion.objects.create(
        community=community,
        number=1,
        status=VersionStatus.IN_FORCE,
        workflow=WorkflowPreset.FOUR_TWO if community.code in FOUR_TWO else WorkflowPreset.SEED,
        in_force_from=TERM_START,
        text=(
            f"第一条 为保障{community.name}居民依法自治，根据《城市居民委员会组织法》，"
            "制定本章程。\n第二条 居民代表大会是本社区居民自治的议事决策机构。\n"
            "第三条 居民委员会执行居民会议和居民代表大会的决定，向其负责并报告工作。\n"
            "第四条 本章程的修改，须经居民代表大会全体代表三分之二以上通过。"
        ),
    )
    BylawText.objects.bulk_create(
        BylawText(version=version, title=title, text=text, order=i)
        for i, (title, text) in enumerate(BYLAW_TEXTS.items())
    )
    return version


def charter_v2(community: Community, worker):
    """湖东's version 2: more co-signers, five days' notice; proposed, waiting for the vote."""
    draft = a.do_draft_charter_version(community, actor=worker)
    a.do_edit_charter_version(
        draft,
        text=draft.text.replace("每季度", "每两个月") + "\n第五条 居民代表可以联名提出居民议案。",
        note="提高居民议案附议人数，会议提前五天通知。",
        numbers={"motion_cosigners": 6, "meeting_notice_days": 5},
        bylaws=[(b.title, b.text.replace("每季度", "每两个月")) for b in draft.bylaws.all()],
        actor=worker,
    )
    return a.do_propose_charter_version(draft, actor=worker)


class Builder:
    def __init__(self, community: Community, people: dict, rng: random.Random):
        self.c, self.people, self.rng = community, people, rng
        self.worker = people["worker"]
        self.admin = people["admin"]

    # --- bodies ------------------------------------------------------------------------
    def adults(self):
        return Resident.objects.filter(
            community=self.c,
            birth_date__lte=adult_cutoff(),
            birth_date__gte=datetime.date(1940, 1, 1),
        ).order_by("id")

    def user_for(self, resident: Resident, login: Login | None, password: str) -> User:
        if login is not None:
            resident.phone, resident.name = login.phone, login.name
            resident.name_initials = name_initials(login.name)
        if not resident.phone:
            resident.phone = f"1370000{resident.pk:04d}"
        user = User.objects.create(phone=resident.phone, name=resident.name, password=password)
        resident.user = user
        resident.save(update_fields=["phone", "name", "name_initials", "user"])
        return user

    def bodies(self, password: str):
        c, sub = self.c, self.c.subdistrict
        charter_v1(c)
        branch = Body.objects.create(
            kind=BodyKind.PARTY_BRANCH,
            name=f"{c.name}党支部",
            subdistrict=sub,
            community=c,
            term_start=TERM_START,
        )
        committee = Body.objects.create(
            kind=BodyKind.RESIDENTS_COMMITTEE,
            name=f"{c.name}居民委员会",
            subdistrict=sub,
            community=c,
            term_start=TERM_START,
            term_end=TERM_START.replace(year=TERM_START.year + 5),
        )
        assembly = Body.objects.create(
            kind=BodyKind.REPRESENTATIVE_ASSEMBLY,
            name=f"{c.name}居民代表大会",
            subdistrict=sub,
            community=c,
            term_start=TERM_START,
        )
        Body.objects.create(
            kind=BodyKind.RESIDENTS_MEETING, name=f"{c.name}居民会议", subdistrict=sub, community=c
        )
        hd = c.code == "HD"
        adults = list(self.adults().exclude(user__isnull=False))
        party = [r for r in adults if r.political_status == PoliticalStatus.PARTY_MEMBER][:7]
        party += [r for r in adults if r not in party][: max(0, 3 - len(party))]
        self.secretary = None
        self.branch_users = []
        for i, r in enumerate(party):
            role = MemberRole.SECRETARY if i == 0 else MemberRole.MEMBER
            login = (
                SECRETARY if hd and i == 0 else (BRANCH_MEMBERS[i - 1] if hd and i <= 2 else None)
            )
            user = self.user_for(r, login, password) if i == 0 or login else None
            Membership.objects.create(
                body=branch, name=r.name, resident=r, user=user, role=role, started_on=TERM_START
            )
            if i == 0:
                self.secretary = user
            if user:
                self.branch_users.append(user)
        others = [r for r in adults if r not in party]
        for i, r in enumerate(others[:5]):
            role = (
                MemberRole.CHAIR
                if i == 0
                else (MemberRole.VICE_CHAIR if i == 1 else MemberRole.MEMBER)
            )
            Membership.objects.create(
                body=committee, name=r.name, resident=r, role=role, started_on=TERM_START
            )
        reps = others[5:]
        self.rng.shuffle(reps)
        n = 0
        for grid in c.grids.all():
            group = ResidentGroup.objects.create(community=c, name=f"{grid.name}居民小组")
            group.buildings.set(grid.buildings.all())
            for _ in range(REPS_PER_GROUP):
                if n >= len(reps):
                    break
                r = reps[n]
                login = REPRESENTATIVES[n] if hd and n < len(REPRESENTATIVES) else None
                user = self.user_for(r, login, password) if login else None
                Membership.objects.create(
                    body=assembly,
                    name=r.name,
                    resident=r,
                    user=user,
                    role=MemberRole.REPRESENTATIVE,
                    group=group,
                    started_on=TERM_START,
                )
                n += 1
        self.assembly = assembly
        return branch

    # --- matters -------------------------------------------------------------------------
    def register(self, title, matter_type):
        return a.do_register_matter(
            self.c,
            title=title,
            matter_type=matter_type,
            text=f"{title}。方案已经社区两委初步研究，现提请按程序议定。",
            why_major="涉及本社区多数居民切身利益和公共资金、公共设施的使用。",
            actor=self.worker,
        )

    def review(self, matter, outcome, conclusion, stance="agree", base="households"):
        a.do_move_matter(matter, "start_review", actor=self.worker)
        for m in Membership.objects.active().filter(
            body__community=self.c, body__kind=BodyKind.PARTY_BRANCH
        ):
            a.do_record_opinion(matter, m, stance=stance, text="", actor=self.secretary)
        a.do_conclude_review(
            matter, outcome, conclusion=conclusion, base=base, actor=self.secretary
        )

    def advance(self, matter, target, meetings):
        """Make the moves of the preset's main path until the matter reaches `target`."""
        if target == "registered":
            return
        if matter.workflow == "seed" and target in ("escalated", "in_consultation", "rejected"):
            return self.side_path(matter, target)
        for move in PATHS[matter.workflow]:
            if matter.state == target:
                return
            if FROM[move] != matter.state:
                continue
            if move == "review_submit":
                self.review_rest(matter, "submit", "经集体研究，同意提交居民代表大会表决。")
            elif move == "start_review":
                a.do_move_matter(matter, "start_review", actor=self.worker)
            elif move in ("propose", "party_review"):
                a.do_move_matter(
                    matter,
                    move,
                    note="支部委员会研究同意。" if move == "propose" else "党员大会审议同意。",
                    actor=self.secretary,
                )
            elif move == "discuss":
                a.do_move_matter(
                    matter,
                    move,
                    note="党组织和居委会联席会议商议，形成初步方案。",
                    actor=self.worker,
                )
            elif move == "submit":
                a.do_move_matter(matter, "submit", actor=self.worker)
            elif move == "put_on_agenda":
                meeting = meetings["next"] if target == "on_agenda" else meetings["past"]
                a.do_put_on_agenda(matter, meeting, actor=self.worker)
            elif move == "vote":
                meetings.setdefault("votes", []).append((matter, target != "not_passed"))
                return  # voted when the past meeting is held
            elif move == "disclose":
                a.do_disclose_resolution(matter, actor=self.worker)
            elif move == "implement":
                a.do_add_implementation_step(
                    matter,
                    title="组织施工单位进场",
                    responsible="物业经理",
                    deadline=timezone.localdate() + datetime.timedelta(days=30),
                    actor=self.worker,
                )
                a.do_add_implementation_step(
                    matter,
                    title="竣工验收并公示费用",
                    responsible="居委会主任",
                    deadline=timezone.localdate() + datetime.timedelta(days=60),
                    actor=self.worker,
                )
                if target != "disclosed":
                    for s in matter.implementation.all():
                        a.do_finish_implementation_step(
                            s, outcome="已按期完成。", actor=self.worker
                        )
            elif move == "complete":
                a.do_complete_implementation(matter, actor=self.worker)
            elif move == "disclose_result":
                a.do_disclose_result(matter, actor=self.worker)
            matter.refresh_from_db()

    def review_rest(self, matter, outcome, conclusion):
        if matter.state == "in_review":
            for m in Membership.objects.active().filter(
                body__community=self.c, body__kind=BodyKind.PARTY_BRANCH
            ):
                a.do_record_opinion(matter, m, stance="agree", text="同意", actor=self.secretary)
            a.do_conclude_review(matter, outcome, conclusion=conclusion, actor=self.secretary)

    def side_path(self, matter, target):
        if target == "escalated":
            self.review(
                matter,
                "escalate",
                "涉及物业企业选聘程序，请示街道党工委是否须经业主大会。",
                stance="unsure",
            )
            return
        self.review(
            matter, "intend_reject", "车棚仍有大量居民使用，拆除后无替代停放点。", stance="disagree"
        )
        consultation = matter.consultations.get()
        households = list(
            Resident.objects.filter(
                community=self.c, household__isnull=False, birth_date__lte=adult_cutoff()
            )
            .order_by("household_id", "id")
            .distinct()
        )
        seen, answers = set(), []
        for r in households:
            if r.household_id not in seen:
                seen.add(r.household_id)
                answers.append(r)
        # rejected: a clear majority of households consents (a tiny demo may not have one)
        wanted = (
            consultation.base_count * 62 // 100
            if target == "rejected"
            else consultation.base_count // 5
        )
        for r in answers[:wanted]:
            a.do_answer_consultation(matter, r, consent=True, actor=self.worker)
        if target == "rejected":
            a.do_close_consultation(matter, actor=self.worker)

    # --- meetings --------------------------------------------------------------------------
    def meetings(self):
        now = timezone.now()
        past = a.do_convene_meeting(
            self.assembly,
            title="第五届居民代表大会第三次会议",
            starts_at=now + datetime.timedelta(days=4),
            place=f"{self.c.name}党群服务中心二楼会议室",
            items=[("居委会工作情况通报", "通报第三季度居务和财务收支情况。", None)],
            actor=self.worker,
        )
        nxt = a.do_convene_meeting(
            self.assembly,
            title="第五届居民代表大会第四次会议",
            starts_at=now + datetime.timedelta(days=10),
            place=f"{self.c.name}党群服务中心二楼会议室",
            items=[("年度工作计划", "讨论下一年度社区工作计划。", None)],
            actor=self.worker,
        )
        return {"past": past, "next": nxt}

    def reports(self, meetings, appraise: bool):
        """This year's duty reports of the residents' committee: the first at the past
        meeting (published, appraised there when `appraise`), the others at the next one."""
        cadres = Membership.objects.active().filter(
            body__community=self.c, body__kind=BodyKind.RESIDENTS_COMMITTEE
        )
        year = timezone.localdate().year
        first = None
        for i, cadre in enumerate(cadres.order_by("id")):
            meeting = meetings["past"] if i == 0 else meetings["next"]
            report = a.do_schedule_report(
                cadre,
                period=f"{year}年度",
                scheduled_on=timezone.localtime(meeting.starts_at).date(),
                meeting=meeting,
                actor=self.worker,
            )
            if i == 0 and appraise:
                a.do_publish_report(
                    report,
                    text=(
                        f"{year}年，我主持居委会全面工作，带领居委会完成了老旧小区改造意见征集、"
                        "加装电梯协调和居民议事会换届等工作。存在的不足：入户走访还不够，"
                        "对年轻居民的联系不够紧密。明年将……"
                    ),
                    actor=self.worker,
                )
                first = report
        return first

    def appraise(self, report, present):
        """The appraisal at the past meeting: paper ballots counted by two tellers."""
        poll = a.do_create_appraisal_poll(report, mode=PollMode.PAPER, actor=self.worker)
        poll = type(poll).objects.get(pk=poll.pk)
        a.do_open_poll(poll, actor=self.worker)
        n = len(present)
        # yes = satisfied, abstain = basically, no = dissatisfied (APPRAISAL_COLUMNS)
        counts = {"yes": n * 2 // 3, "abstain": n - n * 2 // 3 - 1, "no": 1}
        a.do_enter_teller_count(poll, actor=self.worker, **counts)
        a.do_enter_teller_count(poll, actor=self.admin, **counts)
        a.do_close_poll(poll, actor=self.worker)

    def hold(self, meeting, votes, report=None):
        """Hold the past meeting: sign-in, a paper poll per matter counted by two tellers."""
        a.do_notify_meeting(meeting, actor=self.worker)
        a.do_open_meeting(meeting, actor=self.worker)
        members = list(Membership.objects.active().filter(body=meeting.body))
        present = members[: max(1, len(members) * 5 // 6)]
        for m in present:
            a.do_record_attendance(meeting, m, method="paper", actor=self.worker)
        for matter, passes in votes:
            item = meeting.items.get(matter=matter)
            poll = a.do_create_poll(
                item, question=f"是否同意《{matter.title}》", mode=PollMode.PAPER, actor=self.worker
            )
            a.do_open_poll(poll, actor=self.worker)
            n = len(present)
            yes = n * 3 // 4 if passes else n // 3
            counts = {"yes": yes, "no": max(0, n - yes - 1), "abstain": min(1, n - yes)}
            a.do_enter_teller_count(poll, actor=self.worker, **counts)
            a.do_enter_teller_count(poll, actor=self.admin, **counts)
            a.do_close_poll(poll, actor=self.worker)
            a.do_publish_poll(poll, actor=self.worker)
        if report is not None:
            self.appraise(report, present)
        a.do_save_minutes(
            meeting,
            "会议由居委会主任主持。与会代表听取了工作通报，对列入议程的事项逐项进行了讨论和表决，表决结果当场宣布。",
            actor=self.worker,
        )
        a.do_close_meeting(meeting, actor=self.worker)

    def age(self, meeting, days=21):
        """Date the held meeting (and what happened at it) back `days` days."""
        shift = datetime.timedelta(days=days)
        m = Meeting.objects.get(pk=meeting.pk)
        Meeting.objects.filter(pk=m.pk).update(
            starts_at=m.starts_at - shift - datetime.timedelta(days=4),
            notified_at=m.notified_at - shift - datetime.timedelta(days=8),
            opened_at=m.opened_at - shift,
            closed_at=m.closed_at - shift,
        )
        for att in Attendance.objects.filter(meeting=m):
            Attendance.objects.filter(pk=att.pk).update(signed_in_at=att.signed_in_at - shift)
        for step in Step.objects.filter(matter__community=self.c):
            Step.objects.filter(pk=step.pk).update(at=step.at - shift)
        for matter in Matter.objects.filter(community=self.c):
            Matter.objects.filter(pk=matter.pk).update(registered_at=matter.registered_at - shift)
        for r in Resolution.objects.filter(matter__community=self.c):
            Resolution.objects.filter(pk=r.pk).update(adopted_at=r.adopted_at - shift)
        for report in DutyReport.objects.filter(meeting=m):
            DutyReport.objects.filter(pk=report.pk).update(
                scheduled_on=timezone.localtime(m.starts_at - shift).date()
                - datetime.timedelta(days=4),
                published_at=report.published_at - shift - datetime.timedelta(days=8)
                if report.published_at
                else None,
            )
        Appraisal.objects.filter(report__meeting=m).update(recorded_at=m.closed_at - shift)


def build(subdistrict: Subdistrict, password: str | None = None, seed: int = 2026) -> dict:
    """Write the governance demo for every community of the subdistrict."""
    password = password or make_password(DEMO_PASSWORD)
    rng = random.Random(seed)
    admin = (
        Role.objects.filter(kind=RoleKind.SUBDISTRICT_ADMIN, subdistrict=subdistrict).first().user
    )
    counts = {"bodies": 0, "matters": 0}
    with transaction.atomic():
        committee = Body.objects.create(
            kind=BodyKind.SUBDISTRICT_PARTY_COMMITTEE,
            name=f"{subdistrict.name}党工委",
            subdistrict=subdistrict,
        )
        member = User.objects.create(phone=COMMITTEE.phone, name=COMMITTEE.name, password=password)
        Membership.objects.create(
            body=committee,
            name=member.name,
            user=member,
            role=MemberRole.MEMBER,
            started_on=TERM_START,
        )
        Membership.objects.create(
            body=committee,
            name=admin.name,
            user=admin,
            role=MemberRole.DEPUTY_SECRETARY,
            started_on=TERM_START,
        )
    for community in subdistrict.communities.order_by("id"):
        worker = (
            Role.objects.filter(kind=RoleKind.COMMUNITY_WORKER, community=community).first().user
        )
        b = Builder(community, {"worker": worker, "admin": admin}, rng)
        with transaction.atomic():
            b.bodies(password)
            meetings = b.meetings()
            specs = FOUR_TWO_MATTERS if community.code in FOUR_TWO else SEED_MATTERS
            if community.code not in ("HD", "XC"):
                specs = [s for i, s in enumerate(specs) if i % 2 == community.pk % 2]
            matters = []
            for title, kind, target in specs:
                matter = b.register(title, kind)
                b.advance(matter, target, meetings)
                matters.append((matter, target))
            report = b.reports(meetings, appraise=community.code == "HD")
            b.hold(meetings["past"], meetings.get("votes", []), report)
            for matter, target in matters:
                matter.refresh_from_db()
                if matter.state == "resolved" and target != "resolved":
                    b.advance(matter, target, meetings)  # disclose and implement
            a.do_notify_meeting(meetings["next"], actor=worker)
            b.age(meetings["past"])
            if community.code == "HD":
                charter_v2(community, worker)
        counts["bodies"] += Body.objects.filter(community=community).count()
        counts["matters"] += len(matters)
    return counts


def logins() -> list[Login]:
    return [SECRETARY, *BRANCH_MEMBERS, *REPRESENTATIVES, COMMITTEE]
