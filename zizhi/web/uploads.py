"""Every uploaded file is checked here before anything is written.

One place for the rules, used by every app (photos, attachments, receipts, spreadsheets):

- the size (settings.UPLOAD_MAX_BYTES, or the caller's limit, e.g. ROSTER_MAX_BYTES);
- the real type, by the first bytes and not by the name or the browser's word; an image must
  also open in Pillow, verify, and stay under settings.UPLOAD_MAX_PIXELS (a decompression bomb
  of a few KB can claim 100,000 x 100,000 pixels);
- a .xlsx or .docx is a zip: it must hold the parts the format needs, few members, and inflate
  to a bounded size at a bounded ratio. The sizes are counted while inflating, not read from
  the zip's own headers (which a zip bomb can fake), and this happens before any spreadsheet
  reader sees the file;
- names: the uploaded name is display text only (`display_name`); files are stored under
  generated names by each model's upload_to.

Every refusal is a ValidationError with a message in Chinese; nothing is written before the
check passes, so a refusal changes nothing.
"""

import io
import re
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MB = 1024 * 1024


@dataclass(frozen=True)
class Kind:
    content_type: str
    suffixes: tuple[str, ...]  # the first is the one files of this kind are stored with
    magic: bytes
    image: str = ""  # Pillow's format name, for images
    zip_parts: tuple[str, ...] = ()  # members an Office file must hold

    @property
    def suffix(self) -> str:
        return self.suffixes[0]


PNG = Kind("image/png", (".png",), b"\x89PNG\r\n\x1a\n", image="PNG")
JPEG = Kind("image/jpeg", (".jpg", ".jpeg"), b"\xff\xd8\xff", image="JPEG")
WEBP = Kind("image/webp", (".webp",), b"RIFF", image="WEBP")
PDF = Kind("application/pdf", (".pdf",), b"%PDF-")
DOCX = Kind(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    (".docx",),
    b"PK\x03\x04",
    zip_parts=("[Content_Types].xml", "word/document.xml"),
)
XLSX = Kind(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    (".xlsx",),
    b"PK\x03\x04",
    zip_parts=("[Content_Types].xml", "xl/workbook.xml"),
)
PHOTO_KINDS = (JPEG, PNG)
ATTACHMENT_KINDS = (PDF, JPEG, PNG, DOCX, XLSX)
# Shown inline in the browser; anything else is downloaded.
INLINE_TYPES = {PDF.content_type, JPEG.content_type, PNG.content_type}

# Zip limits for Office files: members, inflated bytes per uploaded byte (real spreadsheets
# stay well under 30; a zip bomb is near 1,000), and the inflated total.
ZIP_MAX_MEMBERS = 5000
ZIP_MAX_RATIO = 200
ZIP_RATIO_FLOOR = 5 * MB  # below this many inflated bytes, the ratio does not matter
ZIP_CHUNK = 1024 * 1024


# settings.UPLOAD_MAX_BYTES and UPLOAD_MAX_PIXELS (env ZIZHI_UPLOAD_MAX_BYTES, _PIXELS) override.
DEFAULT_MAX_BYTES = 10 * MB
DEFAULT_MAX_PIXELS = 50_000_000  # a 48-megapixel phone photo passes


class ZipBomb(ValidationError):
    """A zip that inflates too far or holds too many members."""


def max_bytes() -> int:
    return getattr(settings, "UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES)


def max_pixels() -> int:
    return getattr(settings, "UPLOAD_MAX_PIXELS", DEFAULT_MAX_PIXELS)


def check_size(upload, *, what: str, limit: int | None = None) -> int:
    """The upload's size in bytes; ValidationError if it is missing, empty or over `limit`."""
    limit = limit or max_bytes()
    if upload is None:
        raise ValidationError(_("请选择%(what)s文件") % {"what": what})
    size = getattr(upload, "size", None) or 0
    if size <= 0:
        raise ValidationError(_("%(what)s文件是空的") % {"what": what})
    if size > limit:
        raise ValidationError(
            _("%(what)s文件太大，不能超过 %(mb)d MB")
            % {"what": what, "mb": max(1, round(limit / MB))}
        )
    return size


def _head(upload, n: int = 16) -> bytes:
    upload.seek(0)
    head = upload.read(n)
    upload.seek(0)
    return head


def _matches(kind: Kind, head: bytes) -> bool:
    if not head.startswith(kind.magic):
        return False
    if kind is WEBP:
        return head[8:12] == b"WEBP"
    return True


def check_upload(upload, kinds, *, what: str, limit: int | None = None, by_name=True) -> Kind:
    """The kind of an upload that is one of `kinds` by its content; ValidationError otherwise.

    `by_name`: the name's suffix must also fit the content (attachments, receipts); without it
    (photos from a phone camera, whose names mean nothing) the content alone decides, and the
    caller stores the file under the kind's own suffix. `what` names the file in the message
    (照片, 附件, 票据).
    """
    check_size(upload, what=what, limit=limit)
    suffix = PurePosixPath(display_name(getattr(upload, "name", ""))).suffix.lower()
    head = _head(upload)
    for kind in kinds:
        if by_name and suffix not in kind.suffixes:
            continue
        if _matches(kind, head):
            if kind.image:
                _check_image(upload, kind, what=what)
            elif kind.zip_parts:
                _check_zip_upload(upload, kind, what=what)
            return kind
    allowed = "、".join(k.suffix.lstrip(".").upper() for k in kinds)
    raise ValidationError(
        _("%(what)s只能是 %(allowed)s 文件，这个文件的格式不对")
        % {"what": what, "allowed": allowed}
    )


def _check_image(upload, kind: Kind, *, what: str) -> None:
    from PIL import Image, UnidentifiedImageError

    broken = ValidationError(
        _("%(what)s文件已损坏或不是真正的 %(kind)s 图片")
        % {"what": what, "kind": kind.suffix.lstrip(".").upper()}
    )
    limit = max_pixels()
    upload.seek(0)
    try:
        # Pillow refuses (DecompressionBombError) past twice its own limit when it opens a
        # file; the check below is the platform's, and tighter.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(upload)
        with image:
            if image.format != kind.image:
                raise broken
            width, height = image.size
            if width * height > limit:
                raise ValidationError(
                    _("%(what)s的尺寸太大（%(w)d×%(h)d 像素），请缩小后再上传")
                    % {"what": what, "w": width, "h": height}
                )
            image.verify()
    except ValidationError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError) as exc:
        if isinstance(exc, Image.DecompressionBombError):
            raise ValidationError(_("%(what)s的尺寸太大，请缩小后再上传") % {"what": what}) from exc
        raise broken from exc
    except Exception as exc:  # Pillow raises many kinds of error for a damaged file
        raise broken from exc
    finally:
        upload.seek(0)


