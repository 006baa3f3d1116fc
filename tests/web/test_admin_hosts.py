"""An event's hosts in the back office: added, reordered, given another role, removed;
the public event page follows."""

from __future__ import annotations

import re

import pytest

from eventapp.models import AuditEntry, Event, EventHost, HostRole, Organization, Role, db
from tests.factories import make_event, make_host, make_organization


@pytest.fixture
def organizer(login_as):
    return login_as(Role.ORGANIZER)


@pytest.fixture
def world(app):
    with app.app_context():
        event = make_event(is_published=True)
        ministry = make_organization(name="Ministry of Foreign Affairs", name_ko="외교부")
        nasa = make_organization(name="NASA")
        return {"slug": event.slug, "ministry": ministry.id, "nasa": nasa.id}


def _hosts(app, slug):
    with app.app_context():
        event = db.session.scalar(db.select(Event).where(Event.slug == slug))
        return [(h.organization.name, h.role, h.position) for h in event.hosts]


def test_an_organization_is_added_and_shown_on_the_public_page(app, client, organizer, world):
    slug = world["slug"]
    before = client.get(f"/e/{slug}/").get_data(as_text=True)

    response = client.post(
        f"/admin/events/{slug}/hosts",
        data={"organization_id": world["ministry"], "role": "host", "position": "0"},
    )
    client.post(
        f"/admin/events/{slug}/hosts",
        data={"organization_id": world["nasa"], "role": "co_organizer", "position": "1"},
    )

    assert response.status_code == 302
    assert _hosts(app, slug) == [
        ("Ministry of Foreign Affairs", HostRole.HOST, 0),
        ("NASA", HostRole.CO_ORGANIZER, 1),
    ]
    assert "Ministry of Foreign Affairs" not in before
    page = client.get(f"/e/{slug}/").get_data(as_text=True)
    assert "Ministry of Foreign Affairs" in page
    assert "Co-organizer" in page
    listing = client.get(f"/admin/events/{slug}/hosts").get_data(as_text=True)
    assert "외교부" in listing
    # The name opens the host: on a phone the actions column is off-screen.
    link = rf'<a href="/admin/events/{slug}/hosts/\d+/edit">Ministry of Foreign Affairs</a>'
    assert re.search(link, listing)
    with app.app_context():
        actions = db.session.scalars(db.select(AuditEntry.action)).all()
        assert actions.count("event.host_add") == 2


def test_the_same_organization_twice_is_refused_next_to_the_field(app, client, organizer, world):
    slug = world["slug"]
    data = {"organization_id": world["ministry"], "role": "host", "position": "0"}
    client.post(f"/admin/events/{slug}/hosts", data=data)

    response = client.post(f"/admin/events/{slug}/hosts", data=data | {"role": "sponsor"})

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "already listed" in page
    assert _hosts(app, slug) == [("Ministry of Foreign Affairs", HostRole.HOST, 0)]


@pytest.mark.parametrize(
    "data",
    [
        {"organization_id": "", "role": "host"},
        {"organization_id": "999999", "role": "host"},
        {"organization_id": "nope", "role": "host"},
        {"role": "owner"},
        {"position": "-1"},
    ],
)
def test_bad_input_changes_nothing(app, client, organizer, world, data):
    values = {"organization_id": world["nasa"], "role": "host", "position": "0"} | data

    response = client.post(f"/admin/events/{world['slug']}/hosts", data=values)

    assert response.status_code == 400
    assert _hosts(app, world["slug"]) == []


def test_a_host_is_edited_and_removed(app, client, organizer, world):
    slug = world["slug"]
    with app.app_context():
        event = db.session.scalar(db.select(Event).where(Event.slug == slug))
        host_id = make_host(event, db.session.get(Organization, world["ministry"])).id

    edit = client.get(f"/admin/events/{slug}/hosts/{host_id}/edit").get_data(as_text=True)
    assert 'selected value="host"' in edit or 'value="host" selected' in edit
    response = client.post(
        f"/admin/events/{slug}/hosts/{host_id}/edit",
        data={"organization_id": world["nasa"], "role": "partner", "position": "3"},
    )
    assert response.status_code == 302
    assert _hosts(app, slug) == [("NASA", HostRole.PARTNER, 3)]

    assert client.get(f"/admin/events/{slug}/hosts/{host_id}/delete").status_code == 200
    assert client.post(f"/admin/events/{slug}/hosts/{host_id}/delete").status_code == 302
    assert _hosts(app, slug) == []
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(EventHost.id))) == 0


def test_another_events_host_is_not_found(app, client, organizer, world):
    with app.app_context():
        other = make_event()
        host_id = make_host(other, make_organization()).id

    response = client.get(f"/admin/events/{world['slug']}/hosts/{host_id}/edit")

    assert response.status_code == 404
