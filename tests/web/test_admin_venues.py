"""The back office's venue pages: list, add, edit (a move warns first), delete."""

from __future__ import annotations

import pytest

from eventapp.models import Event, Role, Venue, db
from tests.factories import make_event, make_venue


@pytest.fixture
def organizer(login_as):
    return login_as(Role.ORGANIZER)


def test_the_list_shows_each_venue_with_its_events(app, client, organizer):
    with app.app_context():
        used = make_venue(name="Conrad Seoul", name_ko="콘래드 서울")
        make_event(venue=used)
        make_venue(name="Lotte Hotel Seoul")
        used_id = used.id

    page = client.get("/admin/venues").get_data(as_text=True)

    assert "Conrad Seoul" in page
    # The name opens the venue: on a phone the actions column is off-screen.
    assert f'<a href="/admin/venues/{used_id}/edit">Conrad Seoul</a>' in page
    assert "콘래드 서울" in page
    assert "Lotte Hotel Seoul" in page
    # Only the unused one offers a delete link.
    assert page.count(">Delete<") == 1


def test_a_venue_is_added_in_both_languages_and_offered_to_events(app, client, organizer):
    response = client.post(
        "/admin/venues/new",
        data={
            "name": "COEX Convention Center",
            "name_ko": "코엑스",
            "address": "513 Yeongdong-daero, Gangnam-gu",
            "address_ko": "강남구 영동대로 513",
            "city": "Seoul",
            "country": "KR",
        },
    )

    assert response.status_code == 302
    with app.app_context():
        venue = db.session.scalars(db.select(Venue)).one()
        assert (venue.name_ko, venue.address_ko, venue.country) == (
            "코엑스",
            "강남구 영동대로 513",
            "KR",
        )
        slug = make_event().slug
    event_form = client.get(f"/admin/events/{slug}/edit").get_data(as_text=True)
    assert "COEX Convention Center" in event_form


def test_a_form_with_errors_keeps_what_was_typed(app, client, organizer):
    with app.app_context():
        make_venue(key="coex")

    response = client.post(
        "/admin/venues/new",
        data={"name": "COEX <Hall A>", "city": "Seoul", "key": "coex", "country": "XX"},
    )

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'value="COEX &lt;Hall A&gt;"' in page
    assert 'value="Seoul"' in page
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Venue.id))) == 1


def test_editing_a_venue_with_events_warns_that_they_move(app, client, organizer):
    with app.app_context():
        venue = make_venue(name="Conrad Seoul")
        make_event(venue=venue, title="ROK-U.S. Space Forum")
        venue_id = venue.id

    page = client.get(f"/admin/venues/{venue_id}/edit").get_data(as_text=True)
    assert "moves the events held here" in page
    assert "ROK-U.S. Space Forum" in page

    response = client.post(
        f"/admin/venues/{venue_id}/edit", data={"name": "Conrad Seoul", "city": "Seoul"}
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(db.select(Event.revision)) == 1


def test_a_venue_in_use_cannot_be_deleted_and_the_page_says_why(app, client, organizer):
    with app.app_context():
        venue = make_venue(name="Conrad Seoul")
        make_event(venue=venue, title="ROK-U.S. Space Forum")
        venue_id = venue.id

    page = client.get(f"/admin/venues/{venue_id}/delete").get_data(as_text=True)
    response = client.post(f"/admin/venues/{venue_id}/delete")

    assert "cannot be deleted while events are held there" in page
    assert "ROK-U.S. Space Forum" in page
    assert response.status_code == 409
    with app.app_context():
        assert db.session.get(Venue, venue_id) is not None


def test_an_unused_venue_is_deleted_after_confirmation(app, client, organizer):
    with app.app_context():
        venue_id = make_venue().id

    assert client.get(f"/admin/venues/{venue_id}/delete").status_code == 200
    response = client.post(f"/admin/venues/{venue_id}/delete")

    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Venue, venue_id) is None


def test_the_venue_pages_are_in_korean(app, client, organizer):
    client.get("/lang/ko")
    page = client.get("/admin/venues/new").get_data(as_text=True)
    assert "새 행사장" in page
