import hashlib
import secrets

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zizhi.registry.models import City, Community, Resident, Subdistrict


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, phone, password=None, **extra):
        if not phone:
            raise ValueError("phone is required")
        user = self.model(phone=phone, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, phone, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(phone, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A login. Residents link to one through Resident.user; staff hold Roles."""

    phone = models.CharField(_("手机号"), max_length=20, unique=True)
    name = models.CharField(_("姓名"), max_length=50)
    is_active = models.BooleanField(_("启用"), default=True)
    is_staff = models.BooleanField(_("可进入管理后台"), default=False)
    large_text = models.BooleanField(_("大字模式"), default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()
    USERNAME_FIELD = "phone"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self):
        return f"{self.name} ({self.phone[:3]}****{self.phone[-4:]})"


class RoleKind(models.TextChoices):
    SUBDISTRICT_ADMIN = "subdistrict_admin", _("街道管理员")
    COMMUNITY_WORKER = "community_worker", _("社区工作者")
    CITY_ADMIN = "city_admin", _("市级管理员")


class Role(models.Model):
    """A staff role held in a scope: a city, a subdistrict or a community.

    A city administrator sees the city's dashboard and reports (figures, never a person's
    data): the subdistricts and communities they count are theirs to read in figures only.

    Residents hold no Role: being linked to a Resident is their role. Later apps add
    memberships of bodies (Party branch, assembly) that the access layer reads the same way.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    kind = models.CharField(_("角色"), max_length=30, choices=RoleKind.choices)
    subdistrict = models.ForeignKey(
        Subdistrict, on_delete=models.CASCADE, null=True, blank=True, related_name="roles"
    )
    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, null=True, blank=True, related_name="roles"
    )
    city = models.ForeignKey(
        City, on_delete=models.CASCADE, null=True, blank=True, related_name="roles"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("角色")
        verbose_name_plural = _("角色")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(
                        kind="subdistrict_admin",
                        subdistrict__isnull=False,
                        community__isnull=True,
                        city__isnull=True,
                    )
                    | models.Q(
                        kind="community_worker",
                        community__isnull=False,
                        subdistrict__isnull=True,
                        city__isnull=True,
                    )
                    | models.Q(
                        kind="city_admin",
                        city__isnull=False,
                        community__isnull=True,
                        subdistrict__isnull=True,
                    )
                ),
                name="role_scope_matches_kind",
            ),
            models.UniqueConstraint(
                fields=["user", "kind", "subdistrict", "community", "city"], name="role_unique"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.community or self.subdistrict or self.city}"


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class ActivationCode(models.Model):
    """A one-time code a worker prints or reads out so a resident can open an account."""

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="activations")
    code_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    failed_attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("激活码")
        verbose_name_plural = _("激活码")

    @staticmethod
    def new_code() -> str:
        """8 digits, easy to read out over the phone."""
        return f"{secrets.randbelow(10**8):08d}"

    @staticmethod
    def hash_code(code: str) -> str:
        return _digest(code)

    @property
    def usable(self) -> bool:
        return self.used_at is None and self.expires_at > timezone.now()


class ApiToken(models.Model):
    """A bearer token for programs. Only its SHA-256 is stored; the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("名称"), max_length=100)
    prefix = models.CharField(max_length=8)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")

    @staticmethod
    def new_key() -> str:
        return "zz_" + secrets.token_urlsafe(32)

    @staticmethod
    def hash_key(key: str) -> str:
        return _digest(key)


class InboxMessage(models.Model):
    """A message in a user's in-app inbox (meeting notices, requests to act ...)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="inbox")
    subject = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("站内消息")
        verbose_name_plural = _("站内消息")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "read_at"], name="inbox_unread")]
