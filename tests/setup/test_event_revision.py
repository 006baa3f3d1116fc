"""The event's own calendar entry: its revision (SEQUENCE) and the updates an organizer's
change of time, zone or venue sends to confirmed registrants."""

from __future__ import annotations

import email
import threading
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from email.policy import default

import icalendar
import pytest

from eventapp.models import Event, OutboxMessage, RegistrationStatus, Role, db
from eventapp.services.calendar import event_uid, invitations, personal_feed
from eventapp.services.setup import events
from eventapp.web.lookups import published_event_or_404
from tests.factories import make_account, make_event, make_registration, make_venue

NOW = datetime(2023, 11, 2, 8, 0, tzinfo=UTC)


def data_of(event, **changes):
    """The event's current values as the back office form would send them, with `changes`."""
    values = events.EventData(
        slug=event.slug,
        acronym=event.acronym,
        title=event.title,
        title_ko=event.title_ko,
        summary=event.summary,
        summary_ko=event.summary_ko,
        timezone=event.timezone,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        capacity=event.capacity,
        contact_email=event.contact_email,
        is_published=event.is_published,
        venue_id=event.venue_id,
    )
    return replace(values, **changes)


def calendar_of(message: OutboxMessage) -> tuple[str, icalendar.Event]:
    parsed = email.message_from_string(message.raw, policy=default)
    [part] = [p for p in parsed.walk() if p.get_content_type() == "text/calendar"]
    calendar = icalendar.Calendar.from_ical(part.get_content())
    assert part.get_param("method") == str(calendar["method"])
    return str(calendar["method"]), calendar.walk("VEVENT")[0]


def outbox() -> list[OutboxMessage]:
    return list(db.session.scalars(db.select(OutboxMessage).order_by(OutboxMessage.id)))


def event_vevent(ics: bytes, uid: str) -> icalendar.Event:
    [vevent] = [e for e in icalendar.Calendar.from_ical(ics).walk("VEVENT") if e["uid"] == uid]
    return vevent


@pytest.fixture
def registered(ctx):
    """A published event with two confirmed registrants (one Korean), one on the waiting
    list and one who cancelled."""
    event = make_event()
    confirmed = [make_registration(event), make_registration(event, locale="ko")]
    make_registration(event, status=RegistrationStatus.WAITLISTED)
    make_registration(event, status=RegistrationStatus.CANCELLED)
    return event, confirmed


def test_moving_the_event_queues_requests_with_its_new_revision(registered):
    event, confirmed = registered
    new_start = event.starts_at + timedelta(days=1)
    new_end = event.ends_at + timedelta(days=1)

    events.update_event(
        event, data_of(event, starts_at=new_start, ends_at=new_end), by=make_account(), now=NOW
    )

    assert event.revision == 1
    messages = outbox()
    assert sorted(m.to_address for m in messages) == sorted(r.email for r in confirmed)
    for message in messages:
        method, vevent = calendar_of(message)
        assert (method, str(vevent["uid"]), vevent.decoded("sequence")) == (
            "REQUEST",
            event_uid(event),
            1,
        )
        assert vevent.decoded("dtstart").astimezone(UTC) == new_start
        assert vevent.decoded("dtend").astimezone(UTC) == new_end
        assert message.kind == "update"


def test_update_email_is_in_the_registrants_language(registered):
    event, confirmed = registered
    korean = confirmed[1]

    events.update_event(
        event, data_of(event, ends_at=event.ends_at + timedelta(hours=1)), by=None, now=NOW
    )

    [message] = [m for m in outbox() if m.to_address == korean.email]
    parsed = email.message_from_string(message.raw, policy=default)
    assert parsed["Subject"] == f"행사 변경 안내: {event.title_ko}"
    text = parsed.get_body(("plain",)).get_content()
    assert (
        text.splitlines()[0]
        == "행사 정보가 변경되었습니다. 첨부된 초대장을 열어 캘린더를 업데이트해 주세요."
    )
    assert "일시: 2023-11-08 09:00 - 19:00 (Asia/Seoul)" in text.splitlines()


def test_every_change_raises_the_sequence_again(registered):
    event, _ = registered

    events.update_event(event, data_of(event, timezone="America/New_York"), by=None, now=NOW)
    events.update_event(event, data_of(event, timezone="Asia/Seoul"), by=None, now=NOW)

    sequences = [calendar_of(m)[1].decoded("sequence") for m in outbox()]
    assert event.revision == 2
    assert sequences == [1, 1, 2, 2]


