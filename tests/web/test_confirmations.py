"""One-click actions with consequences ask first and say how many people will be told:
restoring a session (it mails every seat holder) and giving up a seat on /me (#22)."""

import pytest

from eventapp.models import (
    OutboxMessage,
    RegistrationStatus,
    Role,
    SessionSignup,
    SessionStatus,
    db,
    utcnow,
)
from tests.factories import make_event, make_registration, make_session, make_signup


@pytest.fixture
def seated(app):
    """A session with a capacity of 2: two seat holders and one person waiting."""
    with app.app_context():
        event = make_event()
        session = make_session(event, capacity=2, is_published=True, title="Panel A")
        holders = [make_registration(event) for _ in range(2)]
        for registration in holders:
            make_signup(registration, session)
        waiting = make_registration(event)
        make_signup(waiting, session, status=RegistrationStatus.WAITLISTED, waitlisted_at=utcnow())
        return {
            "slug": event.slug,
            "event_id": event.id,
            "session": session.id,
            "holder": holders[0].manage_token,
            "waiting": waiting.id,
        }


def _outbox(app):
    with app.app_context():
        return db.session.scalar(db.select(db.func.count(OutboxMessage.id)))


def _signup_status(app, registration_id, session_id):
    with app.app_context():
        return db.session.scalar(
            db.select(SessionSignup.status).where(
                SessionSignup.registration_id == registration_id,
                SessionSignup.session_id == session_id,
            )
        )


def test_cancelling_a_session_says_how_many_people_are_told(app, client, login_as, seated):
    login_as(Role.ORGANIZER)
    url = f"/admin/events/{seated['slug']}/sessions/{seated['session']}/cancel"

    page = client.get(url).get_data(as_text=True)

    assert "2 people have it in their calendars and get a cancellation." in page


def test_restoring_a_session_asks_first_and_says_how_many_people_are_told(
    app, client, login_as, seated
):
    login_as(Role.ORGANIZER)
    url = f"/admin/events/{seated['slug']}/sessions/{seated['session']}"
    client.post(f"{url}/cancel")
    sent = _outbox(app)

    edit = client.get(f"{url}/edit").get_data(as_text=True)
    asked = client.get(f"{url}/restore")
    korean = client.get(f"{url}/restore", headers={"Accept-Language": "ko"})

    assert f'href="{url}/restore"' in edit
    page = asked.get_data(as_text=True)
    assert asked.status_code == 200
    assert "Restore this session?" in page
    assert "2 people holding seats get it back in their calendars, by email." in page
    assert "2명" in korean.get_data(as_text=True)
    assert _outbox(app) == sent  # asking changed nothing
    with app.app_context():
        from eventapp.models import AgendaSession

        assert db.session.get(AgendaSession, seated["session"]).status is SessionStatus.CANCELLED

    done = client.post(f"{url}/restore")

    assert done.headers["Location"] == f"{url}/edit"
    assert _outbox(app) == sent + 2
    with app.app_context():
        assert db.session.get(AgendaSession, seated["session"]).status is SessionStatus.CONFIRMED


def test_giving_up_a_seat_on_me_asks_first_and_names_who_is_waiting(app, client, seated):
    token = seated["holder"]

    # Every box unticked: the browser sends only the CSRF token (off in tests; a blank
    # field stands in for it, or the form would keep the current choices).
    asked = client.post(f"/me/{token}/sessions", data={"give_up": ""})

    page = asked.get_data(as_text=True)
    assert asked.status_code == 200
    assert "Give up your seat?" in page
    assert "Panel A" in page
    assert "1 person is waiting for it: the first one gets your seat and an email." in page
    assert 'name="give_up" value="yes"' in page
    assert _signup_status(app, seated["waiting"], seated["session"]) is (
        RegistrationStatus.WAITLISTED
    )

    confirmed = client.post(f"/me/{token}/sessions", data={"give_up": "yes"})

    assert confirmed.headers["Location"] == f"/me/{token}"
    assert _signup_status(app, seated["waiting"], seated["session"]) is (
        RegistrationStatus.CONFIRMED
    )


def test_keeping_every_seat_saves_without_asking(app, client, seated):
    token = seated["holder"]

    response = client.post(f"/me/{token}/sessions", data={"sessions": seated["session"]})

    assert response.headers["Location"] == f"/me/{token}"
