"""Checking uploaded files: the rules live in zizhi/web/uploads.py (one place for every app);
this module keeps the names the apps already import."""

from zizhi.web import uploads
from zizhi.web.uploads import (  # noqa: F401 (re-exported)
    ATTACHMENT_KINDS,
    DOCX,
    INLINE_TYPES,
    JPEG,
    PDF,
    PHOTO_KINDS,
    PNG,
    XLSX,
    Kind,
    display_name,
)

MAX_BYTES = uploads.DEFAULT_MAX_BYTES


def check_upload(upload, kinds, *, what: str) -> str:
    """The content type of an upload whose name and content match one of `kinds` (size, first
    bytes, images decoded far enough to verify, Office files' zips checked for bombs).

    Raises ValidationError with a Chinese message otherwise. `what` names the file for the
    message (照片, 附件).
    """
    return uploads.check_upload(upload, kinds, what=what).content_type
