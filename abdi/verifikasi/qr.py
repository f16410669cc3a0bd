"""QR codes for issued documents: inline SVG for pages and PDFs, no image files."""

import base64

import qrcode
import qrcode.image.svg

__all__ = ["qr_data_uri", "qr_svg"]


def qr_svg(text: str, *, size_mm: int = 28) -> str:
    """An ``<svg>`` element drawing ``text`` as a QR code (error correction M), ``size_mm`` wide."""
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=2,
        image_factory=qrcode.image.svg.SvgPathImage,
    )
    code.add_data(text)
    code.make(fit=True)
    markup = code.make_image().to_string(encoding="unicode")
    # The factory sizes the drawing in mm already; set the requested size explicitly.
    return _resize(markup, size_mm)


def _resize(markup: str, size_mm: int) -> str:
    head, rest = markup.split(">", 1)
    attributes = [part for part in head.split(" ") if not part.startswith(("width=", "height="))]
    return " ".join(attributes) + f' width="{size_mm}mm" height="{size_mm}mm">' + rest


def qr_data_uri(text: str, *, size_mm: int = 28) -> str:
    """``data:image/svg+xml;base64,…`` of :func:`qr_svg`, for an ``<img src>``."""
    encoded = base64.b64encode(qr_svg(text, size_mm=size_mm).encode()).decode()
    return f"data:image/svg+xml;base64,{encoded}"
