"""The seed loader: the real symposium file, idempotence and --reset."""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime

from eventapp.cli import DEFAULT_SEED_FILE
from eventapp.models import HostRole, Speaker, db
from eventapp.services import seeding
from tests.seeding.seed_documents import by_slug, minimal, session_by_key, snapshot

FORUM = "rokus-space-forum-2023"
SYMPOSIUM = "rokus-space-industry-symposium-2023"


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


def test_reset_that_publishes_a_session_again_bumps_its_revision(ctx):
    # Unpublishing took it out of calendars as a cancellation does: back in, SEQUENCE moves,
    # as it does when an organizer publishes it (one list of such fields, in calendar.py).
    seeding.load(minimal(), source="demo.toml")
    opening = session_by_key("demo", "opening")
    opening.is_published = False
    db.session.commit()

    seeding.load(minimal(), source="demo.toml", reset=True)

    assert (opening.is_published, opening.revision) == (True, 1)


def test_reset_bumps_the_event_revision_only_when_time_zone_or_venue_changes(ctx):
    seeding.load(minimal(), source="demo.toml")
    event = by_slug("demo")
    event.ends_at = datetime(2023, 11, 8, 10, 0, tzinfo=UTC)
    db.session.commit()

    seeding.load(minimal(), source="demo.toml", reset=True)
    moved_back = (event.ends_at, event.revision)
    event.title = "Renamed only"
    db.session.commit()
    seeding.load(minimal(), source="demo.toml", reset=True)

    assert moved_back == (datetime(2023, 11, 8, 9, 0, tzinfo=UTC), 1)
    assert (event.title, event.revision) == ("Demo", 1)


def test_reset_of_a_venues_address_bumps_the_revision_of_its_events(ctx):
    seeding.load(minimal(), source="demo.toml")
    event = by_slug("demo")
    original = event.venue.address
    event.venue.address = "Somewhere else"
    db.session.commit()

    seeding.load(minimal(), source="demo.toml", reset=True)

    assert (event.venue.address, event.revision) == (original, 1)


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


def test_reseed_finds_a_track_renamed_in_the_back_office_by_its_key(ctx):
    seeding.load(minimal(), source="demo.toml")
    track = by_slug("demo").tracks[0]
    track_id, track.name = track.id, "Space Policy"
    db.session.commit()

    summary = seeding.load(minimal(), source="demo.toml")

    event = by_slug("demo")
    assert [(t.id, t.name, t.key) for t in event.tracks] == [(track_id, "Space Policy", "policy")]
    assert event.sessions[0].track_id == track_id
    assert (summary.created.total(), summary.kept["tracks"]) == (0, 1)


def test_a_track_renamed_in_the_file_is_renamed_by_reset_not_duplicated(ctx):
    seeding.load(minimal(), source="demo.toml")
    track_id = by_slug("demo").tracks[0].id
    document = minimal()
    document["events"][0]["tracks"][0]["name"] = "Space Policy"

    seeding.load(document, source="demo.toml", reset=True)

    event = by_slug("demo")
    assert [(t.id, t.name) for t in event.tracks] == [(track_id, "Space Policy")]
    assert event.sessions[0].track_id == track_id


def test_a_track_without_a_key_is_found_by_name_and_given_its_key(ctx):
    # Made by hand, or seeded before tracks kept their key.
    seeding.load(minimal(), source="demo.toml")
    track = by_slug("demo").tracks[0]
    track_id, track.key = track.id, None
    db.session.commit()

    summary = seeding.load(minimal(), source="demo.toml")

    assert [(t.id, t.key) for t in by_slug("demo").tracks] == [(track_id, "policy")]
    assert summary.created.total() == 0


def test_the_example_in_the_format_documentation_loads(ctx):
    readme = (DEFAULT_SEED_FILE.parent / "README.md").read_text(encoding="utf-8")
    example = readme.split("```toml\n", 1)[1].split("```", 1)[0]

    summary = seeding.load(tomllib.loads(example), source="seeds/README.md")

    assert (summary.events, summary.sessions, summary.created.total()) == (1, 1, 5)


def test_an_event_shows_its_seats_left_only_when_the_seed_file_says_so(ctx):
    seeding.load(minimal(), source="demo.toml")
    assert by_slug("demo").show_seats_left is False

    document = minimal()
    document["events"][0] |= {"capacity": 120, "show_seats_left": True}
    seeding.load(document, source="demo.toml", reset=True)

    assert (by_slug("demo").capacity, by_slug("demo").show_seats_left) == (120, True)


def test_speaker_name_order_is_read_from_the_seed_or_derived(ctx):
    document = minimal()
    document["speakers"][0]["name_order"] = "family_first"
    document["speakers"].append(
        {"key": "kr-speaker", "given_name": "Jong-ho", "family_name": "Lee", "country": "KR"}
    )
    document["speakers"].append(
        {"key": "us-speaker", "given_name": "Chirag", "family_name": "Parikh",
         "name_alt": "치라그 파리크", "country": "US"}
    )  # fmt: skip

    seeding.load(document, source="demo.toml")

    names = {s.key: s.name for s in db.session.scalars(db.select(Speaker))}
    assert names == {
        "minji-kim": "Kim Minji",
        "kr-speaker": "Lee Jong-ho",
        "us-speaker": "Chirag Parikh",
    }


def test_seeded_minister_keeps_the_statement_s_order(ctx):
    seeding.load_file(DEFAULT_SEED_FILE)

    minister = db.session.scalars(db.select(Speaker).filter_by(key="jong-ho-lee")).one()
    assert minister.name == "Jong-ho Lee"
