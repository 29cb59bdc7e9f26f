"""Reproducible demo data: 东湖街道 (dh) with seven communities, residents and logins.

`build()` plans households and residents with a seeded random generator and writes them
with bulk_create in batches, so 100,000 residents take well under two minutes on SQLite.
The command `zizhi demo` is a thin wrapper around it.
"""

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module

from django.contrib.auth.hashers import make_password
from django.db import transaction

from zizhi.accounts.models import Role, RoleKind, User
from zizhi.audit.log import record

from . import idnumber
from .models import (
    Building,
    City,
    Community,
    FiveOlds,
    Gender,
    Grid,
    Household,
    LocalUnit,
    PoliticalStatus,
    Resident,
    Subdistrict,
)
from .roster import name_initials

DEFAULT_RESIDENTS = 4000
DEFAULT_SEED = 2026
MIN_RESIDENTS = 70
DEMO_PASSWORD = "Zizhi-demo-2026"  # public demo password (dev-only data), shown in the README
BATCH_SIZE = 2000

SUBDISTRICT_CODE = "dh"
SUBDISTRICT_NAME = "东湖街道"
DISTRICT = "杭州市上城区"
CITY_CODE = "hz"
CITY_NAME = "杭州市"


@dataclass(frozen=True)
class CommunitySpec:
    code: str
    name: str
    road: str
    number: int
    phone: str
    introduction: str

    @property
    def short(self) -> str:
        return self.name.removesuffix("社区")


COMMUNITIES = [
    CommunitySpec(
        "HD",
        "湖东社区",
        "湖东路",
        88,
        "0571-86901001",
        "湖东社区建于1998年，以老旧小区为主，老年居民多。社区有居民议事会、老年食堂和志愿服务队。",
    ),
    CommunitySpec(
        "XH",
        "西湖社区",
        "西湖大道",
        216,
        "0571-86901002",
        "西湖社区紧邻西湖景区，商户和辖区单位多，社区与辖区单位每季度召开联席会。",
    ),
    CommunitySpec(
        "NY",
        "南园社区",
        "南园街",
        35,
        "0571-86901003",
        "南园社区是2005年建成的商品房小区，年轻家庭多，社区开展四点半课堂和亲子活动。",
    ),
    CommunitySpec(
        "BY",
        "北苑社区",
        "北苑路",
        120,
        "0571-86901004",
        "北苑社区由三个安置小区组成，居民以原住村民为主，社区设有道德银行储蓄所。",
    ),
    CommunitySpec(
        "XC",
        "新村社区",
        "新村路",
        9,
        "0571-86901005",
        "新村社区为上世纪八十年代的职工宿舍区，已完成老旧小区改造，加装电梯二十余部。",
    ),
    CommunitySpec(
        "DS",
        "东山社区",
        "东山弄",
        66,
        "0571-86901006",
        "东山社区依山而建，绿化率高，居民认领绿地、自治管理小区花园。",
    ),
    CommunitySpec(
        "HB",
        "河滨社区",
        "河滨路",
        158,
        "0571-86901007",
        "河滨社区沿运河而建，社区调解室获评市级金牌调解室。",
    ),
]


@dataclass(frozen=True)
class Login:
    phone: str
    name: str
    role: str
    community: str = ""


ADMIN_LOGIN = Login("13800000001", "周建华", "街道管理员 subdistrict admin")
CITY_LOGIN = Login("13700000001", "方明远", "市级管理员 city admin (dashboard)")
WORKER_LOGINS = [
    Login(f"13800000{101 + i}", name, "社区工作者 community worker", spec.code)
    for i, (spec, name) in enumerate(
        zip(
            COMMUNITIES,
            ["刘芳", "陈伟", "杨丽", "黄磊", "吴静", "徐敏", "孙涛"],
            strict=True,
        )
    )
]
# Two residents of 湖东社区 with accounts: an elderly woman living alone and a mother.
RESIDENT_LOGINS = [
    Login("13900000001", "王秀英", "居民 resident", "HD"),
    Login("13900000002", "林晓燕", "居民 resident", "HD"),
]


