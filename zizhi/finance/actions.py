"""Changes to the books and assets. Each checks permission and rules, changes rows and writes
one audit event.

Other apps post money through `record_donation(...)` (the greening issue's donations for
green plots); finance never imports them back.
"""

import datetime
import hashlib
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zizhi.accounts import messaging
from zizhi.accounts.models import Role, RoleKind, User
from zizhi.audit.log import record
from zizhi.governance.actions.common import in_official_language
from zizhi.notices.files import JPEG, PDF, PNG, check_upload, display_name
from zizhi.registry.models import Community, Resident

from .access import can_approve, is_staff_of
from .models import (
    CLOSED,
    DEFAULT_CATEGORIES,
    DONATION_CATEGORY,
    EDITABLE,
    Asset,
    AssetKind,
    AssetState,
    Category,
    Direction,
    Entry,
    EntrySource,
    Period,
    Receipt,
    check_move,
)
from .money import MAX_FEN, format_fen

RECEIPT_KINDS = (JPEG, PNG, PDF)
MAX_REASON = 2000
FIRST_YEAR = 2000


def _require_staff(community_id: int, actor) -> None:
    if actor is None or not is_staff_of(actor, community_id):
        raise PermissionDenied(_("您不是这个社区的工作人员"))


def _summary(period: Period) -> dict:
    return {
        "period": period.slug,
        "status": period.status,
        "opening_fen": period.opening_fen,
        "income_fen": period.income_fen,
        "expense_fen": period.expense_fen,
        "closing_fen": period.closing_fen,
    }


def _entry_summary(entry: Entry) -> dict:
    return {
        "period": entry.period.slug,
        "date": entry.date.isoformat(),
        "direction": entry.direction,
        "category": entry.category.name,
        "amount_fen": entry.amount_fen,
        "counterparty": entry.counterparty,
        "description": entry.description,
        "receipt_no": entry.receipt_no,
        "source": entry.source,
    }


# ---- categories ------------------------------------------------------------------------------
def ensure_categories(community: Community) -> None:
    """Give the community the default categories it does not have yet (idempotent)."""
    have = set(Category.objects.filter(community=community).values_list("direction", "name"))
    missing = [
        Category(community=community, direction=d, name=n, order=i)
        for i, (d, n) in enumerate(DEFAULT_CATEGORIES)
        if (d, n) not in have
    ]
    if missing:
        Category.objects.bulk_create(missing, ignore_conflicts=True)


def do_add_category(community: Community, *, direction: str, name: str, actor) -> Category:
    _require_staff(community.pk, actor)
    name = (name or "").strip()
    errors = []
    if direction not in Direction.values:
        errors.append(_("请选择收入或支出"))
    if not name:
        errors.append(_("请填写类别名称"))
    elif len(name) > 30:
        errors.append(_("类别名称不能超过 30 个字"))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if Category.objects.filter(community=community, direction=direction, name=name).exists():
            raise ValidationError(_("已经有这个类别了"))
        last = Category.objects.filter(community=community).count()
        category = Category.objects.create(
            community=community, direction=direction, name=name, order=100 + last
        )
        record(
            actor,
            "finance.add_category",
            category,
            community=community,
            after={"direction": direction, "name": name},
        )
    return category


# ---- periods ---------------------------------------------------------------------------------
def _previous(period: Period) -> Period | None:
    return (
        Period.objects.filter(community_id=period.community_id)
        .filter(Q(year__lt=period.year) | Q(year=period.year, month__lt=period.month))
        .order_by("-year", "-month")
        .first()
    )


def _refresh(period: Period) -> None:
    """Recompute the period's totals from its entries, and its opening balance from the
    previous period's closing balance (the first period keeps the opening it was given)."""
    sums = dict(
        period.entries.values_list("direction").annotate(total=Sum("amount_fen")).order_by()
    )
    period.income_fen = sums.get(Direction.INCOME, 0) or 0
    period.expense_fen = sums.get(Direction.EXPENSE, 0) or 0
    previous = _previous(period)
    if previous is not None:
        period.opening_fen = previous.closing_fen
    period.save(update_fields=["income_fen", "expense_fen", "opening_fen"])


