"""Organizers' changes to sessions: revision, audit log and updates through the outbox."""

from __future__ import annotations

import email
import threading
from datetime import UTC, datetime, timedelta
from email.policy import default

import icalendar
import pytest

from eventapp.errors import InvalidInput
from eventapp.models import (
    AgendaSession,
    AuditEntry,
    OutboxMessage,
    RegistrationStatus,
    Role,
    SessionStatus,
    db,
)
from eventapp.services.agenda.scheduling import change_session
from tests.factories import (
    make_account,
    make_event,
    make_registration,
    make_room,
    make_session,
    make_signup,
)

NOW = datetime(2023, 11, 2, 8, 0, tzinfo=UTC)


def calendar_of(message: OutboxMessage) -> tuple[str, icalendar.Event]:
    parsed = email.message_from_string(message.raw, policy=default)
    [part] = [p for p in parsed.walk() if p.get_content_type() == "text/calendar"]
    calendar = icalendar.Calendar.from_ical(part.get_content())
    assert part.get_param("method") == str(calendar["method"])
    return str(calendar["method"]), calendar.walk("VEVENT")[0]


def outbox() -> list[OutboxMessage]:
    return list(db.session.scalars(db.select(OutboxMessage).order_by(OutboxMessage.id)))


@pytest.fixture
def seated(ctx):
    """An event, a session with a capacity, two seated attendees and one bystander."""
    event = make_event()
    session = make_session(event, capacity=50, revision=1)
    seated = [make_registration(event), make_registration(event, locale="ko")]
    for registration in seated:
        make_signup(registration, session)
    make_registration(event)  # registered, but no seat in this session
    waiting = make_registration(event, status=RegistrationStatus.WAITLISTED)
    make_signup(waiting, session)
    return event, session, seated


def test_moving_a_session_bumps_revision_and_queues_requests_with_higher_sequence(seated):
    event, session, people = seated
    organizer = make_account(Role.ORGANIZER)
    new_start = session.starts_at + timedelta(hours=2)

    result = change_session(
        session, by=organizer, now=NOW, starts_at=new_start, ends_at=new_start + timedelta(hours=1)
    )

    assert (result.revised, result.notified, session.revision) == (True, 2, 2)
    messages = outbox()
    assert sorted(m.to_address for m in messages) == sorted(p.email for p in people)
    for message in messages:
        method, vevent = calendar_of(message)
        assert (method, str(vevent["uid"]), vevent.decoded("sequence")) == (
            "REQUEST",
            session.uid,
            2,
        )
        assert vevent.decoded("dtstart") == new_start
        assert message.kind == "update"
    assert session.updated_at == NOW
    assert event.updated_at == NOW


def test_update_email_is_in_the_registrants_language(seated):
    _event, session, people = seated

    change_session(session, by=None, now=NOW, room=make_room(session.event))

    korean = next(m for m in outbox() if m.to_address == people[1].email)
    _method, vevent = calendar_of(korean)
    assert str(vevent["summary"]) == session.title_ko


def test_cancelling_a_session_sends_cancel(seated):
    _event, session, _people = seated

    change_session(session, by=None, now=NOW, status=SessionStatus.CANCELLED)

    methods = {calendar_of(m)[0] for m in outbox()}
    statuses = {str(calendar_of(m)[1]["status"]) for m in outbox()}
    assert (methods, statuses, session.revision) == ({"CANCEL"}, {"CANCELLED"}, 2)


def test_title_change_keeps_revision_and_sends_nothing_but_is_audited(seated):
    _event, session, _people = seated
    organizer = make_account(Role.ORGANIZER)

    result = change_session(session, by=organizer, now=NOW, title="New title")

    assert (result.changed, result.revised, session.revision, outbox()) == (
        ("title",),
        False,
        1,
        [],
    )
    [entry] = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "session.update"))
    assert (entry.account_id, entry.target) == (organizer.id, f"agenda_sessions:{session.id}")
    assert entry.details["title"][1] == "New title"


def test_no_change_writes_nothing(seated):
    _event, session, _people = seated

    result = change_session(session, by=None, now=NOW, title=session.title)

    assert (result.changed, session.revision, outbox()) == ((), 1, [])
    assert db.session.scalars(db.select(AuditEntry)).all() == []


