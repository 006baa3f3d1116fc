"""A person's name order in Latin letters (#22): chosen on every form, and followed by every
place that writes the name (mail, calendar, badge, door, lists, exports, agenda)."""

from __future__ import annotations

import csv
import io
from email import message_from_string
from email.policy import default

import icalendar
import pytest

from eventapp.models import Event, OutboxMessage, Registration, Role, Speaker, db
from eventapp.names import NameOrder
from eventapp.services.checkin.badges import BadgeKeys, badge_token
from tests.builders.badge_samples import pdf_text
from tests.factories import link_speaker, make_event, make_registration, make_session, make_speaker
from tests.web.test_public import page

KEYS = BadgeKeys.from_secrets("test-secret-key")


def _form(**overrides: str) -> dict[str, str]:
    values = {
        "given_name": "Jong-ho",
        "family_name": "Lee",
        "email": "lee@example.org",
        "country": "US",
        "category": "government",
        "consent": "y",
    }
    return values | overrides


def _event_slug(app, **overrides) -> str:
    with app.app_context():
        return make_event(**overrides).slug


def _registration(app) -> Registration:
    with app.app_context():
        found = db.session.scalars(db.select(Registration).order_by(Registration.id)).all()
        db.session.expunge_all()
        return found[-1]


def _selected_order(html: str) -> str | None:
    """The value of the name-order select's selected option."""
    select = html.split('id="name_order"', 1)[1].split("</select>", 1)[0]
    if "<option selected" not in select:
        return None
    return select.split("<option selected", 1)[1].split('value="', 1)[1].split('"', 1)[0]


def test_form_keeps_the_chosen_order_when_another_field_is_refused(app, client):
    slug = _event_slug(app)

    refused = client.post(
        f"/e/{slug}/register", data=_form(email="not an address", name_order="family_first")
    )

    assert refused.status_code == 400
    assert _selected_order(refused.get_data(as_text=True)) == "family_first"
    accepted = client.post(f"/e/{slug}/register", data=_form(name_order="family_first"))
    assert accepted.status_code == 302
    registration = _registration(app)
    assert (registration.name_order, registration.name) == (NameOrder.FAMILY_FIRST, "Lee Jong-ho")


def test_form_offers_the_choice_in_korean(app, client):
    slug = _event_slug(app)
    client.set_cookie("lang", "ko")

    html = client.get(f"/e/{slug}/register").get_data(as_text=True)

    assert '<label for="name_order">' in html
    assert "성 먼저 (Lee Jong-ho)" in html
    assert _selected_order(html) == ""


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ({"country": "KR"}, "Lee Jong-ho"),
        ({"name_alt": "이종호"}, "Lee Jong-ho"),
        ({}, "Jong-ho Lee"),
        # A foreign name written in Hangul has its spaces: not a Korean name.
        ({"given_name": "Chirag", "family_name": "Parikh", "name_alt": "치라그 파리크"}, None),
        ({"country": "KR", "name_order": "given_first"}, "Jong-ho Lee"),
    ],
)
def test_unchosen_order_is_family_first_for_a_korean(app, client, extra, expected):
    slug = _event_slug(app)

    response = client.post(f"/e/{slug}/register", data=_form(**extra))

    assert response.status_code == 302
    assert _registration(app).name == (expected or "Chirag Parikh")


def test_confirmation_mail_greets_and_invites_in_the_chosen_order(app, client):
    slug = _event_slug(app)

    client.post(f"/e/{slug}/register", data=_form(name_order="family_first"))

    with app.app_context():
        raw = db.session.scalars(db.select(OutboxMessage)).one().raw
    message = message_from_string(raw, policy=default)
    assert message["To"].addresses[0].display_name == "Lee Jong-ho"
    text = message.get_body(("plain",)).get_content()
    assert text.splitlines()[0] == "Hello Lee Jong-ho,"
    [ics] = [part for part in message.walk() if part.get_content_type() == "text/calendar"]
    [vevent] = icalendar.Calendar.from_ical(ics.get_content()).walk("VEVENT")
    assert vevent["attendee"].params["CN"] == "Lee Jong-ho"


