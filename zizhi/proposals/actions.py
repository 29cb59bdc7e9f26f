"""Every change to a resident's suggestion (居民建议). Each checks permission and the rules,
changes rows, writes one audit event and tells the people concerned after the commit.

The handling follows ONE table of allowed moves (`MOVES`): registered > accepted (or not
accepted, with a reason the resident reads) > assigned > in progress > replied > closed by the
resident's rating. "Dissatisfied" reopens it once with a new reply deadline; dissatisfied again
sends it to the subdistrict, whose answer the resident rates once more, and that closes it.

The representatives' motions have their own actions in motion_actions.py.
"""

import datetime
import uuid
from pathlib import PurePosixPath

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zizhi.accounts import messaging
from zizhi.accounts.access import access_for
from zizhi.audit.log import record
from zizhi.governance.actions.common import in_official_language
from zizhi.notices.files import PHOTO_KINDS, check_upload
from zizhi.registry.models import Building, Community, LocalUnit, Resident

from . import workdays
from .models import (
    OPEN_STATUSES,
    CalendarDay,
    Channel,
    DeadlineSettings,
    PhotoKind,
    Rating,
    Suggestion,
    SuggestionCategory,
    SuggestionCounter,
    SuggestionPhoto,
    SuggestionStatus,
    SuggestionStep,
    Support,
)

S = SuggestionStatus
MAX_TITLE = 120
MAX_TEXT = 5000
MAX_PHOTOS = 3
MAX_REPLY = 5000
MAX_KEY = 80  # Suggestion.idempotency_key

# The allowed moves: (from, move) -> to. Anything else is refused with a reason.
# "rate" has three outcomes (closed, reopened, escalated); do_rate_suggestion picks one of
# the targets listed for it here.
MOVES = {
    (S.REGISTERED, "accept"): S.ACCEPTED,
    (S.REGISTERED, "decline"): S.NOT_ACCEPTED,
    (S.ACCEPTED, "assign"): S.ASSIGNED,
    (S.ASSIGNED, "assign"): S.ASSIGNED,  # handed to another handler
    (S.ASSIGNED, "start"): S.IN_PROGRESS,
    (S.IN_PROGRESS, "assign"): S.ASSIGNED,
    (S.IN_PROGRESS, "reply"): S.REPLIED,
    (S.REPLIED, "rate"): S.CLOSED,
    (S.REPLIED, "rate_reopen"): S.IN_PROGRESS,
    (S.REPLIED, "rate_escalate"): S.ESCALATED,
    (S.ESCALATED, "answer"): S.REPLIED,
}
# The moves a person chooses (the rating's outcomes are not separate choices).
CHOSEN_MOVES = ("accept", "decline", "assign", "start", "reply", "answer", "rate")


def refuse(message) -> None:
    raise ValidationError(message)


def allowed_moves(s: Suggestion) -> list[str]:
    """The moves the table allows from the suggestion's status now (not who may make them)."""
    return [m for m in CHOSEN_MOVES if (s.status, m) in MOVES]


def _move(s: Suggestion, move: str) -> str:
    target = MOVES.get((s.status, move))
    if target is None:
        refuse(_("这条建议当前状态为「%(s)s」，不能进行此操作") % {"s": s.get_status_display()})
    s.status = target
    return target


def _summary(s: Suggestion) -> dict:
    return {
        "status": s.status,
        "accept_due": s.accept_due,
        "reply_due": s.reply_due,
        "handler_user": s.handler_user_id,
        "handler_body": s.handler_body_id,
        "handler_unit": s.handler_unit_id,
        "rating": s.rating,
        "reopened": s.reopened,
        "public": s.public,
    }


def _staff(actor, community_id) -> bool:
    return actor is not None and community_id in access_for(actor).community_ids


def _require_staff(actor, community_id) -> None:
    if not _staff(actor, community_id):
        raise PermissionDenied


