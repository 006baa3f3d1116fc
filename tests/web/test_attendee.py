"""Self-service at /me/<token>: status, sessions, details, cancel, export, delete."""

import json
import re
from datetime import timedelta

import pytest

from eventapp.models import (
    Category,
    OutboxMessage,
    Registration,
    RegistrationStatus,
    SessionStatus,
    db,
)
from eventapp.services.agenda import scheduling
from eventapp.services.registration import changes, register
from tests.factories import (
    SEOUL_MORNING,
    make_event,
    make_registration,
    make_registration_data,
    make_session,
)

NOW = SEOUL_MORNING - timedelta(days=5)


@pytest.fixture
def setup(app):
    """An event (capacity 1) with a panel (capacity 1); one confirmed and one waiting."""
    with app.app_context():
        event = make_event(capacity=1)
        panel = make_session(event, capacity=1, title="Panel A")
        first = register(event, make_registration_data("first@example.org"), now=NOW)
        second = register(event, make_registration_data("second@example.org"), now=NOW)
        return {
            "slug": event.slug,
            "panel": panel.id,
            "first": first.registration.manage_token,
            "second": second.registration.manage_token,
        }


def _registration(app, token):
    with app.app_context():
        return db.session.scalar(db.select(Registration).where(Registration.manage_token == token))


def _signups(app, token):
    with app.app_context():
        registration = db.session.scalar(
            db.select(Registration).where(Registration.manage_token == token)
        )
        return [(s.session_id, s.status.value) for s in registration.signups]


def _kinds(app):
    with app.app_context():
        return db.session.scalars(db.select(OutboxMessage.kind).order_by(OutboxMessage.id)).all()


def test_manage_page_shows_status_and_is_private(client, setup):
    response = client.get(f"/me/{setup['first']}")

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Confirmed" in html
    assert "first@example.org" in html
    assert "Panel A (1 seats left)" in html
    assert response.headers["Cache-Control"] == "no-store"
    assert "noindex" in response.headers["X-Robots-Tag"]


def test_manage_page_shows_waitlist_position(client, setup):
    html = client.get(f"/me/{setup['second']}").get_data(as_text=True)

    assert "Your place on the waiting list: 1." in html


@pytest.mark.parametrize("suffix", ["", "/cancel", "/details", "/delete", "/data.json"])
def test_wrong_token_gets_a_404_page_saying_how_to_get_the_link(client, setup, suffix):
    wrong = setup["first"][:-4] + "abcd"

    response = client.get(f"/me/{wrong}{suffix}")

    assert response.status_code == 404
    assert "This link does not open a registration" in response.get_data(as_text=True)


def test_choose_sessions_saves_and_redirects(app, client, setup):
    response = client.post(f"/me/{setup['first']}/sessions", data={"sessions": setup["panel"]})

    assert response.headers["Location"] == f"/me/{setup['first']}"
    assert _signups(app, setup["first"]) == [(setup["panel"], "confirmed")]
    page = client.get(f"/me/{setup['first']}").get_data(as_text=True)
    assert "Your sessions are saved." in page
    assert "seat reserved" in page


def test_choose_unknown_session_is_refused_with_a_message(app, client, setup):
    client.post(f"/me/{setup['first']}/sessions", data={"sessions": "424242"})

    page = client.get(f"/me/{setup['first']}").get_data(as_text=True)
    assert "Please choose among the sessions listed." in page
    assert _signups(app, setup["first"]) == []


def test_update_details_keeps_input_on_error_and_saves_when_valid(app, client, setup):
    url = f"/me/{setup['first']}/details"
    form = client.get(url).get_data(as_text=True)
    assert 'value="first@example.org"' not in form  # the email is not editable here

    bad = client.post(url, data={"given_name": "", "job_title": "연구원 🚀", "category": "press"})
    assert bad.status_code == 400
    assert 'value="연구원 🚀"' in bad.get_data(as_text=True)

    good = client.post(
        url, data={"given_name": "민지", "family_name": "김", "country": "KR", "category": "press"}
    )
    assert good.headers["Location"] == f"/me/{setup['first']}"
    registration = _registration(app, setup["first"])
    assert (registration.name, registration.country, registration.category.value) == (
        "김민지",
        "KR",
        "press",
    )


