"""The city, its subdistricts and communities, the staff logins, and the registry:
grids, buildings, households, residents (ID numbers valid and encrypted) and local units.

Households and people are planned by the standard demo's Planner and Traits
(zizhi.registry.demo); here they are written with COPY instead of the ORM.
"""

import random
from dataclasses import dataclass, field

from zizhi.accounts.models import Role, RoleKind, User
from zizhi.registry import crypto, idnumber
from zizhi.registry.demo import (
    DISTRICT,
    GRID_NAMES,
    UNIT_KINDS,
    CommunitySpec,
    Planner,
    Traits,
    _doors,
)
from zizhi.registry.models import (
    Building,
    City,
    Community,
    Grid,
    Household,
    LocalUnit,
    Resident,
    Subdistrict,
)
from zizhi.registry.roster import name_initials

CITY_CODE, CITY_NAME = "city", "示范市"
CITY_ADMIN_PHONE = "13700000001"
SUBDISTRICTS = [
    ("dh", "东湖"),
    ("xh", "西湖"),
    ("nh", "南湖"),
    ("bh", "北湖"),
    ("cd", "城东"),
    ("cx", "城西"),
    ("cn", "城南"),
    ("cb", "城北"),
    ("jb", "江滨"),
    ("sq", "山前"),
]
COMMUNITY_WORDS = (
    "和平 幸福 光明 长青 新华 建设 文化 朝阳 春晖 锦绣 翠苑 桂花 丰收 育才 友谊".split()
)
ROADS = "解放路 人民路 中山路 建国路 延安路 庆春路 凤起路 文一路 天目山路 秋涛路".split()


@dataclass
class Person:
    """What the later parts need of a resident."""

    id: int
    name: str
    age: int
    gender: str
    household: int
    political: str
    five_olds: str
    phone: str


@dataclass
class Place:
    """One community as written: ids and the people of its registry."""

    id: int
    code: str
    name: str
    subdistrict: int
    worker: int  # the community worker's user id
    index: int  # 0, 1, ... over the city
    people: list[Person] = field(default_factory=list)
    buildings: list[int] = field(default_factory=list)
    households: list[int] = field(default_factory=list)
    units: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class Login:
    phone: str
    name: str
    role: str
    scope: str


def _subdistrict_names(n: int) -> list[tuple[str, str]]:
    return [
        SUBDISTRICTS[i] if i < len(SUBDISTRICTS) else (f"s{i + 1}", f"第{i + 1}") for i in range(n)
    ]


def write_city(tables, rng: random.Random, password_hash: str, subdistricts: int, communities: int):
    """City, subdistricts, communities, staff users and roles. Returns (places, logins)."""
    planner = Planner(rng)
    now = tables.now
    city_t = tables(City, ["id", "code", "name"])
    city_id = city_t.next_id()
    city_t.write([(city_id, CITY_CODE, CITY_NAME)])
    users_t = tables(User, ["id", "phone", "name", "password", "date_joined"])
    roles_t = tables(Role, ["id", "user_id", "kind", "subdistrict_id", "community_id", "city_id"])
    users, roles, logins = [], [], []

    def user(phone: str, role: str, scope: str) -> int:
        name = planner.person((30, 55)).name
        uid = users_t.next_id()
        users.append((uid, phone, name, password_hash, now))
        logins.append(Login(phone, name, role, scope))
        return uid

    admin = user(CITY_ADMIN_PHONE, "城市管理员 city admin", CITY_NAME)
    roles.append((roles_t.next_id(), admin, RoleKind.CITY_ADMIN, None, None, city_id))
    sub_rows, comm_rows, places = [], [], []
    sub_t = tables(Subdistrict, ["id", "city_id", "code", "name", "district"])
    comm_t = tables(
        Community, ["id", "subdistrict_id", "code", "name", "address", "phone", "introduction"]
    )
    for s, (code, short) in enumerate(_subdistrict_names(subdistricts)):
        sid = sub_t.next_id()
        sub_rows.append((sid, city_id, code, f"{short}街道", DISTRICT))
        uid = user(
            f"1380000{1001 + s:04d}", "街道管理员 subdistrict admin", f"{short}街道 ({code})"
        )
        roles.append((roles_t.next_id(), uid, RoleKind.SUBDISTRICT_ADMIN, sid, None, None))
        for c in range(communities):
            cid = comm_t.next_id()
            word = COMMUNITY_WORDS[c % len(COMMUNITY_WORDS)] + (
                "" if c < len(COMMUNITY_WORDS) else str(c)
            )
            name = f"{short}{word}社区"
            ccode = f"{code.upper()}{c + 1:02d}"
            road = ROADS[(s + c) % len(ROADS)]
            comm_rows.append(
                (
                    cid,
                    sid,
                    ccode,
                    name,
                    f"{DISTRICT}{road}{10 + c * 7}号",
                    f"0571-8{6000000 + cid:07d}",
                    f"{name}位于{short}街道{road}一带，社区有居民议事会和志愿服务队。",
                )
            )
            k = len(places)
            worker = user(
                f"1380000{2001 + k:04d}", "社区工作者 community worker", f"{name} {ccode}"
            )
            roles.append((roles_t.next_id(), worker, RoleKind.COMMUNITY_WORKER, None, cid, None))
            places.append(Place(cid, ccode, name, sid, worker, k))
    sub_t.write(sub_rows)
    comm_t.write(comm_rows)
    users_t.write(users)
    roles_t.write(roles)
    return places, logins


