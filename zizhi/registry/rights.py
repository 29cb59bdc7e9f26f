"""A resident's rights over their personal data (PIPL arts. 45-47; GB/T 35273 §8):

- do_export_personal_data: everything the platform holds about them, from every app's
  personal_data module (PERSONAL_DATA), for the JSON and PDF downloads; audited;
- do_request_correction / do_approve_correction / do_decline_correction: they ask for a
  field of their registry row to be corrected; a worker of the community applies it through
  do_update_resident (the same checks as the roster's) or declines with a reply;
- do_erase_resident: a worker erases a resident who moved away. Personal fields are removed
  and every copy in other apps pseudonymised; ballots, the Moral Bank's book and service
  records stay as they are, so tallies verify, the book balances and hours add up.

What an erasure cannot change (RETAINED): rows that are append-only by design keep what they
recorded. The audit log (its hash chain would break) and posted Moral Bank entries' memos
(a gift's memo names its recipient) and service records (their text names the organiser).
These are kept as the law's retention exception (PIPL art. 47, para. 2): stored, not used.
"""

import datetime
import re
from importlib import import_module

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from zizhi.accounts.access import access_for
from zizhi.audit.log import record

from . import crypto, idnumber, roster
from .models import CorrectionField, CorrectionStatus, DataCorrection, Resident
from .personal_data import pseudonym, scrub_text, secrets_of

# Every app that keeps something about a person; the registry last (its erase removes the
# values the others look for), accounts just before it (it frees the login's phone).
PERSONAL_DATA = (
    "zizhi.governance.personal_data",
    "zizhi.notices.personal_data",
    "zizhi.proposals.personal_data",
    "zizhi.finance.personal_data",
    "zizhi.associations.personal_data",
    "zizhi.moralbank.personal_data",
    "zizhi.greening.personal_data",
    "zizhi.party.personal_data",
    "zizhi.wishes.personal_data",
    "zizhi.mediation.personal_data",
    "zizhi.accounts.personal_data",
    "zizhi.registry.personal_data",
)
# Export order: the registry's own facts first.
EXPORT_ORDER = PERSONAL_DATA[-1:] + PERSONAL_DATA[-2:-1] + PERSONAL_DATA[:-2]

RETAINED = (
    "audit.Event",  # hash-chained; its object names and actor labels stay
    "moralbank.Entry",  # posted entries never change; a gift's memo names the recipient
    "associations.ServiceRecord",  # append-only; a helper's record may name whom they helped
)


def _modules(order=PERSONAL_DATA):
    return [import_module(path) for path in order]


def _require_worker(resident: Resident, actor) -> None:
    if resident.community_id not in access_for(actor).community_ids:
        raise PermissionDenied


# --- the download ----------------------------------------------------------------------------


def do_export_personal_data(resident: Resident, *, actor, fmt: str = "json") -> dict:
    """Everything held about the resident, for themself only; one audit event per download
    (which format, how many sections; no personal data in it)."""
    if access_for(actor).resident_id != resident.pk or resident.erased_at:
        raise PermissionDenied
    sections = [s for module in _modules(EXPORT_ORDER) for s in module.export(resident)]
    data = {
        "exported_at": timezone.localtime().isoformat(),
        "name": resident.name,
        "id_number": resident.id_number_masked,
        "community": resident.community.name,
        "sections": sections,
    }
    with transaction.atomic():
        record(
            actor,
            "resident.export_own_data",
            resident,
            community=resident.community,
            extra={"format": fmt, "sections": len(sections)},
        )
    return data


# --- changing a registry row -----------------------------------------------------------------

NAME = re.compile(r"^[\u3400-\u9fff·•A-Za-z .-]{2,50}$")


