"""Changes to the registry. Each takes the acting user, checks access, and audits."""

import logging
from collections import defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zizhi.accounts.access import access_for, can_reveal_id_number
from zizhi.audit.log import record

from . import crypto, idnumber, roster
from .models import Building, Community, Grid, Household, ImportJob, ImportStatus, Resident
from .spreadsheets import write_xlsx

logger = logging.getLogger(__name__)


def do_reveal_id_number(resident: Resident, *, actor) -> str:
    """Show a full ID number to a staff member of the resident's community; audited."""
    if not can_reveal_id_number(actor, resident):
        raise PermissionDenied
    with transaction.atomic():
        record(actor, "resident.reveal_id_number", resident, community=resident.community)
    return resident.reveal_id_number()


# --- roster import and export ------------------------------------------------------------

BATCH_SIZE = 2000
FEW_VALUES = 20  # see _write_changes


def _require_staff(community: Community, actor, system: bool) -> None:
    """Staff of the community may import and export; `system` (the command run without
    --actor) is the only way to act without a user."""
    if actor is None:
        if not system:
            raise PermissionDenied
        return
    if community.id not in access_for(actor).community_ids:
        raise PermissionDenied


def do_upload_roster(community: Community, data: bytes, filename: str, *, actor) -> ImportJob:
    """Check an uploaded roster in full and keep the result as an ImportJob.

    A file that cannot be read raises SpreadsheetError and nothing is stored. A file with bad
    rows is stored as an invalid job with the problems but without the file itself.
    """
    _require_staff(community, actor, system=False)
    plan = roster.check(community, roster.read(data, filename))
    ok = not plan.errors
    with transaction.atomic():
        job = ImportJob.objects.create(
            community=community,
            created_by=actor,
            filename=filename[:200],
            data=crypto.encrypt_bytes(data) if ok else b"",
            status=ImportStatus.VALIDATED if ok else ImportStatus.INVALID,
            total_rows=plan.total_rows,
            bad_rows=plan.bad_rows,
            counts=plan.counts,
            errors=plan.errors[: ImportJob.MAX_SHOWN_ERRORS],
            ignored_columns=plan.ignored,
        )
        record(
            actor,
            "registry.upload_roster",
            job,
            community=community,
            extra={"filename": job.filename, "status": job.status, "rows": plan.total_rows},
        )
    return job


def do_import_residents(job_or_rows, *, actor, progress=None, system=False) -> dict:
    """Write a checked roster: an ImportJob (validated, or failed and re-run) or a Plan.

    Residents are upserted by (community, ID hash): new ones created, changed ones updated
    (only the changed fields), unchanged ones not written. Each batch of BATCH_SIZE rows is
    one transaction, so a failure keeps whole batches only and a re-run continues where it
    stopped. One audit event for the whole import. Returns the counts.
    """
    job = job_or_rows if isinstance(job_or_rows, ImportJob) else None
    community = job.community if job else job_or_rows.community
    _require_staff(community, actor, system)
    if job is None and job_or_rows.errors:
        raise ValidationError(_("文件中有 %(n)d 行有问题，没有导入") % {"n": job_or_rows.bad_rows})
    if job is not None and job.status != ImportStatus.IMPORTING:
        if not job.move_to(ImportStatus.IMPORTING, message=""):
            raise ValidationError(_("这个导入已经开始或已经完成了"))
    counts = {"new": 0, "updated": 0, "unchanged": 0}
    filename = job.filename if job else job_or_rows.filename
    try:
        if job is None:
            plan = job_or_rows
        else:  # check the kept file again, against the database as it is now
            plan = roster.check(community, roster.read(job.read_file(), job.filename))
        if plan.errors:
            raise ValidationError(_("文件中有 %(n)d 行有问题，没有导入") % {"n": plan.bad_rows})
        _write_plan(plan, counts, job, progress)
    except Exception:
        logger.exception("roster import failed: community %s, %s", community.code, filename)
        _record_failure(job, community, actor, filename, counts)
        raise
    extra = {"filename": filename, **counts}
    with transaction.atomic():
        record(
            actor, "registry.import_residents", job or community, community=community, extra=extra
        )
        if job is not None:
            job.move_to(ImportStatus.DONE, counts=counts, data=b"", finished_at=timezone.now())
    return counts


