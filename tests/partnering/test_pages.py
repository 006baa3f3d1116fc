"""Participants' request page (person or organization, preferred times), logo upload and
the unavailable-times page, through the test client."""

import io

import pytest
from PIL import Image

from eventapp.models import (
    Event,
    Meeting,
    MeetingRequest,
    Organization,
    Participant,
    RequestStatus,
    Unavailability,
    db,
)
from eventapp.services.partnering import meetings, requests
from tests.factories import make_registration
from tests.partnering.support import participant, partnering_event, session


@pytest.fixture
def app(make_app, tmp_path):
    return make_app(PHOTOS_DIR=str(tmp_path))


def _world(app):
    with app.app_context():
        event = partnering_event()
        a = participant(event, "Example Launch US", "US", offers=("launch",))
        b = participant(event, "Example Ground KR", "KR", seeks=("launch",), locale="ko")
        b2 = participant(event, organization_id=b.organization_id, given_name="Colleague")
        made = session(event)
        other = partnering_event()
        return {
            "slug": event.slug,
            "event_id": event.id,
            "a": a.registration.manage_token,
            "a_id": a.id,
            "b": b.registration.manage_token,
            "b_id": b.id,
            "b2": b2.registration.manage_token,
            "b2_id": b2.id,
            "org_b": b.organization_id,
            "org_a": a.organization_id,
            "slots": [s.id for s in made.slots],
            "foreign_slot": session(other).slots[0].id,
            "outsider": make_registration(event).manage_token,
        }


def _png(size=(800, 400), colour="navy"):
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    buffer.seek(0)
    return buffer


def test_request_page_offers_the_askers_free_times_and_keeps_preferred_ones(app, client):
    w = _world(app)
    url = f"/me/{w['a']}/partnering/request"
    page = client.get(url, query_string={"to": w["b_id"]})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert html.count('name="preferred"') == len(w["slots"])
    assert "Example Ground KR" in html

    response = client.post(
        url,
        data={
            "recipient_id": w["b_id"],
            "note": "Ground stations",
            "preferred": [w["slots"][2], w["slots"][1]],
        },
    )

    assert response.status_code == 302
    with app.app_context():
        request = db.session.scalars(db.select(MeetingRequest)).one()
        assert request.preferred_slot_ids == [w["slots"][1], w["slots"][2]]
    # The recipient sees the preferred times on their page.
    mine = client.get(f"/me/{w['b']}/partnering").get_data(as_text=True)
    assert "Ground stations" in mine
    assert mine.count("; ") >= 1  # two preferred times listed


def test_request_page_refuses_a_foreign_slot_and_keeps_the_note(app, client):
    w = _world(app)
    response = client.post(
        f"/me/{w['a']}/partnering/request",
        data={"recipient_id": w["b_id"], "note": "Keep me", "preferred": [w["foreign_slot"]]},
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Keep me" in html
    assert "not a meeting slot" in html
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(MeetingRequest.id))) == 0


def test_request_page_for_unknown_or_withdrawn_people_is_a_404(app, client):
    w = _world(app)
    url = f"/me/{w['a']}/partnering/request"
    assert client.get(url).status_code == 404
    assert client.get(url, query_string={"to": 999999}).status_code == 404
    assert client.get(url, query_string={"organization": 999999}).status_code == 404
    assert client.get(f"/me/{w['outsider']}/partnering/request?to=1").status_code == 404


def test_a_request_to_an_organization_is_answered_by_a_colleague(app, client):
    w = _world(app)
    page = client.get(f"/me/{w['a']}/partnering/request", query_string={"organization": w["org_b"]})
    assert page.status_code == 200
    assert "Colleague" in page.get_data(as_text=True)  # its delegates are named
    client.post(
        f"/me/{w['a']}/partnering/request", data={"organization_id": w["org_b"], "note": "Hi all"}
    )
    with app.app_context():
        request_id = db.session.scalar(db.select(MeetingRequest.id))
    both = [client.get(f"/me/{w[k]}/partnering").get_data(as_text=True) for k in ("b", "b2")]
    assert all("Hi all" in html for html in both)

    client.post(f"/me/{w['b2']}/partnering/answer/accept", data={"item_id": request_id})

    with app.app_context():
        request = db.session.get(MeetingRequest, request_id)
        assert (request.status, request.recipient_id) == (RequestStatus.ACCEPTED, w["b2_id"])
        meeting = db.session.scalars(db.select(Meeting)).one()
        assert {p.participant_id for p in meeting.people} == {w["a_id"], w["b2_id"]}


def test_the_directory_links_people_and_organizations_to_the_request_page(app, client):
    w = _world(app)
    html = client.get(f"/e/{w['slug']}/partnering", query_string={"me": w["a"]}).get_data(
        as_text=True
    )
    assert f"/me/{w['a']}/partnering/request?to={w['b_id']}" in html
    assert f"/me/{w['a']}/partnering/request?organization={w['org_b']}" in html


