"""The seed loader: the real symposium file, idempotence, --reset, and every kind of bad file."""

from __future__ import annotations

import copy
import tomllib
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from eventapp.cli import DEFAULT_SEED_FILE
from eventapp.errors import SeedError
from eventapp.models import (
    AgendaSession,
    Event,
    EventHost,
    HostRole,
    Organization,
    Room,
    SessionSpeaker,
    Speaker,
    Track,
    Venue,
    db,
)
from eventapp.services import seeding

FORUM = "rokus-space-forum-2023"
SYMPOSIUM = "rokus-space-industry-symposium-2023"


def local(text: str) -> datetime:
    """A naive local date-time, as `tomllib` returns a TOML local date-time."""
    return datetime.fromisoformat(text)


def minimal() -> dict[str, Any]:
    """A small valid document, as `tomllib` would return it (local times are naive)."""
    return copy.deepcopy(
        {
            "venues": [{"key": "hall", "name": "Hall", "country": "KR"}],
            "organizations": [{"key": "msit", "name": "MSIT", "kind": "government"}],
            "speakers": [
                {"key": "minji-kim", "given_name": "Minji", "family_name": "Kim",
                 "organization": "msit"},
            ],
            "events": [{
                "slug": "demo", "title": "Demo", "timezone": "Asia/Seoul",
                "starts_at": local("2023-11-08T09:00"), "ends_at": local("2023-11-08T18:00"),
                "venue": "hall", "hosts": [{"organization": "msit"}],
                "rooms": [{"key": "main", "name": "Main"}],
                "tracks": [{"key": "policy", "name": "Policy", "color": "#0b4f8a"}],
                "sessions": [{
                    "key": "opening", "title": "Opening", "room": "main", "track": "policy",
                    "starts_at": local("2023-11-08T09:30"),
                    "ends_at": local("2023-11-08T10:00"),
                    "speakers": [{"speaker": "minji-kim", "role": "speaker"}],
                }],
            }],
        }
    )  # fmt: skip


def by_slug(slug: str) -> Event:
    return db.session.scalars(select(Event).where(Event.slug == slug)).one()


def session_by_key(slug: str, key: str) -> AgendaSession:
    return db.session.scalars(
        select(AgendaSession).where(AgendaSession.uid == seeding.session_uid(slug, key))
    ).one()


def snapshot() -> dict[str, Any]:
    """Row counts of every seeded table, plus a few values a bad load would have changed."""
    models = (Venue, Organization, Speaker, Event, EventHost, Room, Track, AgendaSession,
              SessionSpeaker)  # fmt: skip
    count = func.count()
    counts = {m.__tablename__: db.session.scalar(select(count).select_from(m)) for m in models}
    titles = db.session.scalars(select(AgendaSession.title).order_by(AgendaSession.id)).all()
    return counts | {"summaries": db.session.scalars(select(Event.summary)).all(), "titles": titles}


def test_load_symposium_creates_two_events_with_their_agendas(ctx):
    summary = seeding.load_file(DEFAULT_SEED_FILE)

    assert (summary.events, summary.sessions) == (2, 18)
    assert dict(summary.created) == {"venues": 1, "organizations": 7, "speakers": 3, "events": 2,
                                     "rooms": 3, "tracks": 4, "sessions": 18}  # fmt: skip
    assert snapshot()["session_speakers"] == 3


def test_load_symposium_stores_hosts_in_order_with_roles(ctx):
    seeding.load_file(DEFAULT_SEED_FILE)

    forum, symposium = by_slug(FORUM), by_slug(SYMPOSIUM)

    assert [(h.organization.key, h.role) for h in forum.hosts] == [("mofa", HostRole.HOST)]
    assert [(h.organization.key, h.role) for h in symposium.hosts] == [
        ("msit", HostRole.HOST),
        ("us-commerce", HostRole.CO_ORGANIZER),
    ]


def test_load_symposium_converts_seoul_local_times_to_utc(ctx):
    seeding.load_file(DEFAULT_SEED_FILE)

    opening = session_by_key(SYMPOSIUM, "opening-remarks")

    assert opening.starts_at == datetime(2023, 11, 8, 4, 30, tzinfo=UTC)  # 13:30 KST (UTC+9)
    assert by_slug(FORUM).starts_at == datetime(2023, 11, 8, 0, 0, tzinfo=UTC)


def test_load_symposium_keeps_korean_titles_and_speaker_order(ctx):
    seeding.load_file(DEFAULT_SEED_FILE)

    opening = session_by_key(SYMPOSIUM, "opening-remarks")

    assert by_slug(SYMPOSIUM).title_ko == "한미 우주산업 심포지엄"
    assert session_by_key(SYMPOSIUM, "panel-4").title_ko == (
        "상업용 저궤도 목적지 및 달 탐사를 위한 파트너십"
    )
    assert [(link.speaker.name_alt, link.position) for link in opening.speaker_links] == [
        ("이종호", 0),
        ("치라그 파리크", 1),
        ("마이클 C. 모건", 2),
    ]


