import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import crypto, idnumber


class City(models.Model):
    """A city (市) above subdistricts: the scope of a city administrator's dashboard."""

    name = models.CharField(_("名称"), max_length=100)
    code = models.SlugField(_("代码"), max_length=20, unique=True)

    class Meta:
        verbose_name = _("城市")
        verbose_name_plural = _("城市")
        ordering = ["code"]

    def __str__(self):
        return self.name


class Subdistrict(models.Model):
    city = models.ForeignKey(
        City,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="subdistricts",
        verbose_name=_("城市"),
    )
    name = models.CharField(_("名称"), max_length=100)
    code = models.SlugField(_("代码"), max_length=20, unique=True)
    district = models.CharField(_("所属区"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("街道")
        verbose_name_plural = _("街道")
        ordering = ["code"]

    def __str__(self):
        return self.name


class Community(models.Model):
    subdistrict = models.ForeignKey(
        Subdistrict,
        on_delete=models.PROTECT,
        related_name="communities",
        verbose_name=_("街道"),
    )
    name = models.CharField(_("名称"), max_length=100)
    code = models.CharField(
        _("代码"),
        max_length=12,
        unique=True,
        help_text=_("简短代码，如湖东社区为 HD；用于命令和网址"),
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    introduction = models.TextField(_("简介"), blank=True)

    class Meta:
        verbose_name = _("社区")
        verbose_name_plural = _("社区")
        ordering = ["subdistrict_id", "code"]

    def __str__(self):
        return self.name


class Grid(models.Model):
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="grids")
    name = models.CharField(_("名称"), max_length=100)

    class Meta:
        verbose_name = _("网格")
        verbose_name_plural = _("网格")
        constraints = [
            models.UniqueConstraint(fields=["community", "name"], name="grid_unique_name"),
        ]

    def __str__(self):
        return self.name


class Building(models.Model):
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="buildings")
    grid = models.ForeignKey(
        Grid, on_delete=models.SET_NULL, null=True, blank=True, related_name="buildings"
    )
    name = models.CharField(_("楼栋"), max_length=50)

    class Meta:
        verbose_name = _("楼栋")
        verbose_name_plural = _("楼栋")
        ordering = ["community_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["community", "name"], name="building_unique_name"),
        ]

    def __str__(self):
        return self.name


class Household(models.Model):
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="households")
    building = models.ForeignKey(Building, on_delete=models.PROTECT, related_name="households")
    door = models.CharField(_("门牌号"), max_length=30)

    class Meta:
        verbose_name = _("户")
        verbose_name_plural = _("户")
        ordering = ["building_id", "door"]
        constraints = [
            models.UniqueConstraint(fields=["building", "door"], name="household_unique_door"),
        ]

    def __str__(self):
        return f"{self.building.name} {self.door}"


