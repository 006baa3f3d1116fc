import csv
import io

import pytest

from eventapp.models import Category, Registration, RegistrationStatus, Role, db
from tests.factories import make_event, make_registration


@pytest.fixture
def organizer(login_as):
    return login_as(Role.ORGANIZER)


@pytest.fixture
def event(app):
    with app.app_context():
        event = make_event()
        make_registration(
            event, given_name="민지", family_name="김", email="minji@example.org", country="KR"
        )
        make_registration(event, given_name="Jane", family_name="Doe", email="jane@example.org")
        make_registration(event, status=RegistrationStatus.WAITLISTED, email="wait@example.org")
        return {"slug": event.slug}


def test_list_filters_and_keeps_the_filter_in_links(client, organizer, event):
    page = client.get(
        f"/admin/events/{event['slug']}/registrants", query_string={"country": "KR"}
    ).get_data(as_text=True)

    assert "minji@example.org" in page
    assert "jane@example.org" not in page
    assert "registrants.csv?country=KR" in page


@pytest.mark.parametrize(
    "args",
    [
        {"status": "bogus"},
        {"category": "<b>"},
        {"country": "ZZZ"},
        {"checked_in": "maybe"},
        {"q": "🚀" * 500},
        {"page": "-3"},
        {"page": "abc"},
        {"page": "999999999999"},
    ],
)
def test_weird_filters_never_fail(client, organizer, event, args):
    response = client.get(f"/admin/events/{event['slug']}/registrants", query_string=args)

    assert response.status_code == 200


def test_csv_download_has_bom_and_hangul(client, organizer, event):
    response = client.get(
        f"/admin/events/{event['slug']}/registrants.csv", query_string={"status": "confirmed"}
    )

    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert sorted(r["email"] for r in rows) == ["jane@example.org", "minji@example.org"]


def test_edit_registrant_keeps_input_on_error_and_saves_when_valid(app, client, organizer, event):
    with app.app_context():
        person = db.session.scalars(
            db.select(Registration).where(Registration.email == "jane@example.org")
        ).one()
        url = f"/admin/events/{event['slug']}/registrants/{person.id}/edit"
    data = {
        "given_name": "Jane 🚀",
        "family_name": "Doe",
        "email": "minji@example.org",
        "category": "press",
        "locale": "ko",
    }

    taken = client.post(url, data=data)
    saved = client.post(url, data=data | {"email": "jane.doe@example.org"})

    assert taken.status_code == 400
    assert 'id="email-error"' in taken.get_data(as_text=True)
    assert "Jane 🚀" in taken.get_data(as_text=True)
    assert saved.status_code == 302
    with app.app_context():
        person = db.session.get(Registration, person.id)
        assert (person.email, person.given_name, person.category) == (
            "jane.doe@example.org",
            "Jane 🚀",
            Category.PRESS,
        )


def test_registrant_of_another_event_is_404(app, client, organizer, event):
    with app.app_context():
        foreign = make_registration(make_event()).id

    response = client.get(f"/admin/events/{event['slug']}/registrants/{foreign}/edit")

    assert response.status_code == 404