def test_cancel_needs_confirmation_then_promotes_the_waiting_person(app, client, setup):
    confirm = client.get(f"/me/{setup['first']}/cancel").get_data(as_text=True)
    assert "Cancel your registration?" in confirm
    assert _registration(app, setup["first"]).status is RegistrationStatus.CONFIRMED

    response = client.post(f"/me/{setup['first']}/cancel")

    assert response.headers["Location"] == f"/me/{setup['first']}"
    assert _registration(app, setup["first"]).status is RegistrationStatus.CANCELLED
    assert _registration(app, setup["second"]).status is RegistrationStatus.CONFIRMED
    assert _kinds(app)[-2:] == ["promoted", "cancelled"]
    page = client.get(f"/me/{setup['first']}").get_data(as_text=True)
    assert "Cancelled" in page
    assert "Register again" in page


def test_export_downloads_json_of_the_data(client, setup):
    response = client.get(f"/me/{setup['first']}/data.json")

    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.get_data(as_text=True))
    assert data["email"] == "first@example.org"
    assert data["status"] == "confirmed"


def test_delete_needs_confirmation_then_erases_and_the_link_dies(app, client, setup):
    assert "Delete your data?" in client.get(f"/me/{setup['first']}/delete").get_data(as_text=True)

    response = client.post(f"/me/{setup['first']}/delete")

    assert response.headers["Location"] == f"/e/{setup['slug']}/"
    assert _registration(app, setup["first"]) is None
    assert client.get(f"/me/{setup['first']}").status_code == 404
    assert _registration(app, setup["second"]).status is RegistrationStatus.CONFIRMED
    with app.app_context():
        addresses = db.session.scalars(db.select(OutboxMessage.to_address)).all()
    assert "first@example.org" not in addresses


@pytest.mark.parametrize("action", ["cancel", "delete", "sessions", "details"])
def test_posts_without_csrf_token_are_refused(make_app, action):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        event = make_event()
        token = register(event, make_registration_data(), now=NOW).registration.manage_token
    client = app.test_client()

    response = client.post(f"/me/{token}/{action}", data={"given_name": "X", "category": "other"})

    assert response.status_code == 400
    registration = _registration(app, token)
    assert registration is not None
    assert registration.status is RegistrationStatus.CONFIRMED
    assert registration.given_name == "Jane"


def test_cancel_with_csrf_token_from_the_page_works(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        token = register(make_event(), make_registration_data(), now=NOW).registration.manage_token
    client = app.test_client()
    html = client.get(f"/me/{token}/cancel").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)

    client.post(f"/me/{token}/cancel", data={"csrf_token": csrf})

    assert _registration(app, token).status is RegistrationStatus.CANCELLED


def test_speaker_set_by_organizers_can_still_save_details(app, client):
    with app.app_context():
        token = register(make_event(), make_registration_data(), now=NOW).registration.manage_token
        registration = db.session.scalar(
            db.select(Registration).where(Registration.manage_token == token)
        )
        registration.category = Category.SPEAKER
        db.session.commit()
    url = f"/me/{token}/details"
    assert '<option selected value="speaker">Speaker</option>' in client.get(url).get_data(
        as_text=True
    )

    response = client.post(url, data={"given_name": "Jane", "category": "speaker"})

    assert response.headers["Location"] == f"/me/{token}"
    assert _registration(app, token).category is Category.SPEAKER


def test_badge_links_are_offered_to_confirmed_attendees_only(client, setup):
    confirmed = client.get(f"/me/{setup['first']}").get_data(as_text=True)
    waiting = client.get(f"/me/{setup['second']}").get_data(as_text=True)

    assert f'href="/me/{setup["first"]}/badge.pdf"' in confirmed
    assert f'href="/me/{setup["first"]}/badge.png"' in confirmed
    assert "badge.pdf" not in waiting


