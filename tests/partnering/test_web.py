"""Participants' partnering pages: directory access, opting in, requests by POST."""

from eventapp.models import Event, Meeting, MeetingRequest, Participant, RequestStatus, Role, db
from eventapp.services.partnering import requests
from tests.factories import make_registration
from tests.partnering.support import participant, partnering_event, session


def _world(app):
    with app.app_context():
        event = partnering_event()
        a = participant(event, "Example Launch US", "US", offers=("launch",))
        b = participant(event, "Example Ground KR", "KR", seeks=("launch",), locale="ko")
        outsider = make_registration(event)
        return {
            "slug": event.slug,
            "a": a.registration.manage_token,
            "a_id": a.id,
            "b": b.registration.manage_token,
            "b_id": b.id,
            "outsider": outsider.manage_token,
            "event_id": event.id,
        }


def test_directory_is_for_participants_and_organizers_only(app, client, login_as):
    w = _world(app)
    url = f"/e/{w['slug']}/partnering"
    assert client.get(url).status_code == 404
    assert client.get(url, query_string={"me": w["outsider"]}).status_code == 404
    assert client.get(url, query_string={"me": "x" * 43}).status_code == 404
    page = client.get(url, query_string={"me": w["b"]})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Example Launch US" in html
    assert "발사" in html  # Korean for the Korean registrant: the reason names the tag
    assert "@example.org" not in html  # never an email
    assert page.headers["Cache-Control"] == "no-store"
    login_as(Role.ORGANIZER)
    assert client.get(url).status_code == 200


def test_opt_in_page_and_a_new_organization(app, client):
    w = _world(app)
    page = client.get(f"/me/{w['outsider']}/partnering")
    assert page.status_code == 200
    bad = client.post(f"/me/{w['outsider']}/partnering", data={"organization_id": "0"})
    assert bad.status_code == 400
    response = client.post(
        f"/me/{w['outsider']}/partnering",
        data={
            "organization_id": "0",
            "name": "Example Optics",
            "country": "KR",
            "role_line": "CTO",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Participant.id))) == 3


def test_request_accept_and_place_by_post(app, client):
    w = _world(app)
    with app.app_context():
        made = session(db.session.get(Event, w["event_id"]))
        slot_id = made.slots[0].id
    long_note = client.post(
        f"/me/{w['a']}/partnering/request", data={"recipient_id": w["b_id"], "note": "x" * 501}
    )
    # The page comes back with the error next to the note, keeping what was typed.
    assert long_note.status_code == 400
    assert "x" * 501 in long_note.get_data(as_text=True)
    assert 'aria-invalid="true"' in long_note.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(MeetingRequest.id))) == 0
    client.post(f"/me/{w['a']}/partnering/request", data={"recipient_id": w["b_id"], "note": "Hi"})
    with app.app_context():
        request_id = db.session.scalar(db.select(MeetingRequest.id))
    # A GET never changes anything; the asker cannot accept their own request.
    assert client.get(f"/me/{w['b']}/partnering/answer/accept").status_code == 405
    client.post(f"/me/{w['a']}/partnering/answer/accept", data={"item_id": request_id})
    with app.app_context():
        assert db.session.get(MeetingRequest, request_id).status is RequestStatus.OPEN
    page = client.get(f"/me/{w['b']}/partnering").get_data(as_text=True)
    assert "Hi" in page
    client.post(f"/me/{w['b']}/partnering/answer/accept", data={"item_id": request_id})
    with app.app_context():
        request = db.session.get(MeetingRequest, request_id)
        assert request.status is RequestStatus.ACCEPTED
        meeting_id = db.session.scalar(db.select(Meeting.id))
    client.post(f"/me/{w['b']}/partnering/place", data={"item_id": meeting_id, "slot_id": slot_id})
    page = client.get(f"/me/{w['a']}/partnering").get_data(as_text=True)
    assert "Table 1" in page


def test_withdraw_hides_from_the_directory(app, client):
    w = _world(app)
    with app.app_context():
        requests_count = len(requests.event_requests(w["event_id"]))
    assert requests_count == 0
    client.post(f"/me/{w['a']}/partnering/withdraw")
    html = client.get(f"/e/{w['slug']}/partnering", query_string={"me": w["b"]}).get_data(
        as_text=True
    )
    assert "Example Launch US" not in html
    assert client.get(f"/e/{w['slug']}/partnering", query_string={"me": w["a"]}).status_code == 404
