"""Checking uploaded files by their first bytes (not by the name or the browser's word)."""

from dataclasses import dataclass
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class Kind:
    content_type: str
    suffixes: tuple[str, ...]
    magic: bytes


PNG = Kind("image/png", (".png",), b"\x89PNG\r\n\x1a\n")
JPEG = Kind("image/jpeg", (".jpg", ".jpeg"), b"\xff\xd8\xff")
PDF = Kind("application/pdf", (".pdf",), b"%PDF-")
DOCX = Kind(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    (".docx",),
    b"PK\x03\x04",
)
XLSX = Kind(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    (".xlsx",),
    b"PK\x03\x04",
)
PHOTO_KINDS = (JPEG, PNG)
ATTACHMENT_KINDS = (PDF, JPEG, PNG, DOCX, XLSX)
# Shown inline in the browser; anything else is downloaded.
INLINE_TYPES = {PDF.content_type, JPEG.content_type, PNG.content_type}


def check_upload(upload, kinds, *, what: str) -> str:
    """The content type of an upload whose name and first bytes match one of `kinds`.

    Raises ValidationError with a Chinese message otherwise. `what` names the file for the
    message (照片, 附件).
    """
    if upload is None:
        raise ValidationError(_("请选择%(what)s文件") % {"what": what})
    size = getattr(upload, "size", None) or 0
    if size <= 0:
        raise ValidationError(_("%(what)s文件是空的") % {"what": what})
    if size > MAX_BYTES:
        raise ValidationError(
            _("%(what)s文件太大，不能超过 %(mb)d MB") % {"what": what, "mb": MAX_BYTES // 2**20}
        )
    suffix = PurePosixPath(getattr(upload, "name", "") or "").suffix.lower()
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for kind in kinds:
        if suffix in kind.suffixes and head.startswith(kind.magic):
            return kind.content_type
    allowed = "、".join(s.lstrip(".").upper() for k in kinds for s in k.suffixes[:1])
    raise ValidationError(
        _("%(what)s只能是 %(allowed)s 文件，这个文件的格式不对")
        % {"what": what, "allowed": allowed}
    )