def _check_month(year, month) -> tuple[int, int]:
    try:
        year, month = int(year), int(month)
    except (TypeError, ValueError) as exc:
        raise ValidationError(_("请填写年份和月份")) from exc
    if not 1 <= month <= 12:
        raise ValidationError(_("月份应在 1 到 12 之间"))
    if not FIRST_YEAR <= year <= 2100:
        raise ValidationError(_("年份不正确"))
    return year, month


def _open(community: Community, year: int, month: int, opening_fen: int, actor) -> Period:
    ensure_categories(community)
    latest = Period.objects.filter(community=community).order_by("-year", "-month").first()
    if latest is not None and (latest.year, latest.month) >= (year, month):
        raise ValidationError(
            _("新账期必须在最近的账期（%(p)s）之后。以前月份的更正，请记入当前账期。")
            % {"p": latest.label}
        )
    period = Period.objects.create(
        community=community,
        year=year,
        month=month,
        opening_fen=latest.closing_fen if latest is not None else opening_fen,
        created_by=actor,
    )
    record(actor, "finance.open_period", period, community=community, after=_summary(period))
    return period


def do_open_period(
    community: Community, *, year, month, opening_fen: int | None = None, actor
) -> Period:
    """Open the books of a month. Months are opened in order; the first period of a community
    takes the opening balance given, every later one carries the previous closing balance."""
    _require_staff(community.pk, actor)
    year, month = _check_month(year, month)
    today = timezone.localdate()
    if (year, month) > (today.year, today.month):
        raise ValidationError(_("不能提前开设以后月份的账期"))
    with transaction.atomic():
        Community.objects.select_for_update().filter(pk=community.pk).first()
        has_previous = Period.objects.filter(community=community).exists()
        if has_previous and opening_fen:
            raise ValidationError(
                _("期初余额由上一账期的期末余额结转，不能另填；只有第一个账期可以填写期初余额")
            )
        opening = int(opening_fen or 0)
        if not 0 <= opening < MAX_FEN:
            raise ValidationError(_("期初余额不正确"))
        try:
            with transaction.atomic():
                return _open(community, year, month, opening, actor)
        except IntegrityError as exc:
            raise ValidationError(_("这个月的账期已经有了")) from exc


def _editable(period: Period) -> Period:
    """Lock the period and check that entries may still change."""
    period = Period.objects.select_for_update().select_related("community").get(pk=period.pk)
    if not period.is_editable:
        raise ValidationError(
            _("%(p)s的账期“%(s)s”，不能再修改。更正请记入之后的账期。")
            % {"p": period.label, "s": period.get_status_display()}
        )
    return period


def _category(community_id: int, direction: str, category) -> Category:
    if isinstance(category, Category):
        found = category if category.community_id == community_id else None
    else:
        lookup = {"pk": category} if isinstance(category, int) else {"name": category}
        found = Category.objects.filter(community_id=community_id, **lookup).first()
    if found is None:
        raise ValidationError(_("请选择本社区的收支类别"))
    if found.direction != direction:
        raise ValidationError(
            _("类别“%(c)s”属于%(d)s，与收支方向不符")
            % {"c": found.name, "d": found.get_direction_display()}
        )
    return found


def _month_range(period: Period) -> tuple[datetime.date, datetime.date]:
    first = datetime.date(period.year, period.month, 1)
    following = datetime.date(
        period.year + (period.month == 12), period.month % 12 + 1, 1
    ) - datetime.timedelta(days=1)
    return first, following


def clean_entry(period: Period, *, date, direction, category, amount_fen, **text) -> dict:
    """The checked fields of an entry of `period`; ValidationError lists every problem."""
    errors = []
    fields = {k: (v or "").strip() for k, v in text.items()}
    if direction not in Direction.values:
        errors.append(_("请选择收入或支出"))
    first, last = _month_range(period)
    if not isinstance(date, datetime.date):
        errors.append(_("请填写日期"))
    elif not first <= date <= last:
        errors.append(
            _("日期应在%(p)s之内（%(a)s 至 %(b)s）")
            % {"p": period.label, "a": first.isoformat(), "b": last.isoformat()}
        )
    if not isinstance(amount_fen, int) or isinstance(amount_fen, bool) or amount_fen <= 0:
        errors.append(_("金额必须大于零"))
    elif amount_fen >= MAX_FEN:
        errors.append(_("金额太大"))
    if not fields.get("description"):
        errors.append(_("请填写摘要（这笔钱做什么用）"))
    for name, limit, label in (
        ("description", 300, _("摘要")),
        ("counterparty", 100, _("对方")),
        ("receipt_no", 50, _("票据号")),
    ):
        if len(fields.get(name, "")) > limit:
            errors.append(_("%(f)s不能超过 %(n)d 个字") % {"f": label, "n": limit})
    found = None
    if direction in Direction.values:
        try:
            found = _category(period.community_id, direction, category)
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    return {
        "date": date,
        "direction": direction,
        "category": found,
        "amount_fen": amount_fen,
        "counterparty": fields.get("counterparty", ""),
        "description": fields.get("description", ""),
        "receipt_no": fields.get("receipt_no", ""),
    }


