"""The QR code of a plot's public page as inline SVG (segno): no image file, no external asset."""

import segno
from django.utils.html import escape
from django.utils.safestring import mark_safe


def qr_svg(url: str, title: str) -> str:
    svg = segno.make(url, error="m").svg_inline(
        scale=4, border=2, title=escape(title), svgclass="qr", lineclass=None, omitsize=True
    )
    return mark_safe(svg.replace("<svg ", '<svg role="img" ', 1))