def _clean(field: str, raw: str) -> str:
    """The value as the registry stores it, or ValidationError with a Chinese reason."""
    value = (raw or "").strip()
    if field == CorrectionField.NAME:
        if not NAME.match(value):
            raise ValidationError(_("姓名应为2到50个汉字或字母"))
        return value
    if field == CorrectionField.PHONE:
        problems = []
        value = roster._check_phone(value, lambda *args: problems.append(args))
        if problems or not value:
            raise ValidationError(_("电话应为11位手机号，或带区号的固话（如 0571-88880000）"))
        return value
    if field == CorrectionField.ADDRESS:
        if not value or len(value) > 200:
            raise ValidationError(_("住址不能为空，最多200个字"))
        return value
    if field == CorrectionField.ID_NUMBER:
        try:
            return idnumber.validate(value)
        except idnumber.IdNumberError as exc:
            raise ValidationError(str(exc)) from exc
    raise ValidationError(_("这一项不能在这里更正"))


def do_update_resident(resident: Resident, changes: dict, *, actor) -> Resident:
    """A worker of the community changes fields of a registry row (name, phone, address, ID
    number), each checked as the roster import checks it. The audit event names the fields
    changed, never their values."""
    _require_worker(resident, actor)
    if resident.erased_at:
        raise ValidationError(_("该居民的信息已注销，不能修改"))
    values = {field: _clean(field, raw) for field, raw in changes.items()}
    with transaction.atomic():
        locked = Resident.objects.select_for_update().get(pk=resident.pk)
        changed = []
        for field, value in values.items():
            if field == CorrectionField.ID_NUMBER:
                if crypto.lookup_hash(value) != locked.id_number_hash:
                    locked.set_id_number(value)
                    changed.append(field)
            elif getattr(locked, field) != value:
                setattr(locked, field, value)
                if field == CorrectionField.NAME:
                    locked.name_initials = roster.name_initials(value)
                changed.append(field)
        if not changed:
            return locked
        try:
            with transaction.atomic():
                locked.save()
        except IntegrityError as exc:
            raise ValidationError(_("本社区已有另一位居民登记了这个身份证号")) from exc
        if "phone" in changed and locked.user_id:
            _follow_phone(locked, actor)
        if "name" in changed and locked.user_id:
            from zizhi.accounts.models import User

            User.objects.filter(pk=locked.user_id).update(name=locked.name)
        record(
            actor, "resident.update", locked, community=locked.community, extra={"fields": changed}
        )
    return locked


def _follow_phone(resident: Resident, actor) -> None:
    """The login of a resident follows the registry's mobile number (it is how they log in),
    unless another account already uses it."""
    from zizhi.accounts.models import User

    phone = resident.phone
    if not re.fullmatch(r"1\d{10}", phone):
        return
    if User.objects.filter(phone=phone).exclude(pk=resident.user_id).exists():
        raise ValidationError(_("这个手机号已经被另一个账号使用"))
    User.objects.filter(pk=resident.user_id).update(phone=phone)


# --- correction requests ---------------------------------------------------------------------


def do_request_correction(resident: Resident, field: str, value: str, reason: str, *, actor):
    """The resident asks for one field of their own row to be corrected."""
    if access_for(actor).resident_id != resident.pk:
        raise PermissionDenied
    if field not in CorrectionField.values:
        raise ValidationError(_("请选择要更正的项目"))
    clean = _clean(field, value)
    reason = (reason or "").strip()
    if len(reason) > 500:
        raise ValidationError(_("说明最多500个字"))
    open_same = DataCorrection.objects.filter(
        resident=resident, field=field, status=CorrectionStatus.OPEN
    )
    if open_same.exists():
        raise ValidationError(_("这一项已经有一个待处理的更正申请，请等社区答复"))
    if field == CorrectionField.ID_NUMBER:
        stored, shown = crypto.encrypt(clean), idnumber.mask(clean)
    else:
        stored = shown = clean
    with transaction.atomic():
        correction = DataCorrection.objects.create(
            community=resident.community,
            resident=resident,
            field=field,
            new_value=stored,
            shown_value=shown[:200],
            reason=reason,
        )
        record(
            actor,
            "resident.request_correction",
            correction,
            community=resident.community,
            extra={"field": field},
        )
    return correction


def corrections_for(user, community=None):
    """Correction requests a worker may handle: their communities' (one, if given)."""
    ids = access_for(user).community_ids
    qs = DataCorrection.objects.filter(community_id__in=ids).select_related("resident", "community")
    if community is not None:
        qs = qs.filter(community=community)
    return qs