class Gender(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


class PoliticalStatus(models.TextChoices):
    MASSES = "masses", _("群众")
    PARTY_MEMBER = "party_member", _("中共党员")
    PROBATIONARY = "probationary", _("中共预备党员")
    LEAGUE_MEMBER = "league_member", _("共青团员")
    OTHER_PARTY = "other_party", _("民主党派")


class FiveOlds(models.TextChoices):
    NONE = "", _("无")
    RETIRED_CADRE = "retired_cadre", _("老干部")
    PARTY_MEMBER = "party_member", _("老党员")
    TEACHER = "teacher", _("老教师")
    EXPERT = "expert", _("老专家")
    WORKER = "worker", _("老工人")


class Resident(models.Model):
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="residents")
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, null=True, blank=True, related_name="members"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="resident",
    )
    name = models.CharField(_("姓名"), max_length=50)
    name_initials = models.CharField(_("拼音首字母"), max_length=50, db_index=True, blank=True)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices)
    birth_date = models.DateField(_("出生日期"))
    id_number_encrypted = models.TextField(_("身份证号（加密）"))
    id_number_hash = models.CharField(max_length=64, db_index=True)
    id_number_masked = models.CharField(_("身份证号"), max_length=18)
    id_tail = models.CharField(max_length=4, db_index=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True, db_index=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    political_status = models.CharField(
        _("政治面貌"),
        max_length=20,
        choices=PoliticalStatus.choices,
        default=PoliticalStatus.MASSES,
    )
    lives_alone_elderly = models.BooleanField(_("独居老人"), default=False)
    disability = models.BooleanField(_("残疾"), default=False)
    low_income = models.BooleanField(_("低保"), default=False)
    five_olds = models.CharField(
        _("五老"), max_length=20, choices=FiveOlds.choices, default="", blank=True
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)
    # A resident who moved away; erased_at: their personal fields were removed (pseudonymised,
    # see registry/rights.py do_erase_resident), the row stays for votes, books and records.
    moved_out_on = models.DateField(_("迁出日期"), null=True, blank=True)
    erased_at = models.DateTimeField(_("注销时间"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("居民")
        verbose_name_plural = _("居民")
        ordering = ["community_id", "name_initials", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "id_number_hash"], name="resident_unique_id_number"
            ),
        ]

    def __str__(self):
        return self.name

    def set_id_number(self, value: str) -> None:
        """Store a validated ID number: encrypted, keyed hash, mask; derive birth and gender."""
        self.id_number_encrypted = crypto.encrypt(value)
        self.id_number_hash = crypto.lookup_hash(value)
        self.id_number_masked = idnumber.mask(value)
        self.id_tail = value[-4:]
        self.birth_date = idnumber.birth_date(value)
        self.gender = idnumber.gender(value)

    def reveal_id_number(self) -> str:
        """Decrypt. Call only through actions.do_reveal_id_number, which audits it."""
        return crypto.decrypt(self.id_number_encrypted)

    @property
    def is_party_member(self) -> bool:
        return self.political_status in (PoliticalStatus.PARTY_MEMBER, PoliticalStatus.PROBATIONARY)

    def age(self, on=None) -> int:
        import datetime

        on = on or datetime.date.today()
        b = self.birth_date
        return on.year - b.year - ((on.month, on.day) < (b.month, b.day))


class CorrectionField(models.TextChoices):
    """The registry fields a resident may ask to have corrected."""

    NAME = "name", _("姓名")
    PHONE = "phone", _("联系电话")
    ADDRESS = "address", _("住址")
    ID_NUMBER = "id_number", _("身份证号")


class CorrectionStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    APPROVED = "approved", _("已更正")
    DECLINED = "declined", _("未更正")


class DataCorrection(models.Model):
    """A resident's request to correct one field of their registry row (PIPL art. 46).

    A worker of the community approves it (the change goes through the registry's update
    action, with its checks and its audit) or declines it with a reply. A new ID number is
    kept encrypted; `shown_value` is what pages show (masked for an ID number)."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+")
    resident = models.ForeignKey(
        Resident, on_delete=models.CASCADE, related_name="data_corrections"
    )
    field = models.CharField(_("要更正的项目"), max_length=20, choices=CorrectionField.choices)
    new_value = models.TextField(_("正确的内容"))
    shown_value = models.CharField(max_length=200)
    reason = models.CharField(_("说明"), max_length=500, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=CorrectionStatus.choices, default=CorrectionStatus.OPEN
    )
    reply = models.CharField(_("答复"), max_length=500, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("信息更正申请")
        verbose_name_plural = _("信息更正申请")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["community", "status"], name="correction_open")]

    def __str__(self):
        return f"{self.get_field_display()} #{self.pk}"


class LocalUnit(models.Model):
    class Kind(models.TextChoices):
        BUSINESS = "business", _("企业")
        SCHOOL = "school", _("学校")
        INSTITUTION = "institution", _("机关事业单位")
        SOCIAL_ORG = "social_org", _("社会组织")
        SHOP = "shop", _("商户")
        OTHER = "other", _("其他")

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="local_units")
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices, default=Kind.BUSINESS)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("辖区单位")
        verbose_name_plural = _("辖区单位")
        ordering = ["community_id", "name"]

    def __str__(self):
        return self.name


class ImportStatus(models.TextChoices):
    VALIDATED = "validated", _("已检查，待确认")
    INVALID = "invalid", _("有错误，未导入")
    IMPORTING = "importing", _("正在导入")
    DONE = "done", _("已完成")
    FAILED = "failed", _("中断")


# Allowed moves of ImportJob.status. importing -> importing takes over a stalled run.
IMPORT_TRANSITIONS = {
    ImportStatus.VALIDATED: {ImportStatus.IMPORTING},
    ImportStatus.INVALID: set(),
    ImportStatus.IMPORTING: {ImportStatus.DONE, ImportStatus.FAILED, ImportStatus.IMPORTING},
    ImportStatus.FAILED: {ImportStatus.IMPORTING},
    ImportStatus.DONE: set(),
}


IMPORT_STALLED_AFTER = datetime.timedelta(minutes=10)


class InvalidTransition(ValueError):
    pass


class ImportJob(models.Model):
    """One uploaded roster: its check result, then the import's progress.

    The file is kept encrypted (`data`) only while it may still be imported; it is emptied
    when the import is done, and never kept for a file with errors.
    """

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="import_jobs")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    filename = models.CharField(_("文件名"), max_length=200)
    data = models.BinaryField(default=b"", editable=False)
    status = models.CharField(_("状态"), max_length=12, choices=ImportStatus.choices)
    total_rows = models.PositiveIntegerField(_("行数"), default=0)
    processed_rows = models.PositiveIntegerField(_("已处理"), default=0)
    bad_rows = models.PositiveIntegerField(_("有问题的行"), default=0)
    counts = models.JSONField(default=dict)
    errors = models.JSONField(default=list)  # the first MAX_SHOWN_ERRORS problems
    ignored_columns = models.JSONField(default=list)
    message = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    MAX_SHOWN_ERRORS = 500

    class Meta:
        verbose_name = _("导入任务")
        verbose_name_plural = _("导入任务")
        ordering = ["-created_at"]

    def __str__(self):
        return self.filename

    def read_file(self) -> bytes:
        return crypto.decrypt_bytes(self.data)

    @property
    def is_stalled(self) -> bool:
        """Importing, but no batch written for a while (the server restarted mid-import)."""
        return (
            self.status == ImportStatus.IMPORTING
            and self.updated_at < timezone.now() - IMPORT_STALLED_AFTER
        )

    def move_to(self, status: str, **fields) -> bool:
        """Change status if the table allows it and nobody changed it first (compare-and-set).

        Returns False when another process moved the job already (or, for importing ->
        importing, when the run is not stalled); raises InvalidTransition for a move the
        table forbids.
        """
        if status not in IMPORT_TRANSITIONS[self.status]:
            raise InvalidTransition(f"{self.status} -> {status}")
        now = timezone.now()
        match = {"pk": self.pk, "status": self.status}
        if status == self.status:
            match["updated_at__lt"] = now - IMPORT_STALLED_AFTER
        fields["updated_at"] = now
        moved = ImportJob.objects.filter(**match).update(status=status, **fields)
        if moved:
            self.status = status
            for name, value in fields.items():
                setattr(self, name, value)
        return bool(moved)
