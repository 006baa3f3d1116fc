"""Absolute links: one builder, right under a PUBLIC_URL with a path, in every output."""

from eventapp.links import public_url
from eventapp.services import calendar
from eventapp.services.agenda import schedule
from tests.factories import make_event, make_session


def test_links_follow_public_url_with_its_path_and_scheme(make_app):
    app = make_app(PUBLIC_URL="https://events.example.org/symposia")
    with app.app_context():
        assert public_url("public.event", slug="forum") == (
            "https://events.example.org/symposia/e/forum/"
        )
        assert public_url("feeds.agenda", slug="forum", lang=None) == (
            "https://events.example.org/symposia/e/forum/agenda.ics"
        )


def test_calendar_frab_and_mail_links_are_the_same_link(make_app):
    app = make_app(PUBLIC_URL="https://events.example.org/symposia")
    with app.app_context():
        event = make_event(is_published=True)
        session = make_session(event, is_published=True)
        expected = f"https://events.example.org/symposia/e/{event.slug}/sessions/{session.id}"

        entry = calendar.session_entry(session)
        exported = schedule.schedule_for(event)

    assert entry.url == expected
    assert [s.url for s in exported.sessions] == [expected]
    assert exported.base_url == "https://events.example.org/symposia/"
    assert exported.url == f"https://events.example.org/symposia/e/{event.slug}/"
