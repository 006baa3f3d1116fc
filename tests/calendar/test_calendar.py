"""The calendar service: sessions, the event and registrations mapped to iCalendar."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import icalendar
import vobject

from eventapp.models import RegistrationStatus, SessionKind, SessionStatus, SpeakerRole, db
from eventapp.services import calendar
from tests.factories import (
    link_speaker,
    make_event,
    make_organization,
    make_registration,
    make_room,
    make_session,
    make_signup,
    make_speaker,
    make_track,
    make_venue,
)

STAMP = datetime(2023, 11, 1, tzinfo=UTC)


def events_of(data: bytes) -> list[icalendar.Event]:
    return icalendar.Calendar.from_ical(data).walk("VEVENT")


def test_agenda_feed_maps_session_fields(ctx):
    event = make_event(venue=make_venue(name="Lotte Hotel", address="30 Eulji-ro"))
    room = make_room(event, name="Crystal Ballroom")
    session = make_session(
        event,
        title="Panel discussion (1)",
        title_ko="패널 토론 (1)",
        kind=SessionKind.PANEL,
        room=room,
        track=make_track(event, name="Industry"),
        revision=2,
    )
    org = make_organization(name="KASA")
    link_speaker(
        session,
        make_speaker(given_name="Minji", family_name="Kim", position="Director", organization=org),
        SpeakerRole.MODERATOR,
    )

    [vevent] = events_of(calendar.agenda_feed(event, stamp=STAMP))

    assert str(vevent["uid"]) == session.uid
    assert vevent.decoded("sequence") == 2
    assert str(vevent["summary"]) == "Panel discussion (1)"
    assert str(vevent["location"]) == "Crystal Ballroom, Lotte Hotel, 30 Eulji-ro"
    assert str(vevent["url"]) == f"http://events.example.org/e/{event.slug}/sessions/{session.id}"
    assert vevent.categories == ["Panel discussion", "Industry"]
    assert str(vevent["description"]).split("\n")[-3:] == [
        "패널 토론 (1)",
        "Moderator: Minji Kim (Director, KASA)",
        f"http://events.example.org/e/{event.slug}/sessions/{session.id}",
    ]


def test_agenda_feed_in_korean_swaps_languages(ctx):
    event = make_event()
    session = make_session(event, title="Opening remarks", title_ko="개회사")
    link_speaker(session, make_speaker(given_name="Jong-ho", family_name="Lee", name_alt="이종호"))

    [vevent] = events_of(calendar.agenda_feed(event, language="ko", stamp=STAMP))

    assert str(vevent["summary"]) == "개회사"
    assert vevent["summary"].params["LANGUAGE"] == "ko"
    description = str(vevent["description"])
    assert "Opening remarks" in description.split("\n")
    assert any(line.endswith("이종호 (Director)") for line in description.split("\n"))


def test_agenda_feed_leaves_out_unpublished_and_marks_cancelled(ctx):
    event = make_event()
    shown = make_session(event, title="Shown")
    make_session(event, title="Hidden", is_published=False)
    cancelled = make_session(event, title="Off", status=SessionStatus.CANCELLED)

    vevents = events_of(calendar.agenda_feed(event, stamp=STAMP))

    assert {str(v["uid"]): str(v["status"]) for v in vevents} == {
        shown.uid: "CONFIRMED",
        cancelled.uid: "CANCELLED",
    }


def test_personal_feed_has_event_and_chosen_sessions_only(ctx):
    event = make_event()
    chosen = make_session(event, capacity=20)
    make_session(event, capacity=20)
    registration = make_registration(event, locale="ko")
    make_signup(registration, chosen)

    data = calendar.personal_feed(registration, stamp=STAMP)

    vevents = events_of(data)
    assert [str(v["uid"]) for v in vevents] == [calendar.event_uid(event), chosen.uid]
    assert str(vevents[0]["summary"]) == event.title_ko
    assert vobject.readOne(data.decode()).vevent.summary.value == event.title_ko


def test_personal_feed_of_waitlisted_is_tentative_and_cancelled_is_cancelled(ctx):
    event = make_event()
    session = make_session(event, capacity=5)
    registration = make_registration(event, status=RegistrationStatus.WAITLISTED)
    make_signup(registration, session)

    tentative = {str(v["status"]) for v in events_of(calendar.personal_feed(registration))}
    registration.status = RegistrationStatus.CANCELLED
    cancelled = {str(v["status"]) for v in events_of(calendar.personal_feed(registration))}

    assert (tentative, cancelled) == ({"TENTATIVE"}, {"CANCELLED"})


def test_personal_version_changes_with_registration_and_seats(ctx):
    event = make_event()
    session = make_session(event, capacity=5)
    registration = make_registration(event)
    before = calendar.personal_version(registration)

    make_signup(registration, session)
    after_signup = calendar.personal_version(registration)

    assert before.etag != after_signup.etag
    assert calendar.personal_version(registration).etag == after_signup.etag


def test_feed_version_differs_by_language_and_follows_changes(ctx):
    event = make_event()
    session = make_session(event)
    english = calendar.feed_version(event, language="en")

    korean = calendar.feed_version(event, language="ko")
    session.revision += 1
    session.updated_at = session.updated_at + timedelta(minutes=1)
    db.session.commit()

    assert english.etag != korean.etag
    assert calendar.feed_version(event, language="en").etag != english.etag


def test_event_uid_is_stable(ctx):
    event = make_event()

    assert calendar.event_uid(event) == calendar.event_uid(event)
    assert calendar.event_uid(event) != calendar.event_uid(make_event())
