"""The default rules: from the statute where it fixes a figure, else the default charter.

Written by migration 0002 and again by `rules.pick_rule` if a database lost them (a test
database flushed between tests).
"""

LAW_2018 = "《城市居民委员会组织法》（2018年修正）第九条"
CHARTER = "社区自治章程（平台默认条款）"
PARTY = "《中国共产党支部工作条例（试行）》：党员大会须有应到会党员半数以上到会"

#  body_kind, matter_type, name, source, base, quorum (num, den, strict), pass (num, den,
#  strict, of_all)
DEFAULTS = [
    (
        "residents_meeting",
        "",
        "居民会议（全体成年居民）",
        LAW_2018,
        "adult_residents",
        (1, 2, True),
        (1, 2, True, False),
    ),
    (
        "residents_meeting",
        "",
        "居民会议（户代表）",
        LAW_2018,
        "households",
        (1, 2, True),
        (1, 2, True, False),
    ),
    (
        "residents_meeting",
        "",
        "居民会议（居民小组代表）",
        LAW_2018,
        "group_representatives",
        (1, 2, True),
        (1, 2, True, False),
    ),
    (
        "representative_assembly",
        "",
        "居民代表大会（一般事项）",
        CHARTER,
        "members",
        (2, 3, False),
        (1, 2, True, False),
    ),
    (
        "representative_assembly",
        "charter",
        "居民代表大会（自治章程）",
        CHARTER,
        "members",
        (2, 3, False),
        (2, 3, False, True),
    ),
    (
        "representative_assembly",
        "recall",
        "居民代表大会（罢免）",
        CHARTER,
        "members",
        (2, 3, False),
        (2, 3, False, True),
    ),
    ("party_branch", "", "党支部集体研究", PARTY, "members", (1, 2, True), (1, 2, True, True)),
    ("residents_committee", "", "居委会会议", CHARTER, "members", (1, 2, True), (1, 2, True, True)),
    (
        "members_assembly",
        "",
        "社区成员代表大会",
        CHARTER,
        "members",
        (1, 2, True),
        (1, 2, True, False),
    ),
    ("joint_meeting", "", "社区单位联席会", CHARTER, "members", (1, 2, True), (1, 2, True, False)),
    (
        "subdistrict_party_committee",
        "",
        "街道党工委会议",
        PARTY,
        "members",
        (1, 2, True),
        (1, 2, True, True),
    ),
]


def add_defaults(Rule) -> int:
    """Write the default rules (community-less) unless they are there; returns how many."""
    if Rule.objects.filter(community=None).exists():
        return 0
    for kind, matter_type, name, source, base, quorum, passing in DEFAULTS:
        Rule.objects.create(
            community=None,
            body_kind=kind,
            matter_type=matter_type,
            name=name,
            source=source,
            quorum_base=base,
            quorum_num=quorum[0],
            quorum_den=quorum[1],
            quorum_strict=quorum[2],
            pass_num=passing[0],
            pass_den=passing[1],
            pass_strict=passing[2],
            pass_of_all=passing[3],
        )
    return len(DEFAULTS)
