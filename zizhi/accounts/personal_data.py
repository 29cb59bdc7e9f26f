"""What accounts hold about a resident: the login, its API tokens, the inbox (see
registry/personal_data.py for the contract)."""

from django.utils.translation import gettext as _

from zizhi.registry.personal_data import pseudonym, section

from .models import ApiToken, InboxMessage, User


def export(resident) -> list[dict]:
    user = resident.user
    if user is None:
        return []
    login = {
        "phone": user.phone,
        "name": user.name,
        "active": _("是") if user.is_active else _("否"),
        "large_text": _("是") if user.large_text else _("否"),
        "joined": user.date_joined,
        "last_login": user.last_login,
    }
    tokens = ApiToken.objects.filter(user=user).values(
        "name", "prefix", "created_at", "last_used_at", "revoked_at"
    )
    inbox = InboxMessage.objects.filter(user=user).values(
        "subject", "body", "created_at", "read_at"
    )
    return [
        section(
            "account",
            _("登录账号"),
            [
                ("phone", _("登录手机号")),
                ("name", _("姓名")),
                ("active", _("启用")),
                ("large_text", _("大字模式")),
                ("joined", _("开通时间")),
                ("last_login", _("上次登录")),
            ],
            [login],
        ),
        section(
            "api_tokens",
            _("API 令牌"),
            [
                ("name", _("名称")),
                ("prefix", _("开头")),
                ("created_at", _("创建时间")),
                ("last_used_at", _("上次使用")),
                ("revoked_at", _("吊销时间")),
            ],
            list(tokens),
        ),
        section(
            "inbox",
            _("站内消息"),
            [
                ("subject", _("标题")),
                ("body", _("内容")),
                ("created_at", _("时间")),
                ("read_at", _("已读")),
            ],
            list(inbox),
        ),
    ]


def erase(resident, *, actor) -> int:
    """The login is switched off and anonymised: the phone is freed for someone else, the
    password made unusable (every session of it ends), tokens revoked, inbox and the lockout
    records of the phone deleted."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    user = resident.user
    if user is None:
        return 0
    phone = user.phone
    changed = InboxMessage.objects.filter(user=user).delete()[0]
    changed += ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    changed += User.objects.filter(pk=user.pk).update(
        phone=f"erased-{user.pk}",
        name=pseudonym(resident),
        is_active=False,
        password=make_password(None),
        large_text=False,
    )
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        changed += model.objects.filter(username=phone).delete()[0]
    return changed
