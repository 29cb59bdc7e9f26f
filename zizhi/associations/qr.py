"""The check-in QR code's token: an HMAC of the activity's secret and a 30-second step, so
the code on the organiser's phone changes every 30 seconds and a photo of it sent to a
friend at home stops working within a minute. The printed door sheet cannot rotate: its
token is bound to the activity only, and a scan of it counts only inside the activity's
window from a resident who signed up. Every token is bound to one activity."""

import hashlib
import hmac
import time

STEP_SECONDS = 30
# How early before the start and how late after the end a code is accepted.
OPEN_BEFORE_SECONDS = 30 * 60
CLOSE_AFTER_SECONDS = 30 * 60
DOOR = "door"


def step_at(timestamp: float | None = None) -> int:
    return int((time.time() if timestamp is None else timestamp) // STEP_SECONDS)


def token(activity, step: int | str) -> str:
    message = f"{activity.pk}:{step}".encode()
    return hmac.new(activity.qr_secret.encode(), message, hashlib.sha256).hexdigest()[:20]


def current_token(activity, timestamp: float | None = None) -> str:
    return token(activity, step_at(timestamp))


def door_token(activity) -> str:
    return token(activity, DOOR)


def in_window(activity, timestamp: float) -> bool:
    return (
        activity.starts_at.timestamp() - OPEN_BEFORE_SECONDS
        <= timestamp
        <= activity.ends_at.timestamp() + CLOSE_AFTER_SECONDS
    )


def kind_of(activity, value: str, timestamp: float) -> str | None:
    """ "rotating" or "door" for a valid token of the activity at that moment, else None.
    The rotating code is accepted in its own step and the one before (a scan at a step's
    edge), never later."""
    if not value or not in_window(activity, timestamp):
        return None
    now = step_at(timestamp)
    if any(hmac.compare_digest(value, token(activity, s)) for s in (now, now - 1)):
        return "rotating"
    if hmac.compare_digest(value, door_token(activity)):
        return "door"
    return None
