"""What the registry holds about one resident, and the helpers every app's personal_data uses.

Each app that keeps something about a person has a `personal_data.py` with

    export(resident) -> list[dict]   # sections made by `section(...)`, JSON-able
    erase(resident, *, actor) -> int # remove or pseudonymise the app's copies; rows changed

`registry/rights.py` lists the modules (PERSONAL_DATA) and runs them: the download of "my
data" (JSON and PDF) and the erasure of a resident who moved away. An erase hook runs while the
resident's row still holds the real values (the registry's own hook runs last), so it can find
the copies by `secrets_of(resident)` and replace them with `pseudonym(resident)`.
"""

import datetime
import decimal

from django.db.models import Q
from django.utils.translation import gettext as _

from .models import PoliticalStatus, Resident

MASK = "***"


def pseudonym(resident: Resident) -> str:
    return _("已注销居民 R%(n)06d") % {"n": resident.pk}


def plain(value):
    """A value as JSON has it: dates as ISO text, decimals as text, None as ""."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, bool | int | float | str):
        return value
    return str(value)


def section(key: str, title: str, columns: list[tuple[str, str]], rows: list[dict]) -> dict:
    """One part of a person's data: `columns` are (key, label) pairs in the order shown, and
    every row is a dict of those keys."""
    keys = [k for k, _label in columns]
    return {
        "key": key,
        "title": str(title),
        "columns": [{"key": k, "label": str(label)} for k, label in columns],
        "rows": [{k: plain(row.get(k)) for k in keys} for row in rows],
    }


def secrets_of(resident: Resident) -> dict[str, str]:
    """{text to remove: what replaces it} for one resident: their name, phones, ID number and
    address (short values are left out: they would match unrelated text). Computed once per
    resident object, so the hooks that run after the login's phone was freed still see it."""
    cached = getattr(resident, "_personal_secrets", None)
    if cached is not None:
        return cached
    found = {}
    if resident.name and len(resident.name) >= 2:
        found[resident.name] = pseudonym(resident)
    phones = {resident.phone}
    if resident.user_id:
        phones.add(resident.user.phone)
    for phone in phones:
        if phone and len(phone) >= 7:
            found[phone] = MASK
    if resident.id_number_encrypted and not resident.erased_at:
        found[resident.reveal_id_number()] = MASK
    if resident.address and len(resident.address) >= 4:
        found[resident.address] = MASK
    resident._personal_secrets = found
    return found


def scrub_text(text: str, secrets: dict[str, str]) -> str:
    for secret in sorted(secrets, key=len, reverse=True):
        text = text.replace(secret, secrets[secret])
    return text


def scrub(queryset, fields: list[str], resident: Resident, set_values: dict | None = None) -> int:
    """Replace the resident's secrets in these text fields of these rows (one UPDATE per row
    that holds one), and set `set_values` on every row of the queryset; returns rows changed."""
    secrets = secrets_of(resident)
    changed = 0
    if set_values:
        changed += queryset.update(**set_values)
    if not secrets or not fields:
        return changed
    holds = Q()
    for field in fields:
        for secret in secrets:
            holds |= Q(**{f"{field}__contains": secret})
    for row in queryset.filter(holds).values("pk", *fields):
        values = {f: scrub_text(row[f], secrets) for f in fields if row[f]}
        changed += queryset.model.objects.filter(pk=row["pk"]).update(**values)
    return changed


# --- the registry's own part ---------------------------------------------------------------


def export(resident: Resident) -> list[dict]:
    """The registry row. The ID number is masked here too: a downloaded file or a printout is
    easily left on a shared computer at the community office, and the person knows their own
    number (the masked one with the birth date shows whether it is registered right)."""
    household = resident.household
    row = {
        "name": resident.name,
        "gender": resident.get_gender_display(),
        "birth_date": resident.birth_date,
        "id_number": resident.id_number_masked,
        "phone": resident.phone,
        "community": resident.community.name,
        "household": f"{household.building.name} {household.door}" if household else "",
        "address": resident.address,
        "political_status": resident.get_political_status_display(),
        "lives_alone_elderly": _("是") if resident.lives_alone_elderly else _("否"),
        "disability": _("是") if resident.disability else _("否"),
        "low_income": _("是") if resident.low_income else _("否"),
        "five_olds": resident.get_five_olds_display() if resident.five_olds else "",
        "note": resident.note,
        "registered_at": resident.created_at,
    }
    columns = [
        ("name", _("姓名")),
        ("gender", _("性别")),
        ("birth_date", _("出生日期")),
        ("id_number", _("身份证号（打码）")),
        ("phone", _("联系电话")),
        ("community", _("社区")),
        ("household", _("户")),
        ("address", _("住址")),
        ("political_status", _("政治面貌")),
        ("lives_alone_elderly", _("独居老人")),
        ("disability", _("残疾")),
        ("low_income", _("低保")),
        ("five_olds", _("五老")),
        ("note", _("备注")),
        ("registered_at", _("登记时间")),
    ]
    corrections = [
        {
            "field": c.get_field_display(),
            "value": c.shown_value,
            "reason": c.reason,
            "status": c.get_status_display(),
            "reply": c.reply,
            "asked_at": c.created_at,
        }
        for c in resident.data_corrections.all()
    ]
    return [
        section("registry", _("社区登记的信息"), columns, [row]),
        section(
            "corrections",
            _("信息更正申请"),
            [
                ("field", _("项目")),
                ("value", _("正确的内容")),
                ("reason", _("说明")),
                ("status", _("状态")),
                ("reply", _("答复")),
                ("asked_at", _("申请时间")),
            ],
            corrections,
        ),
    ]


def erase(resident: Resident, *, actor) -> int:
    """The registry row itself: name, ID number, phone, address, notes and flags removed; the
    birth date kept to the year (age bands of past figures), gender kept; off the household."""
    from . import crypto

    resident.data_corrections.all().delete()
    marker = f"erased:{resident.pk}"
    Resident.objects.filter(pk=resident.pk).update(
        name=pseudonym(resident),
        name_initials="",
        id_number_encrypted=crypto.encrypt(""),
        id_number_hash=marker,
        id_number_masked="",
        id_tail="",
        phone="",
        address="",
        note="",
        household=None,
        birth_date=datetime.date(resident.birth_date.year, 1, 1),
        political_status=PoliticalStatus.MASSES,
        lives_alone_elderly=False,
        disability=False,
        low_income=False,
        five_olds="",
    )
    return 1
