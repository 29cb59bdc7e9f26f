"""Quorum and majority arithmetic, in integers, with the counting words of Chinese law.

Civil Code art. 1259: 以上 / 以下 include the number itself; 超过 / 不满 do not; 过半数 is
strictly more than half. So a threshold is a fraction num/den of a base, either *strict*
("超过", "过半数": count > base * num / den) or *inclusive* ("以上": count >= base * num / den).
Everything is compared as count * den against base * num: no floating point anywhere.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

FRACTION_WORDS = {
    (1, 2): gettext_lazy("半数"),
    (2, 3): gettext_lazy("三分之二"),
    (3, 4): gettext_lazy("四分之三"),
    (1, 3): gettext_lazy("三分之一"),
    (1, 1): gettext_lazy("全体"),
}


def fraction_words(num: int, den: int) -> str:
    words = FRACTION_WORDS.get((num, den))
    return str(words) if words else _("%(den)s分之%(num)s") % {"num": num, "den": den}


@dataclass(frozen=True)
class Threshold:
    num: int
    den: int
    strict: bool  # True: 超过 (more than); False: 以上 (at least)

    def __post_init__(self):
        if self.den <= 0 or self.num < 0 or self.num > self.den:
            raise ValueError(f"bad fraction {self.num}/{self.den}")

    def met(self, count: int, base: int) -> bool:
        if base <= 0:
            return False
        if self.strict:
            return count * self.den > base * self.num
        return count * self.den >= base * self.num

    def needed(self, base: int) -> int:
        """The smallest count that meets the threshold for this base."""
        if base <= 0:
            return 1
        product = base * self.num
        if self.strict:
            return product // self.den + 1
        return -(-product // self.den)

    def reached_words(self, reached: bool) -> str:
        """达到三分之二以上 / 未达到三分之二; 超过半数 / 未超过半数."""
        fraction = fraction_words(self.num, self.den)
        if self.strict:
            return (_("超过%(f)s") if reached else _("未超过%(f)s")) % {"f": fraction}
        return (_("达到%(f)s以上") if reached else _("未达到%(f)s")) % {"f": fraction}

    def words(self) -> str:
        fraction = fraction_words(self.num, self.den)
        if self.strict:
            return _("超过%(f)s") % {"f": fraction}
        return _("%(f)s以上") % {"f": fraction}


MORE_THAN_HALF = Threshold(1, 2, strict=True)
TWO_THIRDS_OR_MORE = Threshold(2, 3, strict=False)


@dataclass(frozen=True)
class Outcome:
    """A counted result that explains itself in words."""

    expected: int  # 应到
    present: int  # 实到
    quorate: bool
    yes: int
    no: int
    abstain: int
    pass_base: int
    needed: int
    passed: bool
    text: str


def decide(
    *,
    expected: int,
    present: int,
    yes: int,
    no: int = 0,
    abstain: int = 0,
    quorum: Threshold,
    majority: Threshold,
    majority_of_all: bool = False,
) -> Outcome:
    """Quorum of `expected`, then `yes` against `present` (or `expected` if majority_of_all).

    Ties fail because a strict majority is needed; a meeting without quorum decides nothing.
    """
    quorate = quorum.met(present, expected)
    quorum_text = _("应到%(e)s人，实到%(p)s人，%(w)s，%(v)s") % {
        "e": expected,
        "p": present,
        "w": quorum.reached_words(quorate),
        "v": _("会议有效") if quorate else _("会议无效，不能表决"),
    }
    base = expected if majority_of_all else present
    needed = majority.needed(base)
    passed = quorate and majority.met(yes, base)
    if not quorate:
        return Outcome(expected, present, False, yes, no, abstain, base, needed, False, quorum_text)
    whose = _("应到人数") if majority_of_all else _("实到人数")
    if majority.strict:
        compare = _("超过") if passed else _("未超过")
    else:
        compare = _("达到") if passed else _("未达到")
    vote_text = _("赞成%(y)s票，%(cmp)s%(whose)s的%(f)s（%(need)s），%(res)s") % {
        "y": yes,
        "cmp": compare,
        "whose": whose,
        "f": fraction_words(majority.num, majority.den),
        "need": (_("%(n)s票") if passed else _("需%(n)s票")) % {"n": needed},
        "res": _("通过") if passed else _("未通过"),
    }
    return Outcome(
        expected,
        present,
        True,
        yes,
        no,
        abstain,
        base,
        needed,
        passed,
        _("%(a)s；%(b)s") % {"a": quorum_text, "b": vote_text},
    )
