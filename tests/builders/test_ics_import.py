"""The calendar file parser: exports from Google, Outlook and Apple, and broken files."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eventapp.builders.ics import CalendarEntry, FeedInfo, build_feed, clean_text
from eventapp.builders.ics_import import CalendarFileError, parse_calendar

SEOUL = ZoneInfo("Asia/Seoul")
WINDOW = (datetime(2023, 11, 7, tzinfo=SEOUL), datetime(2023, 11, 9, tzinfo=SEOUL))


def ics(*lines: str) -> bytes:
    body = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Test//EN", *lines, "END:VCALENDAR"]
    return ("\r\n".join(body) + "\r\n").encode("utf-8")


def seoul(hour: int, minute: int = 0, day: int = 8) -> datetime:
    return datetime(2023, 11, day, hour, minute, tzinfo=SEOUL).astimezone(UTC)


OUTLOOK = ics(
    "BEGIN:VTIMEZONE",
    "TZID:Korea Standard Time",
    "BEGIN:STANDARD",
    "DTSTART:16010101T000000",
    "TZOFFSETFROM:+0900",
    "TZOFFSETTO:+0900",
    "END:STANDARD",
    "END:VTIMEZONE",
    "BEGIN:VEVENT",
    "UID:040000008200E00074C5B7101A82E00800000000@outlook",
    "DTSTAMP:20231001T000000Z",
    "DTSTART;TZID=Korea Standard Time:20231108T090000",
    "DTEND;TZID=Korea Standard Time:20231108T093000",
    "SUMMARY;LANGUAGE=ko:개회사",
    "LOCATION:Grand Ballroom",
    "CATEGORIES:Remarks",
    "SEQUENCE:2",
    "END:VEVENT",
)


def test_outlook_windows_zone_name_is_read_as_seoul():
    [event] = parse_calendar(OUTLOOK, zone=SEOUL, window=WINDOW).events

    assert (event.starts_at, event.ends_at) == (seoul(9), seoul(9, 30))
    assert (event.summary, event.language, event.location) == ("개회사", "ko", "Grand Ballroom")
    assert (event.categories, event.sequence, event.recurrence_id) == (("Remarks",), 2, None)


def test_google_recurring_series_is_expanded_with_exdate_and_override():
    data = ics(
        "BEGIN:VEVENT",
        "UID:coffee@google.com",
        "DTSTAMP:20231001T000000Z",
        "DTSTART;TZID=America/New_York:20231107T190000",
        "DTEND;TZID=America/New_York:20231107T193000",
        "RRULE:FREQ=HOURLY;COUNT=4",
        "EXDATE;TZID=America/New_York:20231107T200000",
        "SUMMARY:Coffee",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "UID:coffee@google.com",
        "DTSTAMP:20231001T000000Z",
        "RECURRENCE-ID;TZID=America/New_York:20231107T210000",
        "DTSTART;TZID=America/New_York:20231107T211500",
        "DTEND;TZID=America/New_York:20231107T214500",
        "SUMMARY:Coffee (moved)",
        "END:VEVENT",
    )

    events = parse_calendar(data, zone=SEOUL, window=WINDOW).events

    assert [(e.summary, e.starts_at) for e in events] == [
        ("Coffee", seoul(9)),
        ("Coffee (moved)", seoul(11, 15)),
        ("Coffee", seoul(12)),
    ]
    assert [e.recurrence_id for e in events] == [seoul(9), seoul(11), seoul(12)]


def test_recurrence_is_cut_to_the_window():
    data = ics(
        "BEGIN:VEVENT",
        "UID:daily@apple",
        "DTSTART;TZID=Asia/Seoul:20231101T090000",
        "DTEND;TZID=Asia/Seoul:20231101T100000",
        "RRULE:FREQ=DAILY",
        "SUMMARY:Daily",
        "END:VEVENT",
    )

    events = parse_calendar(data, zone=SEOUL, window=WINDOW).events

    assert [e.starts_at for e in events] == [seoul(9, day=7), seoul(9, day=8)]


def test_all_day_and_floating_times_use_the_events_zone():
    data = ics(
        "BEGIN:VEVENT",
        "UID:allday@apple",
        "DTSTART;VALUE=DATE:20231108",
        "SUMMARY:Exhibition",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "UID:floating@apple",
        "DTSTART:20231108T140000",
        "DURATION:PT90M",
        "SUMMARY:Floating",
        "END:VEVENT",
    )

    allday, floating = parse_calendar(data, zone=SEOUL, window=WINDOW).events

    assert (allday.all_day, allday.starts_at, allday.ends_at) == (
        True,
        seoul(0),
        seoul(0, day=9),
    )
    assert (floating.all_day, floating.starts_at, floating.ends_at) == (
        False,
        seoul(14),
        seoul(15, 30),
    )


def test_zero_length_event_is_skipped_with_a_reason():
    data = ics("BEGIN:VEVENT", "UID:x", "DTSTART:20231108T010000Z", "SUMMARY:Blip", "END:VEVENT")

    parsed = parse_calendar(data, zone=SEOUL, window=WINDOW)

    assert (parsed.events, parsed.skipped) == ((), ("Blip: it ends when it starts",))


def test_our_own_export_reads_back_with_both_titles_and_the_plain_description():
    entry = CalendarEntry(
        uid="0b0d3a52-5bb5-4bb0-8f5e-3f3a6f0c9d11",
        sequence=4,
        starts_at=seoul(10),
        ends_at=seoul(11),
        summary="Panel (1)",
        description="About partnerships.",
        details=("패널 (1)", "Moderator: Kim", "https://e.example.org/x"),
        alt_summary="패널 (1)",
        alt_language="ko",
        status="CANCELLED",
        categories=("Panel", "Industry"),
    )
    data = build_feed(
        [entry], info=FeedInfo(name="F", timezone="Asia/Seoul"), stamp=datetime.now(UTC)
    )

    [event] = parse_calendar(data, zone=SEOUL, window=WINDOW).events

    assert (event.uid, event.sequence, event.status) == (entry.uid, 4, "CANCELLED")
    assert (event.summary, event.alt_summary, event.alt_language) == ("Panel (1)", "패널 (1)", "ko")
    assert event.description == "About partnerships."
    assert event.categories == ("Panel", "Industry")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\xff\xfe not text", "not UTF-8"),
        (b"hello", "does not start with BEGIN:VCALENDAR"),
        (b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\n", "not a valid calendar"),
        (ics(), "holds no events"),
        (ics("BEGIN:VEVENT", "DTSTART:20231108T010000Z", "SUMMARY:A", "END:VEVENT"), "no UID"),
        (ics("BEGIN:VEVENT", "UID:x", "SUMMARY:A", "END:VEVENT"), "no start"),
        (
            ics("BEGIN:VEVENT", "UID:x", "DTSTART:garbage", "SUMMARY:A", "END:VEVENT"),
            "A: DTSTART cannot be read",
        ),
    ],
)
def test_malformed_files_get_a_clear_message(data: bytes, message: str):
    with pytest.raises(CalendarFileError, match=message):
        parse_calendar(data, zone=SEOUL, window=WINDOW)


def test_events_outside_the_window_are_left_out():
    data = ics(
        "BEGIN:VEVENT",
        "UID:later",
        "DTSTART:20231201T010000Z",
        "DTEND:20231201T020000Z",
        "SUMMARY:Later",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "UID:now",
        "DTSTART:20231108T010000Z",
        "DTEND:20231108T020000Z",
        "SUMMARY:Now",
        "END:VEVENT",
    )

    events = parse_calendar(data, zone=SEOUL, window=WINDOW).events

    assert [e.uid for e in events] == ["now"]
    assert events[0].ends_at - events[0].starts_at == timedelta(hours=1)


@settings(max_examples=100, deadline=None)
@given(
    title=st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1),
    body=st.text(st.characters(blacklist_categories=("Cs",)), max_size=200),
)
def test_any_unicode_survives_export_and_import(title: str, body: str):
    entry = CalendarEntry(
        uid="u-1",
        sequence=0,
        starts_at=seoul(10),
        ends_at=seoul(11),
        summary=title,
        description=body,
        details=("line",),
    )
    data = build_feed([entry], info=FeedInfo(name="F", timezone="Asia/Seoul"), stamp=seoul(1))

    [event] = parse_calendar(data, zone=SEOUL, window=WINDOW).events

    assert event.summary == title.strip()
    assert event.description == clean_text(body).strip("\n")


def test_x_wr_timezone_gives_floating_times_their_zone():
    data = ics(
        "X-WR-TIMEZONE:America/New_York",
        "BEGIN:VEVENT",
        "UID:call@google.com",
        "DTSTART:20231107T190000",
        "DTEND:20231107T200000",
        "SUMMARY:Call with Washington",
        "END:VEVENT",
    )

    [event] = parse_calendar(data, zone=SEOUL, window=WINDOW).events

    assert event.starts_at == seoul(9)  # 19:00 in New York is 09:00 next day in Seoul


@pytest.mark.parametrize(
    "body",
    ["———", "———\nA rule above, then text.", "Intro\n\n———\nThe speaker's own divider", ""],
)
def test_a_body_holding_our_mark_keeps_it_on_import(body: str):
    # Found by the round-trip property above: a description of "———" came back empty.
    entry = CalendarEntry(
        uid="u-1",
        sequence=0,
        starts_at=seoul(10),
        ends_at=seoul(11),
        summary="Panel",
        description=body,
        details=("Other-language title", "https://example.org/e/x/sessions/1"),
    )
    data = build_feed([entry], info=FeedInfo(name="F", timezone="Asia/Seoul"), stamp=seoul(1))

    [event] = parse_calendar(data, zone=SEOUL, window=WINDOW).events

    assert event.description == body