# Apps that add their own demo data after the registry's: each module has
# `build(subdistrict, password_hash) -> dict` and `logins() -> list` (of Login-like rows).
EXTENSIONS = (
    "zizhi.governance.demo",
    "zizhi.notices.demo",
    "zizhi.finance.demo",
    "zizhi.proposals.demo",
    "zizhi.proposals.motion_demo",
    "zizhi.associations.demo",
    "zizhi.associations.activity_demo",
    "zizhi.moralbank.demo",
    "zizhi.greening.demo",
    "zizhi.party.demo",
    "zizhi.wishes.demo",
    "zizhi.mediation.demo",
    "zizhi.stats.demo",  # last: it summarises what the others wrote
)


def _extensions():
    return [import_module(path) for path in EXTENSIONS]


def own_logins() -> list[Login]:
    return [CITY_LOGIN, ADMIN_LOGIN, *WORKER_LOGINS, *RESIDENT_LOGINS]


def logins() -> list[Login]:
    """Every demo login, the other apps' included (printed by `zizhi demo --logins`)."""
    return own_logins() + [login for module in _extensions() for login in module.logins()]


def logins_text() -> str:
    lines = [f"演示账号 Demo logins (密码 password: {DEMO_PASSWORD})"]
    for login in logins():
        where = login.community or SUBDISTRICT_CODE
        lines.append(f"  {login.phone}  {login.name:<4}\t{login.role} · {where}")
    return "\n".join(lines)


# ---- names -------------------------------------------------------------------------------
# Common surnames, weighted roughly by frequency; polyphonic ones (曾, 单, 仇...) are left out
# so that pinyin initials come out as people say them.
SURNAMES = (
    "王王王李李李张张张刘刘陈陈陈杨杨黄赵吴吴周周徐徐孙马朱朱胡郭何高林林罗郑梁谢宋唐许韩冯"
    "邓曹彭肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟"
    "熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严武戴莫孔汤"
)
GIVEN = {
    ("old", "M"): "建国 国强 志明 德明 伟民 建华 金林 根宝 福生 永康 国华 建平 卫东 明德 "
    "文斌 振华 宝林 荣发 长林 庆丰 兆林 炳生 学军 如松",
    ("old", "F"): "秀英 桂英 秀兰 玉兰 桂兰 凤英 玉珍 美英 月英 金凤 素珍 佩芬 彩娥 菊英 "
    "雅琴 秀珍 爱华 桂芳 月娥 杏花 慧珍 美娟 巧英 阿娣",
    ("mid", "M"): "伟 军 勇 磊 涛 明 强 华 平 刚 斌 杰 晓东 海峰 志强 建军 文杰 立新 "
    "国栋 俊 浩 鹏 宏伟 海波",
    ("mid", "F"): "芳 丽 静 敏 艳 娟 霞 燕 红 海燕 丽华 晓红 慧 琳 婷 雪梅 春燕 玲 "
    "丽萍 晓燕 秀梅 彩霞 洁 颖",
    ("young", "M"): "浩然 梓轩 宇航 思远 俊杰 子豪 博文 一鸣 宇轩 皓宇 子墨 明轩 睿 "
    "天佑 嘉懿 沐阳 泽宇 子健",
    ("young", "F"): "子涵 一诺 欣怡 雨桐 佳怡 梓涵 诗涵 若汐 语桐 可馨 思琪 梦瑶 雨萱 "
    "欣妍 芷若 依依 梓萱 佳琪",
}
GIVEN = {key: value.split() for key, value in GIVEN.items()}


# ---- ID number regions (GB/T 2260): Hangzhou districts, then the rest of Zhejiang ---------
REGIONS = (
    ["330102"] * 8  # 上城区
    + ["330103", "330104"] * 2  # 原下城区、原江干区 (older ID cards)
    + ["330105"] * 3  # 拱墅区
    + ["330106"] * 3  # 西湖区
    + ["330108", "330109", "330110", "330111", "330112", "330122", "330127", "330182"]
    + ["330203", "330302", "330402", "330502", "330602", "330702", "330782", "330802"]
    + ["331002", "331102"]
)
PHONE_PREFIXES = "133 135 136 137 150 151 152 153 158 159 177 180 181 187 188 189".split()


