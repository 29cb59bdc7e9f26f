"""Charter API: the version in force and the history (public), one version with its diff;
staff draft, edit and propose (the vote itself is a major matter: api_matters.py)."""

import difflib

from django.http import Http404
from ninja import Router, Status

from zizhi.accounts.access import get_public_community
from zizhi.accounts.api_auth import PUBLIC

from . import actions
from .access import is_staff_of, require_staff_community
from .api_common import reasons
from .charter import charter_in_force, full_text, numbers_in_words, predecessor
from .charter_schemas import CharterEditIn, CharterVersionOut
from .models import CharterVersion, VersionStatus
from .models.charter import NUMBER_FIELDS

router = Router(tags=["charter"])

PUBLIC_STATES = [VersionStatus.PROPOSED, VersionStatus.IN_FORCE, VersionStatus.SUPERSEDED]


def _staff(user, community) -> bool:
    return bool(user and user.is_authenticated and is_staff_of(user, community.pk))


def _out(version: CharterVersion, diff: str = "") -> dict:
    return {
        **{f: getattr(version, f) for f in NUMBER_FIELDS},
        "number": version.number,
        "status": version.status,
        "status_label": version.get_status_display(),
        "text": version.text,
        "note": version.note,
        "in_force_from": version.in_force_from,
        "resolution": version.resolution.number if version.resolution_id else None,
        "matter_id": version.matter_id,
        "numbers_in_words": [list(p) for p in numbers_in_words(version)],
        "bylaws": list(version.bylaws.all()) if version.pk else [],
        "diff": diff,
    }


def _version(user, community, number) -> CharterVersion:
    version = (
        CharterVersion.objects.filter(community=community, number=number)
        .select_related("resolution")
        .first()
    )
    if version is None or (version.status not in PUBLIC_STATES and not _staff(user, community)):
        raise Http404
    return version


@router.get(
    "/charter/{code}",
    response=CharterVersionOut,
    auth=PUBLIC,
    url_name="charter_in_force",
    summary="社区现行自治章程（含配套制度和各项人数、比例）",
)
def get_charter(request, code: str):
    return _out(charter_in_force(get_public_community(code)))


@router.get(
    "/charter/{code}/versions",
    response=list[CharterVersionOut],
    auth=PUBLIC,
    url_name="charter_versions",
    summary="自治章程的历次版本（草稿仅工作人员可见）",
)
def list_versions(request, code: str):
    community = get_public_community(code)
    charter_in_force(community)
    qs = (
        CharterVersion.objects.filter(community=community)
        .select_related("resolution")
        .prefetch_related("bylaws")
    )
    if not _staff(request.auth, community):
        qs = qs.filter(status__in=PUBLIC_STATES)
    return [_out(v) for v in qs]


@router.get(
    "/charter/{code}/versions/{int:number}",
    response=CharterVersionOut,
    auth=PUBLIC,
    url_name="charter_version",
    summary="自治章程的一个版本，及与上一版本的差异",
)
def get_version(request, code: str, number: int):
    community = get_public_community(code)
    version = _version(request.auth, community, number)
    before = predecessor(version)
    diff = ""
    if before:
        diff = "\n".join(
            difflib.unified_diff(
                full_text(before).splitlines(),
                full_text(version).splitlines(),
                f"v{before.number}",
                f"v{version.number}",
                lineterm="",
            )
        )
    return _out(version, diff)


@router.post(
    "/charter/{code}/versions",
    response={201: CharterVersionOut},
    url_name="draft_charter_version",
    summary="起草修订稿（复制现行版本）",
)
def draft_version(request, code: str):
    community = require_staff_community(request.auth, code)
    with reasons():
        draft = actions.do_draft_charter_version(community, actor=request.auth)
    return Status(201, _out(draft))


@router.put(
    "/charter/{code}/versions/{int:number}",
    response=CharterVersionOut,
    url_name="edit_charter_version",
    summary="修改修订稿（提请表决后不能再改）",
)
def edit_version(request, code: str, number: int, payload: CharterEditIn):
    community = require_staff_community(request.auth, code)
    version = _version(request.auth, community, number)
    bylaws = (
        [(b.title, b.text) for b in payload.bylaws]
        if payload.bylaws is not None
        else [(b.title, b.text) for b in version.bylaws.all()]
    )
    numbers = {k: v for k, v in payload.numbers.dict().items() if v is not None}
    with reasons():
        version = actions.do_edit_charter_version(
            version,
            text=payload.text,
            note=payload.note,
            numbers=numbers,
            bylaws=bylaws,
            actor=request.auth,
        )
    return _out(version)


@router.post(
    "/charter/{code}/versions/{int:number}/propose",
    response=CharterVersionOut,
    url_name="propose_charter_version",
    summary="提请居民代表大会表决（登记为自治章程类重大事项）",
)
def propose_version(request, code: str, number: int):
    community = require_staff_community(request.auth, code)
    version = _version(request.auth, community, number)
    with reasons():
        version = actions.do_propose_charter_version(version, actor=request.auth)
    return _out(version)