def do_add_entry(
    period: Period,
    *,
    date,
    direction: str,
    category,
    amount_fen: int,
    description: str,
    counterparty: str = "",
    receipt_no: str = "",
    actor,
) -> Entry:
    """Add an income or expense entry to a period that is still being kept."""
    _require_staff(period.community_id, actor)
    fields = clean_entry(
        period,
        date=date,
        direction=direction,
        category=category,
        amount_fen=amount_fen,
        description=description,
        counterparty=counterparty,
        receipt_no=receipt_no,
    )
    with transaction.atomic():
        period = _editable(period)
        entry = Entry.objects.create(period=period, created_by=actor, **fields)
        _refresh(period)
        record(
            actor,
            "finance.add_entry",
            entry,
            community=period.community,
            after=_entry_summary(entry),
        )
    return entry


def do_delete_entry(entry: Entry, *, actor) -> None:
    """Remove a wrong entry while the period is still being kept (its receipts go with it)."""
    _require_staff(entry.period.community_id, actor)
    with transaction.atomic():
        period = _editable(entry.period)
        entry = Entry.objects.select_related("category", "period").get(pk=entry.pk)
        before = _entry_summary(entry)
        receipts = list(entry.receipts.all())
        for receipt in receipts:
            receipt.delete()
        entry.delete()
        _refresh(period)
        record(
            actor,
            "finance.delete_entry",
            period,
            community=period.community,
            before=before,
            extra={"receipts": len(receipts)},
        )
    for receipt in receipts:  # the files go once the rows are gone
        transaction.on_commit(lambda f=receipt.file: f.delete(save=False))


def do_add_receipt(entry: Entry, upload, *, actor) -> Receipt:
    """Attach a scan or photo of the receipt (JPG, PNG or PDF) to an entry."""
    _require_staff(entry.period.community_id, actor)
    content_type = check_upload(upload, RECEIPT_KINDS, what=_("票据"))
    with transaction.atomic():
        period = _editable(entry.period)
        receipt = Receipt(
            entry=entry,
            name=display_name(upload.name, fallback=_("票据"))[:200],
            content_type=content_type,
            size=upload.size,
            created_by=actor,
        )
        receipt.file.save(upload.name, upload, save=False)
        receipt.save()
        record(
            actor,
            "finance.add_receipt",
            entry,
            community=period.community,
            extra={"receipt": receipt.pk, "name": receipt.name, "size": receipt.size},
        )
    return receipt


# ---- the period's status moves -----------------------------------------------------------------
def _subdistrict_admins(community: Community):
    return User.objects.filter(
        is_active=True,
        roles__kind=RoleKind.SUBDISTRICT_ADMIN,
        roles__subdistrict_id=community.subdistrict_id,
    ).distinct()


def _staff_url(period: Period) -> str:
    return reverse("finance:period", args=[period.community.code, period.year, period.month])


def _public_url(period: Period) -> str:
    return reverse("finance:public_period", args=[period.community.code, period.year, period.month])


def _move(period: Period, move: str, actor, **changes) -> tuple[Period, dict]:
    """Lock the period, check the move against the table and apply it; returns the period
    and its summary before the move."""
    period = Period.objects.select_for_update().select_related("community").get(pk=period.pk)
    new = check_move(period.status, move)
    before = _summary(period)
    period.status = new
    for name, value in changes.items():
        setattr(period, name, value)
    period.save()
    return period, before


