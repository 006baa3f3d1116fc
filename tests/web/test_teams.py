"""Per-event teams on the pages (#15): lists, the door and the empty back office.

Every staff route, role and event (own, other) is walked in test_admin_permissions.
"""

from __future__ import annotations

import pytest

from eventapp.models import Event, Role, Scan, db
from eventapp.services.checkin.badges import BadgeKeys, badge_token
from tests.factories import make_event, make_outbox_message, make_registration, make_session
from tests.web.test_public import page

KEYS = BadgeKeys.from_secrets("test-secret-key")


@pytest.fixture
def two_events(app):
    """The Forum and the Symposium, each with one confirmed attendee and one message."""
    with app.app_context():
        found = {}
        for slug in ("forum", "symposium"):
            event = make_event(slug=slug, title=f"The {slug.title()}")
            registration = make_registration(event, email=f"someone@{slug}.example.org")
            message = make_outbox_message(registration, subject=f"News of the {slug}")
            found[slug] = {
                "event": event,
                "id": event.id,
                "token": badge_token(registration, KEYS),
                "session_id": make_session(event).id,
                "message_id": message.id,
            }
        return found


def _titles(client, url):
    return [
        a.text for a in page(client, url).find("main").find_all("a") if a.text.startswith("The ")
    ]


def test_back_office_lists_only_the_organizers_events(client, login_as, two_events):
    login_as(Role.ORGANIZER, events=[two_events["forum"]["event"]])

    assert _titles(client, "/admin/") == ["The Forum"]


def test_admin_sees_every_event_without_a_team(client, login_as, two_events):
    login_as(Role.ADMIN, events=())

    assert _titles(client, "/admin/") == ["The Forum", "The Symposium"]


@pytest.mark.parametrize(("role", "url"), [(Role.ORGANIZER, "/admin/"), (Role.CHECKIN, "/checkin")])
def test_staff_in_no_team_see_an_empty_office_that_says_why(
    client, login_as, two_events, role, url
):
    login_as(role, events=())

    main = page(client, url).find("main")

    assert main.find("p", cls="notice").text == (
        "You are not in the team of any event yet: an admin must add you to an event."
    )
    assert "The Forum" not in main.text


def test_outbox_lists_only_the_organizers_events_messages(client, login_as, two_events):
    login_as(Role.ORGANIZER, events=[two_events["forum"]["event"]])

    text = page(client, "/admin/outbox").find("main").text

    assert "News of the forum" in text
    assert "News of the symposium" not in text
    other = two_events["symposium"]["message_id"]
    assert client.get(f"/admin/outbox/{other}").status_code == 404


def test_a_message_of_no_event_is_for_admins_only(app, client, login_as, two_events):
    with app.app_context():
        message_id = make_outbox_message(None, subject="Your password reset").id
    login_as(Role.ORGANIZER)

    assert "Your password reset" not in page(client, "/admin/outbox").find("main").text
    assert client.get(f"/admin/outbox/{message_id}").status_code == 404


def test_an_organizer_who_creates_an_event_is_in_its_team(app, client, login_as):
    account = login_as(Role.ORGANIZER, events=())
    form = {
        "slug": "new-event",
        "acronym": "NEW",
        "title": "The New Event",
        "timezone": "Asia/Seoul",
        "starts_at": "2023-11-08T09:00",
        "ends_at": "2023-11-08T18:00",
    }

    response = client.post("/admin/events/new", data=form)

    assert response.headers["Location"] == "/admin/events/new-event/"
    assert client.get("/admin/events/new-event/").status_code == 200
    assert _titles(client, "/admin/") == ["The New Event"]
    with app.app_context():
        from eventapp.services.accounts import teams

        assert [e.slug for e in teams.events_of(db.session.merge(account))] == ["new-event"]


def test_scanner_offers_only_the_door_accounts_events(client, login_as, two_events):
    login_as(Role.CHECKIN, events=[two_events["forum"]["event"]])

    options = page(client, "/checkin").find("select", id="event").find_all("option")
    other = client.get("/checkin?event=symposium").get_data(as_text=True)

    assert [o.attrs["value"] for o in options] == ["forum"]
    assert 'data-event="symposium"' not in other


@pytest.mark.parametrize(
    "door",
    [
        {"event": "symposium"},
        {"session": "symposium"},
        {},  # no door named: the badge's event would decide, which only admins may leave open
    ],
)
def test_door_account_cannot_scan_at_another_events_door(app, client, login_as, two_events, door):
    login_as(Role.CHECKIN, events=[two_events["forum"]["event"]])
    body = {"token": two_events["symposium"]["token"]}
    if "event" in door:
        body["event"] = door["event"]
    if "session" in door:
        body["session_id"] = two_events[door["session"]]["session_id"]

    response = client.post("/api/checkin", json=body)

    assert response.status_code == 403
    assert response.json["error"] == "forbidden"
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Scan.id))) == 0


def test_door_account_scans_at_its_own_events_door(client, login_as, two_events):
    login_as(Role.CHECKIN, events=[two_events["forum"]["event"]])

    response = client.post(
        "/api/checkin", json={"token": two_events["forum"]["token"], "event": "forum"}
    )

    assert response.status_code == 200
    assert response.json["result"] == "checked_in"


