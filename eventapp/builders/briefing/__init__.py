"""The briefing report of one or several events: plain data in, PDF, DOCX or Markdown out.

Pure (STYLE C12): nothing here reads the database or Flask; `services/outcomes/report.py`
maps the models to `BriefingReport`.
"""

from eventapp.builders.briefing.data import (
    AgendaItem,
    BriefingReport,
    CountRow,
    EventReport,
    MeetingPair,
    PanelOutcome,
    RecommendationItem,
)
from eventapp.builders.briefing.docx import build_briefing_docx
from eventapp.builders.briefing.markdown import build_briefing_markdown
from eventapp.builders.briefing.pdf import build_briefing_pdf

#: File name ending → builder.
BUILDERS = {
    "pdf": build_briefing_pdf,
    "docx": build_briefing_docx,
    "md": build_briefing_markdown,
}

__all__ = [
    "BUILDERS",
    "AgendaItem",
    "BriefingReport",
    "CountRow",
    "EventReport",
    "MeetingPair",
    "PanelOutcome",
    "RecommendationItem",
    "build_briefing_docx",
    "build_briefing_markdown",
    "build_briefing_pdf",
]
