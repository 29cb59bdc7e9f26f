"""The Atom feed of a community's notices (published and withdrawn, newest first)."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from zizhi.accounts.access import get_public_community

from .access import public_notices
from .pdf import period_text

FEED_SIZE = 30


class NoticeFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, code):
        return get_public_community(code)

    def title(self, community):
        return _("%(name)s居务公开") % {"name": community.name}

    def subtitle(self, community):
        return _("%(name)s发布的公示、决议和财务公开") % {"name": community.name}

    def link(self, community):
        return reverse("notices:board", args=[community.code])

    def feed_url(self, community):
        return reverse("notices:feed", args=[community.code])

    def author_name(self, community):
        return community.name

    def items(self, community):
        return (
            public_notices()
            .filter(community=community)
            .select_related("community")
            .order_by("-published_at", "-id")[:FEED_SIZE]
        )

    def item_title(self, notice):
        if notice.is_withdrawn:
            return _("【已撤回】%(title)s") % {"title": notice.title}
        return notice.title

    def item_description(self, notice):
        parts = [notice.get_category_display(), notice.number, period_text(notice)]
        if notice.is_withdrawn:
            parts.append(_("撤回原因：%(reason)s") % {"reason": notice.withdraw_reason})
        parts.append(notice.body)
        return "\n".join(p for p in parts if p)

    def item_link(self, notice):
        return reverse("notices:detail", args=[notice.community.code, notice.pk])

    def item_pubdate(self, notice):
        return notice.published_at

    def item_updateddate(self, notice):
        return notice.withdrawn_at or notice.published_at

    def item_categories(self, notice):
        return [notice.get_category_display()]
