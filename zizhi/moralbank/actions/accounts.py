"""Opening accounts: a depositor's personal account, a branch with its issuing and clearing
accounts, a community's donation pool."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from zizhi.audit.log import record

from ..access import require_staff
from ..models import Account, AccountKind, Branch, Clerk
from .ledger import refuse


def pool_of(community) -> Account:
    """The community's donation pool (opened on first use)."""
    try:
        with transaction.atomic():
            pool, _made = Account.objects.get_or_create(community=community, kind=AccountKind.POOL)
    except IntegrityError:  # opened by a concurrent request
        pool = Account.objects.get(community=community, kind=AccountKind.POOL)
    return pool


def do_open_branch(community, *, name: str, kind: str, actor, association=None) -> Branch:
    require_staff(actor, community.pk)
    if not name.strip():
        refuse(_("请填写储蓄所名称"))
    if Branch.objects.filter(community=community, name=name.strip()).exists():
        refuse(_("本社区已有同名的储蓄所"))
    with transaction.atomic():
        branch = Branch.objects.create(
            community=community, name=name.strip(), kind=kind, association=association
        )
        for account_kind in (AccountKind.ISSUING, AccountKind.CLEARING):
            Account.objects.create(community=community, kind=account_kind, branch=branch)
        record(actor, "moralbank.open_branch", branch, community=community, after={"name": name})
    return branch


def do_add_clerk(branch: Branch, user, *, actor, started_on: datetime.date) -> Clerk:
    require_staff(actor, branch.community_id)
    if Clerk.objects.filter(branch=branch, user=user, ended_on__isnull=True).exists():
        refuse(_("此人已是该储蓄所的管理员"))
    with transaction.atomic():
        clerk = Clerk.objects.create(branch=branch, user=user, started_on=started_on)
        record(
            actor,
            "moralbank.add_clerk",
            branch,
            community=branch.community,
            after={"clerk": str(user)},
        )
    return clerk


def do_open_account(resident, *, actor, guardian=None) -> Account:
    """A depositor's personal account (one per resident); a minor's names a guardian, a
    resident of the registry."""
    existing = Account.objects.filter(kind=AccountKind.PERSONAL, resident=resident).first()
    if existing is not None:
        return existing
    if guardian is not None and guardian.pk == resident.pk:
        refuse(_("监护人不能是本人"))
    with transaction.atomic():
        try:
            with transaction.atomic():
                account = Account.objects.create(
                    community=resident.community,
                    kind=AccountKind.PERSONAL,
                    resident=resident,
                    guardian=guardian,
                )
        except IntegrityError:  # opened by a concurrent request
            return Account.objects.get(kind=AccountKind.PERSONAL, resident=resident)
        record(
            actor,
            "moralbank.open_account",
            account,
            community=resident.community,
            after={"depositor": resident.name},
        )
    return account


def issuing_account(branch: Branch) -> Account:
    return Account.objects.get(branch=branch, kind=AccountKind.ISSUING)


def clearing_account(branch: Branch) -> Account:
    return Account.objects.get(branch=branch, kind=AccountKind.CLEARING)


def do_set_honour_roll(account: Account, *, shown: bool, actor) -> Account:
    """The depositor agrees (or no longer agrees) to be named on the public honour roll."""
    if account.kind != AccountKind.PERSONAL or account.resident.user_id != actor.pk:
        raise PermissionDenied
    with transaction.atomic():
        Account.objects.filter(pk=account.pk).update(on_honour_roll=shown)
        account.on_honour_roll = shown
        record(
            actor,
            "moralbank.honour_roll",
            account,
            community=account.community,
            after={"shown": shown},
        )
    return account
