"""`flask report SLUG [SLUG…] -o FILE`: the format from the ending, clear errors."""

from __future__ import annotations

import pypdfium2
import pytest

from tests.factories import make_event, make_recommendation, make_session


@pytest.fixture
def two_events(app):
    with app.app_context():
        forum = make_event(slug="forum", title="Space Forum", title_ko="한미 우주포럼")
        symposium = make_event(slug="symposium", title="Industry Symposium")
        make_recommendation(make_session(forum, title="Panel A"), text_ko="포럼 권고")
        make_recommendation(make_session(symposium, title="Panel B"), text_en="Symposium advice")


def test_report_of_two_events_writes_one_pdf(runner, two_events, tmp_path):
    target = tmp_path / "brief.pdf"

    result = runner.invoke(args=["report", "forum", "symposium", "-o", str(target)])

    assert result.exit_code == 0, result.output
    assert "Collecting forum" in result.output
    document = pypdfium2.PdfDocument(target.read_bytes())
    text = "".join(page.get_textpage().get_text_range() for page in document)
    document.close()
    assert "포럼 권고" in text
    assert "Symposium advice" in text


def test_report_writes_markdown_from_the_file_name(runner, two_events, tmp_path):
    target = tmp_path / "brief.md"

    result = runner.invoke(args=["report", "forum", "-o", str(target)])

    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8").startswith("# Briefing report")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["forum", "-o", "brief.txt"], "end it in .pdf, .docx or .md"),
        (["nope", "-o", "brief.pdf"], "there is no event 'nope'"),
    ],
)
def test_report_refuses_unknown_format_or_slug(runner, two_events, tmp_path, args, message):
    args = [*args[:-1], str(tmp_path / args[-1])]

    result = runner.invoke(args=["report", *args])

    assert result.exit_code != 0
    assert message in result.output
    assert list(tmp_path.iterdir()) == []
