"""Calendar feeds over HTTP: content type, filename, conditional requests, publication."""

from __future__ import annotations

import icalendar

from eventapp.models import db
from tests.factories import make_event, make_registration, make_session, make_signup


def setup_event(app, **overrides):
    with app.app_context():
        event = make_event(**overrides)
        session = make_session(event, title="Opening remarks", title_ko="개회사", capacity=9)
        hidden = make_session(event, is_published=False)
        registration = make_registration(event)
        make_signup(registration, session)
        return event.slug, session.id, session.uid, hidden.id, registration.manage_token


def test_agenda_feed_is_a_calendar_with_filename(app, client):
    slug, _sid, uid, _hidden, _token = setup_event(app)

    response = client.get(f"/e/{slug}/agenda.ics")

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Content-Disposition"] == f'inline; filename="{slug}.ics"'
    calendar = icalendar.Calendar.from_ical(response.data)
    assert str(calendar["method"]) == "PUBLISH"
    assert [str(e["uid"]) for e in calendar.walk("VEVENT")] == [uid]
    assert str(calendar.walk("VEVENT")[0]["summary"]) == "Opening remarks"


def test_agenda_feed_in_korean_with_lang_parameter(app, client):
    slug, *_ = setup_event(app)

    response = client.get(f"/e/{slug}/agenda.ics?lang=ko")

    vevent = icalendar.Calendar.from_ical(response.data).walk("VEVENT")[0]
    assert str(vevent["summary"]) == "개회사"


def test_agenda_feed_answers_304_to_matching_etag(app, client):
    slug, *_ = setup_event(app)
    first = client.get(f"/e/{slug}/agenda.ics")

    again = client.get(f"/e/{slug}/agenda.ics", headers={"If-None-Match": first.headers["ETag"]})
    korean = client.get(
        f"/e/{slug}/agenda.ics?lang=ko", headers={"If-None-Match": first.headers["ETag"]}
    )

    assert first.headers["Last-Modified"]
    assert (again.status_code, again.data) == (304, b"")
    assert korean.status_code == 200


def test_agenda_feed_etag_changes_when_a_session_moves(app, client):
    slug, session_id, *_ = setup_event(app)
    first = client.get(f"/e/{slug}/agenda.ics")
    with app.app_context():
        from datetime import timedelta

        from eventapp.models import AgendaSession
        from eventapp.services.agenda.scheduling import change_session

        session = db.session.get(AgendaSession, session_id)
        change_session(
            session,
            by=None,
            starts_at=session.starts_at + timedelta(hours=1),
            ends_at=session.ends_at + timedelta(hours=1),
        )

    again = client.get(f"/e/{slug}/agenda.ics", headers={"If-None-Match": first.headers["ETag"]})

    assert again.status_code == 200
    assert icalendar.Calendar.from_ical(again.data).walk("VEVENT")[0].decoded("sequence") == 1


def test_unpublished_event_has_no_feed(app, client):
    slug, *_ = setup_event(app, is_published=False)

    assert client.get(f"/e/{slug}/agenda.ics").status_code == 404


def test_session_feed_and_unpublished_session(app, client):
    slug, session_id, uid, hidden_id, _token = setup_event(app)

    response = client.get(f"/e/{slug}/sessions/{session_id}.ics")

    assert response.status_code == 200
    assert [str(e["uid"]) for e in icalendar.Calendar.from_ical(response.data).walk("VEVENT")] == [
        uid
    ]
    assert client.get(f"/e/{slug}/sessions/{hidden_id}.ics").status_code == 404


def test_personal_feed_by_token_is_private_and_conditional(app, client):
    _slug, _sid, uid, _hidden, token = setup_event(app)

    response = client.get(f"/me/{token}/agenda.ics")
    again = client.get(
        f"/me/{token}/agenda.ics", headers={"If-None-Match": response.headers["ETag"]}
    )

    assert response.status_code == 200
    assert uid in [
        str(e["uid"]) for e in icalendar.Calendar.from_ical(response.data).walk("VEVENT")
    ]
    assert "private" in response.headers["Cache-Control"]
    assert again.status_code == 304


def test_personal_feed_with_wrong_token_is_404(app, client):
    setup_event(app)

    assert client.get(f"/me/{'x' * 43}/agenda.ics").status_code == 404


def test_symposium_feed_in_korean_parsed_by_both_parsers(app, client):
    import vobject

    from tests.factories import make_symposium

    with app.app_context():
        s = make_symposium()
        slug = s["event"].slug
        expected = {
            s["opening"].uid: ("개회사", "CONFIRMED"),
            s["panel"].uid: ("공급망 회복력을 위한 파트너십", "CONFIRMED"),
            s["cancelled"].uid: ("정책 발표: 우주항공청", "CANCELLED"),
            s["reception"].uid: ("네트워킹 리셉션", "CONFIRMED"),
        }
        reception_uid = s["reception"].uid

    data = client.get(f"/e/{slug}/agenda.ics?lang=ko").data

    parsed = icalendar.Calendar.from_ical(data).walk("VEVENT")
    other = vobject.readOne(data.decode("utf-8")).vevent_list
    assert {str(e["uid"]): (str(e["summary"]), str(e["status"])) for e in parsed} == expected
    assert {e.uid.value: (e.summary.value, e.status.value) for e in other} == expected
    panel = next(e for e in other if e.summary.value.startswith("공급망"))
    assert panel.description.value.splitlines()[:4] == [
        "양국 기업이 회복력 있는 공급망을 논의합니다.",
        "",
        "———",
        "Partnerships for Supply Chain Resilience",
    ]
    reception = next(e for e in parsed if str(e["uid"]) == reception_uid)
    assert reception["dtstart"].to_ical() == b"20231108T233000"
    assert reception["dtend"].to_ical() == b"20231109T003000"


def test_calendar_links_macro_gives_webcal_subscription_and_download(app):
    from flask import render_template_string

    with app.app_context():
        event = make_event(slug="forum")
        session = make_session(event)
        session_id = session.id
        with app.test_request_context("/e/forum/agenda?lang=ko"):
            html = render_template_string(
                '{% from "feeds/_links.html" import agenda_links, agenda_items, session_link %}'
                "{{ agenda_links(event) }}{{ session_link(event, session) }}"
                "<ul>{{ agenda_items(event) }}</ul>",
                event=event,
                session=session,
            )

    assert 'href="webcal://events.example.org/e/forum/agenda.ics?lang=ko"' in html
    assert 'href="/e/forum/agenda.ics?lang=ko" type="text/calendar"' in html
    assert html.count('href="webcal://events.example.org/e/forum/agenda.ics?lang=ko"') == 2
    assert f'href="/e/forum/sessions/{session_id}.ics?lang=ko"' in html


def test_agenda_and_session_pages_link_to_their_calendar_files(app, client):
    from tests.factories import make_event, make_session

    with app.app_context():
        event = make_event()
        slug, session_id = event.slug, make_session(event).id

    agenda = client.get(f"/e/{slug}/agenda").get_data(as_text=True)
    session = client.get(f"/e/{slug}/sessions/{session_id}").get_data(as_text=True)

    assert f"webcal://events.example.org/e/{slug}/agenda.ics" in agenda
    assert f'href="/e/{slug}/agenda.ics"' in agenda
    assert f'href="/e/{slug}/sessions/{session_id}.ics"' in session
