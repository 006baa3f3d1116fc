import icalendar
import pytest
from flask import make_response

from eventapp.models import AgendaSession, Role, db
from eventapp.web import pagecache
from tests.conftest import PASSWORD
from tests.factories import make_account, make_event, make_session


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


def _frozen_clock(monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(pagecache.time, "monotonic", lambda: clock[0])
    return clock


def _answer(response):
    return response.status, response.headers.to_wsgi_list(), response.data


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/e/{slug}/",
        "/e/{slug}/agenda",
        "/e/{slug}/agenda.ics",
        "/e/{slug}/agenda.ics?lang=ko",
        "/e/{slug}/sessions/{session_id}",
        "/e/{slug}/sessions/{session_id}.ics",
        "/e/{slug}/schedule.xml",
        "/e/{slug}/schedule.json",
    ],
)
def test_cached_answer_equals_the_uncached_one_header_for_header(cached_app, path):
    with cached_app.app_context():
        event = make_event()
        session = make_session(event, title="Old title")
        url = path.format(slug=event.slug, session_id=session.id)
        session_id = session.id
    client = cached_app.test_client()
    uncached = client.get(url)
    _rename(cached_app, session_id, "New title")

    cached = client.get(url)

    assert uncached.status_code == 200
    assert _answer(cached) == _answer(uncached)  # same bytes, though the title changed since


@pytest.mark.parametrize("path", ["/e/{slug}/agenda.ics", "/e/{slug}/schedule.xml"])
@pytest.mark.parametrize(
    "condition",
    [
        lambda first: {"If-None-Match": first.headers["ETag"]},
        lambda first: {"If-Modified-Since": first.headers["Last-Modified"]},
    ],
    ids=["if-none-match", "if-modified-since"],
)
def test_cached_304_equals_the_apps_own_304(cached_app, path, condition):
    with cached_app.app_context():
        event = make_event()
        make_session(event)
        url = path.format(slug=event.slug)
    client = cached_app.test_client()
    headers = condition(client.get(url))  # kept whole

    cached = client.get(url, headers=headers)
    cached_app.config["PAGE_CACHE_SECONDS"] = 0
    uncached = client.get(url, headers=headers)

    assert uncached.status_code == 304
    assert _answer(cached) == _answer(uncached)


def test_a_polling_clients_304_is_kept_and_replayed(cached_app, monkeypatch):
    clock = _frozen_clock(monkeypatch)
    with cached_app.app_context():
        event = make_event()
        session = make_session(event, title="Old title")
        slug, session_id = event.slug, session.id
    client = cached_app.test_client()
    etag = client.get(f"/e/{slug}/agenda.ics").headers["ETag"]
    cached_app.extensions["eventapp_page_cache"].clear()
    first = client.get(f"/e/{slug}/agenda.ics", headers={"If-None-Match": etag})  # the app's
    _rename(cached_app, session_id, "New title")

    replayed = client.get(f"/e/{slug}/agenda.ics", headers={"If-None-Match": etag})
    plain = client.get(f"/e/{slug}/agenda.ics")  # needs a body: not answered from a 304
    clock[0] += 31
    expired = client.get(f"/e/{slug}/agenda.ics", headers={"If-None-Match": etag})

    assert first.status_code == 304
    assert _answer(replayed) == _answer(first)
    assert plain.status_code == 200
    assert b"New title" in plain.data
    assert expired.status_code == 200
    assert expired.headers["ETag"] != etag


def test_feed_edited_within_the_ttl_changes_once_it_expires(cached_app, monkeypatch):
    clock = _frozen_clock(monkeypatch)
    with cached_app.app_context():
        event = make_event()
        session = make_session(event, title="Old title")
        slug, session_id = event.slug, session.id
    client = cached_app.test_client()
    etag = client.get(f"/e/{slug}/agenda.ics").headers["ETag"]
    _rename(cached_app, session_id, "New title")

    within = client.get(f"/e/{slug}/agenda.ics", headers={"If-None-Match": etag})
    clock[0] += 31
    after = client.get(f"/e/{slug}/agenda.ics", headers={"If-None-Match": etag})

    assert within.status_code == 304
    assert after.status_code == 200
    assert b"New title" in after.data


def test_language_cookie_keeps_languages_apart(cached_app):
    with cached_app.app_context():
        slug = make_event(title="English title", title_ko="한국어 제목").slug
    client = cached_app.test_client()
    english = client.get(f"/e/{slug}/").get_data(as_text=True)
    client.set_cookie("lang", "ko")

    korean = client.get(f"/e/{slug}/").get_data(as_text=True)

    assert "English title" in english
    assert "한국어 제목" in korean


def test_logged_in_staff_get_fresh_pages_and_never_fill_the_cache(make_app):
    app = make_app(PAGE_CACHE_SECONDS=30)
    with app.app_context():
        make_account(role=Role.ORGANIZER, email="org@example.org", password=PASSWORD)
        event = make_event()
        session = make_session(event, title="Old title")
        slug, session_id = event.slug, session.id
    staff = app.test_client()
    staff.post("/login", data={"email": "org@example.org", "password": PASSWORD})
    staff_page = staff.get(f"/e/{slug}/agenda").get_data(as_text=True)
    _rename(app, session_id, "New title")

    staff_again = staff.get(f"/e/{slug}/agenda").get_data(as_text=True)
    anonymous = app.test_client().get(f"/e/{slug}/agenda").get_data(as_text=True)

    assert "Back office" in staff_page
    assert "New title" in staff_again
    assert "Back office" not in anonymous


