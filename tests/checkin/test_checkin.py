from datetime import UTC, datetime, timedelta
from functools import partial

import pytest
from sqlalchemy import event as sqlalchemy_event
from sqlalchemy.exc import IntegrityError

from eventapp.errors import NotAllowed, NotFound
from eventapp.models import (
    RegistrationStatus,
    Role,
    Scan,
    ScanResult,
    SessionSignup,
    SessionStatus,
    db,
)
from eventapp.models.checkin import Attendance
from eventapp.services.checkin import CheckinOutcome, check_in, check_in_by_hand, scan
from eventapp.services.checkin.badges import BadgeKeys, badge_token, reissue_badge
from tests.conftest import ON_POSTGRES
from tests.factories import make_account, make_event, make_registration, make_session

KEYS = BadgeKeys.from_secrets("test-secret-key")
NOW = datetime(2023, 11, 8, 0, 30, tzinfo=UTC)
ONLY_POSTGRES = pytest.mark.skipif(not ON_POSTGRES, reason="the one-statement path is PostgreSQL's")


def _scans() -> list[tuple[ScanResult, int | None, str | None]]:
    rows = db.session.scalars(db.select(Scan).order_by(Scan.id)).all()
    return [(s.result, s.registration_id, s.location) for s in rows]


def test_check_in_first_scan_admits_and_second_says_already(ctx):
    staff = make_account(Role.CHECKIN)
    event = make_event()
    registration = make_registration(event)
    token = badge_token(registration, KEYS)

    first = check_in(
        token, keys=KEYS, staff_id=staff.id, event_slug=event.slug, location="Door A", now=NOW
    )
    second = check_in(
        token, keys=KEYS, staff_id=staff.id, event_slug=event.slug, now=NOW + timedelta(minutes=5)
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

    outcome = check_in(forged, keys=KEYS, staff_id=None, event_slug=event.slug)

    assert (outcome.result, outcome.reason, outcome.attendee) == (
        ScanResult.INVALID,
        "malformed",
        None,
    )
    assert _scans() == [(ScanResult.INVALID, None, None)]


def test_check_in_badge_signed_by_another_key_is_invalid(ctx):
    event = make_event()
    token = badge_token(make_registration(event), BadgeKeys.from_secrets("other-deployment"))

    assert (
        check_in(token, keys=KEYS, staff_id=None, event_slug=event.slug).result
        is ScanResult.INVALID
    )


def test_check_in_badge_of_a_deleted_registration_is_invalid(ctx):
    event = make_event()
    registration = make_registration(event)
    token = badge_token(registration, KEYS)
    db.session.delete(registration)
    db.session.commit()

    outcome = check_in(token, keys=KEYS, staff_id=None, event_slug=event.slug)

    assert (outcome.result, outcome.reason) == (ScanResult.INVALID, "unknown")


def test_check_in_reissued_badge_refuses_the_old_one(ctx):
    event = make_event()
    registration = make_registration(event)
    old_token = badge_token(registration, KEYS)
    reissue_badge(registration)

    old = check_in(old_token, keys=KEYS, staff_id=None, event_slug=event.slug)
    new = check_in(badge_token(registration, KEYS), keys=KEYS, staff_id=None, event_slug=event.slug)

    assert (old.result, old.reason) == (ScanResult.INVALID, "revoked")
    assert new.result is ScanResult.CHECKED_IN


def test_check_in_badge_for_another_event_is_wrong_event(ctx):
    forum, symposium = make_event(), make_event(title="Industry Symposium")
    token = badge_token(make_registration(symposium), KEYS)

    outcome = check_in(token, keys=KEYS, staff_id=None, event_slug=forum.slug)

    assert outcome.result is ScanResult.WRONG_EVENT
    assert outcome.badge_event.title == "Industry Symposium"
    assert db.session.scalar(db.select(db.func.count(Attendance.id))) == 0


@pytest.mark.parametrize("status", [RegistrationStatus.WAITLISTED, RegistrationStatus.CANCELLED])
def test_check_in_unconfirmed_registration_is_not_confirmed(ctx, status):
    event = make_event()
    token = badge_token(make_registration(event, status=status), KEYS)

    outcome = check_in(token, keys=KEYS, staff_id=None, event_slug=event.slug)

    assert outcome.result is ScanResult.NOT_CONFIRMED
    assert outcome.attendee.status is status


def test_check_in_without_event_uses_the_badge_event(ctx):
    event = make_event()
    registration = make_registration(event)

    outcome = check_in(badge_token(registration, KEYS), keys=KEYS, staff_id=None)

    assert outcome.result is ScanResult.CHECKED_IN
    assert db.session.scalar(db.select(Scan.event_id)) == event.id


def test_check_in_at_a_session_is_separate_from_the_door(ctx):
    event = make_event()
    session = make_session(event)
    token = badge_token(make_registration(event), KEYS)

    door = check_in(token, keys=KEYS, staff_id=None, event_slug=event.slug)
    talk = check_in(token, keys=KEYS, staff_id=None, event_slug=event.slug, session_id=session.id)
    again = check_in(token, keys=KEYS, staff_id=None, session_id=session.id)

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
        check_in(token, keys=KEYS, staff_id=None, event_slug=event.slug, session_id=elsewhere.id)


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
        check_in(token, keys=KEYS, staff_id=None, event_slug="nowhere")
    with pytest.raises(NotFound):
        check_in("garbage", keys=KEYS, staff_id=None, event_slug="nowhere")


def test_check_in_records_the_scanner_event_for_wrong_and_invalid_badges(ctx):
    forum, symposium = make_event(), make_event()
    token = badge_token(make_registration(symposium), KEYS)

    check_in(token, keys=KEYS, staff_id=None, event_slug=forum.slug)
    check_in("garbage", keys=KEYS, staff_id=None, event_slug=forum.slug)

    assert db.session.scalars(db.select(Scan.event_id)).all() == [forum.id, forum.id]


@pytest.mark.parametrize("session_level", [False, True])
def test_check_in_by_a_deactivated_account_is_refused_and_records_nothing(ctx, session_level):
    staff = make_account(Role.CHECKIN)
    staff.is_active_account = False
    event = make_event()
    session_id = make_session(event).id if session_level else None
    token = badge_token(make_registration(event), KEYS)

    with pytest.raises(NotAllowed):
        check_in(token, keys=KEYS, staff_id=staff.id, event_slug=event.slug, session_id=session_id)
    db.session.rollback()

    assert _scans() == []
    assert db.session.scalar(db.select(db.func.count(Attendance.id))) == 0


@pytest.mark.parametrize("token", ["valid", "garbage"])
def test_check_in_by_an_unknown_account_is_refused(ctx, token):
    event = make_event()
    if token == "valid":
        token = badge_token(make_registration(event), KEYS)

    with pytest.raises(NotAllowed):
        check_in(token, keys=KEYS, staff_id=424242, event_slug=event.slug)
    db.session.rollback()

    assert _scans() == []


def _statements_during(action) -> list[str]:
    statements: list[str] = []

    def record(conn, cursor, statement, *args) -> None:
        statements.append(statement)

    sqlalchemy_event.listen(db.engine, "before_cursor_execute", record)
    try:
        action()
    finally:
        sqlalchemy_event.remove(db.engine, "before_cursor_execute", record)
    return statements


@ONLY_POSTGRES
@pytest.mark.parametrize("badge", ["first", "again", "forged", "other_event", "waitlisted"])
def test_check_in_on_postgres_is_one_statement(ctx, badge):
    staff = make_account(Role.CHECKIN)
    event, other = make_event(), make_event()
    status = (
        RegistrationStatus.WAITLISTED if badge == "waitlisted" else RegistrationStatus.CONFIRMED
    )
    registration = make_registration(other if badge == "other_event" else event, status=status)
    token = badge_token(registration, KEYS)
    if badge == "again":
        check_in(token, keys=KEYS, staff_id=staff.id, event_slug=event.slug)
    if badge == "forged":
        token = token[:-1] + ("A" if token[-1] != "A" else "Q")
    staff_id, slug = staff.id, event.slug  # loaded now, not inside the count

    statements = _statements_during(
        lambda: check_in(token, keys=KEYS, staff_id=staff_id, event_slug=slug)
    )

    assert len(statements) == 1
    assert statements[0].lstrip().startswith("WITH staff AS")


@ONLY_POSTGRES
def test_check_in_statement_and_rules_must_agree(ctx, monkeypatch):
    event = make_event()
    token = badge_token(make_registration(event), KEYS)
    monkeypatch.setattr(scan, "judge", lambda *args: CheckinOutcome(ScanResult.NOT_CONFIRMED))

    with pytest.raises(RuntimeError, match="checked_in"):
        check_in(token, keys=KEYS, staff_id=None, event_slug=event.slug)
    db.session.rollback()

    assert _scans() == []


@ONLY_POSTGRES
@pytest.mark.parametrize(("durable", "expected"), [(False, "off"), (True, "on")])
def test_scan_commit_waits_for_the_disk_only_when_durable(ctx, monkeypatch, durable, expected):
    event = make_event()
    token = badge_token(make_registration(event), KEYS)
    seen: list[str] = []
    monkeypatch.setattr(
        db.session,
        "commit",
        # The setting the commit will use: read inside the scan's transaction.
        lambda: seen.append(db.session.scalar(db.text("SHOW synchronous_commit"))),
    )

    outcome = check_in(token, keys=KEYS, staff_id=None, event_slug=event.slug, durable=durable)

    assert outcome.result is ScanResult.CHECKED_IN
    assert seen == [expected]
    db.session.rollback()
    # SET LOCAL: the next transaction is back to the server's setting.
    assert db.session.scalar(db.text("SHOW synchronous_commit")) == "on"


def _session_scan(event, session, registration):
    return check_in(
        badge_token(registration, KEYS),
        keys=KEYS,
        staff_id=None,
        event_slug=event.slug,
        session_id=session.id,
        now=NOW,
    )


def _attendances_at(session_id: int) -> int:
    return db.session.scalar(
        db.select(db.func.count(Attendance.id)).where(Attendance.session_id == session_id)
    )


@pytest.mark.parametrize(
    ("session_values", "reason"),
    [
        ({"status": SessionStatus.CANCELLED}, "session_cancelled"),
        ({"is_published": False}, "session_unpublished"),
    ],
    ids=["cancelled", "unpublished"],
)
def test_check_in_at_a_closed_session_is_not_admitted(ctx, session_values, reason):
    event = make_event()
    session = make_session(event, **session_values)
    registration = make_registration(event)

    outcome = _session_scan(event, session, registration)

    assert (outcome.result, outcome.reason) == (ScanResult.NOT_ADMITTED, reason)
    assert outcome.attendee.registration_id == registration.id
    assert _attendances_at(session.id) == 0
    assert _scans() == [(ScanResult.NOT_ADMITTED, registration.id, None)]


@pytest.mark.parametrize(
    "seat", [None, RegistrationStatus.WAITLISTED, RegistrationStatus.CANCELLED]
)
def test_check_in_at_a_session_with_seats_needs_a_seat(ctx, seat):
    event = make_event()
    session = make_session(event, capacity=1)
    registration = make_registration(event)
    if seat is not None:
        db.session.add(SessionSignup(registration=registration, session=session, status=seat))
        db.session.commit()

    outcome = _session_scan(event, session, registration)

    assert (outcome.result, outcome.reason) == (ScanResult.NOT_ADMITTED, "no_seat")
    assert _attendances_at(session.id) == 0


def test_check_in_at_a_session_with_seats_admits_the_seat_holders_only(ctx):
    event = make_event()
    session = make_session(event, capacity=2)
    seated = [make_registration(event) for _ in range(2)]
    others = [make_registration(event) for _ in range(3)]
    for registration in seated:
        db.session.add(SessionSignup(registration=registration, session=session))
    db.session.commit()

    results = [_session_scan(event, session, r).result for r in [*others, *seated, *seated]]

    assert (
        results
        == [ScanResult.NOT_ADMITTED] * 3
        + [ScanResult.CHECKED_IN] * 2
        + [ScanResult.ALREADY_CHECKED_IN] * 2
    )
    assert _attendances_at(session.id) == session.capacity


def test_check_in_at_a_closed_session_still_reports_a_bad_badge_first(ctx):
    event = make_event()
    session = make_session(event, status=SessionStatus.CANCELLED)
    waitlisted = make_registration(event, status=RegistrationStatus.WAITLISTED)

    assert _session_scan(event, session, waitlisted).result is ScanResult.NOT_CONFIRMED
    assert (
        check_in("garbage", keys=KEYS, staff_id=None, session_id=session.id).result
        is ScanResult.INVALID
    )


def test_check_in_by_hand_follows_the_scan_rules_and_records_the_scan(ctx):
    staff = make_account(Role.CHECKIN)
    event = make_event()
    session = make_session(event, capacity=5)
    person = make_registration(event)
    waiting = make_registration(event, status=RegistrationStatus.WAITLISTED)
    by_hand = partial(check_in_by_hand, staff_id=staff.id, event_slug=event.slug, now=NOW)

    first, again = by_hand(person, location="Desk"), by_hand(person)
    no_seat = by_hand(person, session_id=session.id)
    unconfirmed = by_hand(waiting)

    assert [first.result, again.result, no_seat.result, unconfirmed.result] == [
        ScanResult.CHECKED_IN,
        ScanResult.ALREADY_CHECKED_IN,
        ScanResult.NOT_ADMITTED,
        ScanResult.NOT_CONFIRMED,
    ]
    assert _scans() == [
        (ScanResult.CHECKED_IN, person.id, "Desk"),
        (ScanResult.ALREADY_CHECKED_IN, person.id, None),
        (ScanResult.NOT_ADMITTED, person.id, None),
        (ScanResult.NOT_CONFIRMED, waiting.id, None),
    ]


def test_check_in_by_hand_by_a_deactivated_account_is_refused(ctx):
    staff = make_account(Role.CHECKIN)
    staff.is_active_account = False
    event = make_event()

    with pytest.raises(NotAllowed):
        check_in_by_hand(make_registration(event), staff_id=staff.id, event_slug=event.slug)
