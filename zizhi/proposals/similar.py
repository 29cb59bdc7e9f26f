"""Finding an open suggestion like a new one: same building (when one is given) and similar
words. Chinese has no spaces, so words are compared as overlapping pairs of characters
(bigrams); Latin words and numbers count whole."""

import re

from .models import OPEN_STATUSES, Suggestion, SuggestionStatus

# Below this share of shared bigrams two texts are not offered as the same matter.
THRESHOLD = 0.25
CANDIDATES = 300  # the most recent open suggestions compared (per building or community)
_TOKEN = re.compile(r"[A-Za-z]+|\d+|[\u3400-\u9fff]")
# Words that say nothing about what the matter is.
_STOP = set("的了吗呢吧啊是在有和与及或我你他她们这那请能要希望建议问题社区小区居民一个")


def bigrams(text: str) -> set[str]:
    tokens = [t for t in _TOKEN.findall((text or "").lower()) if t not in _STOP]
    grams = {a + b for a, b in zip(tokens, tokens[1:], strict=False)}
    # whole Latin words and numbers (e.g. "3栋", "B2") count on their own too
    grams |= {t for t in tokens if len(t) > 1 or t.isdigit()}
    return grams


def score(a: str, b: str) -> float:
    """The share of `a`'s bigrams found in `b` (0..1): how much of the new text repeats an
    old one. Short new texts are not diluted by a long old one."""
    ga, gb = bigrams(a), bigrams(b)
    if not ga or not gb:
        return 0.0
    return len(ga & gb) / min(len(ga), len(gb))


def similar_open(community, building, title: str, text: str = "", limit: int = 3) -> list:
    """Open suggestions of the community like the new one, best first. With a building, only
    that building's; the title weighs twice the text."""
    qs = Suggestion.objects.filter(community=community, status__in=OPEN_STATUSES).exclude(
        status=SuggestionStatus.NOT_ACCEPTED
    )
    if building is not None:
        qs = qs.filter(building=building)
    candidates = list(
        qs.select_related("community", "building")
        .only(
            "pk",
            "number",
            "title",
            "text",
            "status",
            "public",
            "support_count",
            "created_at",
            "building__name",
            "community__code",
            "community__name",
            "accept_due",
            "reply_due",
            "category",
            "resident_id",
        )
        .order_by("-created_at", "-pk")[:CANDIDATES]
    )
    found = []
    for s in candidates:
        value = (2 * score(title, s.title) + score(f"{title} {text}", f"{s.title} {s.text}")) / 3
        if value >= THRESHOLD:
            found.append((value, s))
    found.sort(key=lambda pair: (-pair[0], -pair[1].pk))
    return [s for _value, s in found[:limit]]
