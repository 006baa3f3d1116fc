"""Rate limits kept in one process's memory do not hold across several workers (#15 §2)."""

from __future__ import annotations

import logging

import pytest

from eventapp import create_app
from eventapp.config import settings_from_env


def _production(**overrides: object) -> dict[str, object]:
    return {
        "TESTING": False,
        "SECRET_KEY": "s",
        "SQLALCHEMY_DATABASE_URI": "sqlite://",
        "RATELIMIT_ENABLED": True,
        **overrides,
    }


def test_several_workers_with_memory_storage_refuse_to_start():
    with pytest.raises(RuntimeError, match="RATELIMIT_STORAGE_URI"):
        create_app(_production(RATELIMIT_STORAGE_URI="memory://", WEB_CONCURRENCY=2))


def _per_worker_warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if "per worker" in r.getMessage()]


def test_one_process_with_memory_storage_says_once_it_serves_that_limits_are_per_process(
    caplog,
):
    app = create_app(_production(RATELIMIT_STORAGE_URI="memory://", WEB_CONCURRENCY=1))
    with caplog.at_level(logging.WARNING):
        client = app.test_client()
        client.get("/no-such-page")
        client.get("/no-such-page")

    assert len(_per_worker_warnings(caplog)) == 1


def test_a_command_that_serves_nothing_is_not_warned_about_rate_limits(caplog):
    with caplog.at_level(logging.WARNING):
        create_app(_production(RATELIMIT_STORAGE_URI="memory://", WEB_CONCURRENCY=1))

    assert _per_worker_warnings(caplog) == []


def test_shared_storage_with_several_workers_starts_quietly(caplog):
    with caplog.at_level(logging.WARNING):
        create_app(_production(RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/0", WEB_CONCURRENCY=4))

    assert [r for r in caplog.records if "RATELIMIT" in r.getMessage()] == []


@pytest.mark.parametrize("overrides", [{"DEBUG": True}, {"RATELIMIT_ENABLED": False}])
def test_development_or_switched_off_limits_need_no_shared_storage(overrides):
    create_app(_production(RATELIMIT_STORAGE_URI="memory://", WEB_CONCURRENCY=3, **overrides))


def test_the_worker_count_is_gunicorns_own_variable():
    assert settings_from_env({"WEB_CONCURRENCY": "4"})["WEB_CONCURRENCY"] == 4
    assert settings_from_env({})["WEB_CONCURRENCY"] == 1