def _record_failure(job, community, actor, filename, counts) -> None:
    written = counts["new"] + counts["updated"]
    try:
        with transaction.atomic():
            extra = {"filename": filename, "status": "failed", **counts}
            record(
                actor,
                "registry.import_residents",
                job or community,
                community=community,
                extra=extra,
            )
            if job is not None:
                message = _("导入中断，已写入 %(n)d 人；可以再次点“继续导入”，已写入的不会重复") % {
                    "n": written
                }
                job.move_to(ImportStatus.FAILED, message=message, finished_at=timezone.now())
    except Exception:
        logger.exception("could not record the failed import")


def _write_plan(plan: roster.Plan, counts: dict, job, progress) -> None:
    community = plan.community
    places = _Places(community, plan.rows) if plan.has_household else None
    existing = roster.existing_residents(community, plan.fields)
    done = 0
    for start in range(0, len(plan.rows), BATCH_SIZE):
        chunk = plan.rows[start : start + BATCH_SIZE]
        now = timezone.now()
        # One transaction per batch, the grids, buildings and households it needs included: a
        # process killed at any moment leaves whole batches and no household made for a
        # batch that never came.
        with transaction.atomic():
            households = places.ensure(chunk) if places else {}
            creates, changes = [], []
            for row in chunk:
                old = existing.get(row.id_hash)
                if old is None:
                    creates.append(_new_resident(community, row, households))
                    continue
                changed = roster.diff(row, old, plan.has_household)
                if changed:
                    changes.append((old.id, _changed_values(row, changed, households)))
            Resident.objects.bulk_create(creates, batch_size=BATCH_SIZE)
            _write_changes(changes, now)
            done += len(chunk)
            if job is not None:
                ImportJob.objects.filter(pk=job.pk).update(processed_rows=done, updated_at=now)
        counts["new"] += len(creates)
        counts["updated"] += len(changes)
        counts["unchanged"] += len(chunk) - len(creates) - len(changes)
        if progress:
            progress(len(chunk))


def _changed_values(row: roster.Row, changed: list[str], households) -> dict:
    """{attname: new value} of one resident's changed fields."""
    values = {}
    for name in changed:
        if name == "household":
            values["household_id"] = households[row.household] if row.household else None
        else:
            values[name] = row.values[name]
    if "name" in changed:
        values["name_initials"] = row.initials
    return values


def _write_changes(changes: list[tuple[int, dict]], now) -> None:
    """Update only the changed fields of the changed residents.

    A field whose new values repeat (flags, political status, household) gets one UPDATE per
    value; a field of mostly distinct values (phone, name) one CASE update (bulk_update),
    which costs Django far more per row.
    """
    by_field: dict[str, dict] = defaultdict(dict)
    for pk, values in changes:
        for name, value in values.items():
            by_field[name][pk] = value
    stamped: set[int] = set()
    for name, values in by_field.items():
        groups = defaultdict(list)
        for pk, value in values.items():
            groups[value].append(pk)
        if len(groups) > FEW_VALUES:
            objs = [Resident(pk=pk, **{name: value}) for pk, value in values.items()]
            Resident.objects.bulk_update(objs, [name], batch_size=1000)
            continue
        for value, pks in groups.items():
            Resident.objects.filter(pk__in=pks).update(**{name: value, "updated_at": now})
            stamped.update(pks)
    unstamped = [pk for pk, _values in changes if pk not in stamped]
    if unstamped:
        Resident.objects.filter(pk__in=unstamped).update(updated_at=now)


def _new_resident(community, row: roster.Row, households) -> Resident:
    # As Resident.set_id_number, with the lookup hash computed once, during the check.
    value = row.id_number
    resident = Resident(
        community=community,
        household_id=households[row.household] if row.household else None,
        name_initials=row.initials,
        gender=idnumber.gender(value),
        birth_date=idnumber.birth_date(value),
        id_number_encrypted=crypto.encrypt(value),
        id_number_hash=row.id_hash,
        id_number_masked=idnumber.mask(value),
        id_tail=value[-4:],
        **row.values,
    )
    return resident


