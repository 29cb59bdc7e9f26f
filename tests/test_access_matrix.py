"""The permission matrix: every URL and API route, tried as every persona.

MATRIX has one entry per URL name. Each says how to build the URL for an object of
community HD, which method to try, and the status each persona must get. A new route
that is not in MATRIX fails `test_every_route_is_in_the_matrix`; `test_the_matrix`
tries every (route, persona) pair and reports all mismatches at once.

Personas (tests/conftest.py `world`): resident_a (HD), resident_b (XH), worker_a (HD),
worker_b (XH), worker_c (NH, other subdistrict), subadmin (dh: HD and XH),
subadmin_other (nh).
"""

import datetime
import json
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse

from zizhi.accounts.actions import do_create_api_token
from zizhi.accounts.models import ApiToken
from zizhi.governance.actions import do_register_matter
from zizhi.governance.models import Body, Membership
from zizhi.registry.models import ImportJob, ImportStatus

from . import factories as f
from . import (
    greening_matrix,
    mediation_matrix,
    party_matrix,
    privacy_matrix,
    stats_matrix,
    stats_reports_matrix,
    wishes_matrix,
)
from .assoc_rows import matrix_objects as assoc_objects
from .bank_rows import matrix_objects as bank_objects
from .finance_rows import finance_objects
from .matrix_base import (
    LOGIN,
    ROLES,
    Try,
    any_staff,
    api_hd,
    everyone,
    expect,
    hd_staff,
    logged_in,
    residents_only,
    url,
)
from .motion_rows import motion_objects
from .upload_files import REAL_PNG

# Django's own routes, not the project's: tested by Django.
EXCLUDED_NAMES = {"set_language"}
EXCLUDED_PREFIXES = (settings.STATIC_URL.lstrip("/"),)


@dataclass(frozen=True)
class Objects:
    """Rows of community HD that the routes need."""

    hd_resident: object  # no login, own household: for the staff pages
    resident_a: object  # resident_a's registry row (HD)
    worker_a_token: object
    hd_import_job: object  # a finished roster import of HD
    hd_matter: object  # a registered major matter of HD
    hd_body: object  # HD's representative assembly
    hd_seat: object  # a representative's seat in it
    notices: object = None  # notices of HD: see notice_objects()
    gov: object = None  # meetings, polls, escalation of HD for the API: see gov_objects()
    suggestion_pages: object = None  # suggestions of HD: see suggestion_objects()
    finance: object = None  # HD's books and an asset: see tests/finance_rows.py
    motion: object = None  # a motion of HD collecting co-signatures: tests/motion_rows.py
    assoc: object = None  # associations, activities, records of HD: tests/assoc_rows.py
    bank: object = None  # resident_a's account, a pending credit: tests/bank_rows.py
    greening: object = None  # tests/greening_matrix.py
    party: object = None  # tests/party_matrix.py
    wishes: object = None  # tests/wishes_matrix.py
    mediation: object = None  # tests/mediation_matrix.py
    stats: object = None  # tests/stats_matrix.py
    stats_reports: object = None  # tests/stats_reports_matrix.py
    privacy: object = None  # tests/privacy_matrix.py


def hd_resident(o):
    return o.hd_resident.pk


def hd_household(o):
    return o.hd_resident.household_id


def hd_import_job(o):
    return o.hd_import_job.pk


def hd_v1(o):
    from zizhi.governance.charter import charter_in_force

    return charter_in_force(o.hd_body.community).number


def hd_report(o):
    """A published duty report of a member of HD's residents' committee (made on first use)."""
    from zizhi.governance.models import DutyReport

    community = o.hd_body.community
    rc, _new = Body.objects.get_or_create(
        kind="residents_committee",
        community=community,
        defaults={"name": "湖东居委会", "subdistrict_id": community.subdistrict_id},
    )
    seat, _new = Membership.objects.get_or_create(
        body=rc, name="主任", defaults={"role": "chair", "started_on": datetime.date(2021, 6, 1)}
    )
    report, _new = DutyReport.objects.get_or_create(
        cadre=seat,
        period="2026年度",
        defaults={
            "community": community,
            "year": 2026,
            "scheduled_on": datetime.date(2026, 12, 1),
            "title": "主任述职",
            "text": "述职",
            "status": "published",
        },
    )
    return report.pk


