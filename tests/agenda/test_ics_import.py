"""Importing an agenda from a calendar file: create, update by UID, all or nothing."""

from __future__ import annotations

import email
from datetime import UTC, datetime, timedelta
from email.policy import default

import icalendar
import pytest
from flask_babel import force_locale

from eventapp.errors import CalendarImportError
from eventapp.models import AgendaSession, OutboxMessage, Room, SessionKind, SessionStatus, db
from eventapp.services import calendar
from eventapp.services.agenda.ics_import import import_calendar
from eventapp.services.agenda.ics_import_report import describe_left_out, refusal_message
from tests.factories import (
    make_event,
    make_registration,
    make_room,
    make_session,
    make_signup,
    make_track,
    make_venue,
)

STAMP = datetime(2023, 11, 1, tzinfo=UTC)


def ics(*lines: str) -> bytes:
    body = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Test//EN", *lines, "END:VCALENDAR"]
    return ("\r\n".join(body) + "\r\n").encode("utf-8")


GOOGLE = ics(
    "BEGIN:VEVENT",
    "UID:7kukuqrfedlm2f9t0vr42q2abc@google.com",
    "DTSTART;TZID=Korea Standard Time:20231108T100000",
    "DTEND;TZID=Korea Standard Time:20231108T110000",
    "SUMMARY:Policy briefing",
    "DESCRIPTION:Where programs stand.",
    "LOCATION:Room 201",
    "CATEGORIES:Briefing",
    "END:VEVENT",
    "BEGIN:VEVENT",
    "UID:coffee@google.com",
    "DTSTART;TZID=Asia/Seoul:20231108T120000",
    "DTEND;TZID=Asia/Seoul:20231108T121500",
    "RRULE:FREQ=HOURLY;COUNT=2",
    "SUMMARY:Coffee",
    "END:VEVENT",
)


def sessions(event) -> list[AgendaSession]:
    return list(
        db.session.scalars(
            db.select(AgendaSession)
            .where(AgendaSession.event_id == event.id)
            .order_by(AgendaSession.starts_at, AgendaSession.title)
        )
    )


def test_import_creates_sessions_with_rooms_kinds_and_stable_uids(ctx):
    event = make_event()

    summary = import_calendar(event, GOOGLE, by=None)

    created = sessions(event)
    assert (summary.applied, summary.count("create")) == (True, 3)
    assert [(s.title, s.starts_at.astimezone(event.zone).hour) for s in created] == [
        ("Policy briefing", 10),
        ("Coffee", 12),
        ("Coffee", 13),
    ]
    briefing = created[0]
    assert (briefing.kind, briefing.room.name, briefing.description) == (
        SessionKind.BRIEFING,
        "Room 201",
        "Where programs stand.",
    )
    assert len({s.uid for s in created}) == 3
    assert all(len(s.uid) == 36 for s in created)


def test_reimporting_the_same_file_changes_nothing(ctx):
    event = make_event()
    import_calendar(event, GOOGLE, by=None)
    before = [(s.id, s.uid, s.revision) for s in sessions(event)]

    summary = import_calendar(event, GOOGLE, by=None)

    assert (summary.count("create"), summary.count("update"), summary.count("unchanged")) == (
        0,
        0,
        3,
    )
    assert [(s.id, s.uid, s.revision) for s in sessions(event)] == before
    assert db.session.scalar(db.select(db.func.count(Room.id))) == 1


def test_preview_plans_without_writing(ctx):
    event = make_event()

    summary = import_calendar(event, GOOGLE, by=None, preview=True)

    assert (summary.applied, summary.count("create"), sessions(event)) == (False, 3, [])


def test_import_moving_our_session_is_an_organizers_change_with_updates(ctx):
    event = make_event()
    session = make_session(event, capacity=10, title="Panel", starts_at=event.starts_at)
    attendee = make_registration(event)
    make_signup(attendee, session)
    exported = calendar.agenda_feed(event, stamp=STAMP)
    moved = exported.replace(b"T090000", b"T150000").replace(b"T094500", b"T154500")

    summary = import_calendar(event, moved, by=None)

    assert (summary.count("update"), summary.notified) == (1, 1)
    assert session.revision == 1
    assert session.starts_at.astimezone(event.zone).hour == 15
    [message] = db.session.scalars(db.select(OutboxMessage)).all()
    parsed = email.message_from_string(message.raw, policy=default)
    [part] = [p for p in parsed.walk() if p.get_content_type() == "text/calendar"]
    vevent = icalendar.Calendar.from_ical(part.get_content()).walk("VEVENT")[0]
    assert (str(vevent["uid"]), vevent.decoded("sequence")) == (session.uid, 1)


