"""The calendar file parser: exports from Google, Outlook and Apple, and broken files."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eventapp.builders import ics_import, ics_occurrences
from eventapp.builders.ics import CalendarEntry, FeedInfo, build_feed, clean_text
from eventapp.builders.ics_import import CalendarFileError, LeftOut, parse_calendar

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


def test_zero_length_event_is_left_out_with_a_reason():
    data = ics("BEGIN:VEVENT", "UID:x", "DTSTART:20231108T010000Z", "SUMMARY:Blip", "END:VEVENT")

    parsed = parse_calendar(data, zone=SEOUL, window=WINDOW)

    assert (parsed.events, parsed.left_out) == ((), (LeftOut("zero_length", "Blip", line=4),))


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
    ("data", "code"),
    [
        (b"\xff\xfe not text", "not_utf8"),
        (b"hello", "no_vcalendar"),
        (b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\n", "structure"),
        (ics() + ics(), "several_calendars"),
        (ics(), "no_events"),
    ],
)
def test_files_that_are_no_calendar_are_refused_with_a_code(data: bytes, code: str):
    with pytest.raises(CalendarFileError) as refused:
        parse_calendar(data, zone=SEOUL, window=WINDOW)

    assert refused.value.code == code


@pytest.mark.parametrize(
    ("lines", "left_out"),
    [
        (["SUMMARY:A"], LeftOut("no_start", "A", line=4)),
        (["DTSTART:garbage", "SUMMARY:A"], LeftOut("unreadable_property", "A", 6, "DTSTART")),
    ],
)
def test_events_that_cannot_be_read_are_left_out_with_a_reason(lines, left_out):
    data = ics("BEGIN:VEVENT", "UID:x", *lines, "END:VEVENT", *OUTLOOK.decode().splitlines()[3:-1])

    parsed = parse_calendar(data, zone=SEOUL, window=WINDOW)

    assert [e.summary for e in parsed.events] == ["개회사"]
    assert parsed.left_out == (left_out,)


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


def custom_zone(offset: str, tzid: str = "Customized Time Zone") -> list[str]:
    """Outlook's name for a zone it defines itself (offset as in TZOFFSETTO: "+0900")."""
    return [
        "BEGIN:VTIMEZONE",
        f"TZID:{tzid}",
        "BEGIN:STANDARD",
        "DTSTART:16010101T000000",
        f"TZOFFSETFROM:{offset}",
        f"TZOFFSETTO:{offset}",
        "END:STANDARD",
        "END:VTIMEZONE",
    ]


def event(uid: str, summary: str, *lines: str) -> list[str]:
    return ["BEGIN:VEVENT", f"UID:{uid}", "DTSTAMP:20231001T000000Z", *lines,
            f"SUMMARY:{summary}", "END:VEVENT"]  # fmt: skip


def zoned(tzid: str, start: str, end: str) -> list[str]:
    return [f'DTSTART;TZID="{tzid}":{start}', f'DTEND;TZID="{tzid}":{end}']


def test_each_file_is_read_with_its_own_vtimezone_only():
    # icalendar caches VTIMEZONEs per process, first one wins: the second file was read
    # in the first file's +09:00, 14 hours off.
    seoul_file = ics(*custom_zone("+0900"), *event("a", "A", *zoned(
        "Customized Time Zone", "20231108T200000", "20231108T210000")))  # fmt: skip
    new_york_file = ics(*custom_zone("-0500"), *event("b", "B", *zoned(
        "Customized Time Zone", "20231107T200000", "20231107T210000")))  # fmt: skip

    [first] = parse_calendar(seoul_file, zone=SEOUL, window=WINDOW).events
    [second] = parse_calendar(new_york_file, zone=SEOUL, window=WINDOW).events

    assert first.starts_at == datetime(2023, 11, 8, 11, tzinfo=UTC)
    assert second.starts_at == datetime(2023, 11, 8, 1, tzinfo=UTC)