def _check_zip_upload(upload, kind: Kind, *, what: str) -> None:
    upload.seek(0)
    try:
        check_zip(upload, size=upload.size, required=kind.zip_parts, what=what)
    finally:
        upload.seek(0)


def check_zip(
    fileobj,
    *,
    size: int,
    required=(),
    what: str,
    max_total: int | None = None,
    max_members: int = ZIP_MAX_MEMBERS,
    max_ratio: int = ZIP_MAX_RATIO,
) -> None:
    """Refuse a zip (an Office file) that is broken, lacks a `required` member, has too many
    members, or inflates past `max_total` bytes (default ten times the upload limit) or past
    `max_ratio` inflated bytes per stored byte. The bytes are counted while inflating, so a
    zip whose headers lie about the sizes is caught too; the stream stops at the limit."""
    max_total = max_total or 10 * max_bytes()
    broken = ValidationError(
        _("%(what)s文件已损坏、设置了密码，或不是真正的 Office 文件") % {"what": what}
    )
    bomb = ZipBomb(
        _("%(what)s文件解压后过大（可能是“压缩炸弹”），请检查文件或分成几个文件上传")
        % {"what": what}
    )
    try:
        with zipfile.ZipFile(fileobj) as archive:
            members = archive.infolist()
            if len(members) > max_members:
                raise bomb
            names = {m.filename for m in members}
            if any(part not in names for part in required):
                raise broken
            ceiling = min(max_total, max(ZIP_RATIO_FLOOR, size * max_ratio))
            if sum(m.file_size for m in members) > ceiling:
                raise bomb
            total = 0
            for member in members:
                if member.flag_bits & 0x1:  # encrypted
                    raise broken
                with archive.open(member) as stream:
                    while chunk := stream.read(ZIP_CHUNK):
                        total += len(chunk)
                        if total > ceiling:
                            raise bomb
    except ValidationError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise broken from exc
    except Exception as exc:  # zlib.error, NotImplementedError (an unknown compression)
        raise broken from exc


def check_spreadsheet_bytes(data: bytes, *, what: str, max_total: int) -> None:
    """A .xlsx given as bytes (roster and finance imports): the zip checks of `check_zip`."""
    check_zip(
        io.BytesIO(data), size=len(data), required=XLSX.zip_parts, what=what, max_total=max_total
    )


# Windows device names: a file called "CON.txt" cannot be saved on Windows.
_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {f"{p}{i}" for p in ("COM", "LPT") for i in range(1, 10)}
_UNSAFE = re.compile(r'[<>:"|?*]')
MAX_NAME = 100


def display_name(name, *, fallback: str = "") -> str:
    """An uploaded file's name as safe display text: the last part of any path (either slash),
    without control characters (NUL included), without leading dots, no Windows device name,
    at most MAX_NAME characters with the suffix kept. Files are never stored under it."""
    text = unicodedata.normalize("NFC", str(name or ""))
    text = "".join(c for c in text if unicodedata.category(c)[0] != "C")
    text = _UNSAFE.sub("_", re.split(r"[/\\]", text)[-1])
    stem, dot, suffix = text.rpartition(".")
    if not dot:
        stem, suffix = text, ""
    stem, suffix = stem.strip().strip(". "), suffix.strip()[:10]
    if not stem:
        return f"_.{suffix}" if suffix else fallback
    if stem.upper() in _RESERVED:
        stem = f"_{stem}"
    keep = MAX_NAME - (len(suffix) + 1 if suffix else 0)
    return stem[:keep] + (f".{suffix}" if suffix else "")