def test_import_cancelling_our_session_sends_cancel(ctx):
    event = make_event()
    session = make_session(event, capacity=10)
    make_signup(make_registration(event), session)
    exported = calendar.agenda_feed(event, stamp=STAMP)

    import_calendar(event, exported.replace(b"STATUS:CONFIRMED", b"STATUS:CANCELLED"), by=None)

    [message] = db.session.scalars(db.select(OutboxMessage)).all()
    assert (session.status, session.revision) == (SessionStatus.CANCELLED, 1)
    assert "method=CANCEL" in message.raw.replace('"', "")


def test_file_that_is_no_calendar_raises_and_changes_nothing(ctx):
    event = make_event()
    make_session(event)

    with pytest.raises(CalendarImportError) as refused:
        import_calendar(event, GOOGLE.replace(b"END:VCALENDAR", b""), by=None)

    assert refused.value.details["reason"] == "structure"

    assert len(sessions(event)) == 1


def test_unreadable_event_is_left_out_and_the_rest_imported(ctx):
    event = make_event()

    summary = import_calendar(
        event, GOOGLE.replace(b"20231108T100000", b"2023-11-08 10:00"), by=None
    )

    assert [s.title for s in sessions(event)] == ["Coffee", "Coffee"]
    with force_locale("en"):
        assert [describe_left_out(item) for item in summary.left_out] == [
            "“Policy briefing” (line 6): its DTSTART cannot be read"
        ]


def test_uid_of_another_events_session_is_not_stolen(ctx):
    other = make_event()
    theirs = make_session(other)
    event = make_event()

    import_calendar(event, calendar.agenda_feed(other, stamp=STAMP), by=None)

    [mine] = sessions(event)
    assert mine.uid != theirs.uid
    assert theirs.event_id == other.id


def test_export_import_export_gives_the_same_events(ctx):
    venue = make_venue(name="Lotte Hotel", address="30 Eulji-ro")
    event = make_event(venue=venue)
    track = make_track(event, name="Industry")
    make_session(
        event,
        title="Opening remarks",
        title_ko="개회사",
        kind=SessionKind.REMARKS,
        room=make_room(event, name="Crystal Ballroom"),
        revision=2,
    )
    make_session(
        event,
        title="Panel 1",
        title_ko="패널 1",
        kind=SessionKind.PANEL,
        track=track,
        starts_at=event.starts_at + timedelta(hours=3),
        description="Partners.",
    )
    make_session(
        event,
        title="Lunch",
        kind=SessionKind.BREAK,
        status=SessionStatus.CANCELLED,
        starts_at=event.starts_at + timedelta(hours=4),
    )
    first = calendar.agenda_feed(event, stamp=STAMP)
    fresh = make_event(venue=venue, starts_at=event.starts_at)
    db.session.delete(event)  # its UIDs are free again, as in another installation
    db.session.commit()

    import_calendar(fresh, first, by=None)
    second = calendar.agenda_feed(fresh, stamp=STAMP)

    def comparable(data: bytes) -> list[dict[str, object]]:
        keep = (
            "UID",
            "SEQUENCE",
            "DTSTART",
            "DTEND",
            "SUMMARY",
            "LOCATION",
            "STATUS",
            "CATEGORIES",
            "X-EVENTAPP-ALT-SUMMARY",
        )
        result = []
        for vevent in icalendar.Calendar.from_ical(data).walk("VEVENT"):
            fields = {k: vevent[k].to_ical() for k in keep if k in vevent}
            fields["body"] = str(vevent.get("DESCRIPTION", "")).split("\n\n———")[0]
            result.append(fields)
        return result

    assert comparable(second) == comparable(first)
    assert len(comparable(first)) == 3


def test_import_ics_command_imports_and_reports(app, runner, tmp_path):
    with app.app_context():
        slug = make_event().slug
    path = tmp_path / "agenda.ics"
    path.write_bytes(GOOGLE)

    preview = runner.invoke(args=["import-ics", slug, str(path), "--preview"])
    result = runner.invoke(args=["import-ics", slug, str(path)])

    assert preview.exit_code == 0, preview.output
    assert "Would import: 3 created, 0 updated, 0 unchanged" in preview.output
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == (
        "Imported: 3 created, 0 updated, 0 unchanged; 0 update emails queued."
    )
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(AgendaSession.id))) == 3


def test_import_ics_command_fails_clearly_on_bad_file_or_event(app, runner, tmp_path):
    with app.app_context():
        slug = make_event().slug
    path = tmp_path / "broken.ics"
    path.write_bytes(b"not a calendar")

    bad_file = runner.invoke(args=["import-ics", slug, str(path)])
    bad_event = runner.invoke(args=["import-ics", "nope", str(path)])

    assert bad_file.exit_code == 1
    assert "does not start with BEGIN:VCALENDAR; nothing was changed" in bad_file.output
    assert bad_event.exit_code == 1
    assert "no event with the slug 'nope'" in bad_event.output


