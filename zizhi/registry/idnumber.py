"""Chinese resident ID numbers (GB 11643-1999): validation, derived fields, masking."""

import datetime
import unicodedata

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
# First two digits: province-level codes of GB/T 2260 (71 Taiwan, 81 Hong Kong, 82 Macao
# appear on residence permits, which use the same format).
PROVINCES = {
    11,
    12,
    13,
    14,
    15,
    21,
    22,
    23,
    31,
    32,
    33,
    34,
    35,
    36,
    37,
    41,
    42,
    43,
    44,
    45,
    46,
    50,
    51,
    52,
    53,
    54,
    61,
    62,
    63,
    64,
    65,
    71,
    81,
    82,
    83,
}
EARLIEST_BIRTH = datetime.date(1880, 1, 1)


class IdNumberError(ValueError):
    """Raised with a message for the user (Chinese, translatable)."""


def normalize(raw) -> str:
    """Full-width to half-width, strip spaces, quotes and '.0' of numbers, upper-case x."""
    if raw is None:
        return ""
    if isinstance(raw, float):
        if raw != raw or raw >= 1e15:
            # Excel kept only 15 significant digits: the tail is lost for good.
            return f"{raw:.0f}" if raw == raw else ""
        raw = int(raw)
    text = unicodedata.normalize("NFKC", str(raw))
    text = "".join(text.split()).strip("'\"‘’“”`")
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]
    return text.upper()


def check_char(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARS[total % 11]


def validate(raw, today: datetime.date | None = None) -> str:
    """Return the normalised ID number or raise IdNumberError with the reason."""
    from django.utils.translation import gettext as _

    value = normalize(raw)
    if not value:
        raise IdNumberError(_("身份证号为空"))
    if "E+" in str(raw).upper() or (isinstance(raw, float) and raw >= 1e15):
        raise IdNumberError(
            _("身份证号被存成了数字（科学计数法），后几位已丢失；请把该列设为“文本”后重新录入")
        )
    if len(value) != 18:
        raise IdNumberError(_("身份证号应为18位，这里是%(n)d位") % {"n": len(value)})
    if not value[:17].isdigit() or not (value[17].isdigit() or value[17] == "X"):
        raise IdNumberError(_("身份证号前17位应为数字，最后一位为数字或X"))
    if (
        int(value[:2]) not in PROVINCES
        or value[2:6] == "0000"
        and value[:2] not in ("71", "81", "82")
    ):
        raise IdNumberError(_("身份证号的地区码（前6位）不存在"))
    try:
        born = datetime.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError as exc:
        raise IdNumberError(_("身份证号中的出生日期不是真实日期")) from exc
    today = today or datetime.date.today()
    if born < EARLIEST_BIRTH or born > today:
        raise IdNumberError(_("身份证号中的出生日期不合理"))
    if check_char(value[:17]) != value[17]:
        raise IdNumberError(_("身份证号校验位不对，请核对是否抄错"))
    return value


def is_valid(raw) -> bool:
    try:
        validate(raw)
    except IdNumberError:
        return False
    return True


def birth_date(value: str) -> datetime.date:
    return datetime.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))


def gender(value: str) -> str:
    """'M' or 'F' from the 17th digit (odd is male)."""
    return "M" if int(value[16]) % 2 else "F"


def mask(value: str) -> str:
    """110105********002X: region shown, birth date and sequence hidden."""
    return value[:6] + "*" * 8 + value[14:]


def make(region: str, born: datetime.date, seq: int) -> str:
    """Build a valid ID number (demo data and tests)."""
    first17 = f"{region}{born:%Y%m%d}{seq:03d}"
    return first17 + check_char(first17)
