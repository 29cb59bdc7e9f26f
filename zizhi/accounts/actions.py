"""Account changes: activation codes, activation, roles, API tokens. Each is audited."""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from zizhi.audit.log import record
from zizhi.registry.models import Resident

from .access import access_for
from .models import ActivationCode, ApiToken, Role, RoleKind

User = get_user_model()
ACTIVATION_DAYS = 14
MAX_CODE_ATTEMPTS = 5


def do_issue_activation_code(resident: Resident, *, actor) -> str:
    """A worker of the resident's community issues a one-time code; returns it (shown once)."""
    if resident.community_id not in access_for(actor).community_ids:
        raise PermissionDenied
    if resident.user_id:
        raise ValidationError(_("该居民已经开通账号"))
    if not resident.phone:
        raise ValidationError(_("该居民没有登记手机号，请先补登手机号"))
    with transaction.atomic():
        ActivationCode.objects.filter(resident=resident, used_at__isnull=True).update(
            expires_at=timezone.now()
        )
        while True:
            code = ActivationCode.new_code()
            if not ActivationCode.objects.filter(code_hash=ActivationCode.hash_code(code)).exists():
                break
        activation = ActivationCode.objects.create(
            resident=resident,
            code_hash=ActivationCode.hash_code(code),
            created_by=actor,
            expires_at=timezone.now() + datetime.timedelta(days=ACTIVATION_DAYS),
        )
        record(
            actor,
            "account.issue_activation_code",
            resident,
            community=resident.community,
            extra={"expires_at": activation.expires_at.isoformat()},
        )
    return code


def do_activate_account(phone: str, code: str, password: str) -> User:
    """A resident opens their account with the code; the phone must match the registry.

    A wrong phone counts against the code (5 strikes expire it), and the count is kept
    even though the activation fails.
    """
    error = ValidationError(_("手机号或激活码不对，或激活码已过期。请联系社区工作人员。"))
    with transaction.atomic():
        activation = (
            ActivationCode.objects.select_for_update()
            .select_related("resident__community")
            .filter(code_hash=ActivationCode.hash_code(code))
            .first()
        )
        if activation is None or not activation.usable:
            raise error
        resident = activation.resident
        wrong_phone = resident.phone != phone or resident.user_id is not None
        if wrong_phone:
            activation.failed_attempts += 1
            if activation.failed_attempts >= MAX_CODE_ATTEMPTS:
                activation.expires_at = timezone.now()
            activation.save(update_fields=["failed_attempts", "expires_at"])
            record(
                None,
                "account.activation_failed",
                resident,
                community=resident.community,
                extra={"attempts": activation.failed_attempts},
            )
        elif User.objects.filter(phone=phone).exists():
            raise ValidationError(_("这个手机号已经有账号了，请直接登录。"))
        else:
            user = User.objects.create_user(phone=phone, password=password, name=resident.name)
            resident.user = user
            resident.save(update_fields=["user", "updated_at"])
            activation.used_at = timezone.now()
            activation.save(update_fields=["used_at"])
            record(user, "account.activate", resident, community=resident.community)
    if wrong_phone:
        raise error
    return user


def do_grant_role(user, kind: str, *, scope, actor) -> Role:
    """Grant a staff role in a community or a subdistrict (by a subdistrict admin or superuser)."""
    access = access_for(actor)
    if kind == RoleKind.COMMUNITY_WORKER:
        allowed = actor.is_superuser or scope.subdistrict_id in access.subdistrict_ids
        fields = {"community": scope}
        audit_scope = {"community": scope}
    else:
        allowed = actor.is_superuser or scope.pk in access.subdistrict_ids
        fields = {"subdistrict": scope}
        audit_scope = {"subdistrict": scope}
    if not allowed:
        raise PermissionDenied
    with transaction.atomic():
        role, _created = Role.objects.get_or_create(user=user, kind=kind, **fields)
        record(
            actor,
            "account.grant_role",
            user,
            after={"role": kind, "scope": str(scope)},
            **audit_scope,
        )
    return role


def do_create_api_token(name: str, *, actor) -> str:
    """Create a bearer token for the acting user; the token is returned once, never stored."""
    key = ApiToken.new_key()
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=actor, name=name[:100], prefix=key[3:9], key_hash=ApiToken.hash_key(key)
        )
        record(actor, "account.create_api_token", token, object_type="accounts.apitoken")
    return key


def do_set_large_text(user, on: bool) -> None:
    """Remember the large-text choice on the account."""
    if user.large_text != on:
        with transaction.atomic():
            user.large_text = on
            user.save(update_fields=["large_text"])
            record(user, "account.set_large_text", user, after={"large_text": on})


def do_revoke_api_token(token_id, *, actor) -> ApiToken:
    """Revoke one of the acting user's tokens; 404 alike for missing and not theirs.

    Revoking a revoked token changes nothing and writes no event.
    """
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().filter(pk=token_id, user_id=actor.pk).first()
        if token is None:
            raise Http404
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            record(actor, "account.revoke_api_token", token, object_type="accounts.apitoken")
    return token


def do_mark_inbox_read(*, actor) -> int:
    """Mark every unread message of the user read."""
    with transaction.atomic():
        count = actor.inbox.filter(read_at__isnull=True).update(read_at=timezone.now())
        if count:
            record(actor, "inbox.read", actor, extra={"messages": count})
    return count


def do_add_admin_device(phone: str, name: str, *, actor=None):
    """A TOTP authenticator for a superuser's admin login (django-otp); returns the device,
    whose `config_url` (otpauth://...) the person scans once. Run from the server's shell
    (`zizhi admin-device`), so the actor is usually the system."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = User.objects.filter(phone=phone).first()
    if user is None:
        raise ValidationError(_("没有这个手机号的账号"))
    if not (user.is_active and user.is_staff and user.is_superuser):
        raise ValidationError(_("只有启用的超级管理员可以进入管理后台（zizhi createsuperuser）"))
    with transaction.atomic():
        device = TOTPDevice.objects.create(user=user, name=name[:64], confirmed=True)
        record(actor, "account.add_admin_device", user, extra={"device": device.name})
    return device