def test_a_new_venue_is_in_the_update(registered):
    event, _ = registered
    event.venue = make_venue(name="Conrad Seoul")
    db.session.commit()
    assert event.venue.name == "Conrad Seoul"  # loaded before the change
    venue = make_venue(name="Lotte Hotel Seoul")

    events.update_event(event, data_of(event, venue_id=venue.id), by=None, now=NOW)

    _, vevent = calendar_of(outbox()[0])
    assert event.revision == 1
    assert str(vevent["location"]).startswith("Lotte Hotel Seoul")


def test_an_event_loaded_with_its_venue_by_the_public_lookup_can_be_moved(registered):
    # The public lookup loads the venue by an outer join; locking the event for the update
    # must lock the event's row only (PostgreSQL refuses the nullable side of a join).
    event, _ = registered
    event.venue = make_venue(name="Conrad Seoul")
    db.session.commit()
    slug, venue_id = event.slug, make_venue(name="Lotte Hotel Seoul").id
    db.session.expunge_all()
    event = published_event_or_404(slug)
    assert "venue" in event.__dict__  # loaded with the event

    events.update_event(event, data_of(event, venue_id=venue_id), by=None, now=NOW)

    assert event.venue.name == "Lotte Hotel Seoul"
    _, vevent = calendar_of(outbox()[0])
    assert str(vevent["location"]).startswith("Lotte Hotel Seoul")


def test_text_changes_keep_the_revision_and_send_nothing(registered):
    event, _ = registered

    events.update_event(
        event, data_of(event, title="Renamed", summary="New words"), by=None, now=NOW
    )

    assert (event.title, event.revision, outbox()) == ("Renamed", 0, [])


def test_unpublished_event_is_revised_without_emails(ctx):
    event = make_event(is_published=False)
    make_registration(event)

    events.update_event(
        event, data_of(event, ends_at=event.ends_at + timedelta(hours=1)), by=None, now=NOW
    )

    assert (event.revision, outbox()) == (1, [])


def test_personal_feed_and_invitations_carry_the_revision(registered):
    event, confirmed = registered
    events.update_event(
        event, data_of(event, ends_at=event.ends_at + timedelta(hours=1)), by=None, now=NOW
    )
    uid = event_uid(event)

    feed = event_vevent(personal_feed(confirmed[0]), uid)
    confirmation = event_vevent(invitations.confirmation_calendar(confirmed[0]).ics, uid)
    cancellation = event_vevent(invitations.cancellation_calendar(confirmed[0]).ics, uid)

    assert event.revision == 1
    assert feed.decoded("sequence") == 1
    assert confirmation.decoded("sequence") == 1
    # The attendee's own CANCEL goes out above the REQUEST they hold (#22).
    assert cancellation.decoded("sequence") == 2


def test_organizer_moving_the_event_in_the_back_office_notifies_registrants(app, client, login_as):
    with app.app_context():
        event = make_event()
        registration = make_registration(event)
        slug, address = event.slug, registration.email
    login_as(Role.ORGANIZER)

    response = client.post(
        f"/admin/events/{slug}/edit",
        data={
            "slug": slug,
            "acronym": "forum",
            "title": "Moved Forum",
            "timezone": "Asia/Seoul",
            "starts_at": "2023-11-09T09:00",
            "ends_at": "2023-11-09T18:00",
            "is_published": "y",
        },
    )

    assert response.status_code == 302
    with app.app_context():
        [message] = outbox()
        _, vevent = calendar_of(message)
        assert message.to_address == address
        assert vevent.decoded("sequence") == 1
        assert vevent.decoded("dtstart").astimezone(UTC) == datetime(2023, 11, 9, 0, tzinfo=UTC)


@pytest.mark.postgres
def test_concurrent_moves_get_consecutive_revisions(app):
    with app.app_context():
        event_id = make_event().id
    locked, done = threading.Event(), threading.Event()
    result: dict[str, int] = {}

    def organizer_b() -> None:
        with app.app_context():
            event = db.session.get(Event, event_id)
            data = data_of(event, ends_at=event.ends_at + timedelta(hours=1))
            assert event.revision == 0  # loaded before the other change commits
            locked.wait(5)
            events.update_event(event, data, by=None)
            result["b"] = event.revision
            db.session.remove()
        done.set()

    worker = threading.Thread(target=organizer_b)
    worker.start()
    with app.app_context(), db.engine.connect() as connection:
        table = Event.__table__
        connection.execute(db.select(table.c.id).where(table.c.id == event_id).with_for_update())
        locked.set()
        assert not done.wait(0.5)  # B waits for our row lock
        connection.execute(
            table.update().where(table.c.id == event_id).values(revision=table.c.revision + 1)
        )
        connection.commit()
    worker.join(10)

    assert result == {"b": 2}