def test_remember_me_cookie_alone_is_never_served_or_filled_from_the_cache(make_app):
    app = make_app(PAGE_CACHE_SECONDS=30)
    with app.app_context():
        make_account(role=Role.ORGANIZER, email="org@example.org", password=PASSWORD)
        slug = make_event().slug
    staff = app.test_client()
    staff.post("/login", data={"email": "org@example.org", "password": PASSWORD, "remember": "y"})
    assert staff.get_cookie("remember_token") is not None
    staff.delete_cookie("session")  # the browser was closed; the remember-me cookie stays
    app.test_client().get(f"/e/{slug}/")  # an anonymous visit fills the cache

    staff_page = staff.get(f"/e/{slug}/")
    anonymous = app.test_client().get(f"/e/{slug}/")

    assert "Back office" in staff_page.get_data(as_text=True)  # logged in again by the cookie
    assert "Back office" not in anonymous.get_data(as_text=True)
    assert "csrf_token" not in anonymous.get_data(as_text=True)


def test_answer_that_sets_a_cookie_is_never_kept(cached_app):
    calls = []

    @pagecache.cached_page
    def personal():
        calls.append(1)
        response = make_response(f"call {len(calls)}")
        response.set_cookie("note", "for you only")
        return response

    cached_app.add_url_rule("/test-personal", view_func=personal)
    client = cached_app.test_client()

    first = client.get("/test-personal")
    second = client.get("/test-personal")

    assert first.data == b"call 1"
    assert second.data == b"call 2"
    assert second.headers["Set-Cookie"].startswith("note=")


def test_query_string_keeps_feeds_apart(cached_app):
    with cached_app.app_context():
        event = make_event()
        make_session(event, title="English title", title_ko="한국어 제목")
        slug = event.slug
    client = cached_app.test_client()
    english = client.get(f"/e/{slug}/agenda.ics")

    korean = client.get(f"/e/{slug}/agenda.ics?lang=ko")

    assert _summaries(english) == ["English title"]
    assert _summaries(korean) == ["한국어 제목"]


def _summaries(response):
    return [str(e["summary"]) for e in icalendar.Calendar.from_ical(response.data).walk("VEVENT")]


def test_head_is_answered_by_the_app_without_a_body(cached_app):
    with cached_app.app_context():
        slug = make_event().slug
    client = cached_app.test_client()
    client.get(f"/e/{slug}/")

    head = client.head(f"/e/{slug}/")

    assert head.status_code == 200
    assert head.data == b""


def test_kept_answers_stay_within_the_byte_budget_oldest_going_first(cached_app, monkeypatch):
    # Feeds asked for with ever new query strings must not grow a worker without bound.
    monkeypatch.setattr(pagecache, "MAX_BYTES", 40_000)
    monkeypatch.setattr(pagecache, "MAX_BODY_BYTES", 20_000)
    with cached_app.app_context():
        event = make_event()
        for n in range(6):
            make_session(event, title=f"Session {n} " + "x" * 200)
        slug = event.slug
    client = cached_app.test_client()
    cache = cached_app.extensions["eventapp_page_cache"]
    feed = client.get(f"/e/{slug}/agenda.ics?n=0")
    assert 2_000 < len(feed.data) < 20_000

    for n in range(1, 40):
        assert client.get(f"/e/{slug}/agenda.ics?n={n}").status_code == 200
        assert cache.size <= pagecache.MAX_BYTES

    kept = [key[3] for key in cache.entries]
    assert kept[-1] == "n=39"  # the newest is kept, the oldest went
    assert "n=0" not in kept
    assert cache.size == sum(pagecache._cost(entry) for entry in cache.entries.values())


def test_expired_answers_go_before_fresh_ones(cached_app, monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(pagecache.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(pagecache, "MAX_ENTRIES", 3)
    with cached_app.app_context():
        slug = make_event().slug
    client = cached_app.test_client()
    cache = cached_app.extensions["eventapp_page_cache"]
    client.get(f"/e/{slug}/?a")
    client.get(f"/e/{slug}/?b")
    clock[0] += 20
    client.get(f"/e/{slug}/?c")  # a and b expire first
    clock[0] += 15

    client.get(f"/e/{slug}/?d")

    assert [key[3] for key in cache.entries] == ["c", "d"]


def test_an_answer_larger_than_the_body_limit_is_passed_on_not_kept(cached_app, monkeypatch):
    monkeypatch.setattr(pagecache, "MAX_BODY_BYTES", 100)
    with cached_app.app_context():
        slug = make_event().slug
    client = cached_app.test_client()

    page = client.get(f"/e/{slug}/")

    assert page.status_code == 200
    assert len(page.data) > 100
    assert cached_app.extensions["eventapp_page_cache"].entries == {}
