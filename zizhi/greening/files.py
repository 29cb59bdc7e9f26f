"""Photos of plots and of upkeep: checked by their first bytes, not by name or browser."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_BYTES = 8 * 1024 * 1024
KINDS = (
    ("image/jpeg", ".jpg", (b"\xff\xd8\xff",)),
    ("image/png", ".png", (b"\x89PNG\r\n\x1a\n",)),
    ("image/webp", ".webp", (b"RIFF",)),
)


def check_photo(upload) -> tuple[str, str]:
    """(content type, file suffix) of an uploaded photo; ValidationError otherwise.

    A phone camera's file may have any name, so the name is not trusted: the first bytes
    decide (JPEG, PNG or WebP)."""
    if upload is None:
        raise ValidationError(_("请选择照片"))
    size = getattr(upload, "size", None) or 0
    if size <= 0:
        raise ValidationError(_("照片文件是空的"))
    if size > MAX_BYTES:
        raise ValidationError(_("照片太大，不能超过 %(mb)d MB") % {"mb": MAX_BYTES // 2**20})
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for content_type, suffix, magics in KINDS:
        if any(head.startswith(m) for m in magics):
            if content_type == "image/webp" and head[8:12] != b"WEBP":
                continue
            return content_type, suffix
    raise ValidationError(_("只能上传照片（JPG、PNG 或 WebP 格式），这个文件不是照片"))
