"""The participants' new partnering forms refuse a POST without the CSRF token."""

from eventapp.models import MeetingRequest, Unavailability, db
from tests.partnering.support import participant, partnering_event, session


def test_request_unavailable_and_logo_posts_need_the_csrf_token(make_app, tmp_path):
    app = make_app(WTF_CSRF_ENABLED=True, PHOTOS_DIR=str(tmp_path))
    client = app.test_client()
    with app.app_context():
        event = partnering_event()
        a = participant(event, "Example A", "US")
        b = participant(event, "Example B", "KR")
        slot = session(event).slots[0].id
        token, b_id = a.registration.manage_token, b.id

    posts = [
        (f"/me/{token}/partnering/request", {"recipient_id": b_id, "note": "Hi"}),
        (f"/me/{token}/partnering/unavailable", {"slots": [slot]}),
        (f"/me/{token}/partnering/logo/remove", {}),
    ]
    for url, data in posts:
        assert client.post(url, data=data).status_code in {302, 400}
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(MeetingRequest.id))) == 0
        assert db.session.scalar(db.select(db.func.count(Unavailability.id))) == 0
    page = client.get(f"/me/{token}/partnering/request", query_string={"to": b_id})
    assert 'name="csrf_token"' in page.get_data(as_text=True)
