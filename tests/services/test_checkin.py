from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from eventapp.errors import NotFound
from eventapp.models import (
    RegistrationStatus,
    Role,
    Scan,
    ScanResult,
    db,
)
from eventapp.models.checkin import Attendance
from eventapp.services.badges import BadgeKeys, badge_token, reissue_badge
from eventapp.services.checkin import check_in
from tests.factories import make_account, make_event, make_registration, make_session

KEYS = BadgeKeys.from_secrets("test-secret-key")
NOW = datetime(2023, 11, 8, 0, 30, tzinfo=UTC)


def _scans() -> list[tuple[ScanResult, int | None, str | None]]:
    rows = db.session.scalars(db.select(Scan).order_by(Scan.id)).all()
    return [(s.result, s.registration_id, s.location) for s in rows]


def test_check_in_first_scan_admits_and_second_says_already(ctx):
    staff = make_account(Role.CHECKIN)
    event = make_event()
    registration = make_registration(event)
    token = badge_token(registration, KEYS)

    first = check_in(token, keys=KEYS, by=staff, event_slug=event.slug, location="Door A", now=NOW)
    second = check_in(
        token, keys=KEYS, by=staff, event_slug=event.slug, now=NOW + timedelta(minutes=5)
    )

    assert first.result is ScanResult.CHECKED_IN
    assert first.attendee.registration_id == registration.id
    assert second.result is ScanResult.ALREADY_CHECKED_IN
    assert second.first_checked_in_at == NOW
    assert _scans() == [
        (ScanResult.CHECKED_IN, registration.id, "Door A"),
        (ScanResult.ALREADY_CHECKED_IN, registration.id, None),
    ]


def test_check_in_forged_token_is_invalid_and_recorded(ctx):
    event = make_event()
    token = badge_token(make_registration(event), KEYS)
    forged = token[:-1] + ("A" if token[-1] != "A" else "Q")

    outcome = check_in(forged, keys=KEYS, by=None, event_slug=event.slug)

    assert (outcome.result, outcome.reason, outcome.attendee) == (
        ScanResult.INVALID,
        "malformed",
        None,
    )
    assert _scans() == [(ScanResult.INVALID, None, None)]


def test_check_in_badge_signed_by_another_key_is_invalid(ctx):
    event = make_event()
    token = badge_token(make_registration(event), BadgeKeys.from_secrets("other-deployment"))

    assert check_in(token, keys=KEYS, by=None, event_slug=event.slug).result is ScanResult.INVALID


def test_check_in_badge_of_a_deleted_registration_is_invalid(ctx):
    event = make_event()
    registration = make_registration(event)
    token = badge_token(registration, KEYS)
    db.session.delete(registration)
    db.session.commit()

    outcome = check_in(token, keys=KEYS, by=None, event_slug=event.slug)

    assert (outcome.result, outcome.reason) == (ScanResult.INVALID, "unknown")


def test_check_in_reissued_badge_refuses_the_old_one(ctx):
    event = make_event()
    registration = make_registration(event)
    old_token = badge_token(registration, KEYS)
    reissue_badge(registration)

    old = check_in(old_token, keys=KEYS, by=None, event_slug=event.slug)
    new = check_in(badge_token(registration, KEYS), keys=KEYS, by=None, event_slug=event.slug)

    assert (old.result, old.reason) == (ScanResult.INVALID, "revoked")
    assert new.result is ScanResult.CHECKED_IN


def test_check_in_badge_for_another_event_is_wrong_event(ctx):
    forum, symposium = make_event(), make_event(title="Industry Symposium")
    token = badge_token(make_registration(symposium), KEYS)

    outcome = check_in(token, keys=KEYS, by=None, event_slug=forum.slug)

    assert outcome.result is ScanResult.WRONG_EVENT
    assert outcome.badge_event.title == "Industry Symposium"
    assert db.session.scalar(db.select(db.func.count(Attendance.id))) == 0


@pytest.mark.parametrize("status", [RegistrationStatus.WAITLISTED, RegistrationStatus.CANCELLED])
def test_check_in_unconfirmed_registration_is_not_confirmed(ctx, status):
    event = make_event()
    token = badge_token(make_registration(event, status=status), KEYS)

    outcome = check_in(token, keys=KEYS, by=None, event_slug=event.slug)

    assert outcome.result is ScanResult.NOT_CONFIRMED
    assert outcome.attendee.status is status


def test_check_in_without_event_uses_the_badge_event(ctx):
    event = make_event()
    registration = make_registration(event)

    outcome = check_in(badge_token(registration, KEYS), keys=KEYS, by=None)

    assert outcome.result is ScanResult.CHECKED_IN
    assert db.session.scalar(db.select(Scan.event_id)) == event.id


def test_check_in_at_a_session_is_separate_from_the_door(ctx):
    event = make_event()
    session = make_session(event)
    token = badge_token(make_registration(event), KEYS)

    door = check_in(token, keys=KEYS, by=None, event_slug=event.slug)
    talk = check_in(token, keys=KEYS, by=None, event_slug=event.slug, session_id=session.id)
    again = check_in(token, keys=KEYS, by=None, session_id=session.id)

    assert [door.result, talk.result, again.result] == [
        ScanResult.CHECKED_IN,
        ScanResult.CHECKED_IN,
        ScanResult.ALREADY_CHECKED_IN,
    ]


def test_check_in_session_of_another_event_is_not_found(ctx):
    event = make_event()
    elsewhere = make_session(make_event())
    token = badge_token(make_registration(event), KEYS)

    with pytest.raises(NotFound):
        check_in(token, keys=KEYS, by=None, event_slug=event.slug, session_id=elsewhere.id)


@pytest.mark.parametrize("session_level", [False, True])
def test_attendance_unique_per_registration_and_place_in_the_database(ctx, session_level):
    event = make_event()
    registration = make_registration(event)
    session_id = make_session(event).id if session_level else None
    db.session.add(
        Attendance(event_id=event.id, registration_id=registration.id, session_id=session_id)
    )
    db.session.commit()

    db.session.add(
        Attendance(event_id=event.id, registration_id=registration.id, session_id=session_id)
    )
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_check_in_at_an_unknown_event_is_not_found(ctx):
    token = badge_token(make_registration(make_event()), KEYS)

    with pytest.raises(NotFound):
        check_in(token, keys=KEYS, by=None, event_slug="nowhere")
    with pytest.raises(NotFound):
        check_in("garbage", keys=KEYS, by=None, event_slug="nowhere")


def test_check_in_records_the_scanner_event_for_wrong_and_invalid_badges(ctx):
    forum, symposium = make_event(), make_event()
    token = badge_token(make_registration(symposium), KEYS)

    check_in(token, keys=KEYS, by=None, event_slug=forum.slug)
    check_in("garbage", keys=KEYS, by=None, event_slug=forum.slug)

    assert db.session.scalars(db.select(Scan.event_id)).all() == [forum.id, forum.id]