def _is_subdistrict_admin(actor, s: Suggestion) -> bool:
    return actor is not None and s.community.subdistrict_id in access_for(actor).subdistrict_ids


def _locked(s: Suggestion) -> Suggestion:
    return (
        Suggestion.objects.select_for_update(of=("self",))
        .select_related("community", "resident", "resident__user")
        .get(pk=s.pk)
    )


def _refresh(target: Suggestion, source: Suggestion) -> None:
    """Copy the saved row onto the caller's object, so it sees the change."""
    for f in Suggestion._meta.concrete_fields:
        setattr(target, f.attname, getattr(source, f.attname))


def deadlines(community) -> tuple[int, int]:
    row = DeadlineSettings.objects.filter(community=community).first()
    if row is None:
        field = DeadlineSettings._meta.get_field
        return field("accept_days").default, field("reply_days").default
    return row.accept_days, row.reply_days


def _community_label(s: Suggestion) -> str:
    return s.community.name


def _step(s: Suggestion, status, *, actor_label="", note="", visible=True, at=None) -> None:
    SuggestionStep.objects.create(
        suggestion=s,
        status=status,
        at=at or timezone.now(),
        actor_label=actor_label[:100],
        note=note,
        visible_to_resident=visible,
    )


def suggestion_url(s: Suggestion) -> str:
    try:
        return reverse("proposals:suggestion", args=[s.community.code, s.pk])
    except NoReverseMatch:  # the pages are not wired in (yet)
        return ""


def _tell_resident(s: Suggestion, subject: str, body: str = "") -> None:
    user = s.resident.user if s.resident_id else None
    if user is None:
        return
    url = suggestion_url(s)
    transaction.on_commit(lambda: messaging.send([user], subject, body, url))


def _next_number(community: Community, year: int) -> str:
    counter, _created = SuggestionCounter.objects.get_or_create(community=community, year=year)
    counter = SuggestionCounter.objects.select_for_update().get(pk=counter.pk)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{community.code}-{year}-{counter.last:05d}"


def _clean_text(value, *, what, limit) -> str:
    value = (value or "").strip()
    if not value:
        refuse(_("请填写%(what)s") % {"what": what})
    if len(value) > limit:
        refuse(_("%(what)s不能超过 %(n)d 个字") % {"what": what, "n": limit})
    return value


def _clean_point(plan_x, plan_y):
    if plan_x is None and plan_y is None:
        return None, None
    try:
        x, y = float(plan_x), float(plan_y)
    except (TypeError, ValueError):
        refuse(_("平面图上的位置不对，请重新点选"))
    if not (0 <= x <= 100 and 0 <= y <= 100):
        refuse(_("平面图上的位置不对，请重新点选"))
    return round(x, 2), round(y, 2)


def _photo_name(upload) -> str:
    suffix = PurePosixPath(getattr(upload, "name", "") or "").suffix.lower()
    return f"{uuid.uuid4().hex}{suffix}"


