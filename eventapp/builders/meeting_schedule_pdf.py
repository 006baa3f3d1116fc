"""A participant's partnering meetings as a printable A4 PDF (#20): time, table and room,
the other side's name and organization in both scripts. Pure: plain data in, bytes out.

The shipped NanumSquare faces (registered by `badge_layout.register_fonts`, as for badges
and the briefing report) embed as subsets with a ToUnicode map, so Hangul is real text
that can be searched and copied, not pictures of letters.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from eventapp.builders.badge_layout import FONT_BOLD, FONT_REGULAR, register_fonts


@dataclass(frozen=True, slots=True)
class ScheduleRow:
    """One meeting, as printed (already in the reader's language and time zone)."""

    when: str  # "8 Nov 14:00-14:20" (an en dash between the times)
    place: str  # "Table 3, Hall B"
    counterpart: str  # "Kim Minji (김민지)"
    organization: str  # "Example Satellite (예시 위성)"


@dataclass(frozen=True, slots=True)
class ScheduleDocument:
    title: str  # the event
    person: str  # whose schedule
    heading: str  # "Your partnering meetings"
    columns: tuple[str, str, str, str]  # Time, Table, With, Organization
    rows: tuple[ScheduleRow, ...]
    empty: str  # "No meeting is placed yet."
    footer: str  # "Times in Asia/Seoul. Printed 2023-11-07 18:00."
    language: str = "en"


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def build_meeting_schedule_pdf(document: ScheduleDocument) -> bytes:
    """The schedule as PDF bytes (A4 portrait, one table, repeated header row)."""
    register_fonts()
    body = ParagraphStyle("body", fontName=FONT_REGULAR, fontSize=10, leading=13.5)
    small = ParagraphStyle("small", parent=body, fontSize=8.5, leading=11)
    title = ParagraphStyle("title", parent=body, fontName=FONT_BOLD, fontSize=16, leading=21)
    head = ParagraphStyle("head", parent=body, fontName=FONT_BOLD)
    buffer = io.BytesIO()
    pdf = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=16 * mm,
        rightMargin=16 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=f"{document.heading}: {document.person}",
        author=document.title,
        lang=document.language,
    )
    story: list = [
        _p(document.title, small),
        _p(document.heading, title),
        _p(document.person, head),
        Spacer(1, 6 * mm),
    ]
    if document.rows:
        cells: list[Sequence[Paragraph]] = [[_p(c, head) for c in document.columns]]
        cells += [
            [_p(r.when, body), _p(r.place, body), _p(r.counterpart, body), _p(r.organization, body)]
            for r in document.rows
        ]
        table = Table(cells, colWidths=[36 * mm, 38 * mm, 50 * mm, 54 * mm], repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#9aa4b2")),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6ebf2")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("TOPPADDING", (0, 0), (-1, -1), 5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
                ]
            )
        )
        story.append(table)
    else:
        story.append(_p(document.empty, body))
    story += [Spacer(1, 6 * mm), _p(document.footer, small)]
    pdf.build(story)
    return buffer.getvalue()
