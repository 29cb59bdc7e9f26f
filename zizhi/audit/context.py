"""The current request's client IP, for audit events written deep inside actions."""

import contextvars

current_ip: contextvars.ContextVar[str | None] = contextvars.ContextVar("ip", default=None)
