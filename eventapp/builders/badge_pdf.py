"""Badges as PDF (reportlab): one badge, or a batch on A6 pages or four to an A4 sheet.

The shipped TTF is embedded as a subset with a ToUnicode map, so Hangul names print
without tofu boxes and can be searched and extracted from the file.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from typing import Literal

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from eventapp.builders.badge_layout import (
    A6_MM,
    BadgeData,
    BadgeLayout,
    badge_layout,
    register_fonts,
)

Layout = Literal["a6", "a4"]
#: Content inset inside each A6 cell of an A4 sheet, where printers cannot print.
A4_INSET_MM = 5.0
CUT_MARK_MM = 6.0


def draw_badge(
    canvas: Canvas, layout: BadgeLayout, *, left: float, top: float, page_height: float
) -> None:
    """Draw `layout` with its top-left corner at (`left`, `top`) mm from the page's top left."""

    def y(value: float) -> float:  # layout measures down from the top; PDF up from the bottom
        return (page_height - top - value) * mm

    for box in layout.boxes:
        canvas.setFillColor(HexColor(box.color))
        canvas.rect(
            (left + box.x) * mm,
            y(box.y + box.height),
            box.width * mm,
            box.height * mm,
            stroke=0,
            fill=1,
        )
    for line in layout.lines:
        canvas.setFillColor(HexColor(line.color))
        canvas.setFont(line.font, line.size_pt)
        canvas.drawCentredString((left + line.x) * mm, y(line.y), line.text)
    qr = layout.qr
    path = canvas.beginPath()
    for row, column, length in qr.symbol.dark_runs():
        path.rect(
            (left + qr.x + column * qr.module_mm) * mm,
            y(qr.y + (row + 1) * qr.module_mm),
            length * qr.module_mm * mm,
            qr.module_mm * mm,
        )
    canvas.setFillColor(HexColor("#000000"))
    canvas.drawPath(path, stroke=0, fill=1)


def _cut_marks(canvas: Canvas) -> None:
    """Marks at the sheet edges where the two cuts go (A4 halves are exactly two A6 widths)."""
    width, height = A4
    canvas.setStrokeColor(HexColor("#000000"))
    canvas.setLineWidth(0.3)
    middle_x, middle_y = width / 2, height / 2
    mark = CUT_MARK_MM * mm
    canvas.line(middle_x, height, middle_x, height - mark)
    canvas.line(middle_x, 0, middle_x, mark)
    canvas.line(0, middle_y, mark, middle_y)
    canvas.line(width, middle_y, width - mark, middle_y)


def build_badges_pdf(
    badges: Iterable[BadgeData],
    *,
    layout: Layout = "a6",
    title: str = "Badges",
    progress: Callable[[int], None] | None = None,
) -> bytes:
    """A PDF of badges: one per A6 page, or four per A4 sheet with cut marks.

    `progress(n)` is called after each badge with the number drawn so far.
    """
    register_fonts()
    buffer = io.BytesIO()
    page_size = (A6_MM[0] * mm, A6_MM[1] * mm) if layout == "a6" else A4
    canvas = Canvas(buffer, pagesize=page_size, pageCompression=1)
    canvas.setTitle(title)
    canvas.setCreator("eventapp")
    count = 0
    cell_w, cell_h = A4[0] / mm / 2, A4[1] / mm / 2
    for count, data in enumerate(badges, start=1):
        if layout == "a6":
            draw_badge(canvas, badge_layout(data), left=0, top=0, page_height=A6_MM[1])
            canvas.showPage()
        else:
            slot = (count - 1) % 4
            inner = badge_layout(
                data, width=cell_w - 2 * A4_INSET_MM, height=cell_h - 2 * A4_INSET_MM
            )
            left = (slot % 2) * cell_w + A4_INSET_MM
            top = (slot // 2) * cell_h + A4_INSET_MM
            draw_badge(canvas, inner, left=left, top=top, page_height=A4[1] / mm)
            if slot == 3:
                _cut_marks(canvas)
                canvas.showPage()
        if progress is not None:
            progress(count)
    if layout == "a4" and count % 4:
        _cut_marks(canvas)
        canvas.showPage()
    if count == 0:
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def build_badge_pdf(data: BadgeData) -> bytes:
    """One badge on one A6 page."""
    return build_badges_pdf([data], title=data.name)
