"""API shapes of associations, activities, sign-ups, attendance, records and certificates."""

import datetime

from ninja import Field, Schema


class AssociationOut(Schema):
    id: int
    name: str
    kind: str
    community: str | None = Field(None, alias="community.code")
    description: str
    members: int = Field(0, alias="member_count")


class ActivityOut(Schema):
    id: int
    title: str
    community: str | None = Field(None, alias="community.code")
    organiser_kind: str
    association_id: int | None
    team_id: int | None
    place: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    signup_deadline: datetime.datetime
    capacity: int | None
    audience: str
    minors_allowed: bool
    category: str
    is_volunteer_service: bool
    status: str


class ActivityIn(Schema):
    community: str | None = None
    association_id: int | None = None
    title: str
    place: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    capacity: int | None = None
    audience: str = "public"
    minors_allowed: bool = False
    category: str = "other"
    is_volunteer_service: bool = True
    description: str = ""


class ActivityPatch(Schema):
    """The fields to change; those left out stay as they are."""

    title: str | None = None
    description: str | None = None
    place: str | None = None
    starts_at: datetime.datetime | None = None
    ends_at: datetime.datetime | None = None
    signup_deadline: datetime.datetime | None = None
    capacity: int | None = None  # send null to remove the limit
    audience: str | None = None
    minors_allowed: bool | None = None
    category: str | None = None
    is_volunteer_service: bool | None = None


class CancelActivityIn(Schema):
    reason: str = Field(..., max_length=500)


class ParticipantIn(Schema):
    """A resident on the activity's list by id, or (to add someone who came without signing
    up) by exact phone number or ID number in the activity's community."""

    resident_id: int | None = None
    key: str = Field("", max_length=20)


class ListMoveIn(Schema):
    resident_id: int
    move: str = Field(..., pattern="^(check_in|check_out)$")


class AttendanceEntryIn(Schema):
    resident_id: int
    check_in_at: datetime.datetime
    check_out_at: datetime.datetime
    note: str = Field("", max_length=200)


class AttendanceLineOut(Schema):
    """One line of the organiser's list: a sign-up and/or an attendance row."""

    resident_id: int
    name: str
    signup_status: str | None
    check_in_at: datetime.datetime | None
    check_in_source: str
    check_out_at: datetime.datetime | None
    check_out_source: str
    minutes: int | None
    missing_check_out: bool
    organiser_entered: bool


class CloseOut(Schema):
    status: str
    missing_check_out: list[AttendanceLineOut]


class QrOut(Schema):
    """The code to show: `url` is what the QR encodes; empty outside the check-in window."""

    kind: str
    open: bool
    url: str
    token: str
    valid_until: datetime.datetime | None


class SignUpOut(Schema):
    id: int
    activity_id: int
    status: str
    waiting_position: int | None = None


class ScanIn(Schema):
    token: str = Field(..., max_length=40)


class ActivityAttendanceOut(Schema):
    activity_id: int
    check_in_at: datetime.datetime
    check_out_at: datetime.datetime | None
    minutes: int | None


class RecordOut(Schema):
    id: int
    number: str
    kind: str
    corrects_id: int | None
    activity_id: int | None
    service_date: datetime.date
    minutes: int
    category: str
    content: str
    place: str
    organiser: str


class HistoryOut(Schema):
    minutes: int
    stars: int
    records: list[RecordOut]


class CertificateIn(Schema):
    period_from: datetime.date
    period_to: datetime.date


class CertificateOut(Schema):
    """The facts a certificate states (and the public verification shows)."""

    number: str
    name: str
    id_number_masked: str
    volunteer_number: str
    period_from: datetime.date
    period_to: datetime.date
    minutes: int
    content: str
    issuer: str
    issued_at: datetime.datetime


class IssuedCertificateOut(CertificateOut):
    verify_code: str


class VolunteerIn(Schema):
    skills: str = Field("", max_length=200)
    availability: str = Field("", max_length=200)
    five_olds: str = ""
    emergency_name: str = Field("", max_length=50)
    emergency_phone: str = Field("", max_length=20)


class VolunteerOut(Schema):
    number: str
    status: str
    skills: str
    availability: str
    five_olds: str
    emergency_name: str
    emergency_phone: str
    registered_at: datetime.datetime
