from django import template

from ..money import yuan as _yuan

register = template.Library()


@register.filter
def yuan(fen) -> str:
    """1250 -> '12.50' (yuan)."""
    return _yuan(fen)
