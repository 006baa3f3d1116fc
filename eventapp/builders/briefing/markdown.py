"""The briefing report as Markdown (CommonMark with GFM tables), UTF-8 bytes."""

from __future__ import annotations

import re

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

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|])")


def _md(text: str) -> str:
    """Plain text made literal in Markdown (no HTML, no emphasis, one line)."""
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _text(text: str) -> list[str]:
    out: list[str] = []
    for block in blocks(text):
        if block.kind == "paragraph":
            out += [_md(block.lines[0]), ""]
        else:
            for index, line in enumerate(block.lines, 1):
                marker = f"{index}." if block.kind == "numbers" else "-"
                out.append(f"{marker} {_md(line)}")
            out.append("")
    return out


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(_md(cell) for cell in header) + " |"]
    lines.append("|" + "---|" * len(header))
    lines += ["| " + " | ".join(_md(cell) for cell in row) + " |" for row in rows]
    return [*lines, ""]


def _counts(key: str, rows: tuple[CountRow, ...]) -> list[str]:
    out = [f"#### {heading(key)}", ""]
    if not rows:
        return [*out, heading("none"), ""]
    return out + _table(["", heading("count")], [[row.label, str(row.count)] for row in rows])


def _recommendation(item: RecommendationItem, panel: str = "") -> list[str]:
    prefix = f"{_md(panel)} — " if panel else ""
    out = [f"**{prefix}{item.number}.**", ""]
    out += [_md(text_or_missing(item.text_en, MISSING_EN)), ""]
    out += [_md(text_or_missing(item.text_ko, MISSING_KO)), ""]
    out.append(f"- {heading('owners')}: {_md(', '.join(item.owners))}")
    if item.made_by:
        out.append(f"- {heading('made_by')}: {_md(', '.join(item.made_by))}")
    if item.tags:
        out.append(f"- {heading('tags')}: {_md(', '.join(item.tags))}")
    due = f" · {heading('due')}: {item.due_on.isoformat()}" if item.due_on else ""
    out.append(f"- {heading('follow_up')}: {_md(item.follow_up)}{due}")
    if item.note:
        out.append(f"- {heading('note')}: {_md(item.note)}")
    return [*out, ""]


def _event(event: EventReport) -> list[str]:
    title = event.title + (f" · {event.title_ko}" if event.title_ko else "")
    out = [f"## {_md(title)}", ""]
    out += [_md(event.dates + (f" · {event.venue}" if event.venue else "")), ""]
    out += [f"### {heading('agenda')}", ""]
    rows = [
        [
            item.when,
            item.title + (f" / {item.title_ko}" if item.title_ko else ""),
            item.kind,
            item.room or "",
            "; ".join(item.speakers),
        ]
        for item in event.agenda
    ]
    out += _table(["", "", "", "", heading("speakers")], rows)
    out += [f"### {heading('attendance')}", "", f"{heading('checked_in')}: {event.checked_in}", ""]
    out += _counts("by_category", event.by_category) + _counts("by_country", event.by_country)
    out += [f"### {heading('recommendations')}", ""]
    if not event.panels:
        out += [heading("none"), ""]
    for panel in event.panels:
        out += [f"#### {_md(panel.title + (f' · {panel.title_ko}' if panel.title_ko else ''))}", ""]
        if panel.key_points.strip() or panel.key_points_ko.strip():
            out += [f"*{heading('key_points')}*", ""]
            out += _text(text_or_missing(panel.key_points, MISSING_EN))
            out += _text(text_or_missing(panel.key_points_ko, MISSING_KO))
        for item in panel.recommendations:
            out += _recommendation(item)
    if event.meetings is not None:
        out += [f"### {heading('meetings')}", ""]
        if event.meetings:
            rows = [[m.country_a, m.country_b, str(m.meetings)] for m in event.meetings]
            out += _table(["", "", heading("count")], rows)
        else:
            out += [heading("no_partnering"), ""]
    return out


def build_briefing_markdown(report: BriefingReport) -> bytes:
    """The report as Markdown: a title, a contents list, one section per event, owners."""
    out = [f"# {_md(report.title)}", "", _md(report.subtitle), "", _md(report.generated_on), ""]
    out += [f"## {heading('contents')}", ""]
    for event in report.events:
        out.append(f"- {_md(event.title)}")
    out += [f"- {heading('by_owner')}", ""]
    for event in report.events:
        out += _event(event)
    out += [f"## {heading('by_owner')}", ""]
    grouped = by_owner(report)
    if not grouped:
        out += [heading("none"), ""]
    for owner, items in grouped:
        out += [f"### {_md(owner)}", ""]
        for panel, item in items:
            out += _recommendation(item, panel)
    return ("\n".join(out).rstrip() + "\n").encode("utf-8")