def do_submit_period(period: Period, *, actor) -> Period:
    """The community's staff hand the month's books to the subdistrict for approval. The
    previous month must be approved first: the opening balance is its closing balance."""
    _require_staff(period.community_id, actor)
    with transaction.atomic():
        locked = Period.objects.select_for_update().get(pk=period.pk)
        check_move(locked.status, "submit")
        previous = _previous(locked)
        if previous is not None and previous.status not in CLOSED:
            raise ValidationError(
                _("请先让上一账期（%(p)s）通过街道审核，再提交本账期：本期的期初余额来自上期。")
                % {"p": previous.label}
            )
        _refresh(locked)
        period, before = _move(
            locked,
            "submit",
            actor,
            submitted_by=actor,
            submitted_at=timezone.now(),
            return_reason="",
        )
        record(
            actor,
            "finance.submit_period",
            period,
            community=period.community,
            before=before,
            after=_summary(period),
        )
        messaging.send(
            list(_subdistrict_admins(period.community)),
            _("%(c)s%(p)s账目待审核") % {"c": period.community.name, "p": period.label},
            _("收入 %(i)s，支出 %(e)s，期末余额 %(b)s。")
            % {
                "i": format_fen(period.income_fen),
                "e": format_fen(period.expense_fen),
                "b": format_fen(period.closing_fen),
            },
            _staff_url(period),
        )
    return period


def _require_approver(period: Period, actor) -> None:
    if actor is None or not can_approve(actor, period.community):
        raise PermissionDenied(_("只有街道管理员可以审核社区账目"))


def do_approve_period(period: Period, *, actor) -> Period:
    """The subdistrict approves a submitted period; it is then frozen."""
    _require_approver(period, actor)
    with transaction.atomic():
        locked = Period.objects.select_for_update().get(pk=period.pk)
        check_move(locked.status, "approve")
        if locked.submitted_by_id == actor.pk:
            raise ValidationError(_("提交人不能审核自己提交的账目，请由另一位街道管理员审核"))
        period, before = _move(
            locked, "approve", actor, approved_by=actor, approved_at=timezone.now()
        )
        record(
            actor,
            "finance.approve_period",
            period,
            community=period.community,
            before=before,
            after=_summary(period),
        )
        messaging.send(
            [period.submitted_by],
            _("%(c)s%(p)s账目已审核通过") % {"c": period.community.name, "p": period.label},
            _("请向居民公开。"),
            _staff_url(period),
        )
    return period


def do_return_period(period: Period, reason: str, *, actor) -> Period:
    """The subdistrict returns a submitted period with a reason; staff correct and resubmit."""
    _require_approver(period, actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("请写明退回原因，社区据此修改"))
    if len(reason) > MAX_REASON:
        raise ValidationError(_("退回原因太长"))
    with transaction.atomic():
        period, before = _move(
            period,
            "return",
            actor,
            return_reason=reason,
            returned_by=actor,
            returned_at=timezone.now(),
        )
        record(
            actor,
            "finance.return_period",
            period,
            community=period.community,
            before=before,
            after=_summary(period),
            extra={"reason": reason},
        )
        messaging.send(
            [period.submitted_by],
            _("%(c)s%(p)s账目被退回") % {"c": period.community.name, "p": period.label},
            reason,
            _staff_url(period),
        )
    return period


def category_totals(period: Period) -> list[dict]:
    """[{direction, name, total_fen}] of the period, in category order, empty ones left out."""
    rows = (
        period.entries.values("direction", "category__name", "category__order", "category_id")
        .annotate(total=Sum("amount_fen"))
        .order_by("direction", "category__order", "category_id")
    )
    return [
        {"direction": r["direction"], "name": r["category__name"], "total_fen": r["total"]}
        for r in rows
    ]


