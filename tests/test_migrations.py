"""Migrations: `flask db upgrade` on an empty database builds exactly the models' schema.

Runs on a fresh SQLite file always and, with TEST_DATABASE_URL, in a throwaway PostgreSQL
schema created and dropped here, so the tables the other tests share are untouched.
"""

from __future__ import annotations

import logging.config

import flask_migrate
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from eventapp import create_app
from eventapp.cli import DEFAULT_SEED_FILE
from eventapp.models import db
from eventapp.services import seeding
from tests import conftest

SCHEMA = "migration_test"


@pytest.fixture(autouse=True)
def _keep_logging(monkeypatch: pytest.MonkeyPatch) -> None:
    # migrations/env.py calls logging.config.fileConfig, which would disable every logger that
    # exists already (other tests' included) and print to stderr.
    monkeypatch.setattr(logging.config, "fileConfig", lambda *args, **kwargs: None)


def upgrade_and_seed(url: str) -> tuple[list, seeding.SeedSummary]:
    """Upgrade the empty database at `url` to head; compare it with the models; load the seed."""
    app = create_app(conftest.test_config(SQLALCHEMY_DATABASE_URI=url))
    with app.app_context():
        try:
            flask_migrate.upgrade()
            with db.engine.connect() as connection:
                context = MigrationContext.configure(connection, opts={"compare_type": True})
                differences = compare_metadata(context, db.metadata)
            summary = seeding.load_file(DEFAULT_SEED_FILE)
        finally:
            db.session.remove()
            db.engine.dispose()
    return differences, summary


def test_upgrade_builds_the_models_schema_on_a_fresh_sqlite_file(tmp_path):
    differences, summary = upgrade_and_seed(f"sqlite:///{tmp_path / 'fresh.db'}")

    assert differences == []
    assert (summary.created["events"], summary.created["sessions"]) == (2, 18)


@pytest.mark.postgres
def test_upgrade_builds_the_models_schema_on_a_fresh_postgres_schema():
    # A schema of its own, first on the search path, keeps the shared test tables out of reach
    # (and is much quicker to drop than a database, which forces a checkpoint).
    url = make_url(conftest.DATABASE_URL)
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    drop = text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
    with admin.connect() as connection:
        connection.execute(drop)
        connection.execute(text(f"CREATE SCHEMA {SCHEMA}"))
    try:
        fresh = url.update_query_dict({"options": f"-csearch_path={SCHEMA}"})
        differences, summary = upgrade_and_seed(fresh.render_as_string(hide_password=False))
        tables = set(inspect(admin).get_table_names(schema=SCHEMA))
    finally:
        with admin.connect() as connection:
            connection.execute(drop)
        admin.dispose()

    assert tables == {*db.metadata.tables, "alembic_version"}
    assert differences == []
    assert (summary.created["events"], summary.created["sessions"]) == (2, 18)


def test_rebuilding_a_table_on_sqlite_keeps_the_rows_that_refer_to_it(tmp_path):
    # SQLite alters a table by copying it and dropping the old one; with foreign keys enforced
    # (as every connection of the app does) that drop would cascade to the event's sessions.
    # Migration f1a2c3d4e5f6 (events.show_seats_left) rebuilds `events` both ways.
    url = f"sqlite:///{tmp_path / 'rebuilt.db'}"
    upgrade_and_seed(url)
    app = create_app(conftest.test_config(SQLALCHEMY_DATABASE_URI=url))
    count = text("SELECT count(*) FROM agenda_sessions")
    with app.app_context():
        try:
            flask_migrate.downgrade(revision="b43aa5210941")
            after_downgrade = db.session.scalar(count)
            flask_migrate.upgrade()
            after_upgrade = db.session.scalar(count)
            enforced = db.session.scalar(text("PRAGMA foreign_keys"))
        finally:
            db.session.remove()
            db.engine.dispose()

    assert (after_downgrade, after_upgrade) == (18, 18)
    assert enforced == 1
