"""Helpers shared by the associations actions."""

from django.core.exceptions import ValidationError

from ..models import Counter


def next_number(key: str) -> int:
    """The next number under the key, inside the caller's transaction (the counter row stays
    locked until it commits, so two writers never get the same number)."""
    Counter.objects.get_or_create(key=key)
    counter = Counter.objects.select_for_update().get(key=key)
    counter.value += 1
    counter.save(update_fields=["value"])
    return counter.value


def scope_of(obj) -> dict:
    """The audit scope of a row with community/subdistrict: `record(..., **scope_of(row))`."""
    community = getattr(obj, "community", None)
    if community is not None:
        return {"community": community}
    return {"subdistrict": obj.subdistrict}


def require(condition, message) -> None:
    """Raise a ValidationError with the (translated) message unless the condition holds."""
    if not condition:
        raise ValidationError(message)
