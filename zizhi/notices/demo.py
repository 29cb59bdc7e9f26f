"""Demo notices for every community of the demo subdistrict (an extension of registry.demo).

Per community: two current notices, one expired, one withdrawn with its reason, one draft;
in 湖东社区 (HD) a resident's objection with the worker's answer.
"""

import datetime

from django.utils import timezone

from zizhi.accounts.models import User
from zizhi.registry.models import Community

from . import actions
from .models import Category, Notice, period_end

# (category, title, body, days since publication or None for a draft, withdraw reason)
NOTICES = [
    (
        Category.MAJOR_MATTER,
        "关于{short}3栋加装电梯方案的公示",
        "经{name}居民代表会议讨论，拟在3栋加装电梯一部。电梯由政府补助和住户按楼层分摊出资，"
        "一楼住户不分摊费用。施工期约四个月，施工期间保留一个出入口。\n"
        "方案全文和费用分摊表见社区公告栏和本页附件。对方案有意见的居民，请在公示期内提出。",
        2,
        "",
    ),
    (
        Category.FINANCE,
        "{name}2026年第三季度财务收支公示",
        "本季度收入：上级拨付办公经费 45,000.00 元，公共收益 12,600.00 元。\n"
        "本季度支出：老年食堂补贴 18,200.00 元，环境整治 9,850.00 元，办公用品 3,120.00 元。\n"
        "结余 26,430.00 元。明细账可到社区服务中心查阅。",
        1,
        "",
    ),
    (
        Category.RESOLUTION,
        "关于小区公共收益使用方案的决议公告",
        "2026年第二次居民代表大会应到代表35人，实到31人，表决通过小区公共收益使用方案："
        "公共收益用于楼道照明更换和健身器材维修，结余转入下一年度。",
        30,
        "",
    ),
    (
        Category.OTHER,
        "关于停车位临时调整的通知",
        "因道路施工，小区东门停车位临时调整到北侧空地。",
        5,
        "施工时间推迟，调整方案另行公示。",
    ),
    (
        Category.RULES,
        "{name}居民公约（修订稿）",
        "第一条 爱护公共设施，不私搭乱建。\n第二条 垃圾分类投放，文明养犬。",
        None,
        "",
    ),
]
OBJECTION = "电梯施工期间老人出入不便，能否在施工前安排临时扶手和照明？"
ANSWER = "感谢您的意见。施工单位将在开工前安装临时扶手和照明，社区志愿者每天上午协助老人上下楼。"


def _backdate(notice: Notice, days: int) -> None:
    published = timezone.now() - datetime.timedelta(days=days)
    ends = period_end(published, notice.period_days)
    Notice.objects.filter(pk=notice.pk).update(published_at=published, ends_at=ends)


def build(subdistrict, password_hash) -> dict:
    from zizhi.registry.demo import RESIDENT_LOGINS, WORKER_LOGINS

    count = 0
    for community in Community.objects.filter(subdistrict=subdistrict).order_by("code"):
        login = next((w for w in WORKER_LOGINS if w.community == community.code), None)
        if login is None:
            continue
        worker = User.objects.get(phone=login.phone)
        short = community.name.removesuffix("社区")
        made = []
        for category, title, body, days, reason in NOTICES:
            notice = actions.do_create_notice(
                community,
                category=category,
                title=title.format(name=community.name, short=short),
                body=body.format(name=community.name),
                actor=worker,
            )
            if days is not None:
                notice = actions.do_publish_notice(notice, actor=worker)
                _backdate(notice, days)
                notice.refresh_from_db()
            if reason:
                actions.do_withdraw_notice(notice, reason, actor=worker)
            made.append(notice)
            count += 1
        resident_logins = [r for r in RESIDENT_LOGINS if r.community == community.code]
        if resident_logins:
            resident = User.objects.get(phone=resident_logins[0].phone)
            objection = actions.do_file_objection(made[0], OBJECTION, actor=resident)
            actions.do_answer_objection(objection, ANSWER, actor=worker)
    return {"notices": count}


def logins() -> list:
    return []
