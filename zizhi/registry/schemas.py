"""API shapes of registry rows. Residents are always masked: never the full ID number."""

import datetime

from ninja import Schema

# Boolean fields of Resident reported as a list of flag names (same names as the roster filter).
RESIDENT_FLAGS = {
    "alone": "lives_alone_elderly",
    "disability": "disability",
    "low_income": "low_income",
}


class SubdistrictOut(Schema):
    code: str
    name: str


class CommunityOut(Schema):
    code: str
    name: str
    subdistrict: SubdistrictOut


class CommunityDetailOut(CommunityOut):
    address: str
    phone: str
    introduction: str


class HouseholdRef(Schema):
    id: int
    building: str
    door: str

    @staticmethod
    def resolve_building(obj) -> str:
        return obj.building.name


class ResidentOut(Schema):
    id: int
    community: str
    name: str
    gender: str
    birth_date: datetime.date
    id_number_masked: str
    phone: str
    household: HouseholdRef | None
    political_status: str
    flags: list[str]
    five_olds: str

    @staticmethod
    def resolve_community(obj) -> str:
        return obj.community.code

    @staticmethod
    def resolve_flags(obj) -> list[str]:
        return [name for name, attr in RESIDENT_FLAGS.items() if getattr(obj, attr)]


class HouseholdOut(Schema):
    id: int
    community: str
    building: str
    door: str
    member_count: int

    @staticmethod
    def resolve_community(obj) -> str:
        return obj.community.code

    @staticmethod
    def resolve_building(obj) -> str:
        return obj.building.name


class HouseholdDetailOut(HouseholdOut):
    """`visible_members`: the members the caller may see (set by the API route)."""

    members: list[ResidentOut]

    @staticmethod
    def resolve_members(obj) -> list:
        return obj.visible_members