@in_official_language
def do_file_suggestion(
    community: Community,
    *,
    title: str,
    text: str,
    category: str,
    building: Building | None = None,
    plan_x=None,
    plan_y=None,
    photos=(),
    show_name: bool = False,
    resident: Resident | None = None,
    channel: str = Channel.ONLINE,
    idempotency_key: str = "",
    actor,
) -> Suggestion:
    """A resident files their own suggestion online; a worker of the community enters one for
    a resident of the registry who came to the office or phoned (recorded as such).

    With an idempotency key (the API's Idempotency-Key), a retry of the same filing for the
    same resident gets the suggestion of the first try: a client whose answer was lost (an
    app server killed mid-request) retries without filing twice."""
    key = (idempotency_key or "").strip()
    if len(key) > MAX_KEY:
        refuse(_("Idempotency-Key 不能超过%(n)s个字符") % {"n": MAX_KEY})
    access = access_for(actor)
    if channel == Channel.ONLINE:
        if access.resident_id is None or access.resident_community_id != community.pk:
            raise PermissionDenied
        if resident is not None and resident.pk != access.resident_id:
            raise PermissionDenied
        resident = Resident.objects.get(pk=access.resident_id)
        entered_by = None
    elif channel in (Channel.OFFICE, Channel.PHONE):
        _require_staff(actor, community.pk)
        if resident is None:
            refuse(_("请选择提建议的居民（须是本社区花名册上的居民）"))
        if resident.community_id != community.pk:
            refuse(_("这位居民不在本社区的花名册上"))
        entered_by = actor
    else:
        refuse(_("登记方式不对"))
    title = _clean_text(title, what=_("标题"), limit=MAX_TITLE)
    text = _clean_text(text, what=_("内容"), limit=MAX_TEXT)
    if category not in SuggestionCategory.values:
        refuse(_("请选择建议的类别"))
    if building is not None and building.community_id != community.pk:
        refuse(_("这栋楼不在本社区"))
    plan_x, plan_y = _clean_point(plan_x, plan_y)
    photos = [p for p in (photos or ()) if p]
    if len(photos) > MAX_PHOTOS:
        refuse(_("最多上传%(n)s张照片") % {"n": MAX_PHOTOS})
    for upload in photos:
        check_upload(upload, PHOTO_KINDS, what=_("照片"))
    earlier = _earlier_suggestion(community, resident, key, title, text)
    if earlier is not None:
        return earlier
    try:
        s = _insert_suggestion(
            community,
            title=title,
            text=text,
            category=category,
            building=building,
            plan_x=plan_x,
            plan_y=plan_y,
            photos=photos,
            show_name=show_name,
            resident=resident,
            channel=channel,
            entered_by=entered_by,
            key=key,
            actor=actor,
        )
    except IntegrityError:
        # the same key filed at the same moment by a concurrent retry: its suggestion
        earlier = _earlier_suggestion(community, resident, key, title, text)
        if earlier is None:
            raise
        return earlier
    _tell_resident(
        s,
        _("您的建议已登记，编号 %(n)s") % {"n": s.number},
        _("社区将在 %(d)s 前决定是否受理。") % {"d": s.accept_due.isoformat()},
    )
    return s


def _earlier_suggestion(community, resident, key: str, title: str, text: str):
    """The suggestion filed earlier for this resident with this idempotency key, if any; a
    key reused for another suggestion is refused."""
    if not key:
        return None
    earlier = Suggestion.objects.filter(resident=resident, idempotency_key=key).first()
    if earlier is not None and (earlier.community_id, earlier.title, earlier.text) != (
        community.pk,
        title,
        text,
    ):
        refuse(_("这个请求编号（Idempotency-Key）已用于另一条建议"))
    return earlier


def _insert_suggestion(
    community,
    *,
    title,
    text,
    category,
    building,
    plan_x,
    plan_y,
    photos,
    show_name,
    resident,
    channel,
    entered_by,
    key,
    actor,
) -> Suggestion:
    accept_days, _reply_days = deadlines(community)
    today = timezone.localdate()
    with transaction.atomic():
        s = Suggestion.objects.create(
            community=community,
            number=_next_number(community, today.year),
            title=title,
            text=text,
            category=category,
            building=building,
            plan_x=plan_x,
            plan_y=plan_y,
            show_name=bool(show_name),
            resident=resident,
            channel=channel,
            entered_by=entered_by,
            accept_due=workdays.add_workdays(today, accept_days, community),
            idempotency_key=key,
        )
        for upload in photos:
            upload.name = _photo_name(upload)
            SuggestionPhoto.objects.create(suggestion=s, file=upload, kind=PhotoKind.RESIDENT)
        note = "" if channel == Channel.ONLINE else Channel(channel).label
        _step(
            s, S.REGISTERED, actor_label=_("居民") if not entered_by else community.name, note=note
        )
        record(
            actor,
            "suggestion.file",
            s,
            community=community,
            after={**_summary(s), "number": s.number, "channel": channel, "photos": len(photos)},
        )
    return s


