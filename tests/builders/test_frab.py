"""The frab XML and schedule JSON builders: valid, ordered, UTF-8, and faithful to the input."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from xml.etree import ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eventapp.builders.frab import (
    ScheduleEvent,
    ScheduleLink,
    SchedulePerson,
    ScheduleRoom,
    ScheduleSession,
    build_frab_xml,
    build_schedule_json,
    duration_text,
    schedule_days,
)
from eventapp.services.agenda.schedule import frab_acronym, session_slug
from tests.builders.schedule_schemas import json_errors, parse_xml, validate_xml

HALL = ScheduleRoom(
    name="Grand Ballroom", guid="5b1d1a8e-0f4c-4f3e-9b67-2a4f6f7a0c11", capacity=400
)
ANNEX = ScheduleRoom(name="별관 회의실", guid="1f0e7c0a-3d3c-4e0e-8f1d-7a7e3b9c2d22")
KIM = SchedulePerson(id=7, guid="0a6c7f5e-6a57-5b1e-9d7e-3a0f1b2c3d44", name="이종호")
MORGAN = SchedulePerson(id=9, guid="6b3d2c1a-7e8f-5a9b-8c7d-6e5f4a3b2c55", name="Michael C. Morgan")

EVENT_ORDER = [
    "date",
    "start",
    "duration",
    "room",
    "slug",
    "url",
    "title",
    "subtitle",
    "track",
    "type",
    "language",
    "abstract",
    "description",
    "persons",
    "links",
    "attachments",
]


def _session(
    n: int, starts_at: datetime, minutes: int = 45, **overrides: object
) -> ScheduleSession:
    values: dict[str, object] = {
        "id": n,
        "guid": f"00000000-0000-4000-8000-{n:012d}",
        "slug": session_slug("rokus_forum_2023", n),
        "url": f"https://events.example.org/e/forum/sessions/{n}",
        "title": f"Session {n}",
        "subtitle": "",
        "track": "Policy",
        "type": "panel",
        "language": "en",
        "abstract": "Short.",
        "description": "Short.\n\nLonger text.",
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(minutes=minutes),
        "room": HALL,
        "persons": (MORGAN,),
    }
    return ScheduleSession(**(values | overrides))  # type: ignore[arg-type]


@pytest.fixture
def event() -> ScheduleEvent:
    return _sample_event()


def _sample_event() -> ScheduleEvent:
    # 8 November 2023 in Seoul (UTC+9): 09:00 local is 00:00 UTC.
    opening = _session(1, datetime(2023, 11, 8, 0, 0, tzinfo=UTC), minutes=30, persons=(KIM,))
    hangul_only = _session(
        2,
        datetime(2023, 11, 8, 1, 0, tzinfo=UTC),
        title="우주산업 협력 패널",
        track="우주 정책",
        language="ko",
        room=ANNEX,
        persons=(KIM, MORGAN),
        links=(ScheduleLink("https://example.org/slides.pdf", "Slides"),),
    )
    # 23:30 local on the 8th, ending 00:30 on the 9th: crosses the day boundary.
    late = _session(3, datetime(2023, 11, 8, 14, 30, tzinfo=UTC), minutes=60)
    second_day = _session(4, datetime(2023, 11, 9, 1, 0, tzinfo=UTC))
    return ScheduleEvent(
        acronym="rokus_forum_2023",
        title="ROK-U.S. Space Forum",
        timezone="Asia/Seoul",
        base_url="https://events.example.org/",
        url="https://events.example.org/e/forum/",
        version="2023-11-01 09:00 UTC (abcdef12)",
        starts_on=date(2023, 11, 8),
        ends_on=date(2023, 11, 10),
        sessions=(late, second_day, hangul_only, opening),
        rooms=(HALL, ANNEX),
        generator_version="0.1.0",
    )


def _events(root: ET.Element) -> dict[str, ET.Element]:
    return {e.get("id"): e for e in root.iter("event")}  # type: ignore[misc]


def test_xml_validates_against_the_upstream_schema(event: ScheduleEvent) -> None:
    validate_xml(build_frab_xml(event))


def test_xml_event_children_follow_the_schema_sequence(event: ScheduleEvent) -> None:
    root = parse_xml(build_frab_xml(event))

    for element in root.iter("event"):
        assert [child.tag for child in element] == EVENT_ORDER


def test_xml_top_level_and_conference_order(event: ScheduleEvent) -> None:
    root = parse_xml(build_frab_xml(event))

    assert [child.tag for child in root] == ["generator", "version", "conference", *["day"] * 3]
    assert [child.tag for child in root.find("conference")] == [  # type: ignore[union-attr]
        "acronym",
        "title",
        "start",
        "end",
        "days",
        "timeslot_duration",
        "base_url",
        "time_zone_name",
    ]


def test_xml_conference_fields(event: ScheduleEvent) -> None:
    root = parse_xml(build_frab_xml(event))
    conference = root.find("conference")
    assert conference is not None

    assert root.findtext("version") == event.version
    assert root.find("generator").attrib == {"name": "eventapp", "version": "0.1.0"}  # type: ignore[union-attr]
    assert conference.findtext("acronym") == "rokus_forum_2023"
    assert conference.findtext("title") == "ROK-U.S. Space Forum"
    assert conference.findtext("start") == "2023-11-08"
    assert conference.findtext("end") == "2023-11-10"
    assert conference.findtext("days") == "3"
    assert conference.findtext("base_url") == "https://events.example.org/"
    assert conference.findtext("time_zone_name") == "Asia/Seoul"


def test_xml_days_and_rooms(event: ScheduleEvent) -> None:
    root = parse_xml(build_frab_xml(event))
    days = root.findall("day")

    assert [d.attrib for d in days] == [
        {
            "index": "1",
            "date": "2023-11-08",
            "start": "2023-11-08T09:00:00+09:00",
            "end": "2023-11-09T00:30:00+09:00",
        },
        {
            "index": "2",
            "date": "2023-11-09",
            "start": "2023-11-09T10:00:00+09:00",
            "end": "2023-11-09T10:45:00+09:00",
        },
        {
            "index": "3",
            "date": "2023-11-10",
            "start": "2023-11-10T00:00:00+09:00",
            "end": "2023-11-10T23:59:00+09:00",
        },
    ]
    assert [(r.get("name"), r.get("guid")) for r in days[0].findall("room")] == [
        (HALL.name, HALL.guid),
        (ANNEX.name, ANNEX.guid),
    ]
    assert [e.get("id") for e in days[0].iter("event")] == ["1", "3", "2"]
    assert days[2].findall("room") == []


def test_xml_every_event_field(event: ScheduleEvent) -> None:
    element = _events(parse_xml(build_frab_xml(event)))["2"]

    assert element.attrib == {"guid": "00000000-0000-4000-8000-000000000002", "id": "2"}
    assert {child.tag: child.text or "" for child in element if len(child) == 0} == {
        "date": "2023-11-08T10:00:00+09:00",
        "start": "10:00",
        "duration": "00:45",
        "room": "별관 회의실",
        "slug": "rokus_forum_2023-2-session",
        "url": "https://events.example.org/e/forum/sessions/2",
        "title": "우주산업 협력 패널",
        "subtitle": "",
        "track": "우주 정책",
        "type": "panel",
        "language": "ko",
        "abstract": "Short.",
        "description": "Short.\n\nLonger text.",
        "attachments": "",
    }
    assert [(p.get("id"), p.get("guid"), p.text) for p in element.iter("person")] == [
        ("7", KIM.guid, "이종호"),
        ("9", MORGAN.guid, "Michael C. Morgan"),
    ]
    assert [(a.get("href"), a.text) for a in element.iter("link")] == [
        ("https://example.org/slides.pdf", "Slides")
    ]


def test_xml_session_across_midnight_stays_on_its_start_day(event: ScheduleEvent) -> None:
    element = _events(parse_xml(build_frab_xml(event)))["3"]

    assert element.findtext("date") == "2023-11-08T23:30:00+09:00"
    assert element.findtext("start") == "23:30"
    assert element.findtext("duration") == "01:00"


def test_xml_is_utf8_without_numeric_references(event: ScheduleEvent) -> None:
    document = build_frab_xml(event)

    assert document.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    assert "우주산업 협력 패널".encode() in document
    assert b"&#" not in document


def test_xml_drops_characters_xml_cannot_carry(event: ScheduleEvent) -> None:
    dirty = _session(5, datetime(2023, 11, 8, 3, 0, tzinfo=UTC), title="Bell\x07 & <tag>")
    document = build_frab_xml(
        ScheduleEvent(**{**_fields(event), "sessions": (dirty,)})  # type: ignore[arg-type]
    )

    assert _events(parse_xml(document))["5"].findtext("title") == "Bell & <tag>"


def _fields(event: ScheduleEvent) -> dict[str, object]:
    return {name: getattr(event, name) for name in event.__dataclass_fields__}


def test_json_validates_against_the_upstream_schema(event: ScheduleEvent) -> None:
    assert json_errors(build_schedule_json(event)) == []


def test_json_carries_the_same_content_as_the_xml(event: ScheduleEvent) -> None:
    document = json.loads(build_schedule_json(event))
    xml_events = _events(parse_xml(build_frab_xml(event)))
    conference = document["schedule"]["conference"]

    assert document["$schema"] == "https://c3voc.de/schedule/schema.json"
    assert document["schedule"]["version"] == event.version
    assert conference["daysCount"] == 3
    assert conference["rooms"] == [
        {"name": HALL.name, "guid": HALL.guid, "capacity": 400},
        {"name": ANNEX.name, "guid": ANNEX.guid, "capacity": None},
    ]
    sessions = [
        session
        for day in conference["days"]
        for room_sessions in day["rooms"].values()
        for session in room_sessions
    ]
    assert sorted(s["id"] for s in sessions) == [1, 2, 3, 4]
    for session in sessions:
        element = xml_events[str(session["id"])]
        for key in ("date", "start", "duration", "room", "slug", "url", "title", "track"):
            assert session[key] == element.findtext(key), key
        assert session["guid"] == element.get("guid")
        assert [p["public_name"] for p in session["persons"]] == [
            p.text for p in element.iter("person")
        ]


def test_json_day_rooms_are_keyed_by_room_name(event: ScheduleEvent) -> None:
    day = json.loads(build_schedule_json(event))["schedule"]["conference"]["days"][0]

    assert list(day["rooms"]) == ["Grand Ballroom", "별관 회의실"]
    assert day["day_end"] == "2023-11-09T00:30:00+09:00"
    assert day["rooms"]["별관 회의실"][0]["persons"] == [
        {"id": 7, "guid": KIM.guid, "public_name": "이종호"},
        {"id": 9, "guid": MORGAN.guid, "public_name": "Michael C. Morgan"},
    ]


def test_json_is_utf8_text(event: ScheduleEvent) -> None:
    document = build_schedule_json(event)

    assert "우주 정책".encode() in document
    assert b"\\u" not in document


def test_schedule_days_lists_empty_days_within_the_event(event: ScheduleEvent) -> None:
    days = schedule_days(event)

    assert [(d.index, d.date, len(d.rooms)) for d in days] == [
        (1, date(2023, 11, 8), 2),
        (2, date(2023, 11, 9), 1),
        (3, date(2023, 11, 10), 0),
    ]


@pytest.mark.parametrize(
    ("acronym", "expected"),
    [
        ("rokus-space-forum-2023", "rokus_space_forum_2023"),
        ("36C3", "36c3"),
        ("ab", "ab__"),
        ("우주", "fallback_slug"),
    ],
)
def test_frab_acronym_fits_the_schema_pattern(acronym: str, expected: str) -> None:
    assert frab_acronym(acronym, "fallback-slug") == expected


@pytest.mark.parametrize(
    ("acronym", "session_id", "expected"),
    [
        ("rokus_forum_2023", 12, "rokus_forum_2023-12-session"),
        ("36c3", 5, "s36c3-5-session"),
        ("ab__", 999_999, "ab__-999999-session"),
    ],
)
def test_session_slug_is_ascii_and_starts_with_a_letter(
    acronym: str, session_id: int, expected: str
) -> None:
    assert session_slug(acronym, session_id) == expected


@pytest.mark.parametrize(("minutes", "text"), [(45, "00:45"), (90, "01:30"), (25 * 60, "25:00")])
def test_duration_text(minutes: int, text: str) -> None:
    start = datetime(2023, 11, 8, tzinfo=UTC)

    assert duration_text(start, start + timedelta(minutes=minutes)) == text


@settings(max_examples=40, deadline=None)
@given(
    starts=st.lists(
        st.datetimes(
            min_value=datetime(2023, 11, 7),  # noqa: DTZ001 - made aware by `timezones`
            max_value=datetime(2023, 11, 12),  # noqa: DTZ001
            timezones=st.just(UTC),
        ),
        min_size=1,
        max_size=12,
    ),
    minutes=st.integers(min_value=5, max_value=600),
)
def test_any_session_times_stay_valid_and_read_back(starts: list[datetime], minutes: int) -> None:
    sessions = tuple(
        _session(n, start.replace(second=0, microsecond=0), minutes=minutes)
        for n, start in enumerate(starts, 1)
    )
    changed = ScheduleEvent(**{**_fields(_sample_event()), "sessions": sessions})  # type: ignore[arg-type]

    document = build_frab_xml(changed)

    validate_xml(document)
    assert json_errors(build_schedule_json(changed)) == []
    root = parse_xml(document)
    for session in sessions:
        element = _events(root)[str(session.id)]
        written = datetime.fromisoformat(element.findtext("date") or "")
        assert written == session.starts_at
        assert element.findtext("start") == written.strftime("%H:%M")
        assert element.findtext("duration") == duration_text(session.starts_at, session.ends_at)
        day = element.findtext("date", "")[:10]
        assert root.find(f"day[@date='{day}']/room/event[@id='{session.id}']") is not None
