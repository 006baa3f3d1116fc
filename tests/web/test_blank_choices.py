"""A choice sent as spaces and tabs counts as no choice: it never reaches the database.

WTForms' Optional() treats " \\t " as empty and stops the field's checks, so before the
choices were stripped the raw value was stored (or used in a query) and gave a 500.
"""

from __future__ import annotations

import pytest

from eventapp.models import Registration, Role, db
from eventapp.services.registration import register
from tests.factories import make_event, make_registration, make_registration_data

BLANK = " \t "


def _registration(app, email: str) -> Registration:
    with app.app_context():
        return db.session.scalars(db.select(Registration).filter_by(email=email)).one()


def test_public_form_takes_a_blank_country_as_none(app, client):
    with app.app_context():
        slug = make_event().slug
    data = {
        "given_name": "Minji",
        "family_name": "Kim",
        "email": "minji@example.org",
        "country": BLANK,
        "category": "government",
        "consent": "y",
    }

    response = client.post(f"/e/{slug}/register", data=data)

    assert response.status_code == 302
    assert _registration(app, "minji@example.org").country is None


def test_self_service_details_take_a_blank_country_as_none(app, client):
    with app.app_context():
        event = make_event()
        token = register(event, make_registration_data("first@example.org")).registration
        token = token.manage_token
    data = {"given_name": "민지", "family_name": "김", "country": BLANK, "category": "press"}

    response = client.post(f"/me/{token}/details", data=data)

    assert response.headers["Location"] == f"/me/{token}"
    assert _registration(app, "first@example.org").country is None


@pytest.mark.parametrize("field", ["status", "category", "country", "checked_in"])
@pytest.mark.parametrize("suffix", ["", ".csv"])
def test_registrant_list_and_csv_take_a_blank_filter_as_any(app, client, login_as, field, suffix):
    with app.app_context():
        event = make_event()
        make_registration(event, email="jane@example.org", country="KR")
        slug = event.slug
    login_as(Role.ORGANIZER)

    response = client.get(f"/admin/events/{slug}/registrants{suffix}", query_string={field: BLANK})

    assert response.status_code == 200
    assert "jane@example.org" in response.get_data(as_text=True)


def test_admin_registrant_form_takes_a_blank_country_as_none(app, client, login_as):
    with app.app_context():
        event = make_event()
        registration = make_registration(event, email="jane@example.org", country="KR")
        url = f"/admin/events/{event.slug}/registrants/{registration.id}/edit"
    login_as(Role.ORGANIZER)
    form = {
        "given_name": "Jane",
        "family_name": "Doe",
        "email": "jane@example.org",
        "country": BLANK,
        "category": "industry",
        "locale": "en",
    }

    response = client.post(url, data=form)

    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert _registration(app, "jane@example.org").country is None