def _staff_move(
    s: Suggestion, move: str, actor, change, *, verb: str, subject: str = "", body: str = ""
):
    """The common frame of a worker's move: lock, check, move, `change(locked)` fills in the
    rest and returns the step's note; one step, one audit event, the resident told."""
    _require_staff(actor, s.community_id)
    with transaction.atomic():
        locked = _locked(s)
        before = _summary(locked)
        _move(locked, move)
        note = change(locked) or ""
        locked.save()
        _step(locked, locked.status, actor_label=_community_label(locked), note=note)
        record(
            actor, verb, locked, community=locked.community, before=before, after=_summary(locked)
        )
    _refresh(s, locked)
    if subject:
        _tell_resident(locked, subject, body)
    return s


def _mark_late(s: Suggestion, due: datetime.date | None) -> None:
    if due is not None and timezone.localdate() > due:
        s.late = True


@in_official_language
def do_accept_suggestion(s: Suggestion, *, actor) -> Suggestion:
    """The community accepts it: the reply deadline starts, it shows on the public board."""

    def change(x):
        now = timezone.now()
        _mark_late(x, x.accept_due)
        _accept_days, reply_days = deadlines(x.community)
        x.accepted_at = now
        x.reply_due = workdays.add_workdays(timezone.localdate(), reply_days, x.community)
        x.public = True
        return _("答复期限：%(d)s") % {"d": x.reply_due.isoformat()}

    return _staff_move(
        s,
        "accept",
        actor,
        change,
        verb="suggestion.accept",
        subject=_("您的建议 %(n)s 已受理") % {"n": s.number},
    )


@in_official_language
def do_decline_suggestion(s: Suggestion, reason: str, *, actor) -> Suggestion:
    """Not accepted, with the reason the resident reads."""
    reason = _clean_text(reason, what=_("不予受理的理由"), limit=MAX_REPLY)

    def change(x):
        _mark_late(x, x.accept_due)
        x.decline_reason = reason
        x.closed_at = timezone.now()
        x.public = False
        return reason

    return _staff_move(
        s,
        "decline",
        actor,
        change,
        verb="suggestion.decline",
        subject=_("您的建议 %(n)s 不予受理") % {"n": s.number},
        body=reason,
    )


def handler_label(s: Suggestion) -> str:
    if s.handler_body_id:
        return s.handler_body.name
    if s.handler_unit_id:
        return s.handler_unit.name
    if s.handler_user_id:
        return _("社区工作人员")
    return ""


@in_official_language
def do_assign_suggestion(
    s: Suggestion, *, user=None, body=None, unit=None, note: str = "", actor
) -> Suggestion:
    """Hand it to one handler: a worker of the community, a body, or a local unit."""
    from zizhi.accounts.models import Role, RoleKind

    chosen = [x for x in (user, body, unit) if x is not None]
    if len(chosen) != 1:
        refuse(_("请在工作人员、社区组织、辖区单位中选择一个承办方"))
    if (
        user is not None
        and not Role.objects.filter(
            user=user, community_id=s.community_id, kind=RoleKind.COMMUNITY_WORKER
        ).exists()
    ):
        refuse(_("承办人须是本社区的工作人员"))
    if body is not None and body.community_id != s.community_id:
        refuse(_("这个组织不属于本社区"))
    if unit is not None and (
        not isinstance(unit, LocalUnit) or unit.community_id != s.community_id
    ):
        refuse(_("这个单位不在本社区"))
    note = (note or "").strip()[:MAX_REPLY]

    def change(x):
        x.handler_user, x.handler_body, x.handler_unit = user, body, unit
        label = handler_label(x)
        return _("承办：%(h)s") % {"h": label} + (f"\n{note}" if note else "")

    result = _staff_move(s, "assign", actor, change, verb="suggestion.assign")
    if user is not None and user != actor:
        url = ""
        try:
            url = reverse("proposals:staff_detail", args=[s.community.code, s.pk])
        except NoReverseMatch:
            pass
        subject = _("交办给您的居民建议：%(t)s") % {"t": s.title}
        transaction.on_commit(lambda: messaging.send([user], subject, note, url))
    return result


