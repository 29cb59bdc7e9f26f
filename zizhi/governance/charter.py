"""The charter in force: the one place the rest of the system reads the charter's numbers
(co-signatures for a motion, notice days, workflow preset, the assembly's thresholds)."""

import difflib

from django.db import IntegrityError, transaction
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .models import CharterVersion, VersionStatus


def charter_in_force(community) -> CharterVersion:
    """The version in force; a community without any gets version 1 from the defaults."""
    found = CharterVersion.objects.filter(
        community=community, status=VersionStatus.IN_FORCE
    ).first()
    if found:
        return found
    try:
        with transaction.atomic():
            if not CharterVersion.objects.filter(community=community).exists():
                return CharterVersion.objects.create(
                    community=community, number=1, status=VersionStatus.IN_FORCE
                )
    except IntegrityError:  # created at the same moment by another request
        pass
    found = CharterVersion.objects.filter(
        community=community, status=VersionStatus.IN_FORCE
    ).first()
    if found is None:  # versions exist, none in force (should not happen): the defaults
        return CharterVersion(community=community, number=0, status=VersionStatus.IN_FORCE)
    return found


def predecessor(version: CharterVersion) -> CharterVersion | None:
    return (
        CharterVersion.objects.filter(community_id=version.community_id, number__lt=version.number)
        .exclude(status__in=[VersionStatus.DRAFT, VersionStatus.WITHDRAWN])
        .order_by("-number")
        .first()
    )


def full_text(version: CharterVersion | None) -> str:
    """The version as one text: the charter, its numbers in plain words, then each bylaw."""
    if version is None:
        return ""
    parts = [version.text.strip()]
    parts += [f"{label}：{value}" for label, value in numbers_in_words(version)]
    for bylaw in version.bylaws.all():
        parts.append(f"【{bylaw.title}】\n{bylaw.text.strip()}")
    return "\n".join(p for p in parts if p)


def numbers_in_words(v: CharterVersion) -> list[tuple[str, str]]:
    from django.utils.translation import gettext as _

    def of(of_all):
        return _("以应到人数计") if of_all else _("以实到人数计")

    return [
        (_("居民议案须有代表附议"), _("%(n)s人以上") % {"n": v.motion_cosigners}),
        (_("会议提前通知"), _("%(n)s天") % {"n": v.meeting_notice_days}),
        (_("议事流程"), v.get_workflow_display()),
        (_("居民代表大会出席"), _("应到代表%(w)s") % {"w": v.quorum.words()}),
        (
            _("一般事项通过"),
            _("赞成票%(w)s（%(of)s）") % {"w": v.majority.words(), "of": of(v.pass_of_all)},
        ),
        (
            _("修改章程通过"),
            _("全体代表%(w)s赞成") % {"w": v.charter_majority.words()},
        ),
        (
            _("罢免居委会成员通过"),
            _("全体代表%(w)s赞成") % {"w": v.recall_majority.words()},
        ),
    ]


def diff_html(old: str, new: str) -> str:
    """A line-and-character diff as HTML with <ins>/<del>, every piece escaped."""
    out = []
    old_lines, new_lines = old.splitlines(), new.splitlines()
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out += [f"<p>{escape(line)}</p>" for line in old_lines[i1:i2]]
        elif op == "replace" and i2 - i1 == j2 - j1:
            for a, b in zip(old_lines[i1:i2], new_lines[j1:j2], strict=True):
                out.append(f"<p>{_inline(a, b)}</p>")
        else:
            out += [f"<p><del>{escape(line)}</del></p>" for line in old_lines[i1:i2]]
            out += [f"<p><ins>{escape(line)}</ins></p>" for line in new_lines[j1:j2]]
    return mark_safe("\n".join(out))  # noqa: S308 - every piece is escaped above


def _inline(a: str, b: str) -> str:
    pieces = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b).get_opcodes():
        if op == "equal":
            pieces.append(escape(a[i1:i2]))
            continue
        if i2 > i1:
            pieces.append(f"<del>{escape(a[i1:i2])}</del>")
        if j2 > j1:
            pieces.append(f"<ins>{escape(b[j1:j2])}</ins>")
    return "".join(pieces)
