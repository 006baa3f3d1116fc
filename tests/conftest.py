"""Fixtures: an app per test with a fresh database (SQLite in memory, or PostgreSQL)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator

import hypothesis
import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import event as sqlalchemy_event
from sqlalchemy import text

from eventapp import create_app
from eventapp.models import Account, Event, Role, TeamMember, db
from tests.factories import add_to_team, make_account

# How fast is for bench/, not for the suite: a loaded machine must not fail a property test.
hypothesis.settings.register_profile("suite", deadline=None)
hypothesis.settings.load_profile("suite")

DATABASE_URL = os.environ.get("TEST_DATABASE_URL") or "sqlite://"
ON_POSTGRES = DATABASE_URL.startswith("postgresql")
PASSWORD = "correct horse battery staple"


def test_config(**overrides: object) -> dict[str, object]:
    """The settings every test app gets; pass overrides for one test."""
    config: dict[str, object] = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "WTF_CSRF_ENABLED": False,
        "SQLALCHEMY_DATABASE_URI": DATABASE_URL,
        "RATELIMIT_ENABLED": False,
        "PAGE_CACHE_SECONDS": 0,
        "MAIL_SERVER": "",
        "PUBLIC_URL": "http://events.example.org",
        "MAIL_DEFAULT_SENDER": "Symposium <events@example.org>",
    }
    config.update(overrides)
    return config


def _reset_postgres(app: Flask) -> None:
    with app.app_context():
        names = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        db.session.commit()


@pytest.fixture(scope="session")
def _postgres_schema() -> None:
    """On PostgreSQL, build the schema once per run; each test then truncates."""
    if ON_POSTGRES:
        app = create_app(test_config())
        with app.app_context():
            db.drop_all()
            db.create_all()
            db.engine.dispose()


@pytest.fixture
def make_app(_postgres_schema: None) -> Iterator[Callable[..., Flask]]:
    """Build an app with config overrides and a fresh database; cleaned up after the test."""
    apps: list[Flask] = []

    def build(**overrides: object) -> Flask:
        app = create_app(test_config(**overrides))
        if ON_POSTGRES:
            _reset_postgres(app)
        else:
            with app.app_context():
                db.create_all()
        apps.append(app)
        return app

    yield build
    for app in apps:
        with app.app_context():
            if ON_POSTGRES:
                db.session.remove()
            db.engine.dispose()


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Flask:
    return make_app()


@pytest.fixture
def ctx(app: Flask) -> Iterator[Flask]:
    """An app context for model and service tests (never combine with `client`)."""
    with app.app_context():
        yield app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture
def everyones_team() -> Iterator[list[int]]:
    """Account ids put in the team of every event this test makes, before or after."""
    account_ids: list[int] = []

    def join(_mapper: object, connection: object, event: Event) -> None:
        for account_id in account_ids:
            connection.execute(  # type: ignore[attr-defined]
                TeamMember.__table__.insert().values(event_id=event.id, account_id=account_id)
            )

    sqlalchemy_event.listen(Event, "after_insert", join)
    yield account_ids
    sqlalchemy_event.remove(Event, "after_insert", join)


@pytest.fixture
def login_as(app: Flask, client: FlaskClient, everyones_team: list[int]) -> Callable[..., Account]:
    """Create an account with `role` and log the test client in as it.

    Organizer and door accounts act only on their teams' events (#15). With `events=None`
    the account is in the team of every event of the test, made before or after the login,
    so a test about something else need not say so; the team rules are tested with
    `events=[…]` (the events whose team it is in; none: `()`).
    """

    def login(
        role: Role, email: str | None = None, *, events: Iterable[Event] | None = None
    ) -> Account:
        with app.app_context():
            account = make_account(role=role, email=email, password=PASSWORD)
            if events is None:
                add_to_team(account, *db.session.scalars(db.select(Event)))
                everyones_team.append(account.id)
            else:
                add_to_team(account, *(db.session.merge(e, load=False) for e in events))
            db.session.refresh(account)  # load the attributes before leaving the session
            db.session.expunge(account)
        response = client.post("/login", data={"email": account.email, "password": PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)
        return account

    return login


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if ON_POSTGRES:
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: set TEST_DATABASE_URL")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)
