"""The seed loader refuses bad files with a message naming the place, and changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy.exc import OperationalError

from eventapp.errors import SeedError
from eventapp.services import seeding
from tests.seeding.seed_documents import MISSING, edit, local, minimal, snapshot

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


def test_unknown_name_order_is_refused_with_its_key_path(ctx):
    document = minimal()
    edit(document, ("speakers", 0, "name_order"), "surname_first")

    with pytest.raises(SeedError) as refused:
        seeding.load(document, source="bad.toml")

    assert "speakers[0].name_order" in refused.value.message
    assert "given_first, family_first" in refused.value.message