def test_end_before_start_is_refused_and_changes_nothing(seated):
    _event, session, _people = seated
    before = (session.starts_at, session.revision)

    with pytest.raises(InvalidInput):
        change_session(session, by=None, ends_at=session.starts_at - timedelta(minutes=1))

    assert (session.starts_at, session.revision) == before
    assert outbox() == []


def test_unknown_field_and_foreign_room_are_refused(seated):
    _event, session, _people = seated

    with pytest.raises(InvalidInput):
        change_session(session, by=None, uid="x")
    with pytest.raises(InvalidInput):
        change_session(session, by=None, room=make_room(make_event()))


def test_unpublished_session_changes_quietly(seated):
    _event, session, _people = seated
    session.is_published = False
    db.session.commit()

    result = change_session(
        session,
        by=None,
        now=NOW,
        starts_at=session.starts_at + timedelta(hours=1),
        ends_at=session.ends_at + timedelta(hours=1),
    )

    assert (result.revised, result.notified, outbox()) == (True, 0, [])


@pytest.mark.postgres
def test_concurrent_changes_get_consecutive_revisions(app):
    with app.app_context():
        event = make_event()
        session_id = make_session(event).id
    locked, done = threading.Event(), threading.Event()
    result: dict[str, int] = {}

    def organizer_b() -> None:
        with app.app_context():
            session = db.session.get(AgendaSession, session_id)
            assert session.revision == 0  # loaded before the other change commits
            locked.wait(5)
            change_session(session, by=None, status=SessionStatus.CANCELLED)
            result["b"] = session.revision
            db.session.remove()
        done.set()

    worker = threading.Thread(target=organizer_b)
    worker.start()
    with app.app_context(), db.engine.connect() as connection:
        table = AgendaSession.__table__
        connection.execute(db.select(table.c.id).where(table.c.id == session_id).with_for_update())
        locked.set()
        assert not done.wait(0.5)  # B waits for our row lock
        connection.execute(
            table.update().where(table.c.id == session_id).values(revision=table.c.revision + 1)
        )
        connection.commit()
    worker.join(10)

    assert result == {"b": 2}


def test_unpublishing_a_session_cancels_it_in_calendars(seated):
    _event, session, _people = seated

    result = change_session(session, by=None, now=NOW, is_published=False)

    assert (result.revised, result.notified, session.revision) == (True, 2, 2)
    assert {calendar_of(m)[0] for m in outbox()} == {"CANCEL"}


def _text_of(message: OutboxMessage) -> str:
    parsed = email.message_from_string(message.raw, policy=default)
    return parsed.get_body(preferencelist=("plain",)).get_content()


def test_update_email_greets_by_name_and_says_the_old_time_and_room(seated):
    event, session, people = seated
    session.room = make_room(event, name="Hall A", name_ko="A홀")
    db.session.commit()
    new_start = session.starts_at + timedelta(hours=2)

    change_session(
        session,
        by=None,
        now=NOW,
        starts_at=new_start,
        ends_at=new_start + timedelta(hours=1),
        room=make_room(event, name="Hall B"),
    )

    english = next(m for m in outbox() if m.to_address == people[0].email)
    text = _text_of(english)
    assert text.startswith(f"Hello {people[0].name},")
    seoul = session.starts_at.astimezone(event.zone)
    old = (seoul - timedelta(hours=2)).strftime("%Y-%m-%d %H:%M")
    assert f"Before: {old} - " in text
    assert "Room before: Hall A" in text
    korean = _text_of(next(m for m in outbox() if m.to_address == people[1].email))
    assert "A홀" in korean


def test_update_email_says_nothing_about_what_did_not_change(seated):
    _event, session, people = seated
    new_start = session.starts_at + timedelta(hours=2)

    change_session(
        session, by=None, now=NOW, starts_at=new_start, ends_at=new_start + timedelta(hours=1)
    )

    text = _text_of(next(m for m in outbox() if m.to_address == people[0].email))
    assert "Before: " in text
    assert "Room before" not in text


def test_update_email_in_korean_says_what_changed_in_korean(seated):
    _event, session, people = seated
    new_start = session.starts_at + timedelta(hours=2)

    change_session(
        session, by=None, now=NOW, starts_at=new_start, ends_at=new_start + timedelta(hours=1)
    )

    text = _text_of(next(m for m in outbox() if m.to_address == people[1].email))
    assert "변경 전 일시: " in text
    assert "님, 안녕하세요." in text.splitlines()[0]
