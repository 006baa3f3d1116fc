"""The briefing report as a Word document (python-docx), for ministries to edit.

Headings use Word's built-in heading styles, so Word's navigation pane and its table of
contents field (updated when the file is opened) find them. East Asian text is set in
Malgun Gothic, the Korean face every Windows Word has.
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

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

_KOREAN_FONT = "Malgun Gothic"


def _set_east_asian_font(document: object) -> None:
    for style in document.styles:  # type: ignore[attr-defined]
        element = getattr(style, "element", None)
        if element is None or not hasattr(style, "font"):
            continue
        properties = element.get_or_add_rPr()
        fonts = properties.find(qn("w:rFonts"))
        if fonts is None:
            fonts = OxmlElement("w:rFonts")
            properties.append(fonts)
        fonts.set(qn("w:eastAsia"), _KOREAN_FONT)


def _field(paragraph: object, instruction: str) -> None:
    """A Word field (TOC, PAGE) that Word computes when it shows the document."""
    run = paragraph.add_run()  # type: ignore[attr-defined]
    for kind, text in (("begin", None), (None, instruction), ("separate", None), ("end", None)):
        if kind is None:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        run._r.append(element)


#: Style ids by style name, looked up once per document: python-docx resolves a style
#: name on every `add_paragraph(style=…)`, which took most of a large report's time.
_STYLE_IDS: dict[int, dict[str, str]] = {}


def _styled(document: object, text: str, style: str) -> None:
    ids = _STYLE_IDS.setdefault(id(document), {})
    if style not in ids:
        ids[style] = document.styles[style].style_id  # type: ignore[attr-defined]
    paragraph = document.add_paragraph(text)  # type: ignore[attr-defined]
    paragraph._p.style = ids[style]


def _text(document: object, text: str) -> None:
    for block in blocks(text):
        if block.kind == "paragraph":
            document.add_paragraph(block.lines[0])  # type: ignore[attr-defined]
        else:
            style = "List Number" if block.kind == "numbers" else "List Bullet"
            for line in block.lines:
                _styled(document, line, style)


def _table(document: object, header: list[str], rows: list[list[str]]) -> None:
    table = document.add_table(rows=1, cols=len(header))  # type: ignore[attr-defined]
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text
    document.add_paragraph()  # type: ignore[attr-defined]


def _counts(document: object, key: str, rows: tuple[CountRow, ...]) -> None:
    document.add_heading(heading(key), level=3)  # type: ignore[attr-defined]
    if rows:
        _table(document, ["", heading("count")], [[r.label, str(r.count)] for r in rows])
    else:
        document.add_paragraph(heading("none"))  # type: ignore[attr-defined]


def _recommendation(document: object, item: RecommendationItem, panel: str = "") -> None:
    prefix = f"{panel} — " if panel else ""
    title = document.add_paragraph()  # type: ignore[attr-defined]
    title.add_run(f"{prefix}{item.number}.").bold = True
    document.add_paragraph(text_or_missing(item.text_en, MISSING_EN))  # type: ignore[attr-defined]
    document.add_paragraph(text_or_missing(item.text_ko, MISSING_KO))  # type: ignore[attr-defined]
    facts = [f"{heading('owners')}: {', '.join(item.owners)}"]
    if item.made_by:
        facts.append(f"{heading('made_by')}: {', '.join(item.made_by)}")
    if item.tags:
        facts.append(f"{heading('tags')}: {', '.join(item.tags)}")
    due = f" · {heading('due')}: {item.due_on.isoformat()}" if item.due_on else ""
    facts.append(f"{heading('follow_up')}: {item.follow_up}{due}")
    if item.note:
        facts.append(f"{heading('note')}: {item.note}")
    for fact in facts:
        _styled(document, fact, "List Bullet")


def _event(document: object, event: EventReport) -> None:
    doc: object = document
    doc.add_page_break()  # type: ignore[attr-defined]
    title = event.title + (f" · {event.title_ko}" if event.title_ko else "")
    doc.add_heading(title, level=1)  # type: ignore[attr-defined]
    doc.add_paragraph(event.dates + (f" · {event.venue}" if event.venue else ""))  # type: ignore[attr-defined]
    doc.add_heading(heading("agenda"), level=2)  # type: ignore[attr-defined]
    rows = [
        [
            item.when + (f"\n{item.room}" if item.room else ""),
            item.title + (f"\n{item.title_ko}" if item.title_ko else "") + f"\n({item.kind})",
            "\n".join(item.speakers),
        ]
        for item in event.agenda
    ]
    _table(doc, ["", "", heading("speakers")], rows)
    doc.add_heading(heading("attendance"), level=2)  # type: ignore[attr-defined]
    doc.add_paragraph(f"{heading('checked_in')}: {event.checked_in}")  # type: ignore[attr-defined]
    _counts(doc, "by_category", event.by_category)
    _counts(doc, "by_country", event.by_country)
    doc.add_heading(heading("recommendations"), level=2)  # type: ignore[attr-defined]
    if not event.panels:
        doc.add_paragraph(heading("none"))  # type: ignore[attr-defined]
    for panel in event.panels:
        name = panel.title + (f" · {panel.title_ko}" if panel.title_ko else "")
        doc.add_heading(name, level=3)  # type: ignore[attr-defined]
        if panel.key_points.strip() or panel.key_points_ko.strip():
            doc.add_paragraph(heading("key_points")).runs[0].italic = True  # type: ignore[attr-defined]
            _text(doc, text_or_missing(panel.key_points, MISSING_EN))
            _text(doc, text_or_missing(panel.key_points_ko, MISSING_KO))
        for item in panel.recommendations:
            _recommendation(doc, item)
    if event.meetings is not None:
        doc.add_heading(heading("meetings"), level=2)  # type: ignore[attr-defined]
        if event.meetings:
            rows = [[m.country_a, m.country_b, str(m.meetings)] for m in event.meetings]
            _table(doc, ["", "", heading("count")], rows)
        else:
            doc.add_paragraph(heading("no_partnering"))  # type: ignore[attr-defined]


def build_briefing_docx(report: BriefingReport) -> bytes:
    """The report as .docx bytes (A4, a cover, a contents field, page numbers)."""
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(18))
    document.styles["Normal"].font.size = Pt(10)
    _set_east_asian_font(document)
    document.core_properties.title = report.title
    document.core_properties.subject = report.subtitle
    footer = section.footer.paragraphs[0]
    footer.text = "— "
    _field(footer, "PAGE")
    footer.add_run(" —")
    document.add_heading(report.title, level=0)
    document.add_paragraph(report.subtitle)
    document.add_paragraph(report.generated_on)
    document.add_page_break()
    document.add_paragraph(heading("contents"), style="TOC Heading")
    _field(document.add_paragraph(), 'TOC \\o "1-2" \\h \\z \\u')
    for event in report.events:
        _event(document, event)
    document.add_page_break()
    document.add_heading(heading("by_owner"), level=1)
    grouped = by_owner(report)
    if not grouped:
        document.add_paragraph(heading("none"))
    for owner, items in grouped:
        document.add_heading(owner, level=2)
        for panel, item in items:
            _recommendation(document, item, panel)
    _STYLE_IDS.pop(id(document), None)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
