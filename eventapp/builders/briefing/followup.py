"""Follow-up exports: the recommendations list as CSV (UTF-8 with BOM), and as a short PDF
for one owner (sent by email)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass

from eventapp.builders.briefing.data import RecommendationItem

CSV_COLUMNS = (
    "event",
    "session",
    "number",
    "text_en",
    "text_ko",
    "owners",
    "made_by",
    "tags",
    "follow_up",
    "due_on",
    "note",
)


@dataclass(frozen=True, slots=True)
class FollowUpRow:
    event: str
    session: str
    item: RecommendationItem


def _cell(value: object) -> str:
    """Text for a spreadsheet cell; a leading = + - @ is defused (CSV formula injection)."""
    text = "" if value is None else str(value)
    if text[:1] in {"=", "+", "-", "@", "\t", "\r"}:
        return "'" + text
    return text


def build_follow_up_csv(rows: Sequence[FollowUpRow]) -> bytes:
    """One line per recommendation; UTF-8 with a BOM so Excel reads Hangul correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        item = row.item
        writer.writerow(
            _cell(value)
            for value in (
                row.event,
                row.session,
                item.number,
                item.text_en,
                item.text_ko,
                "; ".join(item.owners),
                "; ".join(item.made_by),
                "; ".join(item.tags),
                item.follow_up,
                item.due_on.isoformat() if item.due_on else "",
                item.note,
            )
        )
    return buffer.getvalue().encode("utf-8-sig")
