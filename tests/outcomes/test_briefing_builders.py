"""The briefing builders, without an app: PDF text (Korean too) and pages, DOCX, Markdown."""

from __future__ import annotations

import io
import re

import pypdfium2
from docx import Document

from bench.briefing import sample_report
from eventapp.builders.briefing import (
    build_briefing_docx,
    build_briefing_markdown,
    build_briefing_pdf,
)
from eventapp.builders.briefing.data import MISSING_KO, blocks


def pdf_pages(data: bytes) -> list[str]:
    document = pypdfium2.PdfDocument(data)
    try:
        texts = []
        for page in document:
            text_page = page.get_textpage()
            texts.append(text_page.get_text_range())
            text_page.close()
            page.close()
        return texts
    finally:
        document.close()


def test_pdf_is_a4_with_cover_contents_and_numbered_pages():
    data = build_briefing_pdf(sample_report(4, 8))

    document = pypdfium2.PdfDocument(data)
    width, height = document[0].get_size()
    document.close()
    pages = pdf_pages(data)
    assert (round(width), round(height)) == (595, 842)
    assert len(pages) >= 4
    assert "Briefing report" in pages[0]
    assert "Contents · 목차" in pages[1]
    assert re.search(r"- 3 -", pages[2])


def test_pdf_text_extracts_korean_and_marks_missing_translations():
    text = "\n".join(pdf_pages(build_briefing_pdf(sample_report(4, 8))))

    assert "한미 우주산업 심포지엄" in text
    assert "패널 2 권고 2: 수출 규정을 조율한다." in text
    assert MISSING_KO in text
    assert "Recommendations by owner · 담당 기관별 권고사항" in text
    assert "Meetings by country pair" in text


def test_pdf_leaves_out_meetings_when_partnering_did_not_run():
    text = "\n".join(pdf_pages(build_briefing_pdf(sample_report(2, 2, meetings=False))))

    assert "Meetings by country pair" not in text


def test_pdf_of_a_large_event_has_more_pages():
    small = len(pdf_pages(build_briefing_pdf(sample_report(2, 2))))
    large = len(pdf_pages(build_briefing_pdf(sample_report(30, 120))))

    assert large > small + 20


def test_docx_opens_back_with_headings_tables_and_korean():
    document = Document(io.BytesIO(build_briefing_docx(sample_report(4, 8))))

    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    text = "\n".join(p.text for p in document.paragraphs)
    assert "ROK-U.S. Space Industry Symposium · 한미 우주산업 심포지엄" in headings
    assert "Recommendations by owner · 담당 기관별 권고사항" in headings
    assert MISSING_KO in text
    assert document.tables[0].rows[1].cells[2].text == "Minji Kim (Moderator)\n이종호"
    assert round(document.sections[0].page_width.mm) == 210


def test_markdown_parses_into_the_expected_sections():
    text = build_briefing_markdown(sample_report(4, 8)).decode("utf-8")

    headings = re.findall(r"^(#{1,4}) (.+)$", text, flags=re.MULTILINE)
    titles = [title for _, title in headings]
    assert headings[0] == ("#", "Briefing report · 결과 보고서")
    assert "Agenda · 프로그램" in titles
    assert "Panel 2: Partnerships · 패널 2: 파트너십" in titles
    assert titles[-2:] == ["Ministry of Science and ICT", "U.S. Department of Commerce"]
    assert "| Korea | United States | 7 |" in text


def test_markdown_escapes_what_would_be_markup():
    report = sample_report(1, 1)
    event = report.events[0]
    panel = event.panels[0]
    item = panel.recommendations[0]
    from dataclasses import replace

    odd = replace(item, text_en="<script>x</script> *bold* | pipe")
    report = replace(
        report,
        events=(replace(event, panels=(replace(panel, recommendations=(odd,)),)),),
    )

    text = build_briefing_markdown(report).decode("utf-8")

    assert r"\<script\>x\</script\> \*bold\* \| pipe" in text


def test_key_points_split_into_paragraphs_and_lists():
    found = blocks("First para\ncontinued.\n\n- one\n- two\n\n1. a\n2. b")

    assert [(b.kind, b.lines) for b in found] == [
        ("paragraph", ("First para continued.",)),
        ("bullets", ("one", "two")),
        ("numbers", ("a", "b")),
    ]