@in_official_language
def notice_text(period: Period) -> tuple[str, str]:
    """The title and body of the notice that discloses the period (in zh-Hans)."""
    community = period.community
    title = _("%(c)s%(p)s财务收支公开") % {"c": community.name, "p": period.label}
    lines = [
        _("%(c)s%(p)s的收支情况经%(s)s审核，现予公开：")
        % {"c": community.name, "p": period.label, "s": community.subdistrict.name},
        "",
        _("期初余额：%(v)s") % {"v": format_fen(period.opening_fen)},
        _("本月收入：%(v)s") % {"v": format_fen(period.income_fen)},
        _("本月支出：%(v)s") % {"v": format_fen(period.expense_fen)},
        _("期末余额：%(v)s") % {"v": format_fen(period.closing_fen)},
    ]
    totals = category_totals(period)
    for direction, heading in ((Direction.INCOME, _("收入")), (Direction.EXPENSE, _("支出"))):
        rows = [t for t in totals if t["direction"] == direction]
        if rows:
            lines += ["", _("%(h)s按类别：") % {"h": heading}]
            lines += [f"  {t['name']}  {format_fen(t['total_fen'])}" for t in rows]
    lines += [
        "",
        _("每一笔收支的明细和图表见“%(p)s财务公开”页面（点击本公示的来源链接）。")
        % {"p": period.label},
        _("对账目有疑问的居民，请在公示期内提出异议，或到社区服务中心查阅凭证。"),
    ]
    return title, "\n".join(lines)


def do_publish_period(period: Period, *, actor) -> Period:
    """Publish an approved period: a notice (category 财务公开) with the summary and a link to
    the public page of the period."""
    from zizhi.notices.actions import publish_notice
    from zizhi.notices.models import Category as NoticeCategory

    _require_staff(period.community_id, actor)
    with transaction.atomic():
        locked = (
            Period.objects.select_for_update()
            .select_related("community__subdistrict")
            .get(pk=period.pk)
        )
        check_move(locked.status, "publish")
        title, body = notice_text(locked)
        notice = publish_notice(
            locked.community,
            category=NoticeCategory.FINANCE,
            title=title,
            body=body,
            source_label=_("%(p)s财务公开明细") % {"p": locked.label},
            source_url=_public_url(locked),
            actor=actor,
        )
        period, before = _move(
            locked,
            "publish",
            actor,
            published_by=actor,
            published_at=timezone.now(),
            notice=notice,
        )
        record(
            actor,
            "finance.publish_period",
            period,
            community=period.community,
            before=before,
            after={**_summary(period), "notice": notice.pk},
        )
    return period


def do_move_period(period: Period, move: str, *, reason: str = "", actor) -> Period:
    """One entry point for the views and the API: submit, approve, return or publish."""
    if move == "submit":
        return do_submit_period(period, actor=actor)
    if move == "approve":
        return do_approve_period(period, actor=actor)
    if move == "return":
        return do_return_period(period, reason, actor=actor)
    if move == "publish":
        return do_publish_period(period, actor=actor)
    raise ValidationError(_("不支持的操作"))


# ---- donations (the interface for the greening issue) ------------------------------------------
def _donation_period(community: Community, date: datetime.date, actor) -> Period:
    """The period a donation of `date` goes into: that month's if it is still being kept;
    otherwise the first later period still being kept; otherwise a new period after the
    latest one (a closed month is never changed)."""
    same = Period.objects.filter(community=community, year=date.year, month=date.month).first()
    if same is not None and same.is_editable:
        return same
    later = (
        Period.objects.filter(community=community, status__in=EDITABLE)
        .filter(Q(year__gt=date.year) | Q(year=date.year, month__gt=date.month))
        .order_by("year", "month")
        .first()
    )
    if later is not None:
        return later
    latest = Period.objects.filter(community=community).order_by("-year", "-month").first()
    if latest is None or (latest.year, latest.month) < (date.year, date.month):
        return _open(community, date.year, date.month, 0, actor)
    year, month = latest.year + (latest.month == 12), latest.month % 12 + 1
    return _open(community, year, month, 0, actor)