# ---- planning (pure: no database) --------------------------------------------------------
@dataclass
class Person:
    name: str
    gender: str
    age: int
    role: str  # "elder", "adult" or "child"
    lives_alone: bool = False
    login: Login | None = None


@dataclass
class Plan:
    """One community's households (each a list of people), in door order."""

    spec: CommunitySpec
    families: list[list[Person]] = field(default_factory=list)

    @property
    def size(self) -> int:
        return sum(len(f) for f in self.families)


FAMILY_KINDS = [
    ("elder_alone", 10),
    ("elder_couple", 16),
    ("family", 30),
    ("three_generations", 14),
    ("young_couple", 12),
    ("single", 10),
    ("adult_with_parent", 8),
]


class Planner:
    def __init__(self, rng: random.Random):
        self.rng = rng

    def _given(self, age: int, gender: str) -> str:
        band = "old" if age >= 55 else "mid" if age >= 25 else "young"
        return self.rng.choice(GIVEN[(band, gender)])

    def person(self, age_range, gender=None, surname=None, role="adult") -> Person:
        age = self.rng.randint(*age_range)
        gender = gender or self.rng.choice("MF")
        surname = surname or self.rng.choice(SURNAMES)
        return Person(surname + self._given(age, gender), gender, age, role)

    def family(self, kind: str) -> list[Person]:
        p, rng = self.person, self.rng
        if kind == "elder_alone":
            elder = p((68, 95), rng.choice("MFF"), role="elder")
            elder.lives_alone = True
            return [elder]
        if kind == "elder_couple":
            husband = p((62, 92), "M", role="elder")
            return [husband, p((60, min(92, husband.age + 2)), "F", role="elder")]
        if kind == "young_couple":
            return [p((24, 38), "M"), p((23, 37), "F")]
        if kind == "single":
            return [p((22, 59))]
        if kind == "adult_with_parent":
            adult = p((40, 60))
            return [adult, p((adult.age + 22, 95), "F", role="elder")]
        father = p((32, 52), "M")
        members = [father, p((30, father.age), "F")]
        kids = rng.choice((1, 1, 2)) if kind == "family" else 1
        members += [
            p((7, min(20, father.age - 24)), surname=father.name[0], role="child")
            for _ in range(kids)
        ]
        if kind == "three_generations":
            grandpa = p((father.age + 22, 88), "M", surname=father.name[0], role="elder")
            members += [grandpa, p((father.age + 20, 86), "F", role="elder")]
        return members

    def community(self, spec: CommunitySpec, size: int) -> Plan:
        plan = Plan(spec)
        kinds, weights = zip(*FAMILY_KINDS, strict=True)
        # Start with an elder living alone and a family, so the account holders exist.
        queue = ["elder_alone", "family"]
        while plan.size < size:
            kind = queue.pop(0) if queue else self.rng.choices(kinds, weights)[0]
            plan.families.append(self.family(kind)[: size - plan.size])
        if spec.code == "HD":
            _assign_logins(plan)
        return plan


def _assign_logins(plan: Plan) -> None:
    elder, mother = plan.families[0][0], plan.families[1][1]
    for person, login in ((elder, RESIDENT_LOGINS[0]), (mother, RESIDENT_LOGINS[1])):
        person.name, person.login = login.name, login
    elder.gender, mother.gender = "F", "F"


def plan_all(total: int, seed: int = DEFAULT_SEED) -> list[Plan]:
    """Split `total` residents over the seven communities (湖东 gets the remainder)."""
    planner = Planner(random.Random(seed))
    share = total // len(COMMUNITIES)
    sizes = [total - share * (len(COMMUNITIES) - 1)] + [share] * (len(COMMUNITIES) - 1)
    return [planner.community(spec, n) for spec, n in zip(COMMUNITIES, sizes, strict=True)]