def test_admin_scans_without_naming_the_door(client, login_as, two_events):
    login_as(Role.ADMIN, events=())

    response = client.post("/api/checkin", json={"token": two_events["symposium"]["token"]})

    assert response.json["result"] == "checked_in"


def test_stats_api_of_another_event_is_a_json_404(client, login_as, two_events):
    login_as(Role.ORGANIZER, events=[two_events["forum"]["event"]])

    response = client.get("/api/events/symposium/stats")

    assert response.status_code == 404
    assert response.json["error"] == "not_found"
    assert client.get("/api/events/forum/stats").status_code == 200


def test_deleting_an_event_keeps_the_account(app, client, login_as, two_events):
    login_as(Role.ORGANIZER, events=[two_events["forum"]["event"]])

    client.post("/admin/events/forum/delete")

    assert _titles(client, "/admin/") == []
    with app.app_context():
        assert db.session.scalar(db.select(Event.slug)) == "symposium"


# --- Admins manage teams on the Accounts pages ---


@pytest.fixture
def staff(app, two_events):
    """An organizer of the Forum and a door account in no team, as ids and emails."""
    from tests.factories import add_to_team, make_account

    with app.app_context():
        organizer = add_to_team(
            make_account(Role.ORGANIZER, email="org@example.org"),
            db.session.merge(two_events["forum"]["event"]),
        )
        door = make_account(Role.CHECKIN, email="door@example.org")
        return {"organizer": organizer.id, "door": door.id}


def _row(main, email):
    return next(tr for tr in main.find_all("tr") if tr.find_all("td") and email in tr.text)


def test_accounts_page_says_which_events_each_account_acts_on(client, login_as, staff):
    login_as(Role.ADMIN, email="boss@example.org")

    main = page(client, "/admin/accounts").find("main")

    events_cell = 2  # email, role, events
    assert (
        _row(main, "org@example.org").find_all("td")[events_cell].text.split("Change")[0].strip()
        == "The Forum"
    )
    assert "None yet" in _row(main, "door@example.org").find_all("td")[events_cell].text
    assert "Every event" in _row(main, "boss@example.org").find_all("td")[events_cell].text


def test_team_page_shows_the_accounts_events_checked(client, login_as, staff, two_events):
    login_as(Role.ADMIN)

    boxes = page(client, f"/admin/accounts/{staff['organizer']}/events").find_all(
        "input", type="checkbox"
    )

    checked = {box.attrs["value"]: "checked" in box.attrs for box in boxes}
    forum, symposium = (str(two_events[s]["id"]) for s in ("forum", "symposium"))
    assert checked == {forum: True, symposium: False}


def test_admin_changes_an_accounts_events_and_it_is_audited(
    app, client, login_as, staff, two_events
):
    from eventapp.models import AuditEntry

    admin = login_as(Role.ADMIN)
    symposium = two_events["symposium"]["id"]

    response = client.post(
        f"/admin/accounts/{staff['organizer']}/events", data={"events": [str(symposium)]}
    )

    assert response.headers["Location"] == "/admin/accounts"
    with app.app_context():
        from eventapp.models import Account
        from eventapp.services.accounts import teams

        organizer = db.session.get(Account, staff["organizer"])
        assert [e.slug for e in teams.events_of(organizer)] == ["symposium"]
        entries = db.session.execute(
            db.select(AuditEntry.action, AuditEntry.account_id, AuditEntry.details)
            .where(AuditEntry.action.startswith("team."))
            .order_by(AuditEntry.id)
        ).all()
    assert [(action, by, details["event"]) for action, by, details in entries] == [
        ("team.remove", admin.id, "forum"),
        ("team.add", admin.id, "symposium"),
    ]


def test_team_page_refuses_an_unknown_event_and_changes_nothing(app, client, login_as, staff):
    login_as(Role.ADMIN)

    response = client.post(f"/admin/accounts/{staff['door']}/events", data={"events": ["999"]})

    assert response.status_code == 400
    assert 'id="events-error"' in response.get_data(as_text=True)
    with app.app_context():
        from eventapp.models import TeamMember

        count = db.session.scalar(
            db.select(db.func.count(TeamMember.id)).where(TeamMember.account_id == staff["door"])
        )
        assert count == 0


def test_a_door_account_added_by_an_admin_can_scan_there(client, login_as, staff, two_events):
    login_as(Role.ADMIN)
    forum = two_events["forum"]
    client.post(f"/admin/accounts/{staff['door']}/events", data={"events": [str(forum["id"])]})
    client.post("/logout")
    client.post("/login", data={"email": "door@example.org", "password": "password-123456"})

    response = client.post("/api/checkin", json={"token": forum["token"], "event": "forum"})

    assert response.json["result"] == "checked_in"


@pytest.mark.parametrize(("role", "next_page"), [("organizer", "events"), ("admin", "list")])
def test_creating_an_account_leads_to_choosing_its_events(app, client, login_as, role, next_page):
    login_as(Role.ADMIN)

    response = client.post(
        "/admin/accounts",
        data={"email": "new@example.org", "role": role, "password": "long enough password"},
    )

    with app.app_context():
        from eventapp.models import Account

        new_id = db.session.scalar(db.select(Account.id).where(Account.email == "new@example.org"))
    expected = f"/admin/accounts/{new_id}/events" if next_page == "events" else "/admin/accounts"
    assert response.headers["Location"] == expected
