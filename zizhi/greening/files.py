"""Photos of plots and of upkeep: checked by their content, not by name or browser (the rules
live in zizhi/web/uploads.py)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from zizhi.web import uploads

KINDS = (uploads.JPEG, uploads.PNG, uploads.WEBP)


def check_photo(upload) -> tuple[str, str]:
    """(content type, file suffix) of an uploaded photo; ValidationError otherwise.

    A phone camera's file may have any name, so the name is not trusted: the content decides
    (JPEG, PNG or WebP), and the file is stored under the suffix of what it really is."""
    if upload is None:
        raise ValidationError(_("请选择照片"))
    uploads.check_size(upload, what=_("照片"))
    head_ok = any(uploads._matches(k, uploads._head(upload)) for k in KINDS)
    if not head_ok:
        raise ValidationError(_("只能上传照片（JPG、PNG 或 WebP 格式），这个文件不是照片"))
    kind = uploads.check_upload(upload, KINDS, what=_("照片"), by_name=False)
    return kind.content_type, kind.suffix