def test_a_zone_defined_only_by_an_earlier_file_is_unknown():
    earlier = zoned("Only Elsewhere", "20231108T200000", "20231108T210000")
    parse_calendar(
        ics(*custom_zone("+0900", "Only Elsewhere"), *event("a", "A", *earlier)),
        zone=SEOUL,
        window=WINDOW,
    )
    without = ics(*event("b", "B", *zoned("Only Elsewhere", "20231108T100000", "20231108T110000")))

    parsed = parse_calendar(without, zone=SEOUL, window=WINDOW)

    assert parsed.events == ()
    assert parsed.left_out == (LeftOut("unknown_zone", "B", line=4, detail="Only Elsewhere"),)


@pytest.mark.parametrize("rule", [[], ["RRULE:FREQ=HOURLY;COUNT=3"]])
def test_an_event_ending_before_it_starts_is_left_out_not_swapped(rule: list[str]):
    data = ics(*event("c", "Backwards", "DTSTART:20231108T050000Z", "DTEND:20231108T010000Z",
                      *rule))  # fmt: skip

    parsed = parse_calendar(data, zone=SEOUL, window=WINDOW)

    assert parsed.events == ()
    assert parsed.left_out == (LeftOut("ends_before_start", "Backwards", line=4),)


def test_a_changed_occurrence_ending_before_it_starts_costs_only_itself():
    data = ics(
        *event("t", "Tour", "DTSTART:20231108T000000Z", "DTEND:20231108T010000Z",
               "RRULE:FREQ=HOURLY;COUNT=3"),
        *event("t", "Tour (moved)", "RECURRENCE-ID:20231108T010000Z",
               "DTSTART:20231108T053000Z", "DTEND:20231108T043000Z"),
    )  # fmt: skip

    parsed = parse_calendar(data, zone=SEOUL, window=WINDOW)

    # Neither the backwards change nor the occurrence as it was before the change.
    assert [e.starts_at.hour for e in parsed.events] == [0, 2]
    assert parsed.left_out == (LeftOut("ends_before_start", "Tour (moved)", line=12),)


def test_this_and_future_change_gives_each_later_occurrence_its_own_id():
    data = ics(
        *event("s", "Shuttle", "DTSTART:20231108T000000Z", "DTEND:20231108T003000Z",
               "RRULE:FREQ=HOURLY;COUNT=6"),
        *event("s", "Shuttle (later)", "RECURRENCE-ID;RANGE=THISANDFUTURE:20231108T020000Z",
               "DTSTART:20231108T021500Z", "DTEND:20231108T024500Z"),
    )  # fmt: skip

    events = parse_calendar(data, zone=SEOUL, window=WINDOW).events

    hour = [datetime(2023, 11, 8, h, tzinfo=UTC) for h in range(6)]
    assert [e.recurrence_id for e in events] == hour
    assert [e.starts_at for e in events] == hour[:2] + [h + timedelta(minutes=15) for h in hour[2:]]
    assert [e.summary for e in events] == ["Shuttle"] * 2 + ["Shuttle (later)"] * 4


@pytest.mark.parametrize(
    "tzid",
    [
        "(UTC-05:00) Eastern Time (US and Canada)",
        "(UTC-05:00) Eastern Time (US & Canada)",
        "(GMT-05:00) Eastern Time (US & Canada)",
    ],
)
def test_outlook_display_name_is_read_as_its_iana_zone(tzid: str):
    data = ics(*event("d", "Call", *zoned(tzid, "20231107T190000", "20231107T200000")))

    [call] = parse_calendar(data, zone=SEOUL, window=WINDOW).events

    assert (call.starts_at, call.ends_at) == (seoul(9), seoul(10))


def test_globally_unique_tzid_is_read_as_its_iana_zone():
    tzid = "/freeassociation.sourceforge.net/Tzfile/America/New_York"
    data = ics(*event("g", "Evolution", *zoned(tzid, "20231107T190000", "20231107T200000")))

    [evolution] = parse_calendar(data, zone=SEOUL, window=WINDOW).events

    assert evolution.starts_at == seoul(9)


def test_unknown_tzid_is_left_out_naming_it_not_read_in_another_zone():
    # Read as floating before, then in DTEND's UTC, then swapped: an 8-hour wrong session.
    data = ics(*event("u", "Mars call", "DTSTART;TZID=Mars/Olympus:20231108T190000",
                      "DTEND:20231108T110000Z"))  # fmt: skip

    parsed = parse_calendar(data, zone=SEOUL, window=WINDOW)

    assert parsed.events == ()
    assert parsed.left_out == (LeftOut("unknown_zone", "Mars call", 4, "Mars/Olympus"),)


