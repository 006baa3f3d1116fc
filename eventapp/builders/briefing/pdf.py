"""The briefing report as an A4 PDF: cover, table of contents, page numbers, Hangul as text.

reportlab's platypus lays the flowables out; the table of contents needs a second pass
(`multiBuild`). The shipped NanumSquare TTF is embedded as a subset with a ToUnicode map,
so Korean text can be searched and extracted.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    KeepTogether,
    ListFlowable,
    ListItem,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import Flowable
from reportlab.platypus.tableofcontents import TableOfContents

from eventapp.builders.badge_layout import FONT_BOLD, FONT_FAMILY, FONT_REGULAR, register_fonts
from eventapp.builders.briefing.data import (
    MISSING_EN,
    MISSING_KO,
    BriefingReport,
    CountRow,
    EventReport,
    RecommendationItem,
    blocks,
    by_owner,
    heading,
    text_or_missing,
)

_MARGIN = 18 * mm


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=FONT_REGULAR, fontSize=9.5, leading=13.5)
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8.5, leading=11.5),
        "missing": ParagraphStyle("missing", parent=base, textColor=colors.HexColor("#8a1c1c")),
        "h1": ParagraphStyle(
            "h1", parent=base, fontName=FONT_BOLD, fontSize=17, leading=22, spaceAfter=8
        ),
        "h2": ParagraphStyle(
            "h2",
            parent=base,
            fontName=FONT_BOLD,
            fontSize=13,
            leading=17,
            spaceBefore=10,
            spaceAfter=5,
        ),
        "h3": ParagraphStyle(
            "h3",
            parent=base,
            fontName=FONT_BOLD,
            fontSize=10.5,
            leading=14,
            spaceBefore=6,
            spaceAfter=3,
        ),
        "cover": ParagraphStyle(
            "cover", parent=base, fontName=FONT_BOLD, fontSize=24, leading=32, spaceAfter=14
        ),
        "cover_sub": ParagraphStyle("cover_sub", parent=base, fontSize=13, leading=19),
        "toc1": ParagraphStyle("toc1", parent=base, fontSize=10.5, leading=15, leftIndent=0),
        "toc2": ParagraphStyle("toc2", parent=base, fontSize=9.5, leading=13, leftIndent=14),
    }


class _Doc(BaseDocTemplate):
    """Sends every h1/h2 paragraph to the table of contents, with a PDF outline entry."""

    def afterFlowable(self, flowable: Flowable) -> None:
        if not isinstance(flowable, Paragraph):
            return
        level = {"h1": 0, "h2": 1}.get(flowable.style.name)
        if level is None:
            return
        text = flowable.getPlainText()
        key = f"h{self.seq.nextf('heading')}"
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(text, key, level=level, closed=level > 0)
        self.notify("TOCEntry", (level, text, self.page, key))


def _page_number(canvas: object, doc: BaseDocTemplate) -> None:
    canvas.saveState()  # type: ignore[attr-defined]
    canvas.setFont(FONT_REGULAR, 8.5)  # type: ignore[attr-defined]
    canvas.drawCentredString(A4[0] / 2, 10 * mm, f"- {doc.page} -")  # type: ignore[attr-defined]
    canvas.restoreState()  # type: ignore[attr-defined]


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _text_blocks(text: str, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    out: list[Flowable] = []
    for block in blocks(text):
        if block.kind == "paragraph":
            out.append(_p(block.lines[0], styles["body"]))
        else:
            out.append(
                ListFlowable(
                    [ListItem(_p(line, styles["body"])) for line in block.lines],
                    bulletType="1" if block.kind == "numbers" else "bullet",
                    bulletFontName=FONT_REGULAR,
                    bulletFontSize=8,
                    leftIndent=12,
                )
            )
    return out


def _table(rows: list[list[str]], widths: list[float], styles: dict) -> Table:
    cells = [[_p(cell, styles["small"]) for cell in row] for row in rows]
    table = Table(cells, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#9aa4b2")),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6ebf2")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _counts(title_key: str, rows: tuple[CountRow, ...], styles: dict) -> list[Flowable]:
    out: list[Flowable] = [_p(heading(title_key), styles["h3"])]
    if not rows:
        return [*out, _p(heading("none"), styles["body"])]
    data = [["", heading("count")], *[[row.label, str(row.count)] for row in rows]]
    return [*out, _table(data, [110 * mm, 40 * mm], styles)]


def _recommendation(item: RecommendationItem, styles: dict, *, panel: str = "") -> Flowable:
    parts: list[Flowable] = []
    prefix = f"{panel} — " if panel else ""
    parts.append(_p(f"{prefix}{item.number}.", styles["h3"]))
    english = text_or_missing(item.text_en, MISSING_EN)
    korean = text_or_missing(item.text_ko, MISSING_KO)
    parts.append(_p(english, styles["body"] if item.text_en.strip() else styles["missing"]))
    parts.append(_p(korean, styles["body"] if item.text_ko.strip() else styles["missing"]))
    facts = [f"{heading('owners')}: {', '.join(item.owners)}"]
    if item.made_by:
        facts.append(f"{heading('made_by')}: {', '.join(item.made_by)}")
    if item.tags:
        facts.append(f"{heading('tags')}: {', '.join(item.tags)}")
    follow = f"{heading('follow_up')}: {item.follow_up}"
    if item.due_on:
        follow += f" · {heading('due')}: {item.due_on.isoformat()}"
    facts.append(follow)
    if item.note:
        facts.append(f"{heading('note')}: {item.note}")
    parts.extend(_p(fact, styles["small"]) for fact in facts)
    parts.append(Spacer(1, 4))
    return KeepTogether(parts)


def _event(event: EventReport, styles: dict) -> list[Flowable]:
    title = event.title + (f" · {event.title_ko}" if event.title_ko else "")
    out: list[Flowable] = [PageBreak(), _p(title, styles["h1"])]
    out.append(_p(event.dates + (f" · {event.venue}" if event.venue else ""), styles["body"]))
    out.append(_p(heading("agenda"), styles["h2"]))
    rows = [["", "", heading("speakers")]]
    for item in event.agenda:
        name = item.title + (f"\n{item.title_ko}" if item.title_ko else "")
        where = item.when + (f"\n{item.room}" if item.room else "")
        rows.append([where, f"{name}\n({item.kind})", "\n".join(item.speakers)])
    out.append(_table(rows, [32 * mm, 78 * mm, 64 * mm], styles))
    out.append(_p(heading("attendance"), styles["h2"]))
    out.append(_p(f"{heading('checked_in')}: {event.checked_in}", styles["body"]))
    out += _counts("by_category", event.by_category, styles)
    out += _counts("by_country", event.by_country, styles)
    out.append(_p(heading("recommendations"), styles["h2"]))
    if not event.panels:
        out.append(_p(heading("none"), styles["body"]))
    for panel in event.panels:
        out.append(
            _p(panel.title + (f" · {panel.title_ko}" if panel.title_ko else ""), styles["h3"])
        )
        if panel.key_points.strip() or panel.key_points_ko.strip():
            out.append(_p(heading("key_points"), styles["small"]))
            out += _text_blocks(text_or_missing(panel.key_points, MISSING_EN), styles)
            out += _text_blocks(text_or_missing(panel.key_points_ko, MISSING_KO), styles)
        out += [_recommendation(item, styles) for item in panel.recommendations]
    if event.meetings is not None:
        out.append(_p(heading("meetings"), styles["h2"]))
        if event.meetings:
            data = [["", "", heading("count")]]
            data += [[m.country_a, m.country_b, str(m.meetings)] for m in event.meetings]
            out.append(_table(data, [60 * mm, 60 * mm, 30 * mm], styles))
        else:
            out.append(_p(heading("no_partnering"), styles["body"]))
    return out


def build_briefing_pdf(report: BriefingReport) -> bytes:
    """The report as A4 PDF bytes."""
    register_fonts()
    pdfmetrics.registerFontFamily(
        FONT_FAMILY, normal=FONT_REGULAR, bold=FONT_BOLD, italic=FONT_REGULAR, boldItalic=FONT_BOLD
    )
    styles = _styles()
    buffer = io.BytesIO()
    doc = _Doc(
        buffer,
        pagesize=A4,
        leftMargin=_MARGIN,
        rightMargin=_MARGIN,
        topMargin=_MARGIN,
        bottomMargin=_MARGIN,
        title=report.title,
        subject=report.subtitle,
        creator="eventapp",
        invariant=1,
    )
    frame = Frame(_MARGIN, _MARGIN, A4[0] - 2 * _MARGIN, A4[1] - 2 * _MARGIN, id="body")
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=_page_number)])
    toc = TableOfContents(levelStyles=[styles["toc1"], styles["toc2"]], dotsMinLevel=0)
    story: list[Flowable] = [
        Spacer(1, 60 * mm),
        _p(report.title, styles["cover"]),
        _p(report.subtitle, styles["cover_sub"]),
        Spacer(1, 10 * mm),
        _p(report.generated_on, styles["body"]),
        PageBreak(),
        _p(heading("contents"), styles["h3"]),
        toc,
    ]
    for event in report.events:
        story += _event(event, styles)
    story += [PageBreak(), _p(heading("by_owner"), styles["h1"])]
    grouped = by_owner(report)
    if not grouped:
        story.append(_p(heading("none"), styles["body"]))
    for owner, items in grouped:
        story.append(_p(owner, styles["h2"]))
        story += [_recommendation(item, styles, panel=panel) for panel, item in items]
    doc.multiBuild(story)
    return buffer.getvalue()


def build_owner_list_pdf(
    title: str, subtitle: str, items: Sequence[tuple[str, RecommendationItem]]
) -> bytes:
    """One owner's recommendations (each with its event and panel) as a short A4 PDF."""
    register_fonts()
    styles = _styles()
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=_MARGIN,
        rightMargin=_MARGIN,
        topMargin=_MARGIN,
        bottomMargin=_MARGIN,
        title=title,
        creator="eventapp",
        invariant=1,
    )
    frame = Frame(_MARGIN, _MARGIN, A4[0] - 2 * _MARGIN, A4[1] - 2 * _MARGIN, id="body")
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=_page_number)])
    story: list[Flowable] = [_p(title, styles["h1"]), _p(subtitle, styles["body"])]
    if not items:
        story.append(_p(heading("none"), styles["body"]))
    story += [_recommendation(item, styles, panel=panel) for panel, item in items]
    doc.build(story)
    return buffer.getvalue()
