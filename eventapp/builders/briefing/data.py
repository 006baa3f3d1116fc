"""What a briefing report holds, as frozen dataclasses (the service fills them)."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

#: Headings and fixed words, English and Korean side by side (the report is bilingual).
HEADINGS = {
    "contents": ("Contents", "목차"),
    "agenda": ("Agenda", "프로그램"),
    "attendance": ("Attendance", "참석 현황"),
    "by_category": ("By category", "분류별"),
    "by_country": ("By country", "국가별"),
    "checked_in": ("Checked in", "체크인 인원"),
    "recommendations": ("Recommendations by panel", "패널별 권고사항"),
    "by_owner": ("Recommendations by owner", "담당 기관별 권고사항"),
    "meetings": ("Meetings by country pair", "국가 쌍별 비즈니스 미팅"),
    "key_points": ("Key points", "주요 내용"),
    "owners": ("Owners", "담당 기관"),
    "made_by": ("Made by", "제안"),
    "tags": ("Tags", "태그"),
    "follow_up": ("Follow-up", "후속 조치"),
    "due": ("Due", "기한"),
    "note": ("Note", "비고"),
    "count": ("Count", "인원"),
    "none": ("None recorded.", "기록 없음."),
    "no_partnering": ("No partnering meetings were recorded.", "기록된 미팅이 없습니다."),
    "page": ("Page", "페이지"),
    "speakers": ("Speakers", "연사"),
}
MISSING_EN = "[English text missing]"
MISSING_KO = "[한국어 번역 없음]"


def heading(key: str) -> str:
    english, korean = HEADINGS[key]
    return f"{english} · {korean}"


@dataclass(frozen=True, slots=True)
class AgendaItem:
    when: str  # local time, e.g. "09:00-09:10"
    title: str
    title_ko: str | None
    kind: str
    room: str | None
    speakers: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RecommendationItem:
    number: int
    text_en: str
    text_ko: str
    owners: tuple[str, ...]
    made_by: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    follow_up: str = "open"
    due_on: date | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class PanelOutcome:
    title: str
    title_ko: str | None
    key_points: str
    key_points_ko: str
    recommendations: tuple[RecommendationItem, ...] = ()


@dataclass(frozen=True, slots=True)
class CountRow:
    label: str
    count: int


@dataclass(frozen=True, slots=True)
class MeetingPair:
    """Partnering meetings held between participants of two countries."""

    country_a: str
    country_b: str
    meetings: int


@dataclass(frozen=True, slots=True)
class EventReport:
    title: str
    title_ko: str | None
    dates: str
    venue: str | None
    agenda: tuple[AgendaItem, ...] = ()
    checked_in: int = 0
    by_category: tuple[CountRow, ...] = ()
    by_country: tuple[CountRow, ...] = ()
    panels: tuple[PanelOutcome, ...] = ()
    #: None when partnering did not run for the event (the section is then left out).
    meetings: tuple[MeetingPair, ...] | None = None


@dataclass(frozen=True, slots=True)
class BriefingReport:
    title: str
    subtitle: str
    generated_on: str
    events: tuple[EventReport, ...]


def text_or_missing(text: str, missing: str) -> str:
    """A missing translation is shown as missing, never filled in."""
    return text if text.strip() else missing


def by_owner(report: BriefingReport) -> list[tuple[str, list[tuple[str, RecommendationItem]]]]:
    """Every recommendation under each of its owners: (owner, [(panel label, item)])."""
    grouped: dict[str, list[tuple[str, RecommendationItem]]] = defaultdict(list)
    for event in report.events:
        for panel in event.panels:
            for item in panel.recommendations:
                for owner in item.owners:
                    grouped[owner].append((panel.title, item))
    return sorted(grouped.items(), key=lambda pair: pair[0].casefold())


_LIST_ITEM = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")


@dataclass(frozen=True, slots=True)
class Block:
    """A paragraph, or a list (ordered or not) of items, of plain-text key points."""

    kind: str  # "paragraph", "bullets", "numbers"
    lines: tuple[str, ...]


def blocks(text: str) -> list[Block]:
    """Plain text to blocks: blank lines part paragraphs; "- " and "1. " lines are lists."""
    found: list[Block] = []
    for chunk in re.split(r"\n\s*\n", text.strip()):
        lines = [line.strip() for line in chunk.splitlines() if line.strip()]
        if not lines:
            continue
        if all(_LIST_ITEM.match(line) for line in lines):
            kind = "numbers" if lines[0][0].isdigit() else "bullets"
            found.append(Block(kind, tuple(_LIST_ITEM.sub("", line) for line in lines)))
        else:
            found.append(Block("paragraph", (" ".join(lines),)))
    return found