def get_correction_for(user, pk, community=None) -> DataCorrection:
    try:
        return corrections_for(user, community).get(pk=pk)
    except (DataCorrection.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def _answer(correction: DataCorrection, status: str, reply: str, actor) -> None:
    correction.status = status
    correction.reply = reply
    correction.answered_by = actor
    correction.answered_at = timezone.now()
    correction.save(update_fields=["status", "reply", "answered_by", "answered_at"])
    record(
        actor,
        f"resident.{'approve' if status == CorrectionStatus.APPROVED else 'decline'}_correction",
        correction,
        community=correction.community,
        extra={"field": correction.field},
    )


def _open(correction: DataCorrection, actor) -> DataCorrection:
    if correction.community_id not in access_for(actor).community_ids:
        raise PermissionDenied
    locked = DataCorrection.objects.select_for_update().get(pk=correction.pk)
    if locked.status != CorrectionStatus.OPEN:
        raise ValidationError(_("这个申请已经处理过了"))
    return locked


def do_approve_correction(correction: DataCorrection, reply: str = "", *, actor):
    """Apply the requested value through do_update_resident (checked and audited there)."""
    with transaction.atomic():
        locked = _open(correction, actor)
        value = locked.new_value
        if locked.field == CorrectionField.ID_NUMBER:
            value = crypto.decrypt(value)
        do_update_resident(locked.resident, {locked.field: value}, actor=actor)
        if locked.field == CorrectionField.ID_NUMBER:
            locked.new_value = ""  # applied: the registry row holds it now
            locked.save(update_fields=["new_value"])
        _answer(locked, CorrectionStatus.APPROVED, (reply or "").strip()[:500], actor)
    return locked


def do_decline_correction(correction: DataCorrection, reply: str, *, actor):
    reply = (reply or "").strip()
    if not reply:
        raise ValidationError(_("不更正时请写明原因，居民会看到"))
    with transaction.atomic():
        locked = _open(correction, actor)
        if locked.field == CorrectionField.ID_NUMBER:
            locked.new_value = ""
            locked.save(update_fields=["new_value"])
        _answer(locked, CorrectionStatus.DECLINED, reply[:500], actor)
    return locked


# --- erasure ---------------------------------------------------------------------------------


def do_erase_resident(resident: Resident, *, actor, confirm_name: str, reason: str) -> dict:
    """Erase a resident who moved away (marked moved out now if not yet). The worker types the
    resident's name to confirm and gives a reason. Returns rows changed per app; the audit
    event carries these counts and the reason with the resident's details scrubbed from it."""
    _require_worker(resident, actor)
    if resident.erased_at:
        raise ValidationError(_("该居民的信息已经注销过了"))
    if (confirm_name or "").strip() != resident.name:
        raise ValidationError(_("请输入该居民的姓名以确认注销"))
    if not (reason or "").strip():
        raise ValidationError(_("请写明注销的原因（如：已迁出本社区）"))
    if resident.user_id and resident.user.roles.exists():
        raise ValidationError(_("该居民的账号还担任工作人员职务，请先撤销其职务再注销"))
    with transaction.atomic():
        resident = (
            Resident.objects.select_for_update(of=("self",))
            .select_related("user", "community")
            .get(pk=resident.pk)
        )
        secrets = secrets_of(resident)  # the values every hook looks for, read before any goes
        counts = {}
        for path, module in zip(PERSONAL_DATA, _modules(), strict=True):
            counts[path.split(".")[1]] = module.erase(resident, actor=actor)
        now = timezone.now()
        Resident.objects.filter(pk=resident.pk).update(
            erased_at=now, moved_out_on=resident.moved_out_on or datetime.date.today()
        )
        resident.refresh_from_db()
        record(
            actor,
            "resident.erase",
            resident,
            community=resident.community,
            extra={
                "rows": counts,
                "pseudonym": pseudonym(resident),
                "reason": scrub_text(reason.strip(), secrets)[:200],
            },
        )
    return counts
