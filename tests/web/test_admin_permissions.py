"""Every staff route, every role, on an event of the account's team and on another event:
anonymous → login, checkin → 403, organizer → all but account management on its own
events and 404 on another's, admin → all. The route list comes from the app, so a new
route is covered the day it is added.

Team rules (#15): an organizer or door account acts only on the events of its teams.
Speakers, organizations and venues are shared: an organizer changes one only while no
event outside its teams uses it (403 on another event's), though it sees the lists.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from PIL import Image
from werkzeug.routing import Rule

from eventapp.models import Account, QuestionKind, Role, TeamMember, db
from eventapp.services import questions
from eventapp.services.partnering import profiles, requests
from eventapp.services.questions import QuestionData
from eventapp.services.setup import speakers
from tests.factories import (
    link_speaker,
    make_account,
    make_event,
    make_government,
    make_host,
    make_invitation,
    make_organization,
    make_outbox_message,
    make_rapporteur_assignment,
    make_recommendation,
    make_registration,
    make_room,
    make_session,
    make_speaker,
    make_track,
    make_venue,
)

ADMIN_ONLY = ("admin.account_", "admin.audit_log")
#: Staff routes outside the admin blueprint (organizers and up).
STAFF_ENDPOINTS = (
    "admin.",
    "api.",
    "checkin.counts",
    "checkin.find",
    "checkin.check_in_by_name",
    "checkin.partnering_",
    "outcomes.",
)
#: Outcomes pages for organizers only (a rapporteur gets 403); the rest of "outcomes." is
#: open to rapporteurs on the events assigned to them (#18).
ORGANIZER_OUTCOMES = (
    "outcomes.session_publish",
    "outcomes.recommendation_publish",
    "outcomes.rapporteur_",
    "outcomes.event_report",
    "outcomes.follow_up",
)
#: A rapporteur may delete a draft, not a published recommendation (the walk's are published).
PUBLISHED_ONLY_ORGANIZERS = "outcomes.recommendation_delete"
#: The door's own pages, open to door staff as to organizers (within their teams).
DOOR_ENDPOINTS = (
    "checkin.counts",
    "checkin.find",
    "checkin.check_in_by_name",
    "checkin.partnering_",
)
#: URL parts that name an event or something of one: such routes answer only its team.
EVENT_ARGUMENTS = frozenset(
    {
        "slug",
        "registration_id",
        "message_id",
        "meeting_id",
        "run_id",
        "table_id",
        "invitation_id",
        "delegation_id",
        "profile_id",
    }
)
#: URL parts naming a shared speaker, organization or venue: changing one that another
#: team's event uses is refused (`teams.may_change_shared`); its photo stays viewable.
SHARED_ARGUMENTS = frozenset({"speaker_id", "organization_id", "venue_id"})
VIEW_ONLY = ("admin.speaker_photo",)
#: Confirmation pages that make sense only in some state (restore: a cancelled session);
#: in the walk's world they send the organizer back to the object's page.
NOT_APPLICABLE_HERE = {"admin.session_restore": "/edit"}


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "navy").save(buffer, "PNG")
    return buffer.getvalue()


def _world(photos: Path | None = None, *, team: tuple[int, ...] = ()) -> dict[str, Any]:
    """Objects for the URLs: fresh ones for each allowed POST, so a delete spoils nothing.

    `team`: ids of the accounts in the new event's team."""
    venue = make_venue()
    event = make_event(venue=venue)  # the venue is this event's, hence its team's
    db.session.add_all(TeamMember(event_id=event.id, account_id=i) for i in team)
    db.session.commit()
    room = make_room(event)
    make_track(event)
    session = make_session(event, room=room)
    speaker = make_speaker(organization=make_organization())
    host = make_host(event, make_organization())
    link_speaker(session, speaker)
    recommendation = make_recommendation(session, make_government())
    assignment = None
    for account_id in team:  # a rapporteur's "team" is its assignment to the event
        assignment = make_rapporteur_assignment(db.session.get(Account, account_id), event)
    if assignment is None:
        assignment = make_rapporteur_assignment(make_account(Role.RAPPORTEUR), event)
    if photos is not None:
        speakers.save_photo(speaker, _png(), by=None, photos_dir=photos)
    registration = make_registration(event)
    message = make_outbox_message(registration)
    question = questions.add_question(event, QuestionData(kind=QuestionKind.YES_NO, label="Lunch?"))
    scheduling = _scheduling(event)
    invitation, delegation = make_invitation(event)
    return {
        **scheduling,
        "slug": event.slug,
        "kind": "rooms",
        "item_id": room.id,
        "session_id": session.id,
        "speaker_id": speaker.id,
        "organization_id": speaker.organization_id,
        "registration_id": registration.id,
        "message_id": message.id,
        "account_id": make_account(Role.ORGANIZER).id,
        "venue_id": venue.id,
        "host_id": host.id,
        "size": 96,
        "change": "deactivate",
        "action": "resend",
        "recommendation_id": recommendation.id,
        "assignment_id": assignment.id,
        "file_format": "md",
        "question_id": question.id,
        "invitation_id": invitation.id,
        "delegation_id": delegation.id,
    }


