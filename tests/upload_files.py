"""Small real files for upload tests: the upload checks (zizhi/web/uploads.py) open images
with Pillow, so a PNG signature followed by zeros is refused like any other broken file."""

import io

from PIL import Image


def image_bytes(fmt: str, size=(2, 2), color=(200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format=fmt)
    return out.getvalue()


REAL_PNG = image_bytes("PNG")
REAL_JPEG = image_bytes("JPEG")
