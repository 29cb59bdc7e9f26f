"""Changes to notices. Each checks permission and rules, changes rows and writes one audit event.

Other apps (governance) publish through `publish_notice(...)` or the `do_*` functions here;
notices never import them back: where a notice came from is free text (`source_label`) and
a link (`source_url`).
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zizhi.accounts.access import access_for
from zizhi.audit.log import record
from zizhi.registry.models import Community, Resident

from . import files
from .models import (
    MAX_PERIOD_DAYS,
    Category,
    Notice,
    NoticeAttachment,
    NoticeCounter,
    NoticeStatus,
    Objection,
    Posting,
    check_move,
    period_end,
)

MAX_TEXT = 5000
MAX_BODY = 50_000
FUTURE_SLACK = datetime.timedelta(minutes=10)


def _require_staff(community_id: int, actor, system: bool = False) -> None:
    """Staff of the community may manage its notices; `system` is the platform itself
    (e.g. a governance result published automatically) and needs no user."""
    if actor is None and system:
        return
    if community_id not in access_for(actor).community_ids:
        raise PermissionDenied(_("您不是这个社区的工作人员"))


def _summary(notice: Notice) -> dict:
    return {
        "status": notice.status,
        "number": notice.number,
        "category": notice.category,
        "title": notice.title,
        "period_days": notice.period_days,
    }


def _clean(category, title, body, period_days, source_label, source_url) -> dict:
    errors = []
    title = (title or "").strip()
    body = (body or "").strip()
    source_label = (source_label or "").strip()
    source_url = (source_url or "").strip()
    if category not in Category.values:
        errors.append(_("请选择公示类别"))
    if not title:
        errors.append(_("请填写标题"))
    elif len(title) > 200:
        errors.append(_("标题不能超过 200 个字"))
    if not body:
        errors.append(_("请填写正文"))
    elif len(body) > MAX_BODY:
        errors.append(_("正文太长，不能超过 %(n)d 个字") % {"n": MAX_BODY})
    try:
        period_days = int(period_days)
    except (TypeError, ValueError):
        period_days = 0
    if not 1 <= period_days <= MAX_PERIOD_DAYS:
        errors.append(_("公示天数应在 1 到 %(n)d 天之间") % {"n": MAX_PERIOD_DAYS})
    if len(source_label) > 200:
        errors.append(_("来源不能超过 200 个字"))
    if source_url and not (
        source_url.startswith(("https://", "http://")) or source_url.startswith("/")
    ):
        errors.append(_("来源链接应以 http://、https:// 或 / 开头"))
    elif len(source_url) > 500:
        errors.append(_("来源链接太长"))
    if errors:
        raise ValidationError(errors)
    return {
        "category": category,
        "title": title,
        "body": body,
        "period_days": period_days,
        "source_label": source_label,
        "source_url": source_url,
    }


def do_create_notice(
    community: Community,
    *,
    category: str,
    title: str,
    body: str,
    period_days: int = 7,
    source_label: str = "",
    source_url: str = "",
    actor,
    system: bool = False,
) -> Notice:
    """A new draft notice of the community."""
    _require_staff(community.pk, actor, system)
    fields = _clean(category, title, body, period_days, source_label, source_url)
    with transaction.atomic():
        notice = Notice.objects.create(community=community, created_by=actor, **fields)
        record(actor, "notice.create", notice, community=community, after=_summary(notice))
    return notice


def do_update_notice(
    notice: Notice,
    *,
    category: str,
    title: str,
    body: str,
    period_days: int = 7,
    source_label: str = "",
    source_url: str = "",
    actor,
) -> Notice:
    """Change a draft; a published notice is fixed (withdraw it and publish a new one)."""
    _require_staff(notice.community_id, actor)
    fields = _clean(category, title, body, period_days, source_label, source_url)
    with transaction.atomic():
        notice = Notice.objects.select_for_update().get(pk=notice.pk)
        if not notice.is_draft:
            raise ValidationError(_("只有草稿可以修改；已发布的公示请撤回后重新发布"))
        before = _summary(notice)
        for name, value in fields.items():
            setattr(notice, name, value)
        notice.save(update_fields=list(fields))
        record(
            actor,
            "notice.update",
            notice,
            community=notice.community,
            before=before,
            after=_summary(notice),
        )
    return notice


def _next_number(community: Community, year: int) -> str:
    counter, _created = NoticeCounter.objects.get_or_create(community=community, year=year)
    counter = NoticeCounter.objects.select_for_update().get(pk=counter.pk)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{community.code}-{year}-{counter.last:03d}"


def do_publish_notice(notice: Notice, *, actor, system: bool = False) -> Notice:
    """Publish a draft: it gets its number, and its notice period starts now."""
    _require_staff(notice.community_id, actor, system)
    with transaction.atomic():
        notice = Notice.objects.select_for_update().select_related("community").get(pk=notice.pk)
        check_move(notice.status, NoticeStatus.PUBLISHED)
        before = _summary(notice)
        now = timezone.now()
        notice.status = NoticeStatus.PUBLISHED
        notice.published_at = now
        notice.ends_at = period_end(now, notice.period_days)
        notice.number = _next_number(notice.community, timezone.localtime(now).year)
        notice.save(update_fields=["status", "published_at", "ends_at", "number"])
        after = {**_summary(notice), "ends_at": notice.ends_at.isoformat()}
        record(
            actor, "notice.publish", notice, community=notice.community, before=before, after=after
        )
    return notice


def publish_notice(
    community: Community,
    *,
    category: str,
    title: str,
    body: str,
    source_label: str = "",
    source_url: str = "",
    period_days: int = 7,
    actor,
    system: bool = False,
) -> Notice:
    """Create and publish a notice in one transaction (for other apps, e.g. a resolution)."""
    with transaction.atomic():
        notice = do_create_notice(
            community,
            category=category,
            title=title,
            body=body,
            period_days=period_days,
            source_label=source_label,
            source_url=source_url,
            actor=actor,
            system=system,
        )
        return do_publish_notice(notice, actor=actor, system=system)


def do_withdraw_notice(notice: Notice, reason: str, *, actor) -> Notice:
    """Withdraw a notice; the reason is shown to the public. Nothing is deleted."""
    _require_staff(notice.community_id, actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("请填写撤回原因，它会向居民公开"))
    if len(reason) > MAX_TEXT:
        raise ValidationError(_("撤回原因太长"))
    with transaction.atomic():
        notice = Notice.objects.select_for_update().select_related("community").get(pk=notice.pk)
        check_move(notice.status, NoticeStatus.WITHDRAWN)
        before = _summary(notice)
        notice.status = NoticeStatus.WITHDRAWN
        notice.withdrawn_at = timezone.now()
        notice.withdraw_reason = reason
        notice.save(update_fields=["status", "withdrawn_at", "withdraw_reason"])
        after = {**_summary(notice), "reason": reason}
        record(
            actor, "notice.withdraw", notice, community=notice.community, before=before, after=after
        )
    return notice


def do_add_attachment(notice: Notice, upload, *, name: str = "", actor) -> NoticeAttachment:
    """Attach a file (PDF, JPG, PNG, DOCX, XLSX) to a draft."""
    _require_staff(notice.community_id, actor)
    content_type = files.check_upload(upload, files.ATTACHMENT_KINDS, what=_("附件"))
    name = (name or "").strip() or files.display_name(upload.name, fallback=_("附件"))
    with transaction.atomic():
        notice = Notice.objects.select_for_update().select_related("community").get(pk=notice.pk)
        if not notice.is_draft:
            raise ValidationError(_("只有草稿可以添加附件"))
        attachment = NoticeAttachment(
            notice=notice, name=name[:200], content_type=content_type, size=upload.size
        )
        attachment.file.save(upload.name, upload, save=False)
        attachment.save()
        record(
            actor,
            "notice.add_attachment",
            notice,
            community=notice.community,
            extra={"attachment": attachment.pk, "name": attachment.name, "size": upload.size},
        )
    return attachment


def do_file_objection(notice: Notice, text: str, *, actor) -> Objection:
    """A resident of the notice's community objects while the notice period runs."""
    access = access_for(actor)
    if access.resident_community_id != notice.community_id:
        raise PermissionDenied(_("只有本社区的居民可以提出异议"))
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("请写下您的异议"))
    if len(text) > MAX_TEXT:
        raise ValidationError(_("异议太长，不能超过 %(n)d 个字") % {"n": MAX_TEXT})
    with transaction.atomic():
        notice = Notice.objects.select_for_update().select_related("community").get(pk=notice.pk)
        if not notice.is_current:
            if notice.is_expired:
                raise ValidationError(_("公示期已过，不能再提出异议"))
            raise ValidationError(_("这条公示不在公示期内，不能提出异议"))
        resident = Resident.objects.get(pk=access.resident_id)
        objection = Objection.objects.create(notice=notice, resident=resident, text=text)
        record(
            actor,
            "notice.file_objection",
            objection,
            community=notice.community,
            extra={"notice": notice.pk, "text": text[:200]},
        )
    return objection


