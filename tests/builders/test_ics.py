"""The iCalendar builder, checked by parsing its output back with icalendar and vobject."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject
from hypothesis import given, settings
from hypothesis import strategies as st

from eventapp.builders.ics import (
    DETAILS_MARK,
    CalendarEntry,
    FeedInfo,
    Person,
    build_feed,
    build_invitation,
    clean_text,
)

STAMP = datetime(2023, 11, 1, 12, 0, tzinfo=UTC)
SEOUL_9AM = datetime(2023, 11, 8, 0, 0, tzinfo=UTC)  # 09:00 in Seoul
ORGANIZER = Person("events@example.org", "ROK-U.S. Space Forum")
ATTENDEE = Person("jane@example.org", "Jane Doe")


def entry(**overrides: object) -> CalendarEntry:
    values: dict[str, object] = {
        "uid": "3c8a1b7e-7a43-4a8e-9d1f-0d1f5f1e2a10",
        "sequence": 3,
        "starts_at": SEOUL_9AM,
        "ends_at": SEOUL_9AM + timedelta(minutes=45),
        "summary": "Panel discussion (1): Partnerships, programs; and more",
        "description": "How governments and companies work together.\nSecond line.",
        "details": ("패널 토론", "Moderator: 김민지 (Director)", "https://e.example.org/s/1"),
        "alt_summary": "패널 토론",
        "alt_language": "ko",
        "location": "Grand Ballroom, Lotte Hotel Seoul, 30 Eulji-ro",
        "url": "https://e.example.org/s/1",
        "categories": ("Panel", "Industry, Policy"),
    }
    values.update(overrides)
    return CalendarEntry(**values)  # type: ignore[arg-type]


def feed(*entries: CalendarEntry, zone: str = "Asia/Seoul") -> bytes:
    info = FeedInfo(name="ROK-U.S. Space Forum", timezone=zone, organizer=ORGANIZER)
    return build_feed(entries or [entry()], info=info, stamp=STAMP)


def unfold(data: bytes) -> list[str]:
    return data.decode("utf-8").replace("\r\n ", "").split("\r\n")


def test_feed_fields_match_when_parsed_by_icalendar_and_vobject():
    data = feed()

    ical = icalendar.Calendar.from_ical(data).walk("VEVENT")[0]
    vob = vobject.readOne(data.decode("utf-8")).vevent

    expected_description = (
        "How governments and companies work together.\nSecond line.\n\n"
        f"{DETAILS_MARK}\n패널 토론\nModerator: 김민지 (Director)\nhttps://e.example.org/s/1"
    )
    assert str(ical["uid"]) == vob.uid.value == "3c8a1b7e-7a43-4a8e-9d1f-0d1f5f1e2a10"
    assert ical.decoded("sequence") == int(vob.sequence.value) == 3
    assert str(ical["summary"]) == vob.summary.value == entry().summary
    assert str(ical["description"]) == vob.description.value == expected_description
    assert str(ical["location"]) == vob.location.value == entry().location
    assert str(ical["url"]) == vob.url.value == "https://e.example.org/s/1"
    assert str(ical["status"]) == vob.status.value == "CONFIRMED"
    assert ical.categories == vob.categories.value == ["Panel", "Industry, Policy"]
    assert ical.decoded("dtstamp") == vob.dtstamp.value == STAMP
    assert ical.decoded("dtstart") == vob.dtstart.value == SEOUL_9AM
    assert ical.decoded("dtend") == vob.dtend.value == SEOUL_9AM + timedelta(minutes=45)
    assert ical["dtstart"].params["TZID"] == "Asia/Seoul"
    assert vob.dtstart.value.utcoffset() == timedelta(hours=9)
    assert ical["summary"].params["LANGUAGE"] == "en"
    assert str(ical["x-eventapp-alt-summary"]) == "패널 토론"
    [alarm] = ical.walk("VALARM")
    assert alarm.decoded("trigger") == timedelta(minutes=-15)
    assert vob.valarm.trigger.value == timedelta(minutes=-15)


def test_feed_calendar_properties_for_subscribers():
    calendar = icalendar.Calendar.from_ical(feed())

    assert str(calendar["method"]) == "PUBLISH"
    assert str(calendar["x-wr-calname"]) == "ROK-U.S. Space Forum"
    assert str(calendar["x-wr-timezone"]) == "Asia/Seoul"
    assert calendar.decoded("refresh-interval") == timedelta(hours=1)
    assert calendar["refresh-interval"].params["VALUE"] == "DURATION"
    assert "X-PUBLISHED-TTL:PT1H" in unfold(feed())


def test_seoul_nine_am_is_seven_pm_previous_day_in_new_york():
    event = icalendar.Calendar.from_ical(feed()).walk("VEVENT")[0]
    vob = vobject.readOne(feed().decode("utf-8")).vevent

    new_york = ZoneInfo("America/New_York")
    for start in (event.decoded("dtstart"), vob.dtstart.value):
        local = start.astimezone(new_york)
        assert (local.date().isoformat(), local.hour, local.minute) == ("2023-11-07", 19, 0)


def test_every_tzid_has_a_vtimezone_with_a_standard_part():
    data = feed(
        entry(),
        entry(
            uid="other",
            starts_at=datetime(2023, 3, 12, 5, tzinfo=UTC),
            ends_at=datetime(2023, 3, 12, 9, tzinfo=UTC),
        ),
        zone="America/New_York",
    )
    calendar = icalendar.Calendar.from_ical(data)

    used = {m for m in re.findall(r";TZID=([^:;]+)", data.decode())}
    defined = {str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")}
    assert used == defined == {"America/New_York"}
    [timezone] = calendar.walk("VTIMEZONE")
    standard = timezone.walk("STANDARD")
    assert standard
    assert all("TZOFFSETFROM" in s and "TZOFFSETTO" in s for s in standard)
    assert timezone.walk("DAYLIGHT")  # the March 2023 change is inside the span


def test_lines_are_crlf_and_at_most_75_octets_without_splitting_characters():
    long_korean = "한미 우주산업 심포지엄 " * 20
    data = feed(entry(summary=long_korean, description="é" * 300 + "🚀" * 50))

    assert data.endswith(b"\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")
    for line in data.split(b"\r\n"):
        assert len(line) <= 75
        line.decode("utf-8")  # raises if a fold split a character
    assert str(icalendar.Calendar.from_ical(data).walk("VEVENT")[0]["summary"]) == long_korean


def test_text_is_escaped():
    data = feed(entry(summary="a,b;c\\d\ne", location="Room 1; Floor 2, Annex"))
    lines = unfold(data)

    assert "SUMMARY;LANGUAGE=en:a\\,b\\;c\\\\d\\ne" in lines
    assert "LOCATION:Room 1\\; Floor 2\\, Annex" in lines


def test_uid_and_dtstamp_on_every_event():
    data = feed(entry(), entry(uid="second"))

    events = icalendar.Calendar.from_ical(data).walk("VEVENT")
    assert [str(e["uid"]) for e in events] == ["3c8a1b7e-7a43-4a8e-9d1f-0d1f5f1e2a10", "second"]
    assert all(e.decoded("dtstamp") == STAMP for e in events)


def test_cancelled_entry_has_status_cancelled_and_no_alarm():
    event = icalendar.Calendar.from_ical(feed(entry(status="CANCELLED"))).walk("VEVENT")[0]

    assert str(event["status"]) == "CANCELLED"
    assert event.walk("VALARM") == []


def test_invitation_request_has_organizer_and_accepted_attendee():
    data = build_invitation(
        entry(),
        method="REQUEST",
        organizer=ORGANIZER,
        attendee=ATTENDEE,
        timezone="Asia/Seoul",
        stamp=STAMP,
    )
    calendar = icalendar.Calendar.from_ical(data)
    event = calendar.walk("VEVENT")[0]
    vob = vobject.readOne(data.decode("utf-8")).vevent

    assert str(calendar["method"]) == "REQUEST"
    assert str(event["organizer"]) == vob.organizer.value == "mailto:events@example.org"
    assert event["organizer"].params["CN"] == "ROK-U.S. Space Forum"
    assert str(event["attendee"]) == vob.attendee.value == "mailto:jane@example.org"
    params = event["attendee"].params
    assert (params["PARTSTAT"], params["RSVP"], params["CN"]) == ("ACCEPTED", "FALSE", "Jane Doe")
    assert event.decoded("sequence") == 3


def test_invitation_cancel_is_cancelled_without_alarm():
    data = build_invitation(
        entry(),
        method="CANCEL",
        organizer=ORGANIZER,
        attendee=ATTENDEE,
        timezone="Asia/Seoul",
        stamp=STAMP,
    )
    calendar = icalendar.Calendar.from_ical(data)
    event = calendar.walk("VEVENT")[0]

    assert (str(calendar["method"]), str(event["status"])) == ("CANCEL", "CANCELLED")
    assert event.walk("VALARM") == []


def test_invitation_refuses_other_methods():
    with pytest.raises(ValueError, match="PUBLISH"):
        build_invitation(
            entry(),
            method="PUBLISH",
            organizer=ORGANIZER,
            attendee=ATTENDEE,
            timezone="Asia/Seoul",
            stamp=STAMP,
        )


def test_clean_text_drops_controls_and_normalizes_line_breaks():
    assert clean_text("a\r\nb\rc\x00d\x1be\tf\ng") == "a\nb\nc" + "de\tf\ng"


# Any character iCalendar TEXT can carry: everything but controls (HTAB and LF are kept as
# "\t" and "\n"), and no surrogates (they cannot be written in UTF-8).
ical_text = st.text(
    st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from(["\t", "\n"]),
    min_size=1,
)


@settings(max_examples=150, deadline=None)
@given(title=ical_text, body=ical_text)
def test_any_unicode_title_and_description_round_trip_exactly(title: str, body: str):
    data = feed(entry(summary=title, description=body, details=(), location=title))

    ical = icalendar.Calendar.from_ical(data).walk("VEVENT")[0]
    vob = vobject.readOne(data.decode("utf-8")).vevent
    body_kept = body.strip("\n")
    assert str(ical["summary"]) == vob.summary.value == title
    assert str(ical["location"]) == vob.location.value == title
    if body_kept:
        assert str(ical["description"]) == vob.description.value == body_kept
    for line in data.split(b"\r\n"):
        assert len(line) <= 75


def test_parameter_values_with_separators_are_quoted_and_read_back():
    organizer = Person("events@example.org", "Forum: Seoul; 2023, Day 1")
    attendee = Person("kim@example.org", '김 "Minji" 민지')
    data = build_invitation(
        entry(),
        method="REQUEST",
        organizer=organizer,
        attendee=attendee,
        timezone="Asia/Seoul",
        stamp=STAMP,
    )

    event = icalendar.Calendar.from_ical(data).walk("VEVENT")[0]
    vob = vobject.readOne(data.decode("utf-8")).vevent
    assert event["organizer"].params["CN"] == "Forum: Seoul; 2023, Day 1"
    assert vob.organizer.params["CN"] == ["Forum: Seoul; 2023, Day 1"]
    # DQUOTE cannot appear in a parameter value (RFC 5545 §3.2): it becomes an apostrophe.
    assert event["attendee"].params["CN"] == "김 'Minji' 민지"


def test_url_is_written_as_a_uri_without_text_escaping():
    url = "https://e.example.org/e/forum/sessions/1?lang=ko&x=a,b;c"

    event = icalendar.Calendar.from_ical(feed(entry(url=url))).walk("VEVENT")[0]

    assert str(event["url"]) == url
    assert f"URL:{url}" in unfold(feed(entry(url=url)))
