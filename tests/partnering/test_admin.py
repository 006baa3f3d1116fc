"""Organizers' partnering pages: settings, tags, sessions, a meeting, the CSV; teams."""

import csv
import io

from eventapp.models import AuditEntry, Event, Meeting, PartneringSession, PartneringTag, Role, db
from eventapp.services.partnering import profiles, requests
from tests.factories import make_event
from tests.partnering.support import participant, partnering_event


def test_settings_tags_sessions_and_a_meeting(app, client, login_as):
    with app.app_context():
        event = make_event()
        slug, event_id = event.slug, event.id
    login_as(Role.ORGANIZER)
    url = f"/admin/events/{slug}/partnering"
    assert client.get(url).status_code == 200
    response = client.post(
        f"{url}/settings",
        data={"enabled": "y", "request_limit": "5", "needs_acceptance": "y"},
    )
    assert response.status_code == 302
    bad = client.post(f"{url}/settings", data={"enabled": "y", "request_limit": "999"})
    assert bad.status_code == 400
    assert (
        client.post(
            f"{url}/tags", data={"key": "launch", "name": "Launch", "name_ko": "발사"}
        ).status_code
        == 302
    )
    assert client.post(f"{url}/tags", data={"key": "", "name": ""}).status_code == 400
    assert (
        client.post(
            f"{url}/sessions",
            data={
                "name": "Afternoon",
                "starts_at": "2026-11-10T05:00",
                "ends_at": "2026-11-10T08:30",
                "meeting_minutes": "20",
                "break_minutes": "5",
                "tables": "8",
            },
        ).status_code
        == 302
    )
    backwards = {"name": "X", "starts_at": "2026-11-10T08:00", "ends_at": "2026-11-10T07:00"}
    assert client.post(f"{url}/sessions", data=backwards).status_code == 400
    with app.app_context():
        event = db.session.get(Event, event_id)
        settings = profiles.settings_for(event)
        assert (settings.enabled, settings.request_limit) == (True, 5)
        assert db.session.scalar(db.select(PartneringTag.name_ko)) == "발사"
        made = db.session.scalar(db.select(PartneringSession))
        assert (len(made.slots), len(made.tables)) == (8, 8)
        actions = set(db.session.scalars(db.select(AuditEntry.action)))
        assert {"partnering.settings", "partnering.tag", "partnering.session"} <= actions
        a = participant(event, "Example A", "US")
        b = participant(event, "Example B", "KR")
        a_id, b_id = a.id, b.id
    assert (
        client.post(f"{url}/meetings", data={"first_id": a_id, "second_id": b_id}).status_code
        == 302
    )
    assert (
        client.post(f"{url}/meetings", data={"first_id": a_id, "second_id": a_id}).status_code
        == 400
    )
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Meeting.id))) == 1


def test_csv_is_utf8_with_a_bom_and_defuses_formulas(app, client, login_as):
    with app.app_context():
        event = partnering_event()
        a = participant(event, "Example 발사", "KR")
        b = participant(event, "Example B", "US")
        requests.send_request(a, b.id, note="=HYPERLINK(1)")
        slug = event.slug
    login_as(Role.ORGANIZER)
    response = client.get(f"/admin/events/{slug}/partnering.csv")
    assert response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[1][0] == "request"
    assert rows[1][4] == "Example 발사"
    assert rows[1][7] == "'=HYPERLINK(1)"


def test_another_teams_event_answers_404(app, client, login_as):
    with app.app_context():
        slug = make_event().slug
        other = make_event()
    login_as(Role.ORGANIZER, events=[other])
    assert client.get(f"/admin/events/{slug}/partnering").status_code == 404
    assert client.get(f"/admin/events/{slug}/partnering.csv").status_code == 404
    assert client.get(f"/e/{slug}/partnering").status_code == 404