def _family_first(app, **overrides) -> tuple[str, int, str]:
    """A confirmed family-first registrant: (event slug, registration id, manage token)."""
    with app.app_context():
        event = db.session.scalar(db.select(Event).filter_by(slug="forum")) or make_event(
            slug="forum"
        )
        registration = make_registration(
            event,
            given_name="Jong-ho",
            family_name="Lee",
            name_order=NameOrder.FAMILY_FIRST,
            **overrides,
        )
        return event.slug, registration.id, registration.manage_token


def test_badge_prints_the_chosen_order(app, client):
    _, _, token = _family_first(app)

    response = client.get(f"/me/{token}/badge.pdf")

    assert response.status_code == 200
    [text] = pdf_text(response.data)
    assert "Lee Jong-ho" in text.splitlines()
    assert "Jong-ho Lee" not in text


def test_door_answers_the_name_in_the_chosen_order(app, client, login_as):
    _family_first(app)
    with app.app_context():
        registration = db.session.scalars(db.select(Registration)).one()
        token = badge_token(registration, KEYS)
    login_as(Role.CHECKIN)

    response = client.post("/api/checkin", json={"token": token, "event": "forum"})

    assert (response.status_code, response.json["name"]) == (200, "Lee Jong-ho")


def test_registrants_csv_and_list_write_the_name_in_its_order(app, client, login_as):
    slug, registration_id, _ = _family_first(app)
    login_as(Role.ORGANIZER)

    csv_text = client.get(f"/admin/events/{slug}/registrants.csv").data.decode("utf-8-sig")
    listed = client.get(f"/admin/events/{slug}/registrants").get_data(as_text=True)

    [row] = csv.DictReader(io.StringIO(csv_text))
    assert (row["name"], row["name_order"]) == ("Lee Jong-ho", "family_first")
    assert (row["given_name"], row["family_name"]) == ("Jong-ho", "Lee")
    assert f'registrants/{registration_id}/edit" lang="en">Lee Jong-ho</a>' in listed


def test_self_service_changes_the_order_and_shows_the_current_one(app, client):
    _, _, token = _family_first(app)
    url = f"/me/{token}/details"
    assert _selected_order(client.get(url).get_data(as_text=True)) == "family_first"

    refused = client.post(
        url, data={"given_name": "", "name_order": "given_first", "category": "other"}
    )
    saved = client.post(
        url,
        data={"given_name": "Jong-ho", "family_name": "Lee", "name_order": "given_first",
              "category": "other"},
    )  # fmt: skip

    assert refused.status_code == 400
    assert _selected_order(refused.get_data(as_text=True)) == "given_first"
    assert saved.status_code == 302
    assert _registration(app).name == "Jong-ho Lee"


def test_back_office_registrant_edit_sets_the_order(app, client, login_as):
    slug, registration_id, _ = _family_first(app)
    login_as(Role.ORGANIZER)
    url = f"/admin/events/{slug}/registrants/{registration_id}/edit"
    assert _selected_order(client.get(url).get_data(as_text=True)) == "family_first"

    response = client.post(
        url,
        data={"given_name": "Jong-ho", "family_name": "Lee", "email": "lee@example.org",
              "name_order": "given_first", "category": "government", "locale": "en"},
    )  # fmt: skip

    assert response.status_code == 302
    assert _registration(app).name == "Jong-ho Lee"


def test_speaker_edit_sets_the_order_the_agenda_and_speaker_pages_follow(app, client, login_as):
    with app.app_context():
        event = make_event(slug="forum")
        speaker = make_speaker(given_name="Jong-ho", family_name="Lee", name_alt="이종호")
        link_speaker(make_session(event, title="Opening remarks"), speaker)
        speaker_id = speaker.id
    login_as(Role.ADMIN)

    response = client.post(
        f"/admin/speakers/{speaker_id}/edit",
        data={"given_name": "Jong-ho", "family_name": "Lee", "name_alt": "이종호",
              "name_order": "family_first", "organization_id": "None", "country": ""},
    )  # fmt: skip

    assert response.status_code == 302
    assert page(client, f"/e/forum/speakers/{speaker_id}").find("h1").text == "Lee Jong-ho"
    assert "Lee Jong-ho" in client.get("/e/forum/agenda").get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Speaker, speaker_id).name_order is NameOrder.FAMILY_FIRST