def write_registry(tables, place: Place, size: int, planner: Planner, traits: Traits) -> None:
    """Grids, buildings, households, residents and local units of one community."""
    rng = traits.rng
    spec = CommunitySpec(place.code, place.name, "", 0, "", "")
    plan = planner.community(spec, size)
    doors = _doors(rng)
    placed = [(next(doors), family) for family in plan.families]
    n_buildings = placed[-1][0][0] if placed else 0
    grid_t = tables(Grid, ["id", "community_id", "name"])
    n_grids = min(len(GRID_NAMES), max(1, n_buildings // 3))
    grids = [grid_t.next_id() for _ in range(n_grids)]
    grid_t.write((g, place.id, name) for g, name in zip(grids, GRID_NAMES, strict=False))
    building_t = tables(Building, ["id", "community_id", "grid_id", "name"])
    place.buildings = [building_t.next_id() for _ in range(n_buildings)]
    building_t.write(
        (b, place.id, grids[i * n_grids // n_buildings], f"{i + 1}栋")
        for i, b in enumerate(place.buildings)
    )
    household_t = tables(Household, ["id", "community_id", "building_id", "door"])
    rows = []
    for (number, door), _family in placed:
        hid = household_t.next_id()
        place.households.append(hid)
        rows.append((hid, place.id, place.buildings[number - 1], door))
    household_t.write(rows)
    resident_t = tables(
        Resident,
        [
            "id",
            "community_id",
            "household_id",
            "name",
            "name_initials",
            "gender",
            "birth_date",
            "id_number_encrypted",
            "id_number_hash",
            "id_number_masked",
            "id_tail",
            "phone",
            "political_status",
            "five_olds",
            "lives_alone_elderly",
            "disability",
            "low_income",
        ],
    )
    resident_t.write(_residents(place, placed, traits, resident_t))
    unit_t = tables(
        LocalUnit, ["id", "community_id", "name", "kind", "address", "contact_name", "phone"]
    )
    short = place.name.removesuffix("社区")
    rows = []
    for i, (name, kind, contact) in enumerate(UNIT_KINDS):
        uid = unit_t.next_id()
        place.units.append(uid)
        rows.append(
            (
                uid,
                place.id,
                name.format(short=short),
                kind,
                f"{DISTRICT}{short}路{2 * i + 1}号",
                contact,
                f"0571-8{rng.randrange(10**6, 10**7)}",
            )
        )
    unit_t.write(rows)


def _residents(place: Place, placed, traits: Traits, table):
    rng = traits.rng
    for hid, (_door, family) in zip(place.households, placed, strict=True):
        for person in family:
            value = traits.id_number(person)
            status = traits.political_status(person)
            five_olds = traits.five_olds(person, status)
            phone = traits.phone(person)
            gender = idnumber.gender(value)
            rid = table.next_id()
            place.people.append(
                Person(rid, person.name, person.age, gender, hid, status, five_olds, phone)
            )
            yield (
                rid,
                place.id,
                hid,
                person.name,
                name_initials(person.name),
                gender,
                idnumber.birth_date(value),
                crypto.encrypt(value),
                crypto.lookup_hash(value),
                idnumber.mask(value),
                value[-4:],
                phone,
                status,
                five_olds,
                person.lives_alone,
                rng.random() < (0.08 if person.age >= 75 else 0.025),
                rng.random() < 0.02,
            )
