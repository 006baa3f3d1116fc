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


def _outbox_kinds(app):
    from eventapp.models import OutboxMessage

    with app.app_context():
        return sorted((m.kind, m.to_address) for m in db.session.scalars(db.select(OutboxMessage)))


def test_cancel_asks_first_then_frees_the_seat_for_the_waiting_list(app, client, organizer):
    with app.app_context():
        event = make_event(capacity=1)
        seated = make_registration(event, email="seated@example.org")
        make_registration(
            event,
            email="waiting@example.org",
            status=RegistrationStatus.WAITLISTED,
            waitlisted_at=seated.created_at,
        )
        url = f"/admin/events/{event.slug}/registrants/{seated.id}/cancel"
        seated_id = seated.id

    question = client.get(url)
    client.post(url)

    assert "Cancel this registration?" in question.get_data(as_text=True)
    with app.app_context():
        statuses = dict(
            db.session.execute(db.select(Registration.email, Registration.status)).all()
        )
        assert statuses == {
            "seated@example.org": RegistrationStatus.CANCELLED,
            "waiting@example.org": RegistrationStatus.CONFIRMED,
        }
        from eventapp.models import AuditEntry

        entry = db.session.scalars(
            db.select(AuditEntry).where(AuditEntry.action == "registration.cancel")
        ).one()
        assert entry.target == f"registrations:{seated_id}"
    assert _outbox_kinds(app) == [
        ("cancelled", "seated@example.org"),
        ("promoted", "waiting@example.org"),
    ]


def test_promote_gives_one_waiting_person_a_seat_even_when_full(app, client, organizer):
    with app.app_context():
        event = make_event(capacity=1)
        make_registration(event)
        waiting = make_registration(
            event, email="waiting@example.org", status=RegistrationStatus.WAITLISTED
        )
        url = f"/admin/events/{event.slug}/registrants/{waiting.id}/promote"
        waiting_id = waiting.id

    client.post(url)
    again = client.post(url, follow_redirects=True)

    with app.app_context():
        assert db.session.get(Registration, waiting_id).status is RegistrationStatus.CONFIRMED
    assert "only people on the waiting list can be promoted" in again.get_data(as_text=True)
    assert _outbox_kinds(app) == [("promoted", "waiting@example.org")]


def test_resend_queues_the_confirmation_again(app, client, organizer, event):
    with app.app_context():
        person = db.session.scalars(
            db.select(Registration).where(Registration.email == "jane@example.org")
        ).one()
        url = f"/admin/events/{event['slug']}/registrants/{person.id}/resend"

    client.post(url)

    assert _outbox_kinds(app) == [("confirmation", "jane@example.org")]


def test_fill_free_seats_promotes_in_order(app, client, organizer):
    with app.app_context():
        event = make_event(capacity=5)
        make_registration(event, email="w1@example.org", status=RegistrationStatus.WAITLISTED)
        slug = event.slug

    response = client.post(f"/admin/events/{slug}/registrants/promote-next", follow_redirects=True)

    assert "1 people promoted from the waiting list." in response.get_data(as_text=True)
    assert _outbox_kinds(app) == [("promoted", "w1@example.org")]


def test_registrant_page_reissues_the_badge_and_comes_back(app, client, organizer, event):
    with app.app_context():
        person = db.session.scalars(
            db.select(Registration).where(Registration.email == "jane@example.org")
        ).one()
        page_url = f"/admin/events/{event['slug']}/registrants/{person.id}/edit"

    page = client.get(page_url).get_data(as_text=True)
    response = client.post(
        f"/admin/registrations/{person.id}/badge/reissue", data={"next": page_url}
    )

    # The page links a confirmation first, and "Print the badge" beside it.
    assert f'href="/admin/registrations/{person.id}/badge/reissue?next=' in page
    assert f'href="/admin/registrations/{person.id}/badge.pdf"' in page
    assert response.headers["Location"] == page_url
    with app.app_context():
        assert db.session.get(Registration, person.id).badge_serial == 2
