from datetime import UTC, datetime

import pytest

from eventapp.models import AuditEntry, Event, Registration, Role, db
from tests.factories import make_event, make_registration, make_room

FORM = {
    "slug": "space-forum-2023",
    "acronym": "rokus-space-forum-2023",
    "title": "ROK-U.S. Space Forum",
    "title_ko": "한미 우주포럼",
    "timezone": "Asia/Seoul",
    "starts_at": "2023-11-08T09:00",
    "ends_at": "2023-11-08T18:00",
    "registration_closes_at": "2023-11-07T23:59",
    "capacity": "300",
}


@pytest.fixture
def organizer(login_as):
    return login_as(Role.ORGANIZER)


def test_create_event_reads_times_in_the_chosen_zone(app, client, organizer):
    response = client.post("/admin/events/new", data=FORM | {"is_published": "y"})

    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/events/space-forum-2023/"
    with app.app_context():
        event = db.session.scalars(db.select(Event)).one()
        assert event.starts_at == datetime(2023, 11, 8, 0, 0, tzinfo=UTC)
        assert event.registration_closes_at == datetime(2023, 11, 7, 14, 59, tzinfo=UTC)
        assert (event.title_ko, event.capacity, event.is_published) == ("한미 우주포럼", 300, True)
        entry = db.session.scalars(db.select(AuditEntry)).one()
        assert (entry.action, entry.account_id) == ("event.create", organizer.id)


def test_edit_form_shows_times_in_the_event_zone(app, client, organizer):
    with app.app_context():
        slug = make_event(starts_at=datetime(2023, 11, 8, 0, 0, tzinfo=UTC)).slug

    page = client.get(f"/admin/events/{slug}/edit").get_data(as_text=True)

    assert 'value="2023-11-08T09:00"' in page
    assert 'lang="ko"' in page


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"ends_at": "2023-11-08T08:00"}, "ends_at"),
        ({"starts_at": "2023-13-45T99:00"}, "starts_at"),
        ({"starts_at": "0001-01-01T00:00"}, "starts_at"),
        ({"slug": "스페이스"}, "slug"),
        ({"slug": "x" * 500}, "slug"),
        ({"timezone": "Not/AZone"}, "timezone"),
        ({"capacity": "-5"}, "capacity"),
        ({"capacity": "99999999999999999999"}, "capacity"),
        ({"title": ""}, "title"),
    ],
)
def test_bad_input_is_shown_next_to_the_field_and_input_is_kept(client, organizer, change, field):
    data = FORM | {"title": "우주 🚀 Forum"} | change

    response = client.post("/admin/events/new", data=data)

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'id="{field}-error"' in page
    assert "Not saved: please correct the fields marked below." in page
    if field != "title":
        assert "우주 🚀 Forum" in page


def test_a_slug_in_use_is_refused_next_to_the_field(app, client, organizer):
    with app.app_context():
        make_event(slug="space-forum-2023")

    response = client.post("/admin/events/new", data=FORM)

    assert response.status_code == 400
    assert 'id="slug-error"' in response.get_data(as_text=True)


def test_unknown_event_is_404(client, organizer):
    assert client.get("/admin/events/no-such-event/").status_code == 404
    assert client.get("/admin/events/no-such-event/edit").status_code == 404


def test_delete_asks_first_then_deletes(app, client, organizer):
    with app.app_context():
        event = make_event()
        make_registration(event)
        slug = event.slug

    question = client.get(f"/admin/events/{slug}/delete")
    response = client.post(f"/admin/events/{slug}/delete")

    assert "1 registrations" in question.get_data(as_text=True)
    assert response.headers["Location"] == "/admin/"
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Event.id))) == 0
        assert db.session.scalar(db.select(db.func.count(Registration.id))) == 0


def test_dashboard_shows_counts_and_an_accessible_chart(app, client, organizer):
    with app.app_context():
        event = make_event(capacity=50)
        for _ in range(3):
            make_registration(event, created_at=datetime(2023, 11, 1, 3, tzinfo=UTC))
        slug = event.slug

    page = client.get(f"/admin/events/{slug}/").get_data(as_text=True)

    assert '<svg viewBox="0 0 640 220"' in page
    assert 'role="img"' in page
    assert "<td>2023-11-01</td><td>3</td><td>3</td>" in page
    # One day of data: one date under the chart, the count written on the bar.
    chart = page[page.index("<svg") : page.index("</svg>")]
    assert chart.count(">2023-11-01</text>") == 1
    assert 'class="chart__value"' in chart
    assert ">3</text>" in chart


def test_rooms_are_added_and_duplicate_names_refused(app, client, organizer):
    with app.app_context():
        event = make_event()
        make_room(event, name="Grand Ballroom")
        slug = event.slug

    added = client.post(f"/admin/events/{slug}/rooms", data={"room-name": "Room 201"})
    duplicate = client.post(f"/admin/events/{slug}/rooms", data={"room-name": "Grand Ballroom"})

    assert added.status_code == 302
    assert duplicate.status_code == 400
    assert 'id="room-name-error"' in duplicate.get_data(as_text=True)


def test_nul_characters_are_dropped_from_typed_text(app, client, organizer):
    client.post("/admin/events/new", data=FORM | {"title": "Space\x00 Forum"})

    with app.app_context():
        assert db.session.scalars(db.select(Event.title)).one() == "Space Forum"


def test_an_event_takes_a_venue_and_refuses_an_unknown_one(app, client, organizer):
    from tests.factories import make_venue

    with app.app_context():
        venue = make_venue(name="Lotte Hotel Seoul").id

    unknown = client.post("/admin/events/new", data=FORM | {"venue_id": "424242"})
    known = client.post("/admin/events/new", data=FORM | {"venue_id": str(venue)})

    assert unknown.status_code == 400
    assert known.status_code == 302
    with app.app_context():
        assert db.session.scalars(db.select(Event.venue_id)).one() == venue
