"""Associations, volunteers and teams, activities with sign-up and check-in, and the attested
service records with their corrections and certificates (志愿服务记录与证明出具办法, 2021).

- associations.py: Association, AssociationMember (leader / deputy / member), AssociationPhoto
- volunteers.py: VolunteerRules (a community's settings), Volunteer, Team, TeamMember
- activities.py: Activity, SignUp (confirmed / waiting / cancelled), Attendance
- records.py: Attestation, ServiceRecord (append-only), CorrectionRequest, Certificate
"""

from .activities import (
    Activity,
    ActivityStatus,
    Attendance,
    AttendanceSource,
    Audience,
    OrganiserKind,
    ServiceCategory,
    SignUp,
    SignUpStatus,
)
from .associations import (
    Association,
    AssociationKind,
    AssociationMember,
    AssociationPhoto,
    AssociationRole,
)
from .counters import Counter
from .records import (
    Attestation,
    AttestationStatus,
    Certificate,
    CorrectionRequest,
    CorrectionStatus,
    RecordKind,
    ServiceRecord,
    star_level,
)
from .volunteers import (
    Team,
    TeamMember,
    TeamRole,
    Volunteer,
    VolunteerRules,
    VolunteerStatus,
)

__all__ = [
    "Activity",
    "ActivityStatus",
    "Association",
    "AssociationKind",
    "AssociationMember",
    "AssociationPhoto",
    "AssociationRole",
    "Attendance",
    "AttendanceSource",
    "Attestation",
    "AttestationStatus",
    "Audience",
    "Certificate",
    "Counter",
    "CorrectionRequest",
    "CorrectionStatus",
    "OrganiserKind",
    "RecordKind",
    "ServiceCategory",
    "ServiceRecord",
    "SignUp",
    "SignUpStatus",
    "Team",
    "TeamMember",
    "TeamRole",
    "Volunteer",
    "VolunteerRules",
    "VolunteerStatus",
    "star_level",
]