def record_donation(
    community: Community,
    *,
    amount_fen: int,
    donor_label: str,
    receipt_no: str,
    purpose: str,
    date: datetime.date,
    actor,
) -> Entry:
    """Post a donation as an income entry of category 捐赠 (e.g. a green-plot donation).

    It goes into the period of the donation's month, opened if needed. If that month is
    already submitted or closed, it goes into the next period still being kept (dated the
    first day of that period, the donation's own date in the description): closed books are
    never changed. `donor_label` is shown publicly, so pass "匿名" for an anonymous donor.
    `actor` is the staff member recording it, or None for the platform itself.
    """
    if actor is not None:
        _require_staff(community.pk, actor)
    if not isinstance(date, datetime.date) or isinstance(date, datetime.datetime):
        raise ValidationError(_("请填写捐赠日期"))
    if not isinstance(amount_fen, int) or isinstance(amount_fen, bool) or amount_fen <= 0:
        raise ValidationError(_("捐赠金额必须大于零"))
    purpose = (purpose or "").strip() or _("捐赠")
    with transaction.atomic():
        Community.objects.select_for_update().filter(pk=community.pk).first()
        ensure_categories(community)
        period = _donation_period(community, date, actor)
        entry_date = date
        description = purpose
        if (period.year, period.month) != (date.year, date.month):
            entry_date = datetime.date(period.year, period.month, 1)
            description = _("%(p)s（%(d)s 收到，该月账目已结账，记入本期）") % {
                "p": purpose,
                "d": date.isoformat(),
            }
        fields = clean_entry(
            period,
            date=entry_date,
            direction=Direction.INCOME,
            category=DONATION_CATEGORY,
            amount_fen=amount_fen,
            description=description[:300],
            counterparty=(donor_label or "").strip()[:100] or _("匿名"),
            receipt_no=(receipt_no or "").strip(),
        )
        period = _editable(period)
        entry = Entry.objects.create(
            period=period, created_by=actor, source=EntrySource.DONATION, **fields
        )
        _refresh(period)
        record(
            actor,
            "finance.record_donation",
            entry,
            community=community,
            after=_entry_summary(entry),
        )
    return entry


# ---- Excel import --------------------------------------------------------------------------------
@dataclass
class ImportResult:
    added: int
    skipped: int


def import_key(fields: dict, repeat: int) -> str:
    """A row's fingerprint; `repeat` tells apart identical rows of the same file."""
    text = "|".join(
        [
            fields["date"].isoformat(),
            fields["direction"],
            fields["category"].name,
            str(fields["amount_fen"]),
            fields["counterparty"],
            fields["description"],
            fields["receipt_no"],
            str(repeat),
        ]
    )
    return hashlib.sha256(text.encode()).hexdigest()


def _post_rows(period: Period, rows: list[dict], label: str, actor) -> ImportResult:
    """Write checked rows as entries of `period` (locked and editable), skipping rows posted
    before (same content, same repeat number); one audit event for the batch."""
    period = _editable(period)
    seen: dict[str, int] = {}
    keyed = []
    for fields in rows:
        base = import_key(fields, 0)
        seen[base] = seen.get(base, 0) + 1
        keyed.append((import_key(fields, seen[base]), fields))
    existing = set(
        period.entries.filter(import_key__in=[k for k, _f in keyed]).values_list(
            "import_key", flat=True
        )
    )
    new = [
        Entry(period=period, created_by=actor, source=EntrySource.IMPORT, import_key=key, **fields)
        for key, fields in keyed
        if key not in existing
    ]
    Entry.objects.bulk_create(new)
    _refresh(period)
    result = ImportResult(added=len(new), skipped=len(keyed) - len(new))
    record(
        actor,
        "finance.import_entries",
        period,
        community=period.community,
        after=_summary(period),
        extra={"file": label[:200], "added": result.added, "skipped": result.skipped},
    )
    return result


def do_import_entries(period: Period, data: bytes, filename: str, *, actor) -> ImportResult:
    """Import a month's entries from .xlsx. Every row is checked before anything is written;
    any bad row refuses the whole file with every problem by row number. Rows imported
    before (same content) are skipped, so importing the same file twice adds nothing."""
    from .importing import read_entries

    _require_staff(period.community_id, actor)
    if not period.is_editable:
        _editable(period)  # raises the frozen message
    rows = read_entries(period, data, filename)
    with transaction.atomic():
        return _post_rows(period, rows, filename, actor)


def do_add_entries(period: Period, rows: list[dict], *, label: str, actor) -> ImportResult:
    """Add many entries at once (rows of `do_add_entry`'s keywords), all or none, with the
    import's idempotency: posting the same rows again adds nothing."""
    _require_staff(period.community_id, actor)
    errors, cleaned = [], []
    for number, row in enumerate(rows, start=1):
        try:
            cleaned.append(clean_entry(period, **row))
        except ValidationError as exc:
            errors += [_("第 %(n)d 笔：%(p)s") % {"n": number, "p": m} for m in exc.messages]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        return _post_rows(period, cleaned, label, actor)