def test_confirmation_email_links_to_a_working_badge(app, client, setup):
    from email import message_from_string
    from email.policy import default

    with app.app_context():
        raw = db.session.scalars(
            db.select(OutboxMessage.raw)
            .where(OutboxMessage.kind == "confirmation")
            .order_by(OutboxMessage.id)
        ).first()
    text = message_from_string(raw, policy=default).get_body(("plain",)).get_content()
    url = f"http://events.example.org/me/{setup['first']}/badge.pdf"

    assert url in text
    response = client.get(url.removeprefix("http://events.example.org"))
    assert response.status_code == 200
    assert response.data.startswith(b"%PDF")


def test_manage_page_links_to_the_personal_calendar_feed(client, setup):
    html = client.get(f"/me/{setup['first']}").get_data(as_text=True)

    assert f'href="/me/{setup["first"]}/agenda.ics"' in html
    assert f'href="webcal://events.example.org/me/{setup["first"]}/agenda.ics"' in html
    feed = client.get(f"/me/{setup['first']}/agenda.ics")
    assert feed.status_code == 200
    assert feed.mimetype == "text/calendar"


def test_manage_page_and_data_json_list_only_published_sessions(app, client):
    with app.app_context():
        event = make_event()
        shown, hidden, cancelled = (make_session(event, capacity=5) for _ in range(3))
        data = make_registration_data(session_ids=[shown.id, hidden.id, cancelled.id])
        token = register(event, data, now=NOW).registration.manage_token
        scheduling.change_session(hidden, by=None, is_published=False)
        scheduling.change_session(hidden, by=None, title="Secret merger talk")
        scheduling.change_session(cancelled, by=None, status=SessionStatus.CANCELLED)
        scheduling.change_session(cancelled, by=None, title="Withdrawn secret")
        shown_id, shown_title = shown.id, shown.title

    page = client.get(f"/me/{token}").get_data(as_text=True)
    exported = json.loads(client.get(f"/me/{token}/data.json").get_data(as_text=True))

    assert shown_title in page
    assert "secret" not in page.casefold()
    assert [(s["id"], s["title"]) for s in exported["sessions"]] == [(shown_id, shown_title)]


def test_register_again_from_the_link_takes_the_cancelled_registration_up(app, client, setup):
    client.post(f"/me/{setup['first']}/cancel")
    page = client.get(f"/me/{setup['first']}").get_data(as_text=True)
    assert f'action="/me/{setup["first"]}/register-again"' in page

    response = client.post(f"/me/{setup['first']}/register-again", follow_redirects=True)

    # The freed seat went to the second person: the first joins the waiting list's end.
    assert "you are on the waiting list again" in response.get_data(as_text=True)
    assert _registration(app, setup["first"]).status is RegistrationStatus.WAITLISTED
    assert _kinds(app)[-1] == "waitlisted"


def test_register_again_without_csrf_token_is_refused(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        event = make_event()
        registration = register(event, make_registration_data(), now=NOW).registration
        token = registration.manage_token
        changes.cancel_registration(registration)

    response = app.test_client().post(f"/me/{token}/register-again")

    assert response.status_code == 400
    assert _registration(app, token).status is RegistrationStatus.CANCELLED


def test_the_manage_page_speaks_the_language_the_person_registered_in(app, client):
    with app.app_context():
        event = make_event(title="Space Forum", title_ko="우주포럼")
        token = make_registration(event, locale="ko").manage_token

    korean = client.get(f"/me/{token}", headers={"Accept-Language": "en"})
    client.set_cookie("lang", "en")
    chosen = client.get(f"/me/{token}", headers={"Accept-Language": "en"})

    assert '<html lang="ko">' in korean.get_data(as_text=True)
    assert '<html lang="en">' in chosen.get_data(as_text=True)


def test_an_unknown_link_says_how_to_get_the_link_again(client):
    response = client.get("/me/" + "x" * 43)

    assert response.status_code == 404
    assert "register again with the same email address" in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"