def test_logo_upload_is_resized_and_shown_in_the_directory(app, client):
    w = _world(app)
    response = client.post(
        f"/me/{w['a']}/partnering/logo",
        data={"logo": (_png((2400, 1200)), "logo.png")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    with app.app_context():
        logo = db.session.get(Organization, w["org_a"]).logo
    assert (logo or "").endswith(".jpg")
    directory = client.get(f"/e/{w['slug']}/partnering", query_string={"me": w["b"]})
    src = f"/e/{w['slug']}/partnering/logos/{w['org_a']}.jpg?me={w['b']}"
    assert src in directory.get_data(as_text=True)
    served = client.get(src)
    body = served.get_data()
    served.close()  # send_file streams from an open file
    assert served.status_code == 200
    with Image.open(io.BytesIO(body)) as picture:
        assert (picture.format, picture.size) == ("JPEG", (96, 48))
    # Not for someone outside the directory, nor without a token.
    assert client.get(src.replace(w["b"], w["outsider"])).status_code == 404
    assert client.get(src.split("?")[0]).status_code == 404


def test_a_file_that_is_not_a_picture_is_refused_next_to_the_field(app, client):
    w = _world(app)
    response = client.post(
        f"/me/{w['a']}/partnering/logo",
        data={"logo": (io.BytesIO(b"<svg xmlns='http://www.w3.org/2000/svg'/>"), "logo.svg")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="logo-error"' in html
    with app.app_context():
        assert db.session.get(Organization, w["org_a"]).logo is None


def test_only_the_profiles_creator_uploads_a_logo(app, client):
    w = _world(app)
    response = client.post(
        f"/me/{w['b2']}/partnering/logo",
        data={"logo": (_png(), "logo.png")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 404
    with app.app_context():
        assert db.session.get(Organization, w["org_b"]).logo is None


def test_logo_remove_deletes_it(app, client, tmp_path):
    w = _world(app)
    client.post(
        f"/me/{w['a']}/partnering/logo",
        data={"logo": (_png(), "logo.png")},
        content_type="multipart/form-data",
    )
    assert any(tmp_path.iterdir())
    client.post(f"/me/{w['a']}/partnering/logo/remove")
    with app.app_context():
        assert db.session.get(Organization, w["org_a"]).logo is None
    assert not any(p.name.startswith(f"org-{w['org_a']}-") for p in tmp_path.iterdir())


def test_unavailable_page_saves_the_ticked_slots(app, client):
    w = _world(app)
    url = f"/me/{w['a']}/partnering/unavailable"
    page = client.get(url)
    assert page.status_code == 200
    assert page.get_data(as_text=True).count('type="checkbox"') == len(w["slots"])

    response = client.post(url, data={"slots": [w["slots"][0], w["slots"][2]]})

    assert response.status_code == 302
    with app.app_context():
        marked = set(db.session.scalars(db.select(Unavailability.slot_id)))
        assert marked == {w["slots"][0], w["slots"][2]}
        meeting = requests.create_meeting(
            db.session.get(Participant, w["a_id"]), db.session.get(Participant, w["b_id"]), by=None
        )
        assert {s.id for s in meetings.free_slots(meeting)} == set(w["slots"]) - marked
    again = client.get(url).get_data(as_text=True)
    assert again.count("checked") == 2


def test_unavailable_page_refuses_foreign_slots_and_booked_ones(app, client):
    w = _world(app)
    url = f"/me/{w['a']}/partnering/unavailable"
    foreign = client.post(url, data={"slots": [w["foreign_slot"]]})
    assert foreign.status_code == 400
    assert "not a meeting slot" in foreign.get_data(as_text=True)
    with app.app_context():
        a, b = (db.session.get(Participant, w[k]) for k in ("a_id", "b_id"))
        meetings.place(requests.create_meeting(a, b, by=None), w["slots"][1])
    booked = client.post(url, data={"slots": [w["slots"][1]]})
    assert booked.status_code == 400
    assert "move it first" in booked.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Unavailability.id))) == 0
        assert db.session.get(Event, w["event_id"]) is not None


def test_the_new_pages_speak_korean_to_a_korean_registrant(app, client):
    w = _world(app)
    request_page = client.get(f"/me/{w['b']}/partnering/request", query_string={"to": w["a_id"]})
    unavailable = client.get(f"/me/{w['b']}/partnering/unavailable")
    assert "요청 보내기" in request_page.get_data(as_text=True)
    assert "미팅할 수 없는 시간" in unavailable.get_data(as_text=True)


def test_asking_a_withdrawn_person_says_so_and_changes_nothing(app, client):
    w = _world(app)
    client.post(f"/me/{w['b']}/partnering/withdraw")
    url = f"/me/{w['a']}/partnering/request"
    for method, data in (("GET", {"to": w["b_id"]}), ("POST", {"recipient_id": w["b_id"]})):
        if method == "GET":
            response = client.get(url, query_string=data)
        else:
            response = client.post(url, data=data)
        assert response.status_code == 302
        directory = client.get(response.headers["Location"]).get_data(as_text=True)
        assert "no longer takes part" in directory
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(MeetingRequest.id))) == 0
