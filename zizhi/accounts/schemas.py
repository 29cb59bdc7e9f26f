"""API shapes of the caller's account and API tokens."""

import datetime

from ninja import Field, Schema


class RoleOut(Schema):
    kind: str
    scope: str
    scope_name: str


class MeOut(Schema):
    name: str
    phone_masked: str
    roles: list[RoleOut]
    resident_id: int | None


class TokenIn(Schema):
    name: str = Field("", max_length=100)


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime.datetime
    last_used_at: datetime.datetime | None
    revoked_at: datetime.datetime | None


class TokenCreatedOut(TokenOut):
    key: str = Field(description="The bearer token. Shown once, never stored: keep it safe.")
