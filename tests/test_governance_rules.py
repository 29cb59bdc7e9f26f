"""The rule engine against cases taken from the wording of the law (Civil Code art. 1259:
过半数 and 超过 exclude the number itself, 以上 includes it) for each base."""

import datetime

import pytest

from zizhi.governance.counting import MORE_THAN_HALF, TWO_THIRDS_OR_MORE, Threshold, decide
from zizhi.governance.models import Body, BodyKind, CountBase, Rule
from zizhi.governance.rules import adult_cutoff, count_base, pick_rule

from . import factories as f

# (threshold, count, base, met?)  -- the statute's cases first
CASES = [
    (MORE_THAN_HALF, 25, 50, False),  # exactly half present is not a quorum
    (MORE_THAN_HALF, 26, 51, True),  # 26 of 51 is
    (MORE_THAN_HALF, 26, 52, False),  # a tie fails
    (MORE_THAN_HALF, 27, 52, True),
    (MORE_THAN_HALF, 1, 1, True),
    (MORE_THAN_HALF, 0, 0, False),  # nobody to count: never met
    (TWO_THIRDS_OR_MORE, 34, 51, True),  # exactly two thirds: 以上 includes it
    (TWO_THIRDS_OR_MORE, 33, 51, False),
    (TWO_THIRDS_OR_MORE, 35, 52, True),  # 34.67 needs 35
    (TWO_THIRDS_OR_MORE, 34, 52, False),
    (Threshold(2, 3, strict=True), 34, 51, False),  # 超过三分之二 excludes exactly 2/3
    (Threshold(2, 3, strict=True), 35, 51, True),
]


@pytest.mark.parametrize(("threshold", "count", "base", "met"), CASES)
def test_threshold_cases_from_the_law(threshold, count, base, met):
    assert threshold.met(count, base) is met
    if base:
        assert threshold.met(threshold.needed(base), base)
        assert not threshold.met(threshold.needed(base) - 1, base)


@pytest.mark.parametrize("base", range(1, 400))
def test_needed_is_the_smallest_count_that_meets(base):
    for t in (MORE_THAN_HALF, TWO_THIRDS_OR_MORE, Threshold(3, 4, False), Threshold(2, 3, True)):
        need = t.needed(base)
        assert t.met(need, base) and (need == 0 or not t.met(need - 1, base))


def test_the_result_explains_itself():
    outcome = decide(
        expected=52, present=37, yes=25, quorum=TWO_THIRDS_OR_MORE, majority=MORE_THAN_HALF
    )
    assert outcome.passed
    assert outcome.text == (
        "应到52人，实到37人，达到三分之二以上，会议有效；赞成25票，超过实到人数的半数（19票），通过"
    )
    tie = decide(
        expected=52, present=36, yes=18, no=18, quorum=TWO_THIRDS_OR_MORE, majority=MORE_THAN_HALF
    )
    assert not tie.passed and tie.text.endswith("未超过实到人数的半数（需19票），未通过")
    no_quorum = decide(
        expected=51, present=25, yes=25, quorum=MORE_THAN_HALF, majority=MORE_THAN_HALF
    )
    assert not no_quorum.quorate and not no_quorum.passed
    assert no_quorum.text == "应到51人，实到25人，未超过半数，会议无效，不能表决"


def test_two_thirds_of_all_members_for_the_charter():
    # 51 representatives, 40 present, 34 yes: two thirds of all (34) is reached
    ok = decide(
        expected=51,
        present=40,
        yes=34,
        quorum=TWO_THIRDS_OR_MORE,
        majority=TWO_THIRDS_OR_MORE,
        majority_of_all=True,
    )
    assert ok.passed and "达到应到人数的三分之二（34票）" in ok.text
    short = decide(
        expected=51,
        present=40,
        yes=33,
        quorum=TWO_THIRDS_OR_MORE,
        majority=TWO_THIRDS_OR_MORE,
        majority_of_all=True,
    )
    assert not short.passed


