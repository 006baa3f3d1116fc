"""`insert_row`: one INSERT without the unit of work, the object persistent afterwards."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, select
from sqlalchemy.exc import IntegrityError

from eventapp.models import (
    Category,
    OutboxMessage,
    Registration,
    RegistrationStatus,
    db,
    insert_row,
)
from tests.factories import make_event, make_registration


def _registration(event: object, email: str = "minji@example.org") -> Registration:
    return Registration(
        event=event,
        email=email,
        given_name="민지",
        family_name="Kim",
        category=Category.ACADEMIA,
        status=RegistrationStatus.WAITLISTED,
    )


def test_the_row_is_written_and_the_object_is_persistent_with_its_key(ctx: object) -> None:
    event = make_event()
    registration = _registration(event)
    insert_row(registration)
    assert registration.id is not None
    state = inspect(registration)
    assert state.persistent
    assert not db.session.dirty
    assert not db.session.new
    registration_id, event_id = registration.id, event.id
    db.session.commit()
    db.session.expunge_all()
    stored = db.session.get(Registration, registration_id)
    assert (stored.event_id, stored.email, stored.given_name) == (
        event_id,
        "minji@example.org",
        "민지",
    )
    assert stored.status is RegistrationStatus.WAITLISTED
    assert stored.category is Category.ACADEMIA


def test_unset_columns_get_their_defaults(ctx: object) -> None:
    event = make_event()
    registration = _registration(event)
    insert_row(registration)
    db.session.commit()
    # Defaults from the model: a token, the badge serial, the timestamps.
    assert len(registration.manage_token) >= 32
    assert registration.badge_serial == 1
    assert registration.created_at is not None
    assert registration.updated_at is not None
    assert registration.locale == "en"


def test_a_reference_to_an_object_gives_the_foreign_key(ctx: object) -> None:
    registration = make_registration(make_event())
    message = OutboxMessage(
        kind="confirmation",
        registration=registration,
        to_address=registration.email,
        subject="Registered",
        message_id="<test-insert-row@example.org>",
        raw="Subject: Registered\r\n\r\nHello\r\n",
    )
    insert_row(message)
    message_id, registration_id = message.id, registration.id
    db.session.commit()
    db.session.expunge_all()
    stored = db.session.scalar(select(OutboxMessage).where(OutboxMessage.id == message_id))
    assert stored.registration_id == registration_id


def test_later_changes_to_the_object_are_flushed_as_an_update(ctx: object) -> None:
    event = make_event()
    registration = _registration(event)
    insert_row(registration)
    registration.job_title = "Engineer"
    registration_id = registration.id
    db.session.commit()
    db.session.expunge_all()
    assert db.session.get(Registration, registration_id).job_title == "Engineer"
    assert db.session.scalar(select(db.func.count(Registration.id))) == 1


def test_a_violated_constraint_raises_and_the_rollback_leaves_nothing(ctx: object) -> None:
    event = make_event()
    make_registration(event, email="minji@example.org")
    with pytest.raises(IntegrityError):
        insert_row(_registration(event))
    db.session.rollback()
    assert db.session.scalar(select(db.func.count(Registration.id))) == 1


def test_a_reference_to_an_object_not_yet_written_is_refused(ctx: object) -> None:
    event = make_event()
    registration = _registration(event)  # not in the database: it has no id
    message = OutboxMessage(
        kind="confirmation",
        registration=registration,
        to_address=registration.email,
        subject="Registered",
        message_id="<test-insert-row-2@example.org>",
        raw="Subject: Registered\r\n\r\nHello\r\n",
    )
    with pytest.raises(ValueError, match="registration is not in the database"):
        insert_row(message)
    db.session.rollback()
    assert db.session.scalar(select(db.func.count(OutboxMessage.id))) == 0
