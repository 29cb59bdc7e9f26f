"""Demo motions of 湖东社区 (an extension of registry.demo, after governance's): one collecting
co-signatures, one submitted and waiting to be accepted, one accepted into the Party branch's
review, one not accepted with its reason. Signatures come from the representatives with logins
and, for the others, from the paper motion entered by the worker."""

from zizhi.accounts.models import User
from zizhi.registry.models import Community

from . import motion_actions as actions

# (title, text, reason, the representative who leads it (index), signatures, what happens)
MOTIONS = [
    (
        "小区增设电动车充电棚",
        "在2栋和5栋之间的空地增设电动车充电棚一座，配20个充电口，由物业统一管理。",
        "居民在楼道里给电动车充电，有火灾隐患，消防检查多次指出。",
        0,
        3,
        "collect",
    ),
    (
        "老年食堂增加晚餐供应",
        "老年食堂在工作日增加晚餐供应，价格与午餐相同。",
        "独居老人晚餐难以解决，问卷中六成老人希望供应晚餐。",
        1,
        5,
        "submit",
    ),
    (
        "整治小区北门占道经营",
        "会同城管整治北门外的占道经营，划定便民摊点区域。",
        "北门早晚高峰拥堵，老人和学生出入不安全。",
        2,
        5,
        "accept",
    ),
    (
        "更换全部楼道防盗门",
        "用公共收益更换全部楼道的防盗门。",
        "部分防盗门老化，关不严。",
        3,
        5,
        "decline",
    ),
]
DECLINE_REASON = (
    "防盗门属于业主共有部分，更换费用应按规定使用住宅专项维修资金，需由业主大会决定，"
    "不属于居民代表大会议定的事项。社区已将此意见转交物业和业委会，并将协助办理。"
)


def build(subdistrict, password_hash) -> dict:
    from zizhi.governance.demo import REPRESENTATIVES
    from zizhi.registry.demo import WORKER_LOGINS

    community = Community.objects.filter(subdistrict=subdistrict, code="HD").first()
    worker_login = next((w for w in WORKER_LOGINS if w.community == "HD"), None)
    if community is None or worker_login is None:
        return {"motions": 0}
    worker = User.objects.get(phone=worker_login.phone)
    reps = [User.objects.get(phone=login.phone) for login in REPRESENTATIVES]
    seats = list(actions.representative_seats(community))
    made = 0
    for title, text, reason, lead, signatures, outcome in MOTIONS:
        proposer = reps[lead]
        motion = actions.do_open_motion(
            community, title=title, text=text, reason=reason, actor=proposer
        )
        signers = [u for u in reps if u != proposer]
        for user in signers[:signatures]:
            actions.do_cosign_motion(motion, actor=user)
        if signatures > len(signers):  # the rest signed the paper motion
            taken = {s.seat_id for s in motion.cosignatures.all()} | {motion.proposer_seat_id}
            paper = [s for s in seats if s.pk not in taken][: signatures - len(signers)]
            for seat in paper:
                actions.do_record_paper_cosignature(motion, seat.pk, actor=worker)
        if motion.cosignatures.count() < motion.cosigners_needed:
            outcome = "collect"  # a small demo assembly has too few representatives
        if outcome != "collect":
            motion = actions.do_submit_motion(motion, actor=proposer)
        if outcome == "accept":
            actions.do_accept_motion(motion, matter_type="public_interest", actor=worker)
        elif outcome == "decline":
            actions.do_decline_motion(motion, DECLINE_REASON, actor=worker)
        made += 1
    return {"motions": made}


def logins() -> list:
    return []