def test_load_symposium_leaves_registration_open_and_caps_the_reception(ctx):
    seeding.load_file(DEFAULT_SEED_FILE)

    symposium = by_slug(SYMPOSIUM)

    assert (symposium.registration_opens_at, symposium.registration_closes_at) == (None, None)
    assert symposium.capacity == 300
    assert session_by_key(SYMPOSIUM, "networking-reception").capacity == 40


def test_session_uid_is_stable_across_releases(ctx):
    # Calendar clients match updates by UID: this value must never change.
    assert seeding.session_uid(SYMPOSIUM, "panel-1") == "80cd47b2-0377-5820-aa7e-b09c245cbbc4"


def test_load_twice_creates_nothing_the_second_time(ctx):
    first = seeding.load_file(DEFAULT_SEED_FILE)
    before = snapshot()

    second = seeding.load_file(DEFAULT_SEED_FILE)

    assert second.created.total() == 0
    assert second.unchanged == first.created
    assert snapshot() == before


def test_reseed_keeps_an_edited_title_and_reset_restores_it(ctx):
    seeding.load_file(DEFAULT_SEED_FILE)
    session_by_key(SYMPOSIUM, "panel-1").title = "Edited by an organizer"
    db.session.commit()

    kept = seeding.load_file(DEFAULT_SEED_FILE)
    edited_title = session_by_key(SYMPOSIUM, "panel-1").title
    reset = seeding.load_file(DEFAULT_SEED_FILE, reset=True)

    assert (edited_title, kept.kept["sessions"]) == ("Edited by an organizer", 1)
    assert session_by_key(SYMPOSIUM, "panel-1").title == (
        "Partnerships to Support Government Space Programs"
    )
    assert (reset.updated.total(), reset.unchanged.total()) == (1, 37)


def test_reset_bumps_revision_only_when_time_room_or_status_changes(ctx):
    seeding.load(minimal(), source="demo.toml")
    opening = session_by_key("demo", "opening")
    opening.starts_at = datetime(2023, 11, 8, 0, 0, tzinfo=UTC)
    opening.title = "Moved"
    db.session.commit()

    seeding.load(minimal(), source="demo.toml", reset=True)
    moved_back = (opening.starts_at, opening.revision)
    opening.title = "Renamed only"
    db.session.commit()
    seeding.load(minimal(), source="demo.toml", reset=True)

    assert moved_back == (datetime(2023, 11, 8, 0, 30, tzinfo=UTC), 1)
    assert (opening.title, opening.revision) == ("Opening", 1)


def test_reset_restores_a_removed_speaker_link(ctx):
    seeding.load(minimal(), source="demo.toml")
    opening = session_by_key("demo", "opening")
    opening.speaker_links.clear()
    db.session.commit()

    seeding.load(minimal(), source="demo.toml")
    links_after_reseed = len(opening.speaker_links)
    seeding.load(minimal(), source="demo.toml", reset=True)

    assert links_after_reseed == 0
    assert [link.speaker.key for link in opening.speaker_links] == ["minji-kim"]


def test_reseed_adds_a_new_session_to_an_existing_event(ctx):
    seeding.load(minimal(), source="demo.toml")
    document = minimal()
    second = document["events"][0]["sessions"][0] | {"key": "panel", "title": "Panel"}
    document["events"][0]["sessions"].append(second | {"speakers": []})

    summary = seeding.load(document, source="demo.toml")

    assert (summary.created.total(), summary.unchanged["sessions"]) == (1, 1)
    assert len(by_slug("demo").sessions) == 2


def test_reseed_finds_a_renamed_room_by_its_guid(ctx):
    seeding.load(minimal(), source="demo.toml")
    by_slug("demo").rooms[0].name = "Grand Ballroom"
    db.session.commit()

    summary = seeding.load(minimal(), source="demo.toml")

    assert [room.name for room in by_slug("demo").rooms] == ["Grand Ballroom"]
    assert summary.kept["rooms"] == 1


MISSING = object()


def edit(document: dict[str, Any], path: tuple[Any, ...], value: Any) -> None:
    """Set (or with MISSING, delete) the value at `path`; index len(list) appends."""
    *parents, last = path
    target: Any = document
    for step in parents:
        target = target[step]
    if value is MISSING:
        del target[last]
    elif isinstance(target, list) and last == len(target):
        target.append(value)
    else:
        target[last] = value


