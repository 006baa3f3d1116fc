"""`flask --app eventapp seed [FILE] [--reset]`."""

from __future__ import annotations

from sqlalchemy import func, select

from eventapp.models import AgendaSession, Event, db
from eventapp.services.seeding import session_uid

SYMPOSIUM = "rokus-space-industry-symposium-2023"
CREATED = (
    "Seeded seeds/symposium.toml: 2 events, 18 sessions; rows created 38, updated 0, unchanged 0.\n"
)


def event_titles(app) -> list[str]:
    with app.app_context():
        return db.session.scalars(select(Event.title).order_by(Event.position)).all()


def test_seed_without_file_loads_the_symposium_from_any_directory(app, runner, tmp_path,
                                                                  monkeypatch):  # fmt: skip
    monkeypatch.chdir(tmp_path)  # the default file is found from the project, not the cwd

    result = runner.invoke(args=["seed"])

    assert (result.exit_code, result.output) == (0, CREATED)
    assert event_titles(app) == ["ROK-U.S. Space Forum", "ROK-U.S. Space Industry Symposium"]


def test_seed_twice_reports_everything_unchanged(runner):
    runner.invoke(args=["seed"])

    result = runner.invoke(args=["seed"])

    assert result.output == (
        "Seeded seeds/symposium.toml: 2 events, 18 sessions; "
        "rows created 0, updated 0, unchanged 38.\n"
    )


def test_seed_reset_restores_an_edited_title(app, runner):
    runner.invoke(args=["seed"])
    with app.app_context():
        panel = db.session.scalars(
            select(AgendaSession).where(AgendaSession.uid == session_uid(SYMPOSIUM, "panel-2"))
        ).one()
        panel.title = "Edited"
        db.session.commit()

    kept = runner.invoke(args=["seed"])
    reset = runner.invoke(args=["seed", "--reset"])

    assert kept.output == (
        "Seeded seeds/symposium.toml: 2 events, 18 sessions; rows created 0, updated 0, "
        "unchanged 38. 1 of them differ from the file and were kept (--reset restores them).\n"
    )
    assert reset.output == (
        "Seeded seeds/symposium.toml: 2 events, 18 sessions; "
        "rows created 0, updated 1, unchanged 37.\n"
    )
    with app.app_context():
        uid = session_uid(SYMPOSIUM, "panel-2")
        title = db.session.scalar(select(AgendaSession.title).where(AgendaSession.uid == uid))
    assert title == "Government Program Structures to Support Partnerships"


def test_seed_bad_file_fails_with_its_name_and_key_and_changes_nothing(app, runner, tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(
        '[[events]]\nslug = "demo"\ntitle = "Demo"\ntimezone = "Asia/Seoul"\n'
        "starts_at = 2023-11-08T18:00:00\nends_at = 2023-11-08T09:00:00\n",
        encoding="utf-8",
    )

    result = runner.invoke(args=["seed", str(path)])

    assert result.exit_code == 1
    assert result.output == (
        f"Error: {path}: events[0].ends_at: must come after starts_at (2023-11-08 18:00)\n"
    )
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Event)) == 0


def test_seed_missing_file_fails_clearly(runner):
    result = runner.invoke(args=["seed", "no-such-seed.toml"])

    assert (result.exit_code, result.output) == (1, "Error: no-such-seed.toml: no such file\n")