def test_vtimezone_with_two_tzids_is_read_under_both():
    # WordPress "The Events Calendar" writes them; icalendar raised AttributeError.
    zone = custom_zone("-0500", "America/New_York")
    zone.insert(2, "TZID:Eastern")
    data = ics(*zone, *event("e", "Two", *zoned("Eastern", "20231107T190000", "20231107T200000")))

    [two] = parse_calendar(data, zone=SEOUL, window=WINDOW).events

    assert two.starts_at == seoul(9)


def test_second_tzid_after_a_subcomponent_is_read_too():
    # node-ical's fixture of the same WordPress feed: the second TZID follows END:STANDARD.
    zone = custom_zone("-0500", "Custom East")
    zone.insert(-1, "TZID:Custom East Again")
    data = ics(*zone, *event("e", "Two", *zoned("Custom East Again", "20231107T190000",
                                                "20231107T200000")))  # fmt: skip

    [two] = parse_calendar(data, zone=SEOUL, window=WINDOW).events

    assert two.starts_at == seoul(9)


def test_windows_name_in_x_wr_timezone_is_read():
    data = ics("X-WR-TIMEZONE:Eastern Standard Time",
               *event("f", "F", "DTSTART:20231107T190000", "DTEND:20231107T200000"))  # fmt: skip

    [f] = parse_calendar(data, zone=SEOUL, window=WINDOW).events

    assert f.starts_at == seoul(9)


def test_unknown_x_wr_timezone_falls_back_to_the_events_zone_with_a_notice():
    data = ics("X-WR-TIMEZONE:Mars/Olympus",
               *event("f", "F", "DTSTART:20231108T100000", "DTEND:20231108T110000"))  # fmt: skip

    parsed = parse_calendar(data, zone=SEOUL, window=WINDOW)

    assert [e.starts_at for e in parsed.events] == [seoul(10)]
    assert parsed.notices == (LeftOut("calendar_zone_unknown", detail="Mars/Olympus"),)


def test_events_outside_the_dates_and_zero_length_ones_are_counted():
    data = ics(
        *event("later", "Later", "DTSTART:20231201T010000Z", "DTEND:20231201T020000Z"),
        *event("blip", "Blip", "DTSTART:20231108T010000Z", "RRULE:FREQ=HOURLY;COUNT=3"),
    )

    parsed = parse_calendar(data, zone=SEOUL, window=WINDOW)

    assert parsed.left_out == (
        LeftOut("outside_dates", "Later", line=4),
        LeftOut("zero_length", "Blip", line=11, count=3),
    )


def test_event_without_uid_gets_the_same_uid_from_its_content_each_time():
    data = ics("BEGIN:VEVENT", "DTSTART:20231108T010000Z", "DTEND:20231108T020000Z",
               "SUMMARY:Outlook Web", "END:VEVENT")  # fmt: skip

    [first] = parse_calendar(data, zone=SEOUL, window=WINDOW).events
    [again] = parse_calendar(data, zone=SEOUL, window=WINDOW).events
    [moved] = parse_calendar(data.replace(b"T0200", b"T0300"), zone=SEOUL, window=WINDOW).events

    assert first.uid == again.uid == moved.uid
    assert first.uid.endswith("@no-uid.invalid")


def test_an_unreadable_line_costs_only_its_event():
    data = ics(
        *event("g", "Good", "DTSTART:20231108T010000Z", "DTEND:20231108T020000Z",
               'ORGANIZER="mailto:someone@example.org"'),
        *event("h", "Broken", "DTSTART:20231108T030000Z", "DTEND 20231108T040000Z"),
        "X-STRAY LINE",
    )  # fmt: skip

    parsed = parse_calendar(data, zone=SEOUL, window=WINDOW)

    assert [e.summary for e in parsed.events] == ["Good"]
    assert parsed.left_out == (LeftOut("unreadable_line", "Broken", line=16),)
    # An ORGANIZER nobody reads, and a line outside any event: ignored, with a word.
    assert parsed.notices == (
        LeftOut("unreadable_line", line=9),
        LeftOut("unreadable_line", line=19),
    )