def test_all_day_entry_lasts_the_events_hours_that_day(ctx):
    event = make_event()  # 09:00-18:00 in Seoul on 8 November 2023
    data = ics(
        "BEGIN:VEVENT",
        "UID:expo@apple",
        "DTSTART;VALUE=DATE:20231108",
        "DTEND;VALUE=DATE:20231109",
        "SUMMARY:Exhibition",
        "END:VEVENT",
    )

    import_calendar(event, data, by=None)

    [session] = sessions(event)
    assert (session.starts_at, session.ends_at) == (event.starts_at, event.ends_at)


def test_this_and_future_change_imports_every_occurrence(ctx):
    # Each occurrence after the change carried its RECURRENCE-ID: 3 of 6 were dropped as
    # "the same event appears twice".
    event = make_event()
    data = ics(
        "BEGIN:VEVENT",
        "UID:shuttle@outlook",
        "DTSTART;TZID=Asia/Seoul:20231108T090000",
        "DTEND;TZID=Asia/Seoul:20231108T093000",
        "RRULE:FREQ=HOURLY;COUNT=6",
        "SUMMARY:Shuttle",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "UID:shuttle@outlook",
        "RECURRENCE-ID;RANGE=THISANDFUTURE;TZID=Asia/Seoul:20231108T110000",
        "DTSTART;TZID=Asia/Seoul:20231108T111500",
        "DTEND;TZID=Asia/Seoul:20231108T114500",
        "SUMMARY:Shuttle",
        "END:VEVENT",
    )

    summary = import_calendar(event, data, by=None)
    again = import_calendar(event, data, by=None)

    assert (summary.count("create"), summary.left_out) == (6, ())
    assert [s.starts_at.astimezone(event.zone).strftime("%H:%M") for s in sessions(event)] == [
        "09:00", "10:00", "11:15", "12:15", "13:15", "14:15"
    ]  # fmt: skip
    assert again.count("unchanged") == 6


def test_event_without_uid_is_matched_on_reimport(ctx):
    event = make_event()
    data = ics(
        "BEGIN:VEVENT",
        "DTSTART;TZID=Asia/Seoul:20231108T100000",
        "DTEND;TZID=Asia/Seoul:20231108T110000",
        "SUMMARY:From Outlook Web",
        "END:VEVENT",
    )

    first = import_calendar(event, data, by=None)
    again = import_calendar(event, data, by=None)

    assert (first.count("create"), again.count("unchanged"), len(sessions(event))) == (1, 1, 1)


def test_track_named_like_a_kind_survives_reimport(ctx):
    event = make_event()
    make_session(event, kind=SessionKind.NETWORKING, track=make_track(event, name="Networking"))
    exported = calendar.agenda_feed(event, stamp=STAMP)
    fresh = make_event(starts_at=event.starts_at)

    import_calendar(fresh, exported, by=None)

    [session] = sessions(fresh)
    assert (session.kind, session.track.name) == (SessionKind.NETWORKING, "Networking")


def test_left_out_entries_say_where_and_why_in_one_line_each(ctx):
    event = make_event()  # 8 November 2023 in Seoul
    data = ics(
        "BEGIN:VEVENT",
        "UID:holiday",
        "DTSTART;VALUE=DATE:20231225",
        "SUMMARY:Christmas",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "UID:blip",
        "DTSTART:20231108T010000Z",
        "DTEND:20231108T010000Z",
        "RRULE:FREQ=HOURLY;COUNT=2",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "UID:broken",
        "SUMMARY:Broken",
        "DTSTART:20231108T010000Z",
        "DTEND;TZID=Asia/Seoul 20231108T020000",
        "END:VEVENT",
    )

    summary = import_calendar(event, data, by=None, preview=True)

    assert summary.left_out_count == 4
    with force_locale("en"):
        assert [describe_left_out(item) for item in summary.left_out] == [
            "“Broken” (line 19): its DTEND cannot be read",
            "“Christmas” (line 4): it is outside the event's dates",
            "An entry without a title (line 9): it ends when it starts (2 times)",
        ]


def test_refusals_are_one_line_in_the_persons_language(ctx):
    with pytest.raises(CalendarImportError) as refused:
        import_calendar(make_event(), b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n", by=None)

    with force_locale("ko"):
        assert refusal_message(refused.value) == (
            "올바른 캘린더 파일이 아닙니다(BEGIN 또는 END 줄이 없습니다)"
        )