class _Places:
    """The grids, buildings and households of one import, made batch by batch as the rows of
    each batch need them (in the batch's transaction); what exists is read once."""

    def __init__(self, community, rows):
        self.community = community
        # a building's grid as the file gives it (its last row with one), as before
        self.grid_of = {r.household[0]: r.grid for r in rows if r.household and r.grid}
        self.grids = dict(Grid.objects.filter(community=community).values_list("name", "id"))
        self.buildings, self.grid_ids = {}, {}
        for pk, name, grid_id in Building.objects.filter(community=community).values_list(
            "id", "name", "grid_id"
        ):
            self.buildings[name], self.grid_ids[pk] = pk, grid_id
        self.households: dict[tuple[str, str], int] = {}  # (building, door) -> id
        self.newest = 0  # the highest household id read
        self._load(Household.objects.filter(community=community))

    def _load(self, qs) -> None:
        rows = qs.values_list("building__name", "door", "id").iterator(chunk_size=5000)
        for building, door, pk in rows:
            self.households[(building, door)] = pk
            self.newest = max(self.newest, pk)

    def ensure(self, rows) -> dict[tuple[str, str], int]:
        """Create what `rows` need and is missing; (building, door) -> household id."""
        keys = {r.household for r in rows if r.household}
        names = {building for building, _door in keys}
        grids = {self.grid_of[b] for b in names if b in self.grid_of}
        self._ensure_named(Grid, self.grids, grids)
        self._ensure_named(Building, self.buildings, names)
        regrid = []
        for name in names & self.grid_of.keys():
            pk, grid_id = self.buildings[name], self.grids[self.grid_of[name]]
            if self.grid_ids.get(pk) != grid_id:
                regrid.append(Building(pk=pk, grid_id=grid_id))
                self.grid_ids[pk] = grid_id
        if regrid:
            Building.objects.bulk_update(regrid, ["grid"], batch_size=500)
        missing = sorted(keys - self.households.keys())
        if missing:
            Household.objects.bulk_create(
                [
                    Household(community=self.community, building_id=self.buildings[b], door=d)
                    for b, d in missing
                ],
                ignore_conflicts=True,
            )
            # the households made since the last read: these, and any a concurrent import made
            households = Household.objects.filter(community=self.community)
            self._load(households.filter(pk__gt=self.newest))
            late = [key for key in missing if key not in self.households]
            if late:  # made by a concurrent import, with a lower id than one read already
                ids = {self.buildings[b] for b, _door in late}
                self._load(households.filter(building_id__in=ids))
        return self.households

    def _ensure_named(self, model, have: dict, names: set[str]) -> None:
        """Grids or buildings by name (unique per community): create the missing ones."""
        missing = sorted(names - have.keys())
        if missing:
            objs = [model(community=self.community, name=n) for n in missing]
            model.objects.bulk_create(objs, ignore_conflicts=True)
            qs = model.objects.filter(community=self.community, name__in=missing)
            have.update(qs.values_list("name", "id"))


EXPORT_WIDTHS = [10, 6, 22, 12, 16, 10, 8, 10, 12, 8, 8, 8, 8, 30, 20, 10]


def do_export_roster(community: Community, *, actor) -> bytes:
    """The community's roster as .xlsx, ID numbers masked; audited."""
    _require_staff(community, actor, system=False)
    residents = (
        Resident.objects.filter(community=community)
        .select_related("household__building__grid")
        .order_by("household__building__name", "household__door", "birth_date", "id")
    )
    count = residents.count()
    note = _(
        "%(community)s居民花名册，共 %(n)d 人，导出于 %(time)s。身份证号已打码，完整号码不导出。"
    ) % {
        "community": community.name,
        "n": count,
        "time": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
    }
    header = ["姓名", "性别", "身份证号", "出生日期", *roster.HEADERS[3:]]
    header.remove("单元")
    data = write_xlsx(
        community.name,
        header,
        (_export_row(r) for r in residents.iterator(chunk_size=2000)),
        note=note,
        widths=EXPORT_WIDTHS,
    )
    with transaction.atomic():
        record(
            actor, "registry.export_roster", community, community=community, extra={"rows": count}
        )
    return data


def _export_row(r: Resident) -> list:
    household = r.household
    building = household.building if household else None
    yes = "是"
    return [
        r.name,
        r.get_gender_display(),
        r.id_number_masked,
        r.birth_date.isoformat(),
        r.phone,
        building.name if building else "",
        household.door if household else "",
        r.get_political_status_display(),
        yes if r.lives_alone_elderly else "",
        yes if r.disability else "",
        yes if r.low_income else "",
        r.get_five_olds_display() if r.five_olds else "",
        r.address,
        r.note,
        building.grid.name if building and building.grid else "",
    ]