def test_hangul_folded_inside_a_character_is_unfolded_as_bytes():
    title = "우주산업 심포지엄 개회사와 기조연설"
    line = f"SUMMARY:{title}".encode()
    folded = line[:20] + b"\r\n " + line[20:]  # octet 20 is inside a Hangul character
    data = ics(*event("k", "X", "DTSTART:20231108T010000Z", "DTEND:20231108T020000Z"))
    data = data.replace(b"SUMMARY:X", folded)

    [keynote] = parse_calendar(data, zone=SEOUL, window=WINDOW).events

    assert keynote.summary == title


@pytest.mark.parametrize(
    "rule",
    [
        ("DTSTART:20000101T000000Z", "RRULE:FREQ=MINUTELY"),
        ("DTSTART:20231107T000000Z", "RRULE:FREQ=SECONDLY"),
        (
            "DTSTART:20230101T000000Z",
            "RRULE:FREQ=DAILY;BYHOUR=0,1,2,3,4,5,6,7,8,9,10,11,12,13,"
            "14,15,16,17,18,19,20,21,22,23;BYMINUTE=0,10,20,30,40,50;BYSECOND=0,10,20,30,40,50",
        ),
    ],
)
def test_a_rule_that_repeats_too_often_is_left_out_quickly(rule: tuple[str, str]):
    keynote = event("n", "Keynote", "DTSTART:20231108T010000Z", "DTEND:20231108T020000Z")
    data = ics(*event("m", "Ticker", rule[0], "DURATION:PT1S", rule[1]), *keynote)
    parsed = parse_calendar(data, zone=SEOUL, window=WINDOW)

    # Left out by reading the rule ("repeats_too_often"), not by the clock ("too_slow"):
    # how fast is for bench/, not for a timed assertion here.
    assert [e.summary for e in parsed.events] == ["Keynote"]
    assert [(left.reason, left.summary) for left in parsed.left_out] == [
        ("repeats_too_often", "Ticker")
    ]


def test_more_than_the_limit_stops_at_the_limit(monkeypatch):
    # The count limit, not the clock: a loaded machine must not turn it into "too slow".
    monkeypatch.setattr(ics_occurrences, "MAX_EXPANSION_SECONDS", 600.0)
    data = ics(*event("m", "Ticker", "DTSTART:20231107T000000Z", "DURATION:PT1S",
                      "RRULE:FREQ=SECONDLY;COUNT=90000"))  # fmt: skip

    with pytest.raises(CalendarFileError) as refused:
        parse_calendar(data, zone=SEOUL, window=WINDOW)

    assert (refused.value.code, refused.value.detail) == ("too_many_events", "5000")


def test_a_file_of_more_entries_than_the_limit_is_refused_before_it_is_parsed(monkeypatch):
    # An 8 MB file of 40,000 short events held a worker for a minute inside the calendar
    # library (#15): counting VEVENTs while the lines are read refuses it first.
    monkeypatch.setattr(ics_import, "MAX_EVENTS", 3)
    parsed_calls: list[str] = []
    monkeypatch.setattr(
        ics_import.icalendar.Calendar, "from_ical", lambda *a, **k: parsed_calls.append("x")
    )
    data = ics(*(line for n in range(4) for line in event(
        f"e{n}", f"Talk {n}", "DTSTART:20231108T010000Z", "DURATION:PT30M")))  # fmt: skip

    with pytest.raises(CalendarFileError) as refused:
        parse_calendar(data, zone=SEOUL, window=WINDOW)

    assert (refused.value.code, refused.value.detail) == ("too_many_entries", "3")
    assert parsed_calls == []


def test_a_file_at_the_limit_is_read(monkeypatch):
    monkeypatch.setattr(ics_import, "MAX_EVENTS", 3)
    data = ics(*(line for n in range(3) for line in event(
        f"e{n}", f"Talk {n}", "DTSTART:20231108T010000Z", "DURATION:PT30M")))  # fmt: skip

    assert len(parse_calendar(data, zone=SEOUL, window=WINDOW).events) == 3
