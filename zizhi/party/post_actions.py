"""Changes to service posts after they are listed: the branch closes and reopens a post;
a member withdraws their own claim. Each checks permission and rules, changes rows and
writes one audit event. Re-exported by actions.py."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zizhi.audit.log import record

from .access import can_manage, own_member
from .models import PostClaim, QuarterlyReport, ServicePost, quarter_of

# The one table of a post's open/closed transitions: verb -> (from is_open, to is_open).
POST_TRANSITIONS = {
    "close": (True, False),
    "reopen": (False, True),
}


def _set_open(post: ServicePost, verb: str, actor) -> ServicePost:
    if not can_manage(actor, post.community_id):
        raise PermissionDenied(_("只有本社区党支部委员或街道党工委成员可以进行此操作"))
    post = ServicePost.objects.select_for_update().select_related("community").get(pk=post.pk)
    before, after = POST_TRANSITIONS[verb]
    if post.is_open != before:
        if verb == "close":
            raise ValidationError(_("这个岗位已经停止认领了"))
        raise ValidationError(_("这个岗位正在开放认领"))
    post.is_open = after
    post.save(update_fields=["is_open"])
    record(
        actor,
        f"party.post.{verb}",
        post,
        community=post.community,
        before={"is_open": before},
        after={"is_open": after},
    )
    return post


@transaction.atomic
def do_close_post(post: ServicePost, *, actor) -> ServicePost:
    """The branch stops claims on a post; claims already made stay."""
    return _set_open(post, "close", actor)


@transaction.atomic
def do_reopen_post(post: ServicePost, *, actor) -> ServicePost:
    """The branch opens a closed post to claims again."""
    return _set_open(post, "reopen", actor)


@transaction.atomic
def do_withdraw_claim(claim: PostClaim, *, actor) -> ServicePost:
    """A member withdraws their own claim while the post is open and the branch has not yet
    evaluated their current quarter; the place becomes free again. Returns the post."""
    member = own_member(actor)
    if member is None or member.pk != claim.member_id:
        raise PermissionDenied(_("只能撤回自己认领的岗位"))
    post = ServicePost.objects.select_for_update().select_related("community").get(pk=claim.post_id)
    claim = PostClaim.objects.filter(pk=claim.pk, member=member).first()
    if claim is None:
        raise ValidationError(_("这项认领已经撤回了"))
    if not post.is_open:
        raise ValidationError(_("这个岗位已停止认领，不能撤回，请联系社区党支部"))
    quarter = quarter_of(timezone.localdate())
    if QuarterlyReport.objects.filter(member=member, quarter=quarter).exists():
        raise ValidationError(_("本季度社区已经评价，不能撤回认领，请联系社区党支部"))
    summary = {"post": post.pk, "member": member.pk, "claimed_on": claim.claimed_on.isoformat()}
    record(actor, "party.post.withdraw_claim", claim, community=post.community, before=summary)
    claim.delete()
    return post