@in_official_language
def do_start_suggestion(s: Suggestion, note: str = "", *, actor) -> Suggestion:
    note = (note or "").strip()[:MAX_REPLY]
    return _staff_move(s, "start", actor, lambda x: note, verb="suggestion.start")


@in_official_language
def do_reply_suggestion(s: Suggestion, reply: str, *, actor) -> Suggestion:
    """The reply the resident reads and then rates."""
    reply = _clean_text(reply, what=_("答复内容"), limit=MAX_REPLY)

    def change(x):
        _mark_late(x, x.reply_due)
        x.reply = reply
        x.replied_at = timezone.now()
        return reply

    return _staff_move(
        s,
        "reply",
        actor,
        change,
        verb="suggestion.reply",
        subject=_("您的建议 %(n)s 已答复，请评价") % {"n": s.number},
        body=reply,
    )


@in_official_language
def do_rate_suggestion(s: Suggestion, rating: str, comment: str = "", *, actor) -> Suggestion:
    """The resident's rating (or a worker entering the rating the resident gave by phone).
    Satisfied or basically satisfied closes it; dissatisfied reopens it once with a new reply
    deadline, then sends it to the subdistrict; after the subdistrict's answer any rating
    closes it."""
    access = access_for(actor)
    mine = access.resident_id is not None and access.resident_id == s.resident_id
    if not mine and not _staff(actor, s.community_id):
        raise PermissionDenied
    if rating not in Rating.values:
        refuse(_("请选择满意、基本满意或不满意"))
    comment = (comment or "").strip()[:1000]
    with transaction.atomic():
        x = _locked(s)
        before = _summary(x)
        if x.status != S.REPLIED:
            _move(x, "rate")  # refused with the status in the message
        if rating != Rating.DISSATISFIED or x.escalated_at is not None:
            move = "rate"
        elif not x.reopened:
            move = "rate_reopen"
        else:
            move = "rate_escalate"
        _move(x, move)
        x.rating = rating
        now = timezone.now()
        rating_label = Rating(rating).label
        who = _("居民") if mine else _("%(c)s（电话回访）") % {"c": x.community.name}
        _step(
            x,
            S.REPLIED,
            actor_label=who,
            note=_("评价：%(r)s") % {"r": rating_label} + (f"\n{comment}" if comment else ""),
            at=now,
        )
        if move == "rate":
            x.closed_at = now
            note = ""
        elif move == "rate_reopen":
            x.reopened = True
            _a, reply_days = deadlines(x.community)
            x.reply_due = workdays.add_workdays(timezone.localdate(), reply_days, x.community)
            note = _("居民不满意，重新办理；答复期限：%(d)s") % {"d": x.reply_due.isoformat()}
        else:
            x.escalated_at = now
            note = _("居民再次不满意，转街道处理")
        x.save()
        _step(
            x, x.status, actor_label=x.community.name if move != "rate" else "", note=note, at=now
        )
        record(
            actor,
            "suggestion.rate",
            x,
            community=x.community,
            before=before,
            after={**_summary(x), "comment": comment},
        )
    _refresh(s, x)
    if move == "rate_escalate":
        from zizhi.accounts.models import Role, RoleKind

        admins = [
            r.user
            for r in Role.objects.filter(
                kind=RoleKind.SUBDISTRICT_ADMIN, subdistrict_id=x.community.subdistrict_id
            ).select_related("user")
        ]
        subject = _("居民建议转街道：%(n)s %(t)s") % {"n": x.number, "t": x.title}
        transaction.on_commit(lambda: messaging.send(admins, subject, comment, ""))
    return s