# ---- assets --------------------------------------------------------------------------------------
ASSET_FIELDS = (
    "name",
    "kind",
    "location",
    "quantity",
    "value_fen",
    "manager_name",
    "manager_user",
    "acquired_on",
    "state",
    "state_note",
)


def _asset_summary(asset: Asset) -> dict:
    out = {name: getattr(asset, name) for name in ASSET_FIELDS if name != "manager_user"}
    out["manager_user"] = asset.manager_user_id
    if out["acquired_on"]:
        out["acquired_on"] = out["acquired_on"].isoformat()
    return out


def find_manager(community: Community, phone: str) -> User | None:
    """The login with this phone that belongs to the community (its staff or a resident)."""
    phone = (phone or "").strip()
    if not phone:
        return None
    user = User.objects.filter(phone=phone, is_active=True).first()
    if user is not None:
        is_staff = Role.objects.filter(user=user).filter(
            Q(community=community) | Q(subdistrict_id=community.subdistrict_id)
        )
        is_resident = Resident.objects.filter(user=user, community=community)
        if is_staff.exists() or is_resident.exists():
            return user
    raise ValidationError(_("手机号 %(p)s 不是本社区工作人员或居民的账号") % {"p": phone})


def _clean_asset(community: Community, fields: dict) -> dict:
    errors = []
    out = {}
    for name in ("name", "location", "manager_name", "state_note"):
        out[name] = (fields.get(name) or "").strip()
    if not out["name"]:
        errors.append(_("请填写资产名称"))
    elif len(out["name"]) > 100:
        errors.append(_("名称不能超过 100 个字"))
    if len(out["location"]) > 200:
        errors.append(_("存放地点不能超过 200 个字"))
    if not out["manager_name"]:
        errors.append(_("请填写管理人"))
    elif len(out["manager_name"]) > 50:
        errors.append(_("管理人不能超过 50 个字"))
    if len(out["state_note"]) > 300:
        errors.append(_("状态说明不能超过 300 个字"))
    out["kind"] = fields.get("kind")
    if out["kind"] not in AssetKind.values:
        errors.append(_("请选择资产类型"))
    out["state"] = fields.get("state") or AssetState.IN_USE
    if out["state"] not in AssetState.values:
        errors.append(_("请选择资产状态"))
    elif out["state"] == AssetState.DISPOSED and not out["state_note"]:
        errors.append(_("资产已处置时，请在状态说明中写明处置方式和依据"))
    quantity = fields.get("quantity", 1)
    if not isinstance(quantity, int) or isinstance(quantity, bool) or not 1 <= quantity <= 100000:
        errors.append(_("数量应在 1 到 100000 之间"))
    out["quantity"] = quantity
    value = fields.get("value_fen")
    if value is not None and (not isinstance(value, int) or not 0 <= value < MAX_FEN):
        errors.append(_("价值不正确"))
    out["value_fen"] = value
    acquired = fields.get("acquired_on")
    if acquired is not None and acquired > timezone.localdate():
        errors.append(_("取得日期不能晚于今天"))
    out["acquired_on"] = acquired
    manager = fields.get("manager_user")
    if manager is not None and not isinstance(manager, User):
        try:
            manager = find_manager(community, manager)
        except ValidationError as exc:
            errors.extend(exc.messages)
            manager = None
    out["manager_user"] = manager
    if errors:
        raise ValidationError(errors)
    return out


def do_create_asset(community: Community, *, actor, **fields) -> Asset:
    """Register a room, piece of equipment or vehicle with who manages it."""
    _require_staff(community.pk, actor)
    values = _clean_asset(community, fields)
    with transaction.atomic():
        asset = Asset.objects.create(community=community, **values)
        record(
            actor, "finance.create_asset", asset, community=community, after=_asset_summary(asset)
        )
    return asset


def do_update_asset(asset: Asset, *, actor, **fields) -> Asset:
    _require_staff(asset.community_id, actor)
    values = _clean_asset(asset.community, fields)
    with transaction.atomic():
        asset = Asset.objects.select_for_update().select_related("community").get(pk=asset.pk)
        before = _asset_summary(asset)
        for name, value in values.items():
            setattr(asset, name, value)
        asset.save()
        record(
            actor,
            "finance.update_asset",
            asset,
            community=asset.community,
            before=before,
            after=_asset_summary(asset),
        )
    return asset