SESSION = ("events", 0, "sessions", 0)
BAD_DOCUMENTS = [
    pytest.param((*SESSION, "start_at"), local("2023-11-08T09:00"),
                 "events[0].sessions[0].start_at: unknown key; did you mean 'starts_at'?",
                 id="unknown-key"),
    pytest.param(("events", 0, "title"), MISSING, "events[0].title: missing (required)",
                 id="missing-key"),
    pytest.param((*SESSION, "speakers", 0, "speaker"), "nobody",
                 "events[0].sessions[0].speakers[0].speaker: unknown speaker 'nobody'",
                 id="unknown-speaker"),
    pytest.param((*SESSION, "track"), "polcy",
                 "events[0].sessions[0].track: unknown track 'polcy'; did you mean 'policy'?",
                 id="unknown-track"),
    pytest.param(("events", 0, "timezone"), "Asia/Seol",
                 "events[0].timezone: 'Asia/Seol' is not an IANA time zone such as Asia/Seoul",
                 id="bad-zone"),
    pytest.param((*SESSION, "ends_at"), local("2023-11-08T09:00"),
                 "events[0].sessions[0].ends_at: must come after starts_at (2023-11-08 09:30)",
                 id="end-before-start"),
    pytest.param((*SESSION, "starts_at"), local("2023-11-08T08:00"),
                 "events[0].sessions[0].starts_at: is before the event starts (2023-11-08 09:00)",
                 id="session-outside-event"),
    pytest.param(("events", 0, "starts_at"), datetime(2023, 11, 8, 9, tzinfo=UTC),
                 "events[0].starts_at: write the local time without an offset; "
                 "the event's timezone applies", id="time-with-offset"),
    pytest.param((*SESSION, "kind"), "lecture",
                 "events[0].sessions[0].kind: 'lecture' is not one of: remarks, keynote, "
                 "briefing, talk, panel, workshop, break, networking, other", id="bad-enum"),
    pytest.param(("organizations", 0, "country"), "KOR",
                 "organizations[0].country: 'KOR' is not an ISO 3166-1 alpha-2 country code "
                 "such as KR or US", id="bad-country"),
    pytest.param(("events", 0, "capacity"), "300",
                 "events[0].capacity: expected an integer, got a string", id="wrong-type"),
    pytest.param(("events", 0, "title"), "x" * 301,
                 "events[0].title: is 301 characters long; at most 300 fit", id="too-long"),
    pytest.param(("events", 0, "tracks", 0, "color"), "blue",
                 "events[0].tracks[0].color: 'blue' is not a colour written #rrggbb",
                 id="bad-colour"),
    pytest.param(("speakers", 1), {"key": "minji-kim", "given_name": "Minji"},
                 "speakers[1].key: 'minji-kim' repeats speakers[0]", id="duplicate-key"),
]  # fmt: skip


@pytest.mark.parametrize(("path", "value", "expected"), BAD_DOCUMENTS)
def test_load_refuses_a_bad_document_and_changes_nothing(ctx, path, value, expected):
    seeding.load(minimal(), source="good.toml")
    before = snapshot()
    document = minimal()
    document["events"][0]["summary"] = "This change must not be saved."
    edit(document, path, value)

    with pytest.raises(SeedError) as refused:
        seeding.load(document, source="bad.toml", reset=True)

    assert refused.value.message == f"bad.toml: {expected}"
    assert snapshot() == before


def test_load_reports_every_problem_at_once(ctx):
    document = minimal()
    edit(document, ("events", 0, "timezone"), "Mars/Olympus")
    edit(document, ("speakers", 0, "organization"), "nasa")

    with pytest.raises(SeedError) as refused:
        seeding.load(document, source="bad.toml")

    assert refused.value.details["problems"] == [
        "events[0].timezone: 'Mars/Olympus' is not an IANA time zone such as Asia/Seoul",
        "speakers[0].organization: unknown organization 'nasa'",
    ]


def test_load_refuses_a_local_time_the_clocks_skip(ctx):
    document = minimal()
    edit(document, ("events", 0, "timezone"), "America/New_York")
    edit(document, ("events", 0, "starts_at"), local("2023-03-12T02:30"))
    edit(document, ("events", 0, "sessions"), [])

    with pytest.raises(SeedError) as refused:
        seeding.load(document, source="bad.toml")

    assert refused.value.message == (
        "bad.toml: events[0].starts_at: 2023-03-12 02:30 does not exist in America/New_York"
    )


def test_load_file_names_the_line_of_a_toml_syntax_error(ctx, tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text('[[events]]\nslug = "demo"\ntitle = "Unclosed\n', encoding="utf-8")

    with pytest.raises(SeedError) as refused:
        seeding.load_file(path, source="bad.toml")

    assert refused.value.message == (
        "bad.toml: line 3, column 18: TOML syntax error: Illegal character '\\n'"
    )
    assert snapshot()["events"] == 0


def test_load_rolls_back_when_the_database_refuses(ctx, monkeypatch):
    def fail(*args: object) -> None:
        raise OperationalError("INSERT …", {}, Exception("disk full"))

    monkeypatch.setattr(seeding.writer, "_write_agenda", fail)
    before = snapshot()

    with pytest.raises(SeedError) as refused:
        seeding.load(minimal(), source="demo.toml")

    assert refused.value.message == "demo.toml: the database refused the data: disk full"
    assert snapshot() == before


def test_the_example_in_the_format_documentation_loads(ctx):
    readme = (DEFAULT_SEED_FILE.parent / "README.md").read_text(encoding="utf-8")
    example = readme.split("```toml\n", 1)[1].split("```", 1)[0]

    summary = seeding.load(tomllib.loads(example), source="seeds/README.md")

    assert (summary.events, summary.sessions, summary.created.total()) == (1, 1, 5)