def hd_report_file(o):
    from django.core.files.base import ContentFile

    from zizhi.governance.models import DutyReportAttachment

    item = DutyReportAttachment(
        report_id=hd_report(o), name="述职.pdf", content_type="application/pdf", size=9
    )
    item.file.save("r.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
    item.save()
    return item.pk


def hd_cadre(o):
    from zizhi.governance.models import DutyReport

    return DutyReport.objects.get(pk=hd_report(o)).cadre_id


def hd_matter(o):
    return o.hd_matter.pk


def n_published(o):
    return o.notices.published.pk


def n_draft(o):
    return o.notices.draft.pk


def n_to_publish(o):
    return o.notices.to_publish.pk


def n_to_publish_api(o):
    return o.notices.to_publish_api.pk


def n_attachment(o):
    return o.notices.attachment.pk


def n_posting(o):
    return o.notices.posting.pk


def n_objection(o):
    return o.notices.objection.pk


def sg_of_hd(o, title: str, replied: bool = False):
    """A suggestion of resident_a in HD (made on first use): registered, or replied."""
    from zizhi.proposals import actions as sg
    from zizhi.proposals.models import Suggestion

    found = Suggestion.objects.filter(title=title).first()
    if found is not None:
        return found
    resident = o.resident_a
    s = sg.do_file_suggestion(
        resident.community, title=title, text="内容", category="other", actor=resident.user
    )
    if replied:
        worker = f.worker(resident.community, "矩阵承办人")
        sg.do_accept_suggestion(s, actor=worker)
        sg.do_assign_suggestion(s, user=worker, actor=worker)
        sg.do_start_suggestion(s, actor=worker)
        sg.do_reply_suggestion(s, "已办", actor=worker)
    return s


def sg_status(o):
    s = sg_of_hd(o, "矩阵-已答复", replied=True)
    return {"number": s.number, "last4": o.resident_a.phone[-4:]}


MATRIX: dict[str, Try] = {
    # web
    "web:home": Try(url("web:home"), everyone(200)),
    "web:healthz": Try(url("web:healthz"), everyone(200)),
    "web:large_text": Try(url("web:large_text"), everyone(302), method="post"),
    "web:my_data": Try(url("web:my_data"), residents_only()),
    "web:my_data_export": Try(url("web:my_data_export"), residents_only()),
    "web:community": Try(url("web:community", "HD"), everyone(200)),
    # accounts
    "accounts:login": Try(url("accounts:login"), expect(302, anonymous=200)),
    "accounts:logout": Try(url("accounts:logout"), everyone(302), method="post"),
    "accounts:activate": Try(url("accounts:activate"), everyone(200)),
    "accounts:tokens": Try(url("accounts:tokens"), any_staff()),
    "accounts:inbox": Try(url("accounts:inbox"), logged_in(200)),
    "accounts:inbox_read": Try(url("accounts:inbox_read"), logged_in(302), method="post"),
    "accounts:revoke_token": Try(
        url("accounts:revoke_token", lambda o: o.worker_a_token.pk),
        expect(404, worker_a=302, anonymous=LOGIN),
        method="post",
    ),
    # registry pages of HD
    "registry:roster": Try(url("registry:roster", "HD"), hd_staff()),
    "registry:resident": Try(url("registry:resident", "HD", hd_resident), hd_staff()),
    "registry:reveal_id": Try(
        url("registry:reveal_id", "HD", hd_resident), hd_staff(), method="post"
    ),
    "registry:activation_code": Try(
        url("registry:activation_code", "HD", hd_resident), hd_staff(), method="post"
    ),
    "registry:households": Try(url("registry:households", "HD"), hd_staff()),
    "registry:household": Try(url("registry:household", "HD", hd_household), hd_staff()),
    "registry:import": Try(url("registry:import", "HD"), hd_staff()),
    "registry:import_template": Try(url("registry:import_template", "HD"), hd_staff()),
    "registry:import_job": Try(url("registry:import_job", "HD", hd_import_job), hd_staff()),
    "registry:import_progress": Try(
        url("registry:import_progress", "HD", hd_import_job), hd_staff()
    ),
    # the job is done: confirming again only redirects back to it
    "registry:import_confirm": Try(
        url("registry:import_confirm", "HD", hd_import_job), hd_staff(302), method="post"
    ),
    "registry:export": Try(url("registry:export", "HD"), hd_staff()),
    # governance: bodies and members
    "governance:bodies": Try(url("governance:bodies", "HD"), hd_staff()),
    "governance:body": Try(url("governance:body", "HD", lambda o: o.hd_body.pk), hd_staff()),
    # an empty form comes back with its errors (200)
    "governance:set_term": Try(
        url("governance:set_term", "HD", lambda o: o.hd_body.pk), hd_staff(200), method="post"
    ),
    "governance:add_member": Try(
        url("governance:add_member", "HD", lambda o: o.hd_body.pk), hd_staff(302), method="post"
    ),
    "governance:end_member": Try(
        url("governance:end_member", "HD", lambda o: o.hd_body.pk, lambda o: o.hd_seat.pk),
        hd_staff(302),
        method="post",
    ),
    # governance: meetings and polls (members' access: tests/test_meeting_pages.py)
    "governance:meetings": Try(url("governance:meetings", "HD"), hd_staff()),
    "governance:meeting_new": Try(url("governance:meeting_new", "HD"), hd_staff()),
    "governance:meeting": Try(
        url("governance:meeting", "HD", lambda o: o.gov.meeting.pk), hd_staff()
    ),
    "governance:meeting_quorum": Try(
        url("governance:meeting_quorum", "HD", lambda o: o.gov.meeting.pk), hd_staff()
    ),
    "governance:meeting_sheet": Try(
        url("governance:meeting_sheet", "HD", lambda o: o.gov.meeting.pk), hd_staff()
    ),
    "governance:meeting_minutes": Try(
        url("governance:meeting_minutes", "HD", lambda o: o.gov.meeting.pk), hd_staff()
    ),
    "governance:meeting_signin": Try(
        url(
            "governance:meeting_signin",
            "HD",
            lambda o: o.gov.meeting.pk,
            lambda o: o.gov.meeting.signin_token,
        ),
        hd_staff(),
    ),
    # the meeting is not notified yet: opening it is refused with a message
    "governance:meeting_act": Try(
        url("governance:meeting_act", "HD", lambda o: o.gov.meeting.pk, "open"),
        hd_staff(302),
        method="post",
    ),
    "governance:poll": Try(url("governance:poll", "HD", lambda o: o.gov.poll.pk), hd_staff()),
    # staff are not voters: the ballot is refused with a message
    "governance:poll_vote": Try(
        url("governance:poll_vote", "HD", lambda o: o.gov.poll.pk), hd_staff(302), method="post"
    ),
    "governance:poll_act": Try(
        url("governance:poll_act", "HD", lambda o: o.gov.poll.pk, "close"),
        hd_staff(302),
        method="post",
    ),
    # governance: the charter
    # the version in force and the history are public; version 1 is in force (no draft exists
    # before the draft route runs; staff asking to edit or propose v1 are refused: 302)
    "governance:charter": Try(url("governance:charter", "HD"), everyone(200)),
    "governance:charter_version": Try(
        url("governance:charter_version", "HD", hd_v1), everyone(200)
    ),
    "governance:charter_draft": Try(
        url("governance:charter_draft", "HD"), hd_staff(302), method="post"
    ),
    "governance:charter_edit": Try(url("governance:charter_edit", "HD", hd_v1), hd_staff(302)),
    "governance:charter_act": Try(
        url("governance:charter_act", "HD", hd_v1, "propose"), hd_staff(302), method="post"
    ),
    # governance: duty reports (a published report of an HD committee member; publishing it
    # again is refused with a message)
    "governance:reports": Try(url("governance:reports", "HD"), hd_staff()),
    "governance:report_new": Try(url("governance:report_new", "HD"), hd_staff(302), method="post"),
    "governance:duty_report": Try(url("governance:duty_report", "HD", hd_report), everyone(200)),
    "governance:report_act": Try(
        url("governance:report_act", "HD", hd_report, "publish"), hd_staff(302), method="post"
    ),
    "governance:report_file": Try(
        url("governance:report_file", "HD", hd_report, hd_report_file), everyone(200)
    ),
    "governance:cadre": Try(url("governance:cadre", "HD", hd_cadre), everyone(200)),
    # governance: major matters (members of bodies are tested in tests/test_matter_pages.py)
    "governance:matters": Try(url("governance:matters", "HD"), hd_staff()),
    "governance:matter_new": Try(url("governance:matter_new", "HD"), hd_staff()),
    "governance:matter": Try(url("governance:matter", "HD", hd_matter), hd_staff()),
    "governance:matter_act": Try(
        url("governance:matter_act", "HD", hd_matter, "move"), hd_staff(302), method="post"
    ),
    # a resident answers only while the matter is in consultation: none is now
    "governance:consult": Try(url("governance:consult", "HD", hd_matter), hd_staff(404)),
    "governance:escalations": Try(url("governance:escalations"), logged_in(404)),
    # notices: public board, notice, feed, PDF, attachment; a resident's objection
    "notices:board": Try(url("notices:board", "HD"), everyone(200)),
    "notices:feed": Try(url("notices:feed", "HD"), everyone(200)),
    "notices:detail": Try(url("notices:detail", "HD", n_published), everyone(200)),
    "notices:pdf": Try(url("notices:pdf", "HD", n_published), everyone(200)),
    "notices:attachment": Try(
        url("notices:attachment", "HD", n_published, n_attachment), everyone(200)
    ),
    # an empty objection: the form comes back with its error; non-residents of HD are refused
    "notices:object": Try(
        url("notices:object", "HD", n_published),
        expect(403, resident_a=200, anonymous=LOGIN),
        method="post",
    ),
    # notices: staff pages (empty POSTs come back with the form's errors and change nothing)
    "notices:manage": Try(url("notices:manage", "HD"), hd_staff()),
    "notices:staff_detail": Try(url("notices:staff_detail", "HD", n_draft), hd_staff()),
    "notices:edit": Try(url("notices:edit", "HD", n_draft), hd_staff()),
    "notices:publish": Try(
        url("notices:publish", "HD", n_to_publish), hd_staff(302), method="post"
    ),
    "notices:withdraw": Try(url("notices:withdraw", "HD", n_published), hd_staff(), method="post"),
    "notices:add_attachment": Try(
        url("notices:add_attachment", "HD", n_draft), hd_staff(), method="post"
    ),
    "notices:record_posting": Try(
        url("notices:record_posting", "HD", n_published), hd_staff(), method="post"
    ),
    "notices:posting_photo": Try(
        url("notices:posting_photo", "HD", n_published, n_posting), hd_staff()
    ),
    "notices:answer": Try(
        url("notices:answer", "HD", n_published, n_objection), hd_staff(), method="post"
    ),
    # audit
    "audit:events": Try(url("audit:events"), any_staff()),
    # API
    "api:api-root": Try(url("api:api-root"), everyone(404)),
    "api:openapi-json": Try(url("api:openapi-json"), everyone(200)),
    "api:openapi-view": Try(url("api:openapi-view"), everyone(200)),
    "api:me": Try(url("api:me"), logged_in(200, anonymous=401)),
    "api:list_tokens": Try(url("api:list_tokens"), logged_in(200, anonymous=401)),
    "api:create_token": Try(
        url("api:create_token"),
        logged_in(201, anonymous=401),
        method="post",
        json={"name": "matrix"},
    ),
    "api:revoke_token": Try(
        url("api:revoke_token", lambda o: o.worker_a_token.pk),
        expect(404, worker_a=204, anonymous=401),
        method="delete",
    ),
    "api:list_communities": Try(url("api:list_communities"), everyone(200)),
    "api:get_community": Try(url("api:get_community", "HD"), everyone(200)),
    "api:list_residents": Try(lambda o: reverse("api:list_residents") + "?community=HD", api_hd()),
    "api:get_resident": Try(url("api:get_resident", lambda o: o.resident_a.pk), api_hd()),
    "api:list_households": Try(
        lambda o: reverse("api:list_households") + "?community=HD", api_hd()
    ),
    "api:get_household": Try(
        url("api:get_household", lambda o: o.resident_a.household_id), api_hd()
    ),
    # notices API: public reads; staff write; residents of HD object
    "api:list_notices": Try(lambda o: reverse("api:list_notices") + "?community=HD", everyone(200)),
    # suggestions API (the pages: S2's entries)
    "api:list_suggestions": Try(
        lambda o: reverse("api:list_suggestions") + "?community=HD", everyone(200)
    ),
    "api:get_suggestion": Try(
        url("api:get_suggestion", lambda o: sg_of_hd(o, "矩阵-未受理").pk),
        expect(404, resident_a=200, worker_a=200, subadmin=200),
    ),
    "api:create_suggestion": Try(
        url("api:create_suggestion"),
        expect(403, anonymous=401, resident_a=201),
        method="post",
        json={"community": "HD", "title": "矩阵", "text": "内容", "category": "other"},
    ),
    "api:suggestion_status": Try(
        url("api:suggestion_status"), everyone(200), method="post", json=sg_status
    ),
    # resident_a's "dissatisfied" reopens it; the staff after them find it no longer replied
    "api:rate_suggestion": Try(
        url("api:rate_suggestion", lambda o: sg_of_hd(o, "矩阵-待评价", replied=True).pk),
        expect(403, anonymous=401, resident_a=200, worker_a=400, subadmin=400),
        method="post",
        json={"rating": "dissatisfied"},
    ),
    "api:get_notice": Try(url("api:get_notice", n_published), everyone(200)),
    "api:create_notice": Try(
        url("api:create_notice"),
        expect(404, worker_a=201, subadmin=201, anonymous=401),
        method="post",
        json={"community": "HD", "category": "other", "title": "矩阵", "body": "正文"},
    ),
    # worker_a publishes the draft; the subadmin then finds it published already
    "api:publish_notice": Try(
        url("api:publish_notice", n_to_publish_api),
        expect(404, worker_a=200, subadmin=400, anonymous=401),
        method="post",
    ),
    "api:withdraw_notice": Try(
        url("api:withdraw_notice", n_published),
        expect(404, worker_a=400, subadmin=400, anonymous=401),
        method="post",
        json={"reason": ""},
    ),
    "api:list_objections": Try(url("api:list_objections", n_published), everyone(200)),
    "api:file_objection": Try(
        url("api:file_objection", n_published),
        expect(403, resident_a=400, anonymous=401),
        method="post",
        json={"text": ""},
    ),
    "api:answer_objection": Try(
        url("api:answer_objection", n_objection),
        expect(404, worker_a=400, subadmin=400, anonymous=401),
        method="post",
        json={"answer": ""},
    ),
}


# --- governance API (zizhi/governance/api*.py) ----------------------------------------------
# Seen by HD staff (and members of HD's bodies, tested in tests/test_governance_api.py);
# everyone else 404 alike. Every write here is refused with its reason (400) and changes
# nothing, so the order of the personas does not matter.


def api_gov(ok=200) -> dict:
    return hd_staff(ok, anonymous=401)


def g_meeting(o):
    return o.gov.meeting.pk


def g_poll(o):
    return o.gov.poll.pk


def api_post(name, *args, ok=400, json=None) -> Try:
    return Try(url(name, *args), api_gov(ok), method="post", json=json)


def pending_credit(o):
    return o.bank.pending.pk


def bank_branch(o):
    return o.bank.branch.pk


def bank_redemption(o):
    return o.bank.redemption.pk


BANK_PAGES: dict[str, Try] = {
    "moralbank:desk": Try(url("moralbank:desk", "HD"), hd_staff()),
    "moralbank:honour_roll": Try(url("moralbank:honour_roll", "HD"), everyone(200)),
    "moralbank:set_honour_roll": Try(
        url("moralbank:set_honour_roll"), logged_in(302), method="post"
    ),
    # only resident_a has an account; none of the personas is a branch's clerk
    "moralbank:account": Try(
        url("moralbank:account"), expect(404, anonymous=LOGIN, resident_a=200)
    ),
    "moralbank:statement": Try(
        url("moralbank:statement"), expect(404, anonymous=LOGIN, resident_a=200)
    ),
    # an empty form: resident_a is sent back with a message
    "moralbank:give": Try(
        url("moralbank:give"), expect(404, anonymous=LOGIN, resident_a=302), method="post"
    ),
    "moralbank:approvals": Try(url("moralbank:approvals"), expect(404, anonymous=LOGIN)),
    "moralbank:decide": Try(
        url("moralbank:decide", pending_credit), expect(404, anonymous=LOGIN), method="post"
    ),
    "moralbank:redeem": Try(url("moralbank:redeem"), expect(404, anonymous=LOGIN, resident_a=200)),
    # resident_a cancels their own redemption (the last use of it in the matrix)
    "moralbank:cancel_redemption": Try(
        url("moralbank:cancel_redemption", lambda o: o.bank.redemption.pk),
        expect(404, anonymous=LOGIN, resident_a=302),
        method="post",
    ),
    "moralbank:help": Try(url("moralbank:help"), residents_only()),
    # resident_a gave the help: only the neighbour (no persona) may confirm it
    "moralbank:decide_help": Try(
        url("moralbank:decide_help", lambda o: o.bank.help.pk),
        expect(404, anonymous=LOGIN),
        method="post",
    ),
    "moralbank:branch": Try(url("moralbank:branch", bank_branch), hd_staff()),
    "moralbank:branch_statement": Try(url("moralbank:branch_statement", bank_branch), hd_staff()),
    "moralbank:verify": Try(url("moralbank:verify", lambda o: o.bank.token), everyone(200)),
}

BANK_API: dict[str, Try] = {
    # only resident_a has an account; a login without one gets 404
    "api:my_account": Try(url("api:my_account"), expect(404, anonymous=401, resident_a=200)),
    "api:my_passbook": Try(url("api:my_passbook"), expect(404, anonymous=401, resident_a=200)),
    # without the required Idempotency-Key header: 422 for every login
    "api:gift": Try(
        url("api:gift"), expect(422, anonymous=401), method="post", json={"minutes": 1}
    ),
    "api:donate": Try(
        url("api:donate"), expect(422, anonymous=401), method="post", json={"minutes": 1}
    ),
    # every login sees its own approvals (none but a branch's clerks have any)
    "api:approvals": Try(url("api:approvals"), expect(200, anonymous=401)),
    # none of the roles is a clerk of HD's branch: 404 alike
    "api:approve_entry": Try(
        url("api:approve_entry", pending_credit), expect(404, anonymous=401), method="post"
    ),
    "api:reject_entry": Try(
        url("api:reject_entry", pending_credit),
        expect(404, anonymous=401),
        method="post",
        json={"reason": "x"},
    ),
    "api:offers": Try(url("api:offers"), expect(404, anonymous=401, resident_a=200)),
    "api:redeem": Try(  # without the Idempotency-Key header
        url("api:redeem"), expect(422, anonymous=401), method="post", json={"offer_id": 1}
    ),
    "api:my_redemptions": Try(
        url("api:my_redemptions"), expect(404, anonymous=401, resident_a=200)
    ),
    "api:cancel_redemption": Try(  # without a body: 400 for every login, nothing changes
        url("api:cancel_redemption", bank_redemption), expect(400, anonymous=401), method="post"
    ),
    # resident_a's own redemption, but only the branch's clerk hands it over
    "api:fulfil_redemption": Try(
        url("api:fulfil_redemption", bank_redemption),
        expect(404, anonymous=401, resident_a=403),
        method="post",
    ),
    # a kind that is neither service nor goods: refused (400) for HD staff, 404 for others
    "api:add_offer": Try(
        url("api:add_offer", bank_branch),
        expect(404, anonymous=401, worker_a=400, subadmin=400),
        method="post",
        json={"title": "理发", "kind": "x", "price_minutes": 30},
    ),
    "api:branch_redemptions": Try(
        url("api:branch_redemptions", bank_branch), hd_staff(anonymous=401)
    ),
    "api:branch_statement": Try(url("api:branch_statement", bank_branch), hd_staff(anonymous=401)),
    # resident_a records help to their HD neighbour; resident_b's community has no such phone
    "api:record_help": Try(
        url("api:record_help"),
        expect(404, anonymous=401, resident_a=201),
        method="post",
        json=lambda o: {
            "neighbour_phone": o.bank.neighbour_phone,
            "minutes": 30,
            "service_date": str(datetime.date.today()),
            "content": "陪同就医",
        },
    ),
    "api:my_help": Try(url("api:my_help"), residents_only(anonymous=401)),
    "api:confirm_help": Try(
        url("api:confirm_help", lambda o: o.bank.help.pk), expect(404, anonymous=401), method="post"
    ),
    "api:decline_help": Try(
        url("api:decline_help", lambda o: o.bank.help.pk),
        expect(404, anonymous=401),
        method="post",
        json={"reason": "x"},
    ),
}

GOV_API: dict[str, Try] = {
    "api:list_bodies": Try(lambda o: reverse("api:list_bodies") + "?community=HD", api_gov()),
    "api:list_memberships": Try(url("api:list_memberships", lambda o: o.hd_body.pk), api_gov()),
    "api:set_term": Try(  # an end before the start: refused (400) for HD staff
        url("api:set_term", lambda o: o.hd_body.pk),
        api_gov(400),
        method="put",
        json={"term_start": "2026-01-01", "term_end": "2025-01-01"},
    ),
    "api:list_meetings": Try(lambda o: reverse("api:list_meetings") + "?community=HD", api_gov()),
    "api:get_meeting": Try(url("api:get_meeting", g_meeting), api_gov()),
    "api:convene_meeting": api_post(
        "api:convene_meeting",
        json=lambda o: {
            "body_id": o.hd_body.pk,
            "title": "",
            "starts_at": "2030-01-01T09:00:00",
            "place": "",
            "items": [],
        },
    ),
    # the meeting is tomorrow: a notice without an urgent reason is too late
    "api:notify_meeting": api_post("api:notify_meeting", g_meeting, json={}),
    "api:open_meeting": api_post("api:open_meeting", g_meeting),
    "api:close_meeting": api_post("api:close_meeting", g_meeting),
    "api:sign_in": api_post("api:sign_in", g_meeting, json={"token": "wrong"}),
    "api:record_attendance": api_post(
        "api:record_attendance", g_meeting, json=lambda o: {"membership_id": o.hd_seat.pk}
    ),
    "api:list_attendance": Try(url("api:list_attendance", g_meeting), api_gov()),
    "api:create_poll": api_post("api:create_poll", lambda o: o.gov.item.pk, json={"question": ""}),
    "api:open_poll": api_post("api:open_poll", g_poll),
    "api:close_poll": api_post("api:close_poll", g_poll),
    "api:publish_poll": api_post("api:publish_poll", g_poll),
    "api:get_poll": Try(url("api:get_poll", g_poll), api_gov()),
    "api:cast_ballot": api_post("api:cast_ballot", g_poll, json={"choice": "yes"}),
    "api:assisted_ballot": api_post(
        "api:assisted_ballot",
        g_poll,
        json=lambda o: {"membership_id": o.hd_seat.pk, "choice": "yes", "reason": ""},
    ),
    "api:teller_count": api_post(
        "api:teller_count", g_poll, json={"yes": 0, "no": 0, "abstain": 0}
    ),
    "api:poll_result": Try(url("api:poll_result", lambda o: o.gov.published.pk), api_gov()),
    "api:list_matters": Try(lambda o: reverse("api:list_matters") + "?community=HD", api_gov()),
    "api:get_matter": Try(url("api:get_matter", hd_matter), api_gov()),
    "api:register_matter": api_post(
        "api:register_matter",
        json={
            "community": "HD",
            "title": "",
            "matter_type": "general",
            "text": "",
            "why_major": "",
        },
    ),
    "api:move_matter": api_post("api:move_matter", hd_matter, json={"move": "submit"}),
    "api:record_opinion": api_post(
        "api:record_opinion",
        hd_matter,
        json=lambda o: {"membership_id": o.hd_seat.pk, "stance": "agree"},
    ),
    "api:conclude_review": api_post(
        "api:conclude_review", hd_matter, json={"outcome": "submit", "conclusion": ""}
    ),
    "api:answer_escalation": api_post(
        "api:answer_escalation", lambda o: o.gov.escalation.pk, json={"instruction": ""}
    ),
    # no consultation is open: residents see nothing to answer
    "api:answer_consultation": api_post(
        "api:answer_consultation",
        hd_matter,
        json=lambda o: {"resident_id": o.hd_resident.pk, "consent": True},
    ),
    "api:close_consultation": api_post("api:close_consultation", hd_matter),
    "api:put_on_agenda": api_post(
        "api:put_on_agenda", hd_matter, json=lambda o: {"meeting_id": o.gov.meeting.pk}
    ),
    "api:disclose_resolution": api_post("api:disclose_resolution", hd_matter),
    "api:add_implementation": api_post(
        "api:add_implementation",
        hd_matter,
        json={"title": "", "responsible": "", "deadline": "2030-01-01"},
    ),
    "api:finish_implementation": api_post(
        "api:finish_implementation", lambda o: o.gov.step.pk, json={"outcome": ""}
    ),
    "api:complete_matter": api_post("api:complete_matter", hd_matter),
    "api:disclose_result": api_post("api:disclose_result", hd_matter),
    # the charter: public reads; staff writes on version 1 (in force) are refused (400)
    "api:charter_in_force": Try(url("api:charter_in_force", "HD"), everyone(200)),
    "api:charter_versions": Try(url("api:charter_versions", "HD"), everyone(200)),
    "api:charter_version": Try(url("api:charter_version", "HD", hd_v1), everyone(200)),
    # drafting: the first HD staff call makes the draft (201), the second is refused (400)
    "api:draft_charter_version": Try(
        url("api:draft_charter_version", "HD"),
        hd_staff((201, 400), anonymous=401),
        method="post",
    ),
    "api:edit_charter_version": Try(
        url("api:edit_charter_version", "HD", hd_v1),
        api_gov(400),
        method="put",
        json={"text": ""},
    ),
    "api:propose_charter_version": api_post("api:propose_charter_version", "HD", hd_v1),
    # duty reports: a published report is public; publishing it again is refused (400)
    "api:list_reports": Try(lambda o: reverse("api:list_reports") + "?community=HD", everyone(200)),
    "api:get_report": Try(url("api:get_report", hd_report), everyone(200)),
    "api:schedule_report": Try(
        lambda o: reverse("api:schedule_report") + "?community=HD",
        api_gov(404),  # no such cadre: 404 alike
        method="post",
        json={"cadre_id": 0, "period": "x", "scheduled_on": "2026-12-01"},
    ),
    "api:publish_report": api_post("api:publish_report", hd_report, json={"text": "x"}),
    "api:create_appraisal_poll": api_post(
        "api:create_appraisal_poll", hd_report, json={"mode": "online"}
    ),
}
MATRIX.update(GOV_API)
MATRIX.update(BANK_API)
MATRIX.update(BANK_PAGES)


# --- residents' suggestions: the pages (zizhi/proposals/*_views.py) -------------------------
# `private`: resident_a's registered suggestion (with a photo), seen by resident_a and HD staff;
# `public`: resident_a's accepted one, on the public board. Writes here are refused with a
# message (or come back with the form's errors) and change nothing.


def sg_private(o):
    return o.suggestion_pages.private.pk


def sg_public(o):
    return o.suggestion_pages.public.pk


def sg_period(name, code):
    return lambda o: reverse(name, args=[code]) + "?start=2026-01-01&end=2026-12-31"


SUGGESTION_PAGES: dict[str, Try] = {
    "proposals:board": Try(url("proposals:board", "HD"), everyone(200)),
    "proposals:lookup": Try(url("proposals:lookup"), everyone(200)),
    "proposals:new": Try(url("proposals:new", "HD"), expect(404, resident_a=200, anonymous=LOGIN)),
    "proposals:start": Try(
        url("proposals:start"), expect(404, resident_a=302, resident_b=302, anonymous=LOGIN)
    ),
    "proposals:mine": Try(url("proposals:mine"), residents_only()),
    "proposals:similar": Try(
        lambda o: reverse("proposals:similar", args=["HD"]) + "?title=路灯",
        hd_staff(resident_a=200),
    ),
    "proposals:suggestion": Try(
        url("proposals:suggestion", "HD", sg_private), hd_staff(resident_a=200, anonymous=404)
    ),
    "proposals:filed": Try(url("proposals:filed", "HD", sg_private), hd_staff(resident_a=200)),
    "proposals:photo": Try(
        url("proposals:photo", "HD", sg_private, lambda o: o.suggestion_pages.photo.pk),
        hd_staff(resident_a=200, anonymous=404),
    ),
    # one's own suggestion, other communities' residents, staff: refused with a message
    "proposals:support": Try(
        url("proposals:support", "HD", sg_public), logged_in(302), method="post"
    ),
    # not replied yet, and no rating given: a message for the resident; others 404
    "proposals:rate": Try(
        url("proposals:rate", "HD", sg_public),
        expect(404, resident_a=302, anonymous=LOGIN),
        method="post",
    ),
    "proposals:staff_list": Try(url("proposals:staff_list", "HD"), hd_staff()),
    "proposals:staff_new": Try(url("proposals:staff_new", "HD"), hd_staff()),
    "proposals:settings": Try(url("proposals:settings", "HD"), hd_staff()),
    "proposals:export": Try(sg_period("proposals:export", "HD"), hd_staff()),
    "proposals:staff_detail": Try(url("proposals:staff_detail", "HD", sg_private), hd_staff()),
    # an empty reply: the page comes back with the form's error
    "proposals:staff_act": Try(
        url("proposals:staff_act", "HD", sg_private, "reply"), hd_staff(), method="post"
    ),
    "proposals:subdistrict": Try(
        url("proposals:subdistrict", "dh"), expect(404, subadmin=200, anonymous=LOGIN)
    ),
    "proposals:subdistrict_export": Try(
        sg_period("proposals:subdistrict_export", "dh"),
        expect(404, subadmin=200, anonymous=LOGIN),
    ),
}
MATRIX.update(SUGGESTION_PAGES)


def suggestion_objects(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from zizhi.proposals import actions as sg

    def new(title, **kw):
        return sg.do_file_suggestion(
            world.hd, title=title, text="内容", category="other", actor=world.resident_a, **kw
        )

    private = new(
        "未受理的建议",
        photos=[SimpleUploadedFile("p.png", REAL_PNG)],
    )
    public = new("已受理的建议")
    sg.do_accept_suggestion(public, actor=world.worker_a)
    return SimpleNamespace(private=private, public=public, photo=private.photos.get())


# --- finance (zizhi/finance): rows in tests/finance_rows.py -----------------------------------
def fin(o, name="draft"):
    return getattr(o.finance, name)


def fin_url(name, period, *more):
    return lambda o: reverse(
        name,
        args=["HD", fin(o, period).year, fin(o, period).month]
        + [m(o) if callable(m) else m for m in more],
    )


FINANCE: dict[str, Try] = {
    "finance:public_list": Try(url("finance:public_list", "HD"), everyone(200)),
    "finance:public_period": Try(fin_url("finance:public_period", "published"), everyone(200)),
    "finance:public_assets": Try(url("finance:public_assets", "HD"), everyone(200)),
    # receipts: residents of HD and HD's staff, not the anonymous public
    "finance:receipt": Try(
        url("finance:receipt", "HD", lambda o: o.finance.receipt.pk),
        expect(404, resident_a=200, worker_a=200, subadmin=200),
    ),
    "finance:manage": Try(url("finance:manage", "HD"), hd_staff()),
    "finance:template": Try(url("finance:template", "HD"), hd_staff()),
    "finance:add_category": Try(url("finance:add_category", "HD"), hd_staff(302), method="post"),
    "finance:assets": Try(url("finance:assets", "HD"), hd_staff()),
    "finance:asset_edit": Try(
        url("finance:asset_edit", "HD", lambda o: o.finance.asset.pk), hd_staff()
    ),
    "finance:period": Try(fin_url("finance:period", "draft"), hd_staff()),
    # empty forms come back with their errors; the published period refuses changes
    "finance:add_entry": Try(fin_url("finance:add_entry", "draft"), hd_staff(), method="post"),
    "finance:import": Try(fin_url("finance:import", "draft"), hd_staff(), method="post"),
    "finance:delete_entry": Try(
        fin_url("finance:delete_entry", "published", lambda o: o.finance.entry.pk),
        hd_staff(302),
        method="post",
    ),
    "finance:add_receipt": Try(
        fin_url("finance:add_receipt", "published", lambda o: o.finance.entry.pk),
        hd_staff(302),
        method="post",
    ),
    "finance:export": Try(fin_url("finance:export", "published"), hd_staff()),
    # approving is the subdistrict's: HD's worker gets 404 like any outsider
    "finance:move": Try(
        fin_url("finance:move", "web_submitted", "approve"),
        expect(404, subadmin=302, anonymous=LOGIN),
        method="post",
    ),
    "finance:review": Try(
        url("finance:review"), expect(404, subadmin=200, subadmin_other=200, anonymous=LOGIN)
    ),
    # API
    "api:list_finance_periods": Try(
        lambda o: reverse("api:list_finance_periods") + "?community=HD", everyone(200)
    ),
    "api:get_finance_period": Try(
        url("api:get_finance_period", lambda o: o.finance.published.pk), everyone(200)
    ),
    # HD already has later periods: opening January 2025 is refused with the reason
    "api:open_finance_period": Try(
        url("api:open_finance_period"),
        expect(404, worker_a=400, subadmin=400, anonymous=401),
        method="post",
        json={"community": "HD", "year": 2025, "month": 1},
    ),
    "api:add_finance_entry": Try(
        url("api:add_finance_entry", lambda o: o.finance.draft.pk),
        expect(404, worker_a=400, subadmin=400, anonymous=401),
        method="post",
        json={
            "date": "2025-08-02",
            "direction": "expense",
            "category": "办公经费",
            "amount_fen": 100,
            "description": "",
        },
    ),
    # the previous period was returned: submitting is refused
    "api:submit_finance_period": Try(
        url("api:submit_finance_period", lambda o: o.finance.draft.pk),
        expect(404, worker_a=400, subadmin=400, anonymous=401),
        method="post",
    ),
    "api:approve_finance_period": Try(
        url("api:approve_finance_period", lambda o: o.finance.api_submitted.pk),
        expect(404, worker_a=403, subadmin=200, anonymous=401),
        method="post",
    ),
    "api:return_finance_period": Try(
        url("api:return_finance_period", lambda o: o.finance.api_to_return.pk),
        expect(404, worker_a=403, subadmin=200, anonymous=401),
        method="post",
        json={"reason": "缺票据"},
    ),
    # worker_a publishes; the subadmin then finds it published already
    "api:publish_finance_period": Try(
        url("api:publish_finance_period", lambda o: o.finance.api_approved.pk),
        expect(404, worker_a=200, subadmin=400, anonymous=401),
        method="post",
    ),
    "api:list_assets": Try(lambda o: reverse("api:list_assets") + "?community=HD", everyone(200)),
}
MATRIX.update(FINANCE)


# --- representatives' motions (zizhi/proposals/motion_*.py) ----------------------------------
# Seen by HD's staff and the members of HD's bodies; the matrix's personas hold no seat, so a
# worker may read and decide but not open, co-sign or submit (403 in the API, 404 on pages).
def hd_motion(o):
    return o.motion.pk


def motion_api(name, ok, **extra) -> Try:
    return Try(url(name, hd_motion), hd_staff(ok, anonymous=401), method="post", **extra)


MOTIONS: dict[str, Try] = {
    "proposals:motions": Try(url("proposals:motions", "HD"), hd_staff()),
    "proposals:motion_new": Try(url("proposals:motion_new", "HD"), expect(404, anonymous=LOGIN)),
    "proposals:motion": Try(url("proposals:motion", "HD", hd_motion), hd_staff()),
    # accepting a motion that still collects co-signatures: refused with a message
    "proposals:motion_act": Try(
        url("proposals:motion_act", "HD", hd_motion, "accept"), hd_staff(302), method="post"
    ),
    "api:list_motions": Try(lambda o: reverse("api:list_motions") + "?community=HD", api_gov()),
    "api:get_motion": Try(url("api:get_motion", hd_motion), api_gov()),
    "api:open_motion": Try(
        url("api:open_motion"),
        hd_staff(403, anonymous=401),
        method="post",
        json={"community": "HD", "title": "t", "text": "x", "reason": "r"},
    ),
    "api:cosign_motion": motion_api("api:cosign_motion", 403),
    "api:uncosign_motion": Try(
        url("api:uncosign_motion", hd_motion), hd_staff(403, anonymous=401), method="delete"
    ),
    "api:paper_cosign_motion": motion_api("api:paper_cosign_motion", 400, json={"seat": 0}),
    "api:submit_motion": motion_api("api:submit_motion", 403),
    "api:accept_motion": motion_api("api:accept_motion", 400, json={}),
    "api:decline_motion": motion_api("api:decline_motion", 400, json={"reason": ""}),
}
MATRIX.update(MOTIONS)


def project_routes(resolver=None, namespace=""):
    """Every URL name of the project (a nameless pattern by its route), Django's own left out."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from project_routes(pattern, inner)
        elif pattern.name in EXCLUDED_NAMES or str(pattern.pattern).startswith(EXCLUDED_PREFIXES):
            continue
        else:
            yield f"{namespace}{pattern.name}" if pattern.name else str(pattern.pattern)


# --- associations, activities, service records (zizhi/associations/*_views.py) ---------------
ASSOC = {
    "associations:associations": Try(url("associations:associations", "HD"), everyone(200)),
    "associations:association": Try(
        url("associations:association", lambda o: o.assoc.association.pk), everyone(200)
    ),
    "associations:new_activity": Try(
        url("associations:new_activity", lambda o: o.assoc.association.pk), hd_staff()
    ),
    "associations:activities": Try(url("associations:activities", "HD"), everyone(200)),
    "associations:activity": Try(
        url("associations:activity", lambda o: o.assoc.open.pk), everyone(200)
    ),
    "associations:sign_up": Try(
        url("associations:sign_up", lambda o: o.assoc.open.pk), residents_only(302), method="post"
    ),
    "associations:cancel_signup": Try(
        url("associations:cancel_signup", lambda o: o.assoc.signed.pk),
        expect(404, resident_a=302, anonymous=LOGIN),
        method="post",
    ),
    "associations:scan": Try(
        url("associations:scan", lambda o: o.assoc.open.pk, "0" * 20), logged_in(200)
    ),
    "associations:edit_activity": Try(
        url("associations:edit_activity", lambda o: o.assoc.org.pk), hd_staff()
    ),
    "associations:organise": Try(
        url("associations:organise", lambda o: o.assoc.ended.pk), hd_staff()
    ),
    "associations:qr": Try(url("associations:qr", lambda o: o.assoc.open.pk), hd_staff()),
    "associations:door": Try(url("associations:door", lambda o: o.assoc.open.pk), hd_staff()),
    "associations:attendance": Try(
        url("associations:attendance", lambda o: o.assoc.open.pk), hd_staff(302), method="post"
    ),
    "associations:attest": Try(
        url("associations:attest", lambda o: o.assoc.ended.pk), hd_staff(302), method="post"
    ),
    "associations:decide": Try(
        url("associations:decide", lambda o: o.assoc.ended.pk), hd_staff(302), method="post"
    ),
    "associations:my_records": Try(url("associations:my_records"), residents_only()),
    # every login has a desk; what it lists is tested in tests/test_organising.py
    "associations:organising": Try(url("associations:organising"), logged_in(200)),
    "associations:request_correction": Try(
        url("associations:request_correction", lambda o: o.assoc.record.pk),
        expect(404, resident_a=302, anonymous=LOGIN),
        method="post",
    ),
    "associations:corrections": Try(
        url("associations:corrections"),
        expect(200, resident_a=404, resident_b=404, anonymous=LOGIN),
    ),
    "associations:answer_correction": Try(
        url("associations:answer_correction", lambda o: o.assoc.correction.pk),
        hd_staff(302),
        method="post",
    ),
    "associations:issue_certificate": Try(
        url("associations:issue_certificate"), residents_only(302), method="post"
    ),
    "associations:certificate_pdf": Try(
        url("associations:certificate_pdf", lambda o: o.assoc.certificate.number),
        expect(404, resident_a=200, worker_a=200, subadmin=200, anonymous=LOGIN),
    ),
    "associations:members": Try(
        url("associations:members", lambda o: o.assoc.association.pk), hd_staff()
    ),
    "associations:member_change": Try(
        url("associations:member_change", lambda o: o.assoc.association.pk),
        hd_staff(302),
        method="post",
    ),
    "associations:add_photo": Try(
        url("associations:add_photo", lambda o: o.assoc.association.pk),
        hd_staff(302),
        method="post",
    ),
    "associations:photo": Try(
        url("associations:photo", lambda o: o.assoc.association.pk, lambda o: o.assoc.photo.pk),
        everyone(200),
    ),
    "associations:new_community_activity": Try(
        url("associations:new_community_activity", "HD"), hd_staff()
    ),
    "associations:volunteers": Try(url("associations:volunteers", "HD"), hd_staff()),
    "associations:rules": Try(url("associations:rules", "HD"), hd_staff()),
    "associations:teams": Try(url("associations:teams", "HD"), hd_staff()),
    "associations:participation": Try(url("associations:participation", "HD"), hd_staff()),
    "associations:register": Try(url("associations:register"), residents_only()),
    "api:list_associations": Try(
        lambda o: reverse("api:list_associations") + "?community=HD", everyone(200)
    ),
    "api:get_association": Try(
        url("api:get_association", lambda o: o.assoc.association.pk), everyone(200)
    ),
    "api:my_volunteer": Try(url("api:my_volunteer"), expect(404, anonymous=401)),
    # an empty registration: residents become volunteers (201), staff have no resident (404)
    "api:register_volunteer": Try(
        url("api:register_volunteer"),
        expect(404, resident_a=201, resident_b=201, anonymous=401),
        method="post",
        json={},
    ),
    "api:list_activities": Try(url("api:list_activities"), everyone(200)),
    "api:get_activity": Try(url("api:get_activity", lambda o: o.assoc.open.pk), everyone(200)),
    # a complete activity of HD: staff of HD create it (201); others are refused
    "api:create_activity": Try(
        url("api:create_activity"),
        expect(403, worker_a=201, subadmin=201, anonymous=401),
        method="post",
        json={
            "community": "HD",
            "title": "矩阵活动",
            "place": "活动室",
            "starts_at": "2030-01-01T09:00:00+08:00",
            "ends_at": "2030-01-01T11:00:00+08:00",
        },
    ),
    "api:sign_up": Try(
        url("api:sign_up", lambda o: o.assoc.api_open.pk),
        expect(404, resident_a=201, resident_b=201, anonymous=401),
        method="post",
    ),
    "api:cancel_signup": Try(
        url("api:cancel_signup", lambda o: o.assoc.api_signed.pk),
        expect(404, resident_a=200, anonymous=401),
        method="delete",
    ),
    # a forged token: residents get the clear refusal (400), staff have no resident (403)
    "api:scan": Try(
        url("api:scan", lambda o: o.assoc.open.pk),
        expect(403, resident_a=400, resident_b=400, anonymous=401),
        method="post",
        json={"token": "forged"},
    ),
    "api:my_service_records": Try(
        url("api:my_service_records"), expect(404, resident_a=200, resident_b=200, anonymous=401)
    ),
    # no volunteer registration: a clear refusal
    "api:issue_certificate": Try(
        url("api:issue_certificate"),
        expect(404, resident_a=400, resident_b=400, anonymous=401),
        method="post",
        json={"period_from": "2026-01-01", "period_to": "2026-01-31"},
    ),
    # the organisers' activity API (404 alike for non-organisers); the calls are refused with
    # a reason (two days before the start, or already ended), so every organiser gets 400
    "api:update_activity": Try(
        url("api:update_activity", lambda o: o.assoc.org.pk),
        expect(404, worker_a=400, subadmin=400, anonymous=401),
        method="patch",
        json={"title": ""},
    ),
    "api:cancel_activity": Try(
        url("api:cancel_activity", lambda o: o.assoc.org.pk),
        expect(404, worker_a=400, subadmin=400, anonymous=401),
        method="post",
        json={"reason": ""},
    ),
    "api:activity_attendance": Try(
        url("api:activity_attendance", lambda o: o.assoc.org.pk), hd_staff(anonymous=401)
    ),
    "api:activity_qr": Try(
        url("api:activity_qr", lambda o: o.assoc.org.pk), hd_staff(anonymous=401)
    ),
    "api:add_participant": Try(
        url("api:add_participant", lambda o: o.assoc.ended.pk),
        expect(404, worker_a=400, subadmin=400, anonymous=401),
        method="post",
        json=lambda o: {"key": o.resident_a.phone},
    ),
    "api:list_check_in": Try(
        url("api:list_check_in", lambda o: o.assoc.org.pk),
        expect(404, worker_a=400, subadmin=400, anonymous=401),
        method="post",
        json=lambda o: {"resident_id": o.resident_a.pk, "move": "check_in"},
    ),
    "api:enter_attendance": Try(
        url("api:enter_attendance", lambda o: o.assoc.org.pk),
        expect(404, worker_a=400, subadmin=400, anonymous=401),
        method="post",
        json=lambda o: {
            "resident_id": o.resident_a.pk,
            "check_in_at": "2030-01-01T09:00:00+08:00",
            "check_out_at": "2030-01-01T10:00:00+08:00",
        },
    ),
    "api:close_attendance": Try(
        url("api:close_attendance", lambda o: o.assoc.org.pk),
        expect(404, worker_a=400, subadmin=400, anonymous=401),
        method="post",
    ),
    "api:verify_certificate": Try(
        url("api:verify_certificate", lambda o: o.assoc.certificate.verify_code), everyone(200)
    ),
    "associations:verify": Try(
        url("associations:verify", lambda o: o.assoc.certificate.verify_code), everyone(200)
    ),
}
MATRIX.update(ASSOC)

# Apps whose entries live in their own tests/<app>_matrix.py (ROUTES and objects(world)).
APP_MATRICES = (
    greening_matrix,
    party_matrix,
    wishes_matrix,
    mediation_matrix,
    stats_matrix,
    stats_reports_matrix,
    privacy_matrix,
)
for _module in APP_MATRICES:
    MATRIX.update(_module.ROUTES)


def test_every_route_is_in_the_matrix():
    routes = set(project_routes())
    missing = sorted(routes - MATRIX.keys())
    assert not missing, "\n".join(
        f"route {name} is not in the permission matrix; add it with the expected status per role"
        for name in missing
    )
    stale = sorted(MATRIX.keys() - routes)
    assert not stale, f"routes in the permission matrix that no longer exist: {stale}"


def test_every_entry_names_every_role():
    for name, entry in MATRIX.items():
        assert tuple(entry.expect) == ROLES, name


def notice_objects(world):
    """HD notices: one published (with an attachment, a posting and an unanswered objection),
    one draft, and two drafts to publish (page and API)."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from zizhi.notices import actions as n

    def new(title):
        return n.do_create_notice(
            world.hd, category="finance", title=title, body="正文", actor=world.worker_a
        )

    published = new("已发布")
    attachment = n.do_add_attachment(
        published, SimpleUploadedFile("a.pdf", b"%PDF-1.4 x"), actor=world.worker_a
    )
    n.do_publish_notice(published, actor=world.worker_a)
    posting = n.do_record_posting(
        published,
        posted_at=timezone.now(),
        place="公告栏",
        photo=SimpleUploadedFile("p.png", REAL_PNG),
        actor=world.worker_a,
    )
    return SimpleNamespace(
        published=published,
        attachment=attachment,
        posting=posting,
        objection=n.do_file_objection(published, "异议", actor=world.resident_a),
        draft=new("草稿"),
        to_publish=new("待发布"),
        to_publish_api=new("待发布（API）"),
    )


def gov_objects(world, assembly):
    """HD governance rows for the API: an assembly meeting tomorrow (planned) with one agenda
    item, a poll not yet open and a published one, and a matter of its own with an open
    escalation and an implementation step."""
    from django.utils import timezone

    from zizhi.governance import actions as g
    from zizhi.governance.models import Escalation, ImplementationStep, Poll

    meeting = g.do_convene_meeting(
        assembly,
        title="矩阵会议",
        starts_at=timezone.now() + datetime.timedelta(days=1),
        place="活动室",
        items=[("议题", "", None)],
        actor=world.worker_a,
    )
    item = meeting.items.get()
    poll = g.do_create_poll(item, question="是否同意", actor=world.worker_a)
    published = Poll.objects.create(
        item=item, question="举手表决", mode="hands", rule=poll.rule, status="published"
    )
    matter = do_register_matter(
        world.hd,
        title="请示事项",
        matter_type="general",
        text="内容",
        why_major="理由",
        actor=world.worker_a,
    )
    return SimpleNamespace(
        meeting=meeting,
        item=item,
        poll=poll,
        published=published,
        escalation=Escalation.objects.create(
            matter=matter, question="请示", asked_by=world.worker_a, asked_at=timezone.now()
        ),
        step=ImplementationStep.objects.create(
            matter=matter, title="施工", responsible="张三", deadline=datetime.date(2030, 1, 1)
        ),
    )


@pytest.fixture
def objects(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    hd_resident = f.resident(world.hd, name="湖东居民乙", hh=f.household(world.hd, "1栋", "101"))
    do_create_api_token("matrix", actor=world.worker_a)
    assembly = Body.objects.create(
        kind="representative_assembly",
        name="湖东代表大会",
        subdistrict=world.dh,
        community=world.hd,
    )
    return Objects(
        hd_resident=hd_resident,
        resident_a=world.resident_a.resident,
        worker_a_token=ApiToken.objects.get(user=world.worker_a),
        hd_import_job=ImportJob.objects.create(
            community=world.hd,
            created_by=world.worker_a,
            filename="花名册.xlsx",
            status=ImportStatus.DONE,
            total_rows=1,
            processed_rows=1,
        ),
        hd_body=assembly,
        hd_seat=Membership.objects.create(
            body=assembly, name="代表", role="representative", started_on=datetime.date(2021, 6, 1)
        ),
        notices=notice_objects(world),
        finance=finance_objects(world),
        motion=motion_objects(world, assembly),
        assoc=assoc_objects(world),
        bank=bank_objects(world),
        greening=greening_matrix.objects(world),
        party=party_matrix.objects(world),
        wishes=wishes_matrix.objects(world),
        mediation=mediation_matrix.objects(world),
        stats=stats_matrix.objects(world),
        stats_reports=stats_reports_matrix.objects(world),
        privacy=privacy_matrix.objects(world),
        gov=gov_objects(world, assembly),
        suggestion_pages=suggestion_objects(world),
        hd_matter=do_register_matter(
            world.hd,
            title="加装电梯",
            matter_type="construction",
            text="方案",
            why_major="涉及全体住户",
            actor=world.worker_a,
        ),
    )


def request_as(user, entry: Try, target: str, objects=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    send = getattr(client, entry.method)
    payload = entry.json(objects) if callable(entry.json) else entry.json
    if payload is not None:
        return send(target, json.dumps(payload), content_type="application/json")
    return send(target)


def matches(expected, response) -> bool:
    if expected == LOGIN:
        login = reverse(settings.LOGIN_URL)
        return response.status_code == 302 and response["Location"].startswith(login)
    if isinstance(expected, tuple):
        return response.status_code in expected
    return response.status_code == expected


# The matrix runs in slices (every CHUNKS-th route, in order) so that the test processes share
# it; each slice builds its own rows.
CHUNKS = 6


@pytest.mark.parametrize("chunk", range(CHUNKS))
def test_the_matrix(world, objects, chunk):
    mismatches = []
    for name in list(MATRIX)[chunk::CHUNKS]:
        entry = MATRIX[name]
        target = entry.url(objects)
        for role, expected in entry.expect.items():
            user = None if role == "anonymous" else getattr(world, role)
            response = request_as(user, entry, target, objects)
            if not matches(expected, response):
                where = response.get("Location", "")
                got = f"{response.status_code} {where}".strip()
                mismatches.append(
                    f"{name}: {entry.method.upper()} {target} as {role}: "
                    f"expected {expected}, got {got}"
                )
    assert not mismatches, f"{len(mismatches)} mismatches:\n" + "\n".join(mismatches)
