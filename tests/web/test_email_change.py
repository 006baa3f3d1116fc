"""An attendee changes their email without losing their seat: the new address confirms by a
link sent to it, the old one is told (#22)."""

import re
from datetime import timedelta
from email import message_from_string
from email.policy import default

import pytest

from eventapp.errors import NotFound
from eventapp.models import OutboxMessage, Registration, RegistrationStatus, db, utcnow
from eventapp.services.registration import email_change
from tests.factories import make_event, make_registration, make_session, make_signup


def _setup(app):
    with app.app_context():
        event = make_event(capacity=1)
        session = make_session(event, capacity=1, is_published=True)
        registration = make_registration(event, email="old@example.org")
        make_signup(registration, session)
        make_registration(event, email="taken@example.org", status=RegistrationStatus.WAITLISTED,
                          waitlisted_at=utcnow())  # fmt: skip
        return registration.manage_token, registration.id


def _mail(app, kind):
    with app.app_context():
        message = db.session.scalars(
            db.select(OutboxMessage).where(OutboxMessage.kind == kind).order_by(OutboxMessage.id)
        ).all()[-1]
        return message_from_string(message.raw, policy=default)


def _link(mail):
    text = mail.get_body(("plain",)).get_content()
    return re.search(r"https?://\S+/email/confirm\?change=\S+", text).group(0)


def _registration(app, registration_id):
    with app.app_context():
        registration = db.session.get(Registration, registration_id)
        return registration.email, registration.status, [s.status for s in registration.signups]


def test_the_new_address_confirms_and_the_seat_stays(app, client):
    token, registration_id = _setup(app)
    before = _registration(app, registration_id)

    asked = client.post(f"/me/{token}/email", data={"email": " New@Example.org "})
    link_mail = _mail(app, "email_change")
    link = _link(link_mail)
    path = link.split("//", 1)[1].split("/", 1)[1]
    page = client.get("/" + path)

    assert asked.headers["Location"] == f"/me/{token}"
    assert link_mail["To"].addresses[0].addr_spec == "new@example.org"
    assert f"/me/{token}\n" not in link_mail.get_body(("plain",)).get_content()  # no manage link
    assert "Use new@example.org for your registration from now on?" in page.get_data(as_text=True)
    assert _registration(app, registration_id)[0] == "old@example.org"  # a GET changes nothing

    done = client.post("/" + path)
    again = client.get("/" + path)

    assert done.headers["Location"] == f"/me/{token}"
    assert _registration(app, registration_id) == ("new@example.org", *before[1:])
    told = _mail(app, "email_changed")
    assert told["To"].addresses[0].addr_spec == "old@example.org"
    assert "is now new@example.org" in told.get_body(("plain",)).get_content()
    assert again.status_code == 404  # the link worked once
    assert "expired or was already used" in again.get_data(as_text=True)


def test_bad_addresses_are_refused_next_to_the_field_and_nothing_is_sent(app, client):
    token, _ = _setup(app)

    for value in ("not-an-address", "old@example.org", "", "x" * 300 + "@example.org"):
        response = client.post(f"/me/{token}/email", data={"email": value})
        assert response.status_code == 400, value
        assert 'id="email-error"' in response.get_data(as_text=True)
    with app.app_context():
        kinds = db.session.scalars(db.select(OutboxMessage.kind)).all()
        assert "email_change" not in kinds


def test_an_address_registered_by_someone_else_is_refused_at_confirmation(app, client):
    token, registration_id = _setup(app)
    client.post(f"/me/{token}/email", data={"email": "taken@example.org"})
    path = "/" + _link(_mail(app, "email_change")).split("//", 1)[1].split("/", 1)[1]

    response = client.post(path)

    assert response.headers["Location"] == f"/me/{token}"
    assert _registration(app, registration_id)[0] == "old@example.org"
    page = client.get(f"/me/{token}").get_data(as_text=True)
    assert "taken@example.org is already registered for this event." in page


def test_a_forged_expired_or_foreign_link_changes_nothing(app, client):
    token, registration_id = _setup(app)
    with app.app_context():
        other = make_registration(db.session.get(Registration, registration_id).event)
        other_token = other.manage_token
    client.post(f"/me/{token}/email", data={"email": "new@example.org"})
    change = _link(_mail(app, "email_change")).split("change=", 1)[1]

    forged = client.post(f"/me/{token}/email/confirm?change={change[:-2]}xx")
    foreign = client.post(f"/me/{other_token}/email/confirm?change={change}")
    with app.app_context():
        registration = db.session.get(Registration, registration_id)
        later = utcnow() + email_change.LINK_LIFETIME + timedelta(minutes=1)
        with pytest.raises(NotFound):
            email_change.confirm_change(registration, change, now=later)

    assert forged.status_code == 404
    assert foreign.status_code == 404
    assert _registration(app, registration_id)[0] == "old@example.org"
