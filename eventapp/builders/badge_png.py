"""A badge as a PNG (Pillow), e.g. to show on a phone at the door or to print at its true size."""

from __future__ import annotations

import io
from functools import cache

from PIL import Image, ImageDraw, ImageFont

from eventapp.builders.badge_layout import (
    FONT_DIR,
    PT_MM,
    BadgeData,
    badge_layout,
)


@cache
def _font(name: str, size_px: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT_DIR / f"{name}.ttf"), size_px)


def build_badge_png(data: BadgeData, *, dpi: int = 200) -> bytes:
    """The A6 badge at `dpi` (the PNG records it, so it prints at 105 by 148 mm)."""
    layout = badge_layout(data)
    scale = dpi / 25.4  # pixels per millimetre

    def px(value: float) -> int:
        return round(value * scale)

    image = Image.new("RGB", (px(layout.width), px(layout.height)), "#ffffff")
    draw = ImageDraw.Draw(image)
    for box in layout.boxes:
        draw.rectangle(
            (px(box.x), px(box.y), px(box.x + box.width) - 1, px(box.y + box.height) - 1),
            fill=box.color,
        )
    for line in layout.lines:
        font = _font(line.font, px(line.size_pt * PT_MM))
        draw.text((px(line.x), px(line.y)), line.text, font=font, fill=line.color, anchor="ms")
    qr = layout.qr
    # Whole pixels per module keep every module the same width (decoders like that).
    module = max(1, round(qr.module_mm * scale))
    left = px(qr.x + qr.symbol.size * qr.module_mm / 2) - module * qr.symbol.size // 2
    top = px(qr.y)
    for row, column, length in qr.symbol.dark_runs():
        x0, y0 = left + column * module, top + row * module
        draw.rectangle((x0, y0, x0 + length * module - 1, y0 + module - 1), fill="#000000")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", dpi=(dpi, dpi), optimize=False)
    return buffer.getvalue()
