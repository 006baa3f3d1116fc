"""Sample badge data and decoders shared by the builder tests."""

from __future__ import annotations

import io
import shutil
import subprocess

import pypdfium2
import zxingcpp
from PIL import Image

from eventapp.builders.badge_layout import BadgeData

TOKEN = "AEBQEAI2YMSA3DRS6RBMLXU4QQ"


def sample(**overrides: object) -> BadgeData:
    values: dict[str, object] = {
        "token": TOKEN,
        "event_title": "ROK-U.S. Space Industry Symposium",
        "event_title_alt": "한미 우주산업 심포지엄",
        "name": "Jong-ho Lee",
        "name_alt": "이종호",
        "organization": "Ministry of Science and ICT",
        "country": "South Korea",
        "category_label": "Speaker",
        "category_label_alt": "연사",
        "color": "#a4161a",
    }
    values.update(overrides)
    return BadgeData(**values)  # type: ignore[arg-type]


def decode_all(image: Image.Image) -> list[str]:
    """Every QR code zxing-cpp finds in the image."""
    return sorted(
        r.text for r in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    )


def decode_png_with_zbar(png: bytes, tmp_path) -> str | None:
    """zbarimg's reading of the PNG, or None when zbarimg is not installed."""
    zbarimg = shutil.which("zbarimg")
    if zbarimg is None:
        return None
    path = tmp_path / "badge.png"
    path.write_bytes(png)
    command = [zbarimg, "--quiet", "--raw", str(path)]
    out = subprocess.run(command, capture_output=True, check=True)  # noqa: S603 - our own file
    return out.stdout.decode().strip()


def pdf_pages(pdf: bytes, scale: float = 200 / 72) -> list[Image.Image]:
    """Every page rasterized (200 dpi by default)."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        return [page.render(scale=scale).to_pil() for page in document]
    finally:
        document.close()


def pdf_text(pdf: bytes) -> list[str]:
    """The extractable text of every page."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        texts = []
        for page in document:
            textpage = page.get_textpage()
            texts.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return texts
    finally:
        document.close()


def png_image(png: bytes) -> Image.Image:
    return Image.open(io.BytesIO(png))