def _scheduling(event: Any) -> dict[str, int]:
    """A partnering session with a placed meeting and a finished scheduler run (#20)."""
    from eventapp.services.partnering import manual, runs
    from tests.partnering.support import participant, session

    profiles.configure(event, by=None, enabled=True)
    made = session(event, tables=2)
    first = participant(event, "Example Walk US", "US")
    second = participant(event, "Example Walk KR", "KR")
    meeting = requests.create_meeting(first, second, by=None)
    manual.place_at(meeting, made.slots[0], made.tables[0], by=None)
    run = runs.execute(runs.start_run(event, by=None, time_limit=1).id)
    return {
        "meeting_id": meeting.id,
        "run_id": run.id,
        "table_id": made.tables[0].id,
        "profile_id": first.organization_id,
    }


def _admin_rules(app: Flask) -> list[Rule]:
    return sorted(
        (rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("admin.")),
        key=lambda rule: rule.rule,
    )


def _staff_rules(app: Flask) -> list[Rule]:
    return sorted(
        (rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith(STAFF_ENDPOINTS)),
        key=lambda rule: rule.rule,
    )


def _requests(
    app: Flask, photos: Path, *, fresh_posts: bool, team: tuple[int, ...]
) -> list[tuple[Rule, str, str]]:
    """(rule, method, url) for every staff rule and method, on an event of `team`."""
    found = []
    with app.app_context(), app.test_request_context():
        shared = _world(photos, team=team)
        for rule in _staff_rules(app):
            for method in sorted(rule.methods & {"GET", "POST"}):
                values = _world(team=team) if method == "POST" and fresh_posts else shared
                arguments = {name: values[name] for name in rule.arguments}
                found.append((rule, method, app.url_for(rule.endpoint, **arguments)))
    return found


@pytest.mark.parametrize("event", ["own", "other"])
@pytest.mark.parametrize("role", [None, Role.CHECKIN, Role.RAPPORTEUR, Role.ORGANIZER, Role.ADMIN])
def test_every_staff_route_enforces_roles_and_teams(make_app, tmp_path, role, event):
    app = make_app(PHOTOS_DIR=str(tmp_path))
    client = app.test_client()
    team: tuple[int, ...] = ()
    if role is not None:
        with app.app_context():
            account = make_account(role, password="password-123456")
            email, team = account.email, (account.id,)
        response = client.post("/login", data={"email": email, "password": "password-123456"})
        assert response.status_code == 302
    if event == "other":
        with app.app_context():  # the account is in another event's team, not in this one's
            _world(team=team)
        team = ()
    requests = _requests(app, tmp_path, fresh_posts=role is not None, team=team)
    assert len(requests) >= 50  # the whole back office, not a handful of pages

    for rule, method, url in requests:
        response = client.open(url, method=method)
        response.close()  # send_file responses hold a file open
        label = f"{method} {url} as {role} on the {event} event"
        endpoint = rule.endpoint
        if role is None and endpoint.startswith("api."):
            assert response.status_code == 401, label
        elif role is None:
            assert response.status_code == 302, label
            assert response.headers["Location"].startswith("/login?next="), label
        elif (
            (role is Role.CHECKIN and not endpoint.startswith(DOOR_ENDPOINTS))
            or (role is Role.ORGANIZER and endpoint.startswith(ADMIN_ONLY))
            or (
                role is Role.RAPPORTEUR
                and (
                    not endpoint.startswith("outcomes.") or endpoint.startswith(ORGANIZER_OUTCOMES)
                )
            )
            or (
                role is Role.RAPPORTEUR
                and endpoint == PUBLISHED_ONLY_ORGANIZERS
                and method == "POST"
                and event == "own"
            )
        ):
            assert response.status_code == 403, label
        elif role is not Role.ADMIN and event == "other" and rule.arguments & EVENT_ARGUMENTS:
            assert response.status_code == 404, label
        elif (
            role is not Role.ADMIN
            and event == "other"
            and rule.arguments & SHARED_ARGUMENTS
            and endpoint not in VIEW_ONLY
        ):
            assert response.status_code == 403, label
        elif method == "GET" and endpoint in NOT_APPLICABLE_HERE:
            assert response.status_code == 302, label
            assert response.headers["Location"].endswith(NOT_APPLICABLE_HERE[endpoint]), label
        elif method == "GET":
            assert response.status_code == 200, label
        elif endpoint == "admin.venue_delete":  # its own event is held there
            assert response.status_code == 409, label
        else:
            assert response.status_code in {200, 302, 400}, label
