"""Organizers edit any partnering profile of their event from the back office (#16)."""

import io
import re

import pytest
from PIL import Image

from eventapp.models import AuditEntry, Organization, Role, TagDirection, db
from eventapp.services.partnering import profiles
from tests.partnering.support import participant, partnering_event


@pytest.fixture
def app(make_app, tmp_path):
    return make_app(PHOTOS_DIR=str(tmp_path))


def _world(app):
    with app.app_context():
        event = partnering_event()
        first = participant(event, "Example Launch US", "US", offers=("launch",))
        outsider = participant(partnering_event(), "Example Elsewhere", "KR")
        return {
            "slug": event.slug,
            "event_id": event.id,
            "org": first.organization_id,
            "elsewhere": outsider.organization_id,
        }


def _png(size=(400, 200)) -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", size, "navy").save(buffer, "PNG")
    buffer.seek(0)
    return buffer


def _url(w, suffix=""):
    return f"/admin/events/{w['slug']}/partnering/profiles/{w['org']}{suffix}"


def test_the_partnering_page_links_each_organization_taking_part(app, client, login_as):
    w = _world(app)
    login_as(Role.ORGANIZER)

    page = client.get(f"/admin/events/{w['slug']}/partnering").get_data(as_text=True)

    assert "Organizations taking part" in page
    assert f'href="{_url(w)}">Example Launch US</a>' in page


def test_an_organizer_edits_the_profile_and_its_tags(app, client, login_as):
    w = _world(app)
    organizer = login_as(Role.ORGANIZER)
    form = client.get(_url(w))
    assert form.status_code == 200
    assert 'value="Example Launch US"' in form.get_data(as_text=True)

    response = client.post(
        _url(w),
        data={
            "name": "Example Launch Systems",
            "name_ko": "예시 발사",
            "country": "US",
            "website": "https://launch.example.org",
            "description": "Small launchers.",
            "offers": ["launch", "satellites"],
            "seeks": ["ground-segment"],
        },
    )

    assert response.status_code == 302
    with app.app_context():
        organization = db.session.get(Organization, w["org"])
        assert (organization.name, organization.name_ko) == ("Example Launch Systems", "예시 발사")
        tags = profiles.organization_tags(organization_event(w), organization.id)
        assert [t.key for t in tags[TagDirection.OFFERS]] == ["launch", "satellites"]
        assert [t.key for t in tags[TagDirection.SEEKS]] == ["ground-segment"]
        audit = db.session.scalars(
            db.select(AuditEntry).where(AuditEntry.action == "partnering.profile")
        ).all()
        assert [entry.account_id for entry in audit][-1] == organizer.id


def organization_event(w):
    from eventapp.models import Event

    return db.session.get(Event, w["event_id"])


def test_bad_input_is_shown_next_to_the_field_and_changes_nothing(app, client, login_as):
    w = _world(app)
    login_as(Role.ORGANIZER)

    response = client.post(_url(w), data={"name": "Renamed", "website": "not a url"})

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'value="Renamed"' in page  # what was typed is kept
    assert 'aria-invalid="true"' in page
    unknown = client.post(_url(w), data={"name": "Renamed", "offers": ["no-such-tag"]})
    assert unknown.status_code == 400
    assert "Unknown tag: no-such-tag" in unknown.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Organization, w["org"]).name == "Example Launch US"


def test_an_organization_not_taking_part_in_this_event_is_not_found(app, client, login_as):
    w = _world(app)
    login_as(Role.ORGANIZER)

    url = f"/admin/events/{w['slug']}/partnering/profiles/{w['elsewhere']}"

    assert client.get(url).status_code == 404
    assert client.post(url, data={"name": "Taken over"}).status_code == 404
    with app.app_context():
        assert db.session.get(Organization, w["elsewhere"]).name == "Example Elsewhere"


def test_an_organizer_uploads_and_removes_the_logo(app, client, login_as, tmp_path):
    w = _world(app)
    login_as(Role.ORGANIZER)

    refused = client.post(
        _url(w, "/logo"),
        data={"logo": (io.BytesIO(b"<svg xmlns='http://www.w3.org/2000/svg'/>"), "logo.svg")},
        content_type="multipart/form-data",
    )
    assert refused.status_code == 400
    # The page shown again keeps the profile's tags ticked (it once showed them cleared).
    assert re.search(r'<input checked[^>]*value="launch"', refused.get_data(as_text=True))
    saved = client.post(
        _url(w, "/logo"),
        data={"logo": (_png(), "logo.png")},
        content_type="multipart/form-data",
    )
    assert saved.status_code == 302
    with app.app_context():
        assert (db.session.get(Organization, w["org"]).logo or "").endswith(".jpg")
    assert any(tmp_path.iterdir())

    client.post(_url(w, "/logo/remove"))

    with app.app_context():
        assert db.session.get(Organization, w["org"]).logo is None
    assert not any(tmp_path.iterdir())
