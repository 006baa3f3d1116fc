import pytest

from eventapp.models import AgendaSession, db
from eventapp.web import pagecache
from tests.factories import make_event, make_session


@pytest.fixture
def cached_app(make_app):
    return make_app(PAGE_CACHE_SECONDS=30)


def _rename(app, session_id, title):
    with app.app_context():
        db.session.get(AgendaSession, session_id).title = title
        db.session.commit()


def test_anonymous_agenda_is_reused_until_it_expires(cached_app, monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(pagecache.time, "monotonic", lambda: clock[0])
    with cached_app.app_context():
        event = make_event()
        session = make_session(event, title="Old title")
        slug, session_id = event.slug, session.id
    client = cached_app.test_client()
    assert "Old title" in client.get(f"/e/{slug}/agenda").get_data(as_text=True)
    _rename(cached_app, session_id, "New title")

    cached = client.get(f"/e/{slug}/agenda")
    clock[0] += 31
    fresh = client.get(f"/e/{slug}/agenda")

    assert "Old title" in cached.get_data(as_text=True)
    assert cached.headers["Content-Security-Policy"]  # shared headers still applied
    assert "New title" in fresh.get_data(as_text=True)


def test_visitors_with_a_session_cookie_always_get_a_fresh_page(cached_app):
    with cached_app.app_context():
        event = make_event()
        session = make_session(event, title="Old title")
        slug, session_id = event.slug, session.id
    client = cached_app.test_client()
    client.get(f"/e/{slug}/agenda")
    _rename(cached_app, session_id, "New title")
    client.set_cookie("session", "anything")

    assert "New title" in client.get(f"/e/{slug}/agenda").get_data(as_text=True)


def test_cache_keeps_languages_apart(cached_app):
    with cached_app.app_context():
        slug = make_event(title="English title", title_ko="한국어 제목").slug
    client = cached_app.test_client()

    english = client.get(f"/e/{slug}/").get_data(as_text=True)
    korean = client.get(f"/e/{slug}/", headers={"Accept-Language": "ko"}).get_data(as_text=True)

    assert "<h1" in english
    assert 'lang="en"' in english.split(">", 2)[1]
    assert 'lang="ko"' in korean.split(">", 2)[1]


def test_not_found_is_never_cached(cached_app):
    client = cached_app.test_client()
    assert client.get("/e/later/").status_code == 404
    with cached_app.app_context():
        make_event(slug="later")

    assert client.get("/e/later/").status_code == 200


def test_cached_feed_keeps_its_etag_and_answers_304(cached_app):
    with cached_app.app_context():
        event = make_event()
        make_session(event)
        slug = event.slug
    client = cached_app.test_client()
    first = client.get(f"/e/{slug}/agenda.ics")

    repeat = client.get(f"/e/{slug}/agenda.ics")
    polled = client.get(f"/e/{slug}/agenda.ics", headers={"If-None-Match": first.headers["ETag"]})

    assert first.status_code == 200
    assert repeat.status_code == 200
    assert repeat.headers["ETag"] == first.headers["ETag"]
    assert repeat.mimetype == "text/calendar"
    assert repeat.data == first.data
    assert polled.status_code == 304
    assert polled.data == b""
    assert polled.headers["ETag"] == first.headers["ETag"]


def test_cached_schedule_export_answers_304(cached_app):
    with cached_app.app_context():
        event = make_event()
        make_session(event)
        slug = event.slug
    client = cached_app.test_client()
    etag = client.get(f"/e/{slug}/schedule.xml").headers["ETag"]

    polled = client.get(f"/e/{slug}/schedule.xml", headers={"If-None-Match": etag})

    assert polled.status_code == 304
