"""Money of the greening fund: integer fen in the database, yuan with two decimals on screen."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_FEN = 10**11  # a billion yuan: anything above is a typing error


def parse_yuan(value) -> int:
    """'12.5' -> 1250 fen. ValidationError (Chinese) for empty, negative or odd input."""
    text = str(value if value is not None else "").strip().replace(",", "").replace("，", "")
    try:
        amount = Decimal(text)
    except InvalidOperation as exc:
        raise ValidationError(_("请填写金额（元），如 100 或 12.50")) from exc
    if not amount.is_finite() or amount <= 0:
        raise ValidationError(_("金额必须大于零"))
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationError(_("金额最多精确到分"))
    fen = int(amount * 100)
    if fen >= MAX_FEN:
        raise ValidationError(_("金额太大"))
    return fen


def yuan(fen: int | None) -> str:
    """1250 -> '12.50'."""
    fen = int(fen or 0)
    sign = "-" if fen < 0 else ""
    fen = abs(fen)
    return f"{sign}{fen // 100:,}.{fen % 100:02d}"
