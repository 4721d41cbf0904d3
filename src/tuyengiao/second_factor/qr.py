"""The set-up QR code as inline SVG: drawn by `qrcode`'s pure-Python SVG factory, whose output
carries only attributes (no style=), so a Content-Security-Policy without unsafe-inline keeps it."""

import re

import qrcode
from qrcode.image.svg import SvgPathFillImage

SIZE_PX = 220


def qr_svg(text: str, *, label: str) -> str:
    svg = qrcode.make(text, image_factory=SvgPathFillImage, border=4).to_string(encoding="unicode")
    # The factory sizes it in millimetres; the page wants a fixed, labelled image.
    opening = (
        f'<svg class="qr" width="{SIZE_PX}" height="{SIZE_PX}" role="img" '
        f'aria-label="{label}" shape-rendering="crispEdges"'
    )
    return re.sub(r'^<svg width="[^"]*" height="[^"]*"', opening, svg, count=1)
