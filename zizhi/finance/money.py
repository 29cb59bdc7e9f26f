"""Money is kept in integer fen (分); never floats. Shown as ¥1,234.50."""

import decimal
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_FEN = 10**12  # ten billion yuan: more than any community's books
_AMOUNT = re.compile(r"^\d+(\.\d{1,2})?$")


def format_fen(fen: int | None, sign: bool = False) -> str:
    """12345 -> '¥123.45'; negative amounts as '-¥123.45'; None as '—'."""
    if fen is None:
        return "—"
    minus = "-" if fen < 0 else ("+" if sign and fen > 0 else "")
    yuan, cents = divmod(abs(int(fen)), 100)
    return f"{minus}¥{yuan:,}.{cents:02d}"


def plain_yuan(fen: int) -> str:
    """12345 -> '123.45' (for spreadsheets and forms)."""
    minus = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(int(fen)), 100)
    return f"{minus}{yuan}.{cents:02d}"


def parse_yuan(value, *, allow_zero: bool = False) -> int:
    """An amount in yuan as typed or read from a cell ('1,234.5', '¥12', 12.3) -> fen.

    Floats from a spreadsheet are rounded to the cent through their shortest text form,
    so 0.1 + 0.2 style artefacts never reach the books. Raises ValidationError (Chinese)."""
    if isinstance(value, bool) or value is None:
        raise ValidationError(_("请填写金额"))
    if isinstance(value, int):
        text = str(value)
    elif isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValidationError(_("金额不是有效的数字"))
        try:
            text = format(decimal.Decimal(repr(value)).quantize(decimal.Decimal("0.001")), "f")
        except decimal.InvalidOperation as exc:
            raise ValidationError(_("金额太大")) from exc
        text = text.rstrip("0").rstrip(".") if "." in text else text
    elif isinstance(value, decimal.Decimal):
        text = format(value, "f")
    else:
        text = str(value)
    text = text.strip().replace(",", "").replace("，", "").replace("¥", "").replace("￥", "")
    text = text.removesuffix("元").strip()
    if not text:
        raise ValidationError(_("请填写金额"))
    if text.startswith("-"):
        raise ValidationError(_("金额不能是负数；支出请在“收支”一栏写“支出”"))
    if not _AMOUNT.match(text):
        if re.match(r"^\d+\.\d{3,}$", text):
            raise ValidationError(_("金额最多精确到分（小数点后两位）"))
        raise ValidationError(_("金额“%(v)s”不是有效的数字") % {"v": text[:30]})
    yuan, _dot, cents = text.partition(".")
    fen = int(yuan) * 100 + int((cents + "00")[:2])
    if fen == 0 and not allow_zero:
        raise ValidationError(_("金额必须大于零"))
    if fen >= MAX_FEN:
        raise ValidationError(_("金额太大"))
    return fen