@in_official_language
def do_answer_escalation(s: Suggestion, reply: str, *, actor) -> Suggestion:
    """The subdistrict answers an escalated suggestion; the resident rates it once more."""
    if not _is_subdistrict_admin(actor, s):
        raise PermissionDenied
    reply = _clean_text(reply, what=_("答复内容"), limit=MAX_REPLY)
    with transaction.atomic():
        x = _locked(s)
        before = _summary(x)
        _move(x, "answer")
        x.reply = reply
        x.replied_at = timezone.now()
        x.save()
        _step(x, x.status, actor_label=x.community.subdistrict.name, note=reply)
        record(
            actor, "suggestion.answer", x, community=x.community, before=before, after=_summary(x)
        )
    _refresh(s, x)
    _tell_resident(x, _("街道已答复您的建议 %(n)s，请评价") % {"n": x.number}, reply)
    return s


def do_support_suggestion(s: Suggestion, *, actor) -> Suggestion:
    """A resident of the community supports (附议) a public, open suggestion, once; not their
    own."""
    access = access_for(actor)
    if access.resident_id is None or access.resident_community_id != s.community_id:
        raise PermissionDenied
    if access.resident_id == s.resident_id:
        refuse(_("不能附议自己的建议"))
    if not s.public:
        refuse(_("这条建议没有公开，不能附议"))
    if s.status not in OPEN_STATUSES or s.status == S.REGISTERED:
        refuse(_("这条建议已办结或未受理，不能再附议"))
    try:
        with transaction.atomic():
            Support.objects.create(suggestion=s, resident_id=access.resident_id)
            Suggestion.objects.filter(pk=s.pk).update(support_count=F("support_count") + 1)
            record(actor, "suggestion.support", s, community=s.community)
    except IntegrityError:
        refuse(_("您已经附议过这条建议"))
    s.refresh_from_db(fields=["support_count"])
    return s


def do_set_deadlines(community: Community, accept_days: int, reply_days: int, *, actor):
    """The community's deadlines in working days; they apply to suggestions filed (accepted)
    from now on."""
    _require_staff(actor, community.pk)
    try:
        accept_days, reply_days = int(accept_days), int(reply_days)
    except (TypeError, ValueError):
        refuse(_("期限须是整数个工作日"))
    if not 1 <= accept_days <= 30:
        refuse(_("受理期限应在 1 到 30 个工作日之间"))
    if not 1 <= reply_days <= 90:
        refuse(_("答复期限应在 1 到 90 个工作日之间"))
    with transaction.atomic():
        row = DeadlineSettings.objects.select_for_update().filter(community=community).first()
        before = {"accept_days": row.accept_days, "reply_days": row.reply_days} if row else None
        row, _created = DeadlineSettings.objects.update_or_create(
            community=community,
            defaults={"accept_days": accept_days, "reply_days": reply_days},
        )
        record(
            actor,
            "suggestion.deadlines",
            row,
            community=community,
            before=before,
            after={"accept_days": accept_days, "reply_days": reply_days},
        )
    return row


def do_set_calendar_day(
    community: Community, date: datetime.date, is_workday: bool, note: str = "", *, actor
) -> CalendarDay:
    """A day off or a make-up working day in the community's own table (it wins over the
    built-in calendar)."""
    _require_staff(actor, community.pk)
    if not isinstance(date, datetime.date):
        refuse(_("请填写日期"))
    note = (note or "").strip()
    if len(note) > 50:
        refuse(_("说明不能超过 50 个字"))
    with transaction.atomic():
        row, created = CalendarDay.objects.update_or_create(
            community=community,
            date=date,
            defaults={"is_workday": bool(is_workday), "note": note},
        )
        record(
            actor,
            "suggestion.calendar_day",
            row,
            community=community,
            after={"date": date, "is_workday": bool(is_workday), "note": note},
        )
    return row