def do_answer_objection(objection: Objection, answer: str, *, actor) -> Objection:
    """Staff of the community answer an objection; the answer is shown with the notice."""
    _require_staff(objection.notice.community_id, actor)
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError(_("请填写答复内容"))
    if len(answer) > MAX_TEXT:
        raise ValidationError(_("答复太长，不能超过 %(n)d 个字") % {"n": MAX_TEXT})
    with transaction.atomic():
        objection = (
            Objection.objects.select_for_update()
            .select_related("notice__community")
            .get(pk=objection.pk)
        )
        if objection.is_answered:
            raise ValidationError(_("这条异议已经答复过了"))
        objection.answer = answer
        objection.answered_by = actor
        objection.answered_at = timezone.now()
        objection.save(update_fields=["answer", "answered_by", "answered_at"])
        record(
            actor,
            "notice.answer_objection",
            objection,
            community=objection.notice.community,
            extra={"notice": objection.notice_id, "answer": answer[:200]},
        )
    return objection


def do_record_posting(notice: Notice, *, posted_at, place: str, photo, actor) -> Posting:
    """Record that the paper notice was put up: when, where, with a photo (JPG or PNG)."""
    _require_staff(notice.community_id, actor)
    place = (place or "").strip()
    errors = []
    if not place:
        errors.append(_("请填写张贴地点"))
    elif len(place) > 200:
        errors.append(_("张贴地点不能超过 200 个字"))
    if not isinstance(posted_at, datetime.datetime):
        errors.append(_("请填写张贴时间"))
    else:
        if timezone.is_naive(posted_at):
            posted_at = timezone.make_aware(posted_at)
        if posted_at > timezone.now() + FUTURE_SLACK:
            errors.append(_("张贴时间不能晚于现在"))
    try:
        photo_type = files.check_upload(photo, files.PHOTO_KINDS, what=_("照片"))
    except ValidationError as exc:
        errors.extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        notice = Notice.objects.select_for_update().select_related("community").get(pk=notice.pk)
        if notice.status != NoticeStatus.PUBLISHED:
            raise ValidationError(_("只有已发布的公示可以登记张贴"))
        posting = Posting(
            notice=notice,
            posted_at=posted_at,
            place=place,
            photo_type=photo_type,
            recorded_by=actor,
        )
        posting.photo.save(photo.name, photo, save=False)
        posting.save()
        record(
            actor,
            "notice.record_posting",
            posting,
            community=notice.community,
            extra={"notice": notice.pk, "place": place, "posted_at": posted_at.isoformat()},
        )
    return posting
