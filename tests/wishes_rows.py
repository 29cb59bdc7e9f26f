"""Builders for wishes tests: a beneficiary with a login, a volunteer claimant, wishes in
each state (made through the actions, so they are real)."""

from tests import factories as f
from tests.assoc_rows import volunteer
from zizhi.wishes import actions
from zizhi.wishes.models import Claim, Wish, WishStatus

STEPS = (
    WishStatus.SUBMITTED,
    WishStatus.PUBLISHED,
    WishStatus.CLAIMED,
    WishStatus.CONTACTED,
    WishStatus.FULFILLED,
    WishStatus.CONFIRMED,
)


def beneficiary(community, name="王奶奶"):
    """A resident with a login (the one whose wish it is)."""
    return f.resident_user(community, name=name)


def volunteer_user(community, name="志愿者小陈"):
    """A resident with a login registered as a volunteer."""
    user = f.resident_user(community, name=name)
    volunteer(user.resident)
    return user


def wish(worker, person, status=WishStatus.PUBLISHED, claimant=None, text="想要一台收音机"):
    """A wish of `person` (a Resident) moved through the actions up to `status`; `claimant`
    (a volunteer user) claims it when the status needs a claim."""
    w = actions.do_post_wish(person, actor=worker, text=text, category="goods", value_cap_yuan=200)
    target = STEPS.index(status)
    if target >= 1:
        w = actions.do_verify_wish(
            w, actor=worker, title="本社区一位独居老人想要一台收音机", public_text="喜欢听戏曲"
        )
    if target >= 2:
        claim = actions.do_claim_wish(w, actor=claimant, kind="volunteer")
    if target >= 3:
        claim = actions.do_record_contact(claim, actor=claimant, note="已电话联系")
    if target >= 4:
        actions.do_record_fulfilment(claim, actor=claimant, minutes=60, proof_text="送到家里")
    if target >= 5:
        actions.do_confirm_wish(w, actor=worker, note="上门确认")
    return Wish.objects.get(pk=w.pk)


def live_claim(w) -> Claim:
    return Claim.objects.get(wish=w, lapsed_at__isnull=True)
