"""Sending messages to people: the in-app inbox always, SMS and email through pluggable
backends (settings.ZIZHI_MESSAGE_BACKENDS, dotted paths). Development uses the log backend,
which writes what would be sent to the `zizhi.messages` logger.

Call `send(...)` inside the action's transaction: the inbox rows commit with it and the
outside channels are called only after commit (transaction.on_commit).
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

from .models import InboxMessage
from .privacy import redact

logger = logging.getLogger("zizhi.messages")


@dataclass(frozen=True)
class Outgoing:
    phone: str
    name: str
    subject: str
    body: str
    url: str


class LogBackend:
    """Writes every message to the log instead of sending it."""

    def send(self, messages: list[Outgoing]) -> None:
        for m in messages:
            logger.info("to %s %s: %s %s", m.name, redact(m.phone), m.subject, m.url)


class MemoryBackend:
    """Keeps sent messages in `MemoryBackend.outbox` (for tests)."""

    outbox: list[Outgoing] = []

    def send(self, messages: list[Outgoing]) -> None:
        MemoryBackend.outbox.extend(messages)


def backends():
    paths = getattr(settings, "ZIZHI_MESSAGE_BACKENDS", ["zizhi.accounts.messaging.LogBackend"])
    return [import_string(path)() for path in paths]


def send(users, subject: str, body: str = "", url: str = "") -> int:
    users = [u for u in users if u is not None]
    InboxMessage.objects.bulk_create(
        InboxMessage(user=u, subject=subject[:200], body=body, url=url[:300]) for u in users
    )
    outgoing = [Outgoing(u.phone, u.name, subject, body, url) for u in users]

    def deliver():
        for backend in backends():
            try:
                backend.send(outgoing)
            except Exception:  # an SMS gateway down must not undo the meeting notice
                logger.exception("message backend %s failed", type(backend).__name__)

    transaction.on_commit(deliver)
    return len(users)