# ---- attributes of a resident ------------------------------------------------------------
class Traits:
    """Draws ID numbers, phones and the registry flags from one seeded generator."""

    def __init__(self, rng: random.Random, today: datetime.date):
        self.rng, self.today, self.used_ids = rng, today, set()

    def id_number(self, person: Person) -> str:
        rng = self.rng
        while True:
            days = rng.randint(person.age * 365 + person.age // 4 + 1, (person.age + 1) * 365)
            born = self.today - datetime.timedelta(days=days)
            seq = rng.randrange(500) * 2 + (1 if person.gender == Gender.MALE else 0)
            value = idnumber.make(rng.choice(REGIONS), born, seq)
            if value not in self.used_ids:
                self.used_ids.add(value)
                return value

    def phone(self, person: Person) -> str:
        if person.login:
            return person.login.phone
        if person.age < 14 or (person.age >= 80 and self.rng.random() < 0.4):
            return ""
        return self.rng.choice(PHONE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"

    def political_status(self, person: Person) -> str:
        r = self.rng.random()
        if person.age >= 60 and r < 0.2 or 18 <= person.age < 60 and r < 0.09:
            return PoliticalStatus.PARTY_MEMBER
        if 18 <= person.age < 45 and r < 0.1:
            return PoliticalStatus.PROBATIONARY
        if 14 <= person.age <= 28 and r < 0.45:
            return PoliticalStatus.LEAGUE_MEMBER
        if person.age >= 30 and r > 0.99:
            return PoliticalStatus.OTHER_PARTY
        return PoliticalStatus.MASSES

    def five_olds(self, person: Person, political_status: str) -> str:
        if person.age < 60 or self.rng.random() > 0.09:
            return FiveOlds.NONE
        if political_status == PoliticalStatus.PARTY_MEMBER and self.rng.random() < 0.5:
            return FiveOlds.PARTY_MEMBER
        return self.rng.choice(
            [FiveOlds.RETIRED_CADRE, FiveOlds.TEACHER, FiveOlds.EXPERT, FiveOlds.WORKER]
        )

    def resident(self, person: Person, community: Community, household: Household) -> Resident:
        status = self.political_status(person)
        r = Resident(
            community=community,
            household=household,
            name=person.name,
            name_initials=name_initials(person.name),
            phone=self.phone(person),
            political_status=status,
            five_olds=self.five_olds(person, status),
            lives_alone_elderly=person.lives_alone,
            disability=self.rng.random() < (0.08 if person.age >= 75 else 0.025),
            low_income=self.rng.random() < 0.02,
        )
        r.set_id_number(self.id_number(person))
        return r


# ---- writing -----------------------------------------------------------------------------
UNITS, FLOORS, DOORS_PER_FLOOR = 3, 6, 2
GRID_NAMES = ["第一网格", "第二网格", "第三网格", "第四网格"]
UNIT_KINDS = [
    ("{short}小学", LocalUnit.Kind.SCHOOL, "王校长"),
    ("{short}社区卫生服务站", LocalUnit.Kind.INSTITUTION, "李医生"),
    ("{short}农贸市场", LocalUnit.Kind.SHOP, "赵经理"),
    ("杭州{short}物业服务有限公司", LocalUnit.Kind.BUSINESS, "钱经理"),
    ("{short}老年食堂", LocalUnit.Kind.SOCIAL_ORG, "孙阿姨"),
]


def _doors(rng: random.Random):
    """Yield (building number, door) in order, leaving about one flat in eight empty."""
    number = 0
    while True:
        number += 1
        for unit in range(1, UNITS + 1):
            for floor in range(1, FLOORS + 1):
                for door in range(1, DOORS_PER_FLOOR + 1):
                    if rng.random() >= 0.12:
                        yield number, f"{unit}单元{floor}{door:02d}"


def _users(password_hash: str) -> dict[str, User]:
    users = [
        User(phone=login.phone, name=login.name, password=password_hash) for login in own_logins()
    ]
    return {u.phone: u for u in User.objects.bulk_create(users)}


def _write_community(
    plan: Plan,
    subdistrict: Subdistrict,
    users: dict[str, User],
    traits: Traits,
    progress: Callable[[int], None] | None,
) -> dict:
    spec, rng = plan.spec, traits.rng
    community = Community.objects.create(
        subdistrict=subdistrict,
        code=spec.code,
        name=spec.name,
        address=f"{DISTRICT}{spec.road}{spec.number}号",
        phone=spec.phone,
        introduction=spec.introduction,
    )
    doors = _doors(rng)
    placed = [(next(doors), family) for family in plan.families]
    n_buildings = placed[-1][0][0] if placed else 0
    n_grids = min(len(GRID_NAMES), max(1, n_buildings // 3))
    grids = Grid.objects.bulk_create(
        Grid(community=community, name=name) for name in GRID_NAMES[:n_grids]
    )
    buildings = Building.objects.bulk_create(
        [
            Building(
                community=community, name=f"{i}栋", grid=grids[(i - 1) * n_grids // n_buildings]
            )
            for i in range(1, n_buildings + 1)
        ],
        batch_size=BATCH_SIZE,
    )
    households = Household.objects.bulk_create(
        [Household(community=community, building=buildings[b - 1], door=d) for (b, d), _ in placed],
        batch_size=BATCH_SIZE,
    )
    batch = []
    for household, (_, family) in zip(households, placed, strict=True):
        for person in family:
            resident = traits.resident(person, community, household)
            if person.login:
                resident.user = users[person.login.phone]
            batch.append(resident)
            if len(batch) >= BATCH_SIZE:
                Resident.objects.bulk_create(batch)
                if progress:
                    progress(len(batch))
                batch = []
    Resident.objects.bulk_create(batch)
    if progress:
        progress(len(batch))
    units = LocalUnit.objects.bulk_create(
        LocalUnit(
            community=community,
            name=name.format(short=spec.short),
            kind=kind,
            address=f"{DISTRICT}{spec.road}{spec.number + 2 * i + 1}号",
            contact_name=contact,
            phone=f"0571-8{rng.randrange(10**6, 10**7)}",
        )
        for i, (name, kind, contact) in enumerate(UNIT_KINDS[: rng.randint(3, len(UNIT_KINDS))])
    )
    worker = next(w for w in WORKER_LOGINS if w.community == spec.code)
    Role.objects.create(
        user=users[worker.phone], kind=RoleKind.COMMUNITY_WORKER, community=community
    )
    counts = {
        "grids": len(grids),
        "buildings": len(buildings),
        "households": len(households),
        "residents": plan.size,
        "local_units": len(units),
        "accounts": sum(1 for f in plan.families for p in f if p.login),
    }
    record(None, "registry.demo_build", community, community=community, extra=counts)
    return counts


def build(
    residents: int = DEFAULT_RESIDENTS,
    seed: int = DEFAULT_SEED,
    progress: Callable[[int], None] | None = None,
    today: datetime.date | None = None,
) -> dict:
    """Write the demo subdistrict. Call only on a database without a subdistrict."""
    if residents < MIN_RESIDENTS:
        raise ValueError(f"residents must be at least {MIN_RESIDENTS}")
    plans = plan_all(residents, seed)
    traits = Traits(random.Random(seed + 1), today or datetime.date.today())
    with transaction.atomic():
        city = City.objects.create(code=CITY_CODE, name=CITY_NAME)
        subdistrict = Subdistrict.objects.create(
            code=SUBDISTRICT_CODE, name=SUBDISTRICT_NAME, district=DISTRICT, city=city
        )
        users = _users(make_password(DEMO_PASSWORD))
        Role.objects.create(
            user=users[ADMIN_LOGIN.phone], kind=RoleKind.SUBDISTRICT_ADMIN, subdistrict=subdistrict
        )
        Role.objects.create(user=users[CITY_LOGIN.phone], kind=RoleKind.CITY_ADMIN, city=city)
        record(
            None,
            "registry.demo_build",
            subdistrict,
            subdistrict=subdistrict,
            extra={"communities": len(plans), "users": len(users), "seed": seed},
        )
    totals: dict[str, int] = {"communities": 0, "users": len(users)}
    for plan in plans:
        with transaction.atomic():
            counts = _write_community(plan, subdistrict, users, traits, progress)
        totals["communities"] += 1
        for key, value in counts.items():
            totals[key] = totals.get(key, 0) + value
    password_hash = users[ADMIN_LOGIN.phone].password
    for module in _extensions():
        for key, value in module.build(subdistrict, password_hash).items():
            totals[key] = totals.get(key, 0) + value
    return totals
