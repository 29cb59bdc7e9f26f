"""The QR code of a notice's address as inline SVG (segno): no image file, no external asset."""

import segno
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _


def qr_svg(url: str, title: str = "") -> str:
    """An <svg> to place in the page: role img, with a title as its text alternative."""
    svg = segno.make(url, error="m").svg_inline(
        scale=4,
        border=2,
        title=escape(title or _("本公示网址的二维码")),
        svgclass="qr",
        lineclass=None,
        omitsize=True,
    )
    return mark_safe(svg.replace("<svg ", '<svg role="img" ', 1))