@pytest.fixture
def hd_bodies(world):
    return {
        kind: Body.objects.create(
            kind=kind, name=str(kind), subdistrict=world.dh, community=world.hd
        )
        for kind in (BodyKind.REPRESENTATIVE_ASSEMBLY, BodyKind.RESIDENTS_MEETING)
    }


def test_defaults_come_from_the_statute_with_their_source(hd_bodies):
    meeting = hd_bodies[BodyKind.RESIDENTS_MEETING]
    for base in (CountBase.ADULT_RESIDENTS, CountBase.HOUSEHOLDS, CountBase.GROUP_REPRESENTATIVES):
        rule = pick_rule(meeting, base=base)
        assert "组织法" in rule.source and "第九条" in rule.source
        assert (rule.quorum_num, rule.quorum_den, rule.quorum_strict) == (1, 2, True)
        assert (rule.pass_num, rule.pass_den, rule.pass_strict, rule.pass_of_all) == (
            1,
            2,
            True,
            False,
        )
    assembly = hd_bodies[BodyKind.REPRESENTATIVE_ASSEMBLY]
    general = pick_rule(assembly)
    assert (general.quorum_num, general.quorum_den, general.quorum_strict) == (2, 3, False)
    charter = pick_rule(assembly, "charter")
    assert charter.pass_of_all and (charter.pass_num, charter.pass_den) == (2, 3)
    assert pick_rule(assembly, "budget") == general


def test_a_community_charter_rule_wins_over_the_default(world, hd_bodies):
    assembly = hd_bodies[BodyKind.REPRESENTATIVE_ASSEMBLY]
    own = Rule.objects.create(
        community=world.hd,
        body_kind=BodyKind.REPRESENTATIVE_ASSEMBLY,
        name="湖东章程",
        source="湖东社区自治章程第十二条",
        quorum_base=CountBase.MEMBERS,
        quorum_num=3,
        quorum_den=4,
        quorum_strict=False,
        pass_num=1,
        pass_den=2,
        pass_strict=True,
    )
    assert pick_rule(assembly) == own
    assert pick_rule(assembly, "recall").community is None  # a matter-specific default still wins
    xh_assembly = Body.objects.create(
        kind=BodyKind.REPRESENTATIVE_ASSEMBLY, name="西湖", subdistrict=world.dh, community=world.xh
    )
    assert pick_rule(xh_assembly) != own


def test_bases_count_adults_and_households(world):
    hh = f.household(world.hd, "5栋", "501")
    f.resident(world.hd, name="成年", hh=hh, born=datetime.date(1980, 1, 1))
    f.resident(world.hd, name="孩子", hh=hh, born=datetime.date(2015, 1, 1))
    assert count_base(CountBase.ADULT_RESIDENTS, world.hd) == 2  # with resident_a
    assert count_base(CountBase.HOUSEHOLDS, world.hd) == 2


def test_adult_cutoff_handles_29_february():
    assert adult_cutoff(datetime.date(2028, 2, 29)) == datetime.date(2010, 2, 28)
    assert adult_cutoff(datetime.date(2026, 11, 28)) == datetime.date(2008, 11, 28)


def test_defaults_come_back_if_a_database_lost_them(hd_bodies):
    Rule.objects.filter(community=None).delete()
    rule = pick_rule(hd_bodies[BodyKind.REPRESENTATIVE_ASSEMBLY])
    assert rule.source == "社区自治章程（平台默认条款）"
    assert Rule.objects.filter(community=None).count() == 11


def test_the_explanation_reads_in_english_too():
    from django.utils import translation

    with translation.override("en"):
        text = decide(
            expected=52, present=37, yes=25, quorum=TWO_THIRDS_OR_MORE, majority=MORE_THAN_HALF
        ).text
    assert "two thirds" in text and "more than half" in text
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in text)
