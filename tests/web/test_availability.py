"""The public pages say whether registration is open, full, not yet open or closed (#22)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from eventapp.models import RegistrationStatus
from eventapp.services.registration.availability import State, event_availability
from tests.factories import make_event, make_registration, make_session, make_signup
from tests.web.test_public import page

NOW = datetime.now(UTC)


def _event(app, *, confirmed: int = 0, waiting: int = 0, **values) -> str:
    with app.app_context():
        event = make_event(**values)
        for _ in range(confirmed):
            make_registration(event)
        for _ in range(waiting):
            make_registration(event, status=RegistrationStatus.WAITLISTED, waitlisted_at=NOW)
        return event.slug


def _note(node) -> str:
    return node.find("p", cls="availability").text


def _buttons(node) -> list[str]:
    return [a.text for a in node.find_all("a", cls="button")]


def test_a_full_event_says_so_on_the_event_page_the_card_and_the_form(app, client):
    slug = _event(app, capacity=2, confirmed=2)

    event_page = page(client, f"/e/{slug}/")
    assert _note(event_page) == "Full — join the waiting list"
    assert "Join the waiting list" in _buttons(event_page)
    assert "Register" not in _buttons(event_page)
    cards = page(client, "/").find_all("li", cls="event-card")
    [card] = [c for c in cards if c.find("a").attrs["href"] == f"/e/{slug}/"]
    assert "Full — join the waiting list" in card.text
    form = page(client, f"/e/{slug}/register")
    assert "you will join the waiting list" in form.find("p", cls="notice").text
    assert form.find("button", type="submit").text == "Join the waiting list"


def test_those_already_waiting_take_the_free_seats_first(app, client):
    slug = _event(app, capacity=3, confirmed=2, waiting=1)

    assert _note(page(client, f"/e/{slug}/")) == "Full — join the waiting list"


def test_seats_left_are_shown_only_when_the_organizers_want_it(app, client):
    shown = _event(app, capacity=10, confirmed=3, show_seats_left=True)
    hidden = _event(app, capacity=10, confirmed=3)

    assert _note(page(client, f"/e/{shown}/")) == "7 seats left"
    assert _note(page(client, f"/e/{hidden}/")) == "Registration is open."
    assert "Register" in _buttons(page(client, f"/e/{hidden}/"))
    form = page(client, f"/e/{hidden}/register")
    assert form.find_all("p", cls="notice") == []
    assert form.find("button", type="submit").text == "Register"


def test_a_closed_registration_names_the_day_it_closed_and_offers_no_button(app, client):
    closes = datetime(2023, 11, 1, 9, 0, tzinfo=UTC)  # 18:00 in Seoul
    slug = _event(app, registration_closes_at=closes)

    event_page = page(client, f"/e/{slug}/")
    note = _note(event_page)
    assert note.startswith("Registration closed on")
    assert "18:00" in note
    assert "2023" in note
    assert "Register" not in _buttons(event_page)
    assert "Join the waiting list" not in _buttons(event_page)


def test_a_registration_not_yet_open_says_when_it_opens_and_when_it_closes(app, client):
    opens, closes = NOW + timedelta(days=2), NOW + timedelta(days=9)
    slug = _event(app, registration_opens_at=opens, registration_closes_at=closes)

    assert _note(page(client, f"/e/{slug}/")).startswith("Registration opens on")
    with app.app_context():
        from eventapp.models import Event, db

        event = db.session.scalar(db.select(Event).where(Event.slug == slug))
        found = event_availability(event)
        assert (found.state, found.opens_at, found.closes_at) == (State.NOT_OPEN, opens, closes)
        assert event_availability(event, now=opens).state is State.OPEN
        assert event_availability(event, now=closes).state is State.CLOSED


def test_an_open_registration_says_when_it_closes(app, client):
    slug = _event(app, registration_closes_at=NOW + timedelta(days=3))

    assert "Registration closes on" in _note(page(client, f"/e/{slug}/"))


@pytest.mark.parametrize(
    ("taken", "show", "expected"),
    [
        (1, True, "Limited seats: sign-up needed. 1 seats left"),
        (1, False, "Limited seats: sign-up needed."),
        (2, False, "Full — join the waiting list"),
    ],
)
def test_a_session_with_seats_says_how_many_are_left_or_that_it_is_full(
    app, client, taken, show, expected
):
    with app.app_context():
        event = make_event(show_seats_left=show)
        session = make_session(event, capacity=2, is_published=True)
        for _ in range(taken):
            make_signup(make_registration(event), session)
        url = f"/e/{event.slug}/sessions/{session.id}"
        open_to_all = make_session(event, is_published=True)
        open_url = f"/e/{event.slug}/sessions/{open_to_all.id}"

    assert _note(page(client, url)) == expected
    assert page(client, open_url).find_all("p", cls="availability") == []


def test_the_notes_are_in_korean_in_the_korean_interface(app, client):
    slug = _event(app, capacity=1, confirmed=1)
    client.set_cookie("lang", "ko")

    assert _note(page(client, f"/e/{slug}/")) == "정원 마감 — 대기자 명단에 등록하세요"
