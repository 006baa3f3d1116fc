"""GET /e/<slug>/schedule.xml and schedule.json: published agenda, valid, cached by ETag."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from xml.etree import ElementTree as ET

import pytest
from flask import Flask
from flask.testing import FlaskClient

from eventapp.models import AgendaSession, Event, Role, SessionKind, SessionStatus, SpeakerRole, db
from eventapp.services.agenda.schedule import person_guid, split_description
from tests.builders.schedule_schemas import json_errors, parse_xml, validate_xml
from tests.factories import (
    link_speaker,
    make_event,
    make_room,
    make_session,
    make_speaker,
    make_track,
)

#: 8 November 2023, 09:00 in Seoul.
MORNING = datetime(2023, 11, 8, 0, 0, tzinfo=UTC)


@pytest.fixture
def agenda(app: Flask) -> dict[str, Any]:
    """A published event with an English session, a Hangul-only one and a late one."""
    with app.app_context():
        event = make_event(
            slug="forum",
            acronym="rokus-space-forum-2023",
            title="Test Symposium",
            starts_at=MORNING,
        )
        hall = make_room(event, name="Grand Ballroom", name_ko="그랜드 볼룸", capacity=300)
        track = make_track(event, name="우주 정책", name_ko="우주 정책")
        opening = make_session(
            event,
            title="Opening Remarks",
            title_ko="개회사",
            kind=SessionKind.REMARKS,
            room=hall,
            starts_at=MORNING,
            ends_at=MORNING + timedelta(minutes=20),
        )
        panel = make_session(
            event,
            title="우주산업 협력 패널",
            title_ko=None,
            description="한미 우주산업 협력.\n\n자세한 내용.",
            language="ko",
            kind=SessionKind.PANEL,
            track=track,
            room=hall,
            starts_at=MORNING + timedelta(hours=2),
        )
        # 23:30 to 00:30 in Seoul: across the day boundary, and without a room.
        late = make_session(
            event,
            title="Night Networking",
            kind=SessionKind.NETWORKING,
            starts_at=MORNING + timedelta(hours=14, minutes=30),
            ends_at=MORNING + timedelta(hours=15, minutes=30),
        )
        hidden = make_session(event, title="Draft session", is_published=False)
        cancelled = make_session(event, title="Cancelled talk", status=SessionStatus.CANCELLED)
        lee = make_speaker(given_name="Jong-ho", family_name="Lee", name_alt="이종호")
        morgan = make_speaker(given_name="Michael C.", family_name="Morgan", name_alt=None)
        link_speaker(opening, lee)
        link_speaker(panel, morgan, SpeakerRole.MODERATOR)
        return {
            "event": event.id,
            "hall_guid": hall.guid,
            "opening": (opening.id, opening.uid),
            "panel": (panel.id, panel.uid),
            "late": (late.id, late.uid),
            "hidden": hidden.id,
            "cancelled": cancelled.id,
            "lee": (lee.id, person_guid(lee.key)),
            "morgan": (morgan.id, person_guid(morgan.key)),
        }


XML_TEXT_FIELDS = (
    "date",
    "start",
    "duration",
    "room",
    "slug",
    "url",
    "title",
    "subtitle",
    "track",
    "type",
    "language",
    "abstract",
    "description",
)


def _events(document: bytes) -> dict[int, ET.Element]:
    return {int(e.get("id", 0)): e for e in parse_xml(document).iter("event")}


def test_schedule_xml_is_valid_utf8_xml(client: FlaskClient, agenda: dict[str, Any]) -> None:
    response = client.get("/e/forum/schedule.xml")

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/xml; charset=utf-8"
    assert response.headers["ETag"]
    validate_xml(response.data)
    assert "우주산업 협력 패널".encode() in response.data
    assert b"&#" not in response.data


def test_schedule_xml_matches_the_agenda(client: FlaskClient, agenda: dict[str, Any]) -> None:
    root = parse_xml(client.get("/e/forum/schedule.xml").data)
    events = _events(client.get("/e/forum/schedule.xml").data)
    opening_id, opening_uid = agenda["opening"]
    panel_id, panel_uid = agenda["panel"]

    assert root.findtext("conference/acronym") == "rokus_space_forum_2023"
    assert root.findtext("conference/time_zone_name") == "Asia/Seoul"
    assert root.findtext("conference/base_url") == "http://events.example.org/"
    assert sorted(events) == sorted([opening_id, panel_id, agenda["late"][0]])
    opening = events[opening_id]
    assert opening.get("guid") == opening_uid
    assert opening.findtext("title") == "Opening Remarks"
    assert opening.findtext("date") == "2023-11-08T09:00:00+09:00"
    assert opening.findtext("start") == "09:00"
    assert opening.findtext("duration") == "00:20"
    assert opening.findtext("room") == "Grand Ballroom"
    assert opening.findtext("type") == "remarks"
    assert opening.findtext("url") == f"http://events.example.org/e/forum/sessions/{opening_id}"
    assert [(p.get("id"), p.get("guid"), p.text) for p in opening.iter("person")] == [
        (str(agenda["lee"][0]), agenda["lee"][1], "Jong-ho Lee")
    ]
    panel = events[panel_id]
    assert panel.get("guid") == panel_uid
    assert panel.findtext("title") == "우주산업 협력 패널"
    assert panel.findtext("track") == "우주 정책"
    assert panel.findtext("language") == "ko"
    assert panel.findtext("slug") == f"rokus_space_forum_2023-{panel_id}-session"
    assert panel.findtext("abstract") == "한미 우주산업 협력."
    assert panel.findtext("description") == "자세한 내용."
    room = root.find(f"day/room[@guid='{agenda['hall_guid']}']")
    assert room is not None
    assert room.get("name") == "Grand Ballroom"


def test_schedule_xml_late_session_stays_on_its_day(
    client: FlaskClient, agenda: dict[str, Any]
) -> None:
    root = parse_xml(client.get("/e/forum/schedule.xml").data)
    late = _events(client.get("/e/forum/schedule.xml").data)[agenda["late"][0]]

    assert late.findtext("room") == "Test Symposium"  # no room: the event's venue or title
    assert late.findtext("date") == "2023-11-08T23:30:00+09:00"
    assert late.findtext("start") == "23:30"
    assert late.findtext("duration") == "01:00"
    assert [d.get("date") for d in root.findall("day")] == ["2023-11-08"]
    assert root.find("day").get("end") == "2023-11-09T00:30:00+09:00"  # type: ignore[union-attr]


def test_schedule_omits_unpublished_and_cancelled_sessions(
    client: FlaskClient, login_as: Callable[[Role], Any], agenda: dict[str, Any]
) -> None:
    login_as(Role.ADMIN)  # even staff get only the public schedule from the public URL

    events = _events(client.get("/e/forum/schedule.xml").data)

    assert agenda["hidden"] not in events
    assert agenda["cancelled"] not in events


def test_schedule_of_unpublished_event_is_404(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        make_event(slug="draft", is_published=False)

    assert client.get("/e/draft/schedule.xml").status_code == 404
    assert client.get("/e/draft/schedule.json").status_code == 404
    assert client.get("/e/nowhere/schedule.json").status_code == 404


def test_schedule_json_is_valid_and_matches_the_xml(
    client: FlaskClient, agenda: dict[str, Any]
) -> None:
    response = client.get("/e/forum/schedule.json")
    xml_events = _events(client.get("/e/forum/schedule.xml").data)

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    assert json_errors(response.data) == []
    conference = json.loads(response.data)["schedule"]["conference"]
    sessions = [s for day in conference["days"] for r in day["rooms"].values() for s in r]
    assert sorted(s["id"] for s in sessions) == sorted(xml_events)
    for session in sessions:
        element = xml_events[session["id"]]
        assert session["guid"] == element.get("guid")
        for key in XML_TEXT_FIELDS:
            assert session[key] == element.findtext(key), key
        assert [(p["id"], p["guid"], p["public_name"]) for p in session["persons"]] == [
            (int(p.get("id", 0)), p.get("guid"), p.text) for p in element.iter("person")
        ]


def test_schedule_answers_304_for_the_current_etag(
    client: FlaskClient, agenda: dict[str, Any]
) -> None:
    for path in ("/e/forum/schedule.xml", "/e/forum/schedule.json"):
        etag = client.get(path).headers["ETag"]

        response = client.get(path, headers={"If-None-Match": etag})

        assert response.status_code == 304
        assert response.data == b""


def test_moved_session_gets_new_etag_and_keeps_its_guid(
    app: Flask, client: FlaskClient, agenda: dict[str, Any]
) -> None:
    first = client.get("/e/forum/schedule.xml")
    opening_id, opening_uid = agenda["opening"]
    with app.app_context():
        session = db.session.get(AgendaSession, opening_id)
        session.starts_at += timedelta(hours=1)
        session.ends_at += timedelta(hours=1)
        session.revision += 1
        db.session.commit()

    second = client.get("/e/forum/schedule.xml", headers={"If-None-Match": first.headers["ETag"]})

    assert second.status_code == 200
    assert second.headers["ETag"] != first.headers["ETag"]
    moved = _events(second.data)[opening_id]
    assert moved.get("guid") == opening_uid
    assert moved.findtext("start") == "10:00"


def test_korean_schedule_uses_korean_fields_and_hangul_names(
    client: FlaskClient, agenda: dict[str, Any]
) -> None:
    english = client.get("/e/forum/schedule.xml")
    korean = client.get("/e/forum/schedule.xml?lang=ko")
    opening = _events(korean.data)[agenda["opening"][0]]

    validate_xml(korean.data)
    assert korean.headers["ETag"] != english.headers["ETag"]
    assert opening.findtext("title") == "개회사"
    assert opening.findtext("room") == "그랜드 볼룸"
    assert opening.get("guid") == agenda["opening"][1]
    assert [p.text for p in opening.iter("person")] == ["이종호"]
    panel = _events(korean.data)[agenda["panel"][0]]
    assert [p.text for p in panel.iter("person")] == ["Michael C. Morgan"]


def test_unknown_language_gives_the_default_schedule(
    client: FlaskClient, agenda: dict[str, Any]
) -> None:
    default = client.get("/e/forum/schedule.json")
    unknown = client.get("/e/forum/schedule.json?lang=xx")

    assert unknown.headers["ETag"] == default.headers["ETag"]
    assert unknown.data == default.data


def test_korean_schedule_has_its_own_etag_for_304(
    client: FlaskClient, agenda: dict[str, Any]
) -> None:
    etag = client.get("/e/forum/schedule.json?lang=ko").headers["ETag"]

    korean = client.get("/e/forum/schedule.json?lang=ko", headers={"If-None-Match": etag})
    english = client.get("/e/forum/schedule.json", headers={"If-None-Match": etag})

    assert korean.status_code == 304
    assert english.status_code == 200


def test_room_guids_are_stable_and_listed_in_the_json(
    client: FlaskClient, agenda: dict[str, Any]
) -> None:
    first = json.loads(client.get("/e/forum/schedule.json").data)["schedule"]["conference"]
    again = json.loads(client.get("/e/forum/schedule.json").data)["schedule"]["conference"]

    assert first["rooms"] == again["rooms"]
    assert [room["name"] for room in first["rooms"]] == ["Grand Ballroom", "Test Symposium"]
    assert first["rooms"][0] == {
        "name": "Grand Ballroom",
        "guid": agenda["hall_guid"],
        "capacity": 300,
    }


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("One paragraph.", ("One paragraph.", "")),
        ("First.\n\nSecond.\n\nThird.", ("First.", "Second.\n\nThird.")),
        ("  \n", ("", "")),
    ],
)
def test_description_splits_into_abstract_and_the_rest(text: str, parts: tuple[str, str]) -> None:
    assert split_description(text) == parts


def test_seeded_symposium_exports_validate_in_both_languages(
    app: Flask, client: FlaskClient
) -> None:
    result = app.test_cli_runner().invoke(args=["seed"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        events = [
            (e.slug, len([s for s in e.sessions if s.is_published and not s.is_cancelled]))
            for e in db.session.scalars(db.select(Event).where(Event.is_published))
        ]
    assert events

    for slug, session_count in events:
        for query in ("", "?lang=ko"):
            xml = client.get(f"/e/{slug}/schedule.xml{query}")
            validate_xml(xml.data)
            assert json_errors(client.get(f"/e/{slug}/schedule.json{query}").data) == []
            assert len(_events(xml.data)) == session_count


def test_schedule_answers_304_for_if_modified_since(
    client: FlaskClient, agenda: dict[str, Any]
) -> None:
    last_modified = client.get("/e/forum/schedule.xml").headers["Last-Modified"]

    response = client.get("/e/forum/schedule.xml", headers={"If-Modified-Since": last_modified})

    assert response.status_code == 304


def test_agenda_page_links_to_both_schedule_exports(app, client):
    from tests.factories import make_event

    with app.app_context():
        slug = make_event().slug

    html = client.get(f"/e/{slug}/agenda").get_data(as_text=True)
    korean = client.get(f"/e/{slug}/agenda", headers={"Accept-Language": "ko"}).get_data(
        as_text=True
    )

    assert f'href="/e/{slug}/schedule.xml"' in html
    assert f'href="/e/{slug}/schedule.json"' in html
    assert f'href="/e/{slug}/schedule.xml?lang=ko"' in korean


def test_thousand_hangul_only_sessions_validate_with_unique_stable_slugs(
    app: Flask, client: FlaskClient
) -> None:
    with app.app_context():
        event = make_event(slug="big", acronym="우주", starts_at=MORNING)
        rooms = [make_room(event, name=f"회의실 {n}", name_ko=f"회의실 {n}") for n in range(10)]
        db.session.add_all(
            AgendaSession(
                event=event,
                title=f"한미 우주 협력 세션 {n}",
                title_ko=None,
                language="ko",
                kind=SessionKind.TALK,
                room=rooms[n % 10],
                starts_at=MORNING + timedelta(minutes=5 * (n // 10)),
                ends_at=MORNING + timedelta(minutes=5 * (n // 10) + 5),
            )
            for n in range(1000)
        )
        db.session.commit()
        first = db.session.scalars(db.select(AgendaSession).where(AgendaSession.event == event))
        renamed = first.first()
        assert renamed is not None

    before = client.get("/e/big/schedule.xml").data
    validate_xml(before)
    assert json_errors(client.get("/e/big/schedule.json").data) == []
    with app.app_context():
        session = db.session.get(AgendaSession, renamed.id)
        assert session is not None
        session.title = "새 제목"
        db.session.commit()
    after = client.get("/e/big/schedule.xml").data
    validate_xml(after)

    def identities(document: bytes) -> list[tuple[str, str, str]]:
        return sorted(
            (e.attrib["id"], e.attrib["guid"], e.findtext("slug") or "")
            for e in _events(document).values()
        )

    assert len(identities(before)) == 1000
    assert len({slug for _, _, slug in identities(before)}) == 1000
    assert identities(after) == identities(before)
