"""What the Moral Bank holds about a resident: their accounts, every posting (the passbook
lines), neighbourly help given and received, redemptions (see registry/personal_data.py).

Posted entries and postings are never changed (PostgreSQL triggers): an erasure leaves the
book as it is, so it still balances; only pending entries' memos can be scrubbed. A posted
gift's memo ("转赠给<name>") keeps the recipient's name: see rights.RETAINED."""

from django.db.models import Q
from django.utils.translation import gettext as _

from zizhi.registry.personal_data import scrub, section

from .actions.ledger import hours
from .models import Account, Entry, EntryStatus, Help, Posting, Redemption


def export(resident) -> list[dict]:
    accounts = list(Account.objects.filter(resident=resident).select_related("community", "branch"))
    postings = (
        Posting.objects.filter(account__in=accounts)
        .select_related("entry", "account__community")
        .order_by("account_id", "entry__decided_at", "id")
    )
    helps = (
        Help.objects.filter(Q(helper=resident) | Q(neighbour=resident))
        .select_related("helper", "neighbour")
        .order_by("service_date", "id")
    )
    redemptions = (
        Redemption.objects.filter(account__in=accounts).select_related("offer").order_by("id")
    )
    return [
        section(
            "bank_accounts",
            _("道德银行账户"),
            [
                ("number", _("账号")),
                ("branch", _("储蓄所")),
                ("balance", _("余额")),
                ("opened", _("开户时间")),
            ],
            [
                {
                    "number": a.number,
                    "branch": a.branch.name if a.branch_id else "",
                    "balance": hours(a.balance),
                    "opened": a.created_at,
                }
                for a in accounts
            ],
        ),
        section(
            "passbook",
            _("存折明细"),
            [
                ("account", _("账号")),
                ("entry", _("凭证号")),
                ("at", _("时间")),
                ("kind", _("类别")),
                ("memo", _("摘要")),
                ("minutes", _("分钟")),
            ],
            [
                {
                    "account": p.account.number,
                    "entry": p.entry.number,
                    "at": p.entry.decided_at or p.entry.created_at,
                    "kind": p.entry.get_kind_display(),
                    "memo": p.entry.memo,
                    "minutes": p.minutes,
                }
                for p in postings
            ],
        ),
        section(
            "help",
            _("邻里互助"),
            [
                ("role", _("我是")),
                ("date", _("日期")),
                ("minutes", _("分钟")),
                ("content", _("内容")),
                ("status", _("状态")),
            ],
            [
                {
                    "role": _("帮助人") if h.helper_id == resident.pk else _("受助人"),
                    "date": h.service_date,
                    "minutes": h.minutes,
                    "content": h.content,
                    "status": h.get_status_display(),
                }
                for h in helps
            ],
        ),
        section(
            "redemptions",
            _("兑换"),
            [
                ("offer", _("兑换项目")),
                ("minutes", _("分钟")),
                ("status", _("状态")),
                ("at", _("时间")),
            ],
            [
                {
                    "offer": r.offer.title,
                    "minutes": r.minutes,
                    "status": r.get_status_display(),
                    "at": r.created_at,
                }
                for r in redemptions
            ],
        ),
    ]


def erase(resident, *, actor) -> int:
    """Accounts, balances and postings stay (the book must balance); the honour roll no longer
    lists the person; help texts, redemption notes and pending memos are scrubbed."""
    accounts = Account.objects.filter(resident=resident)
    changed = accounts.filter(on_honour_roll=True).update(on_honour_roll=False)
    helps = Help.objects.filter(Q(helper=resident) | Q(neighbour=resident))
    changed += scrub(helps, ["content", "reason"], resident)
    changed += scrub(Redemption.objects.filter(account__in=accounts), ["note"], resident)
    pending = Entry.objects.filter(status=EntryStatus.PENDING, postings__isnull=True)
    changed += scrub(pending.filter(community=resident.community), ["memo", "reason"], resident)
    return changed
