"""The last-admin rule under real concurrency (PostgreSQL): two admins deactivating (or
demoting) each other at the same moment leave one admin, never none (#21)."""

from __future__ import annotations

import contextlib
import threading

import pytest

from eventapp.errors import LastAdmin
from eventapp.models import Account, Role, db
from eventapp.services import accounts
from tests.factories import make_account
from tests.registration.test_registration_concurrency import run_together

pytestmark = pytest.mark.postgres


@pytest.fixture
def two_admins(app) -> tuple[int, int]:
    with app.app_context():
        return make_account(Role.ADMIN).id, make_account(Role.ADMIN).id


def _both_past_the_check(monkeypatch) -> None:
    """Hold each change between the rule's check and its write until the other one got
    there too (or 2 s passed: with the lock, the second waits inside the check)."""
    meeting = threading.Barrier(2, timeout=2)
    record = accounts.record

    def record_after_meeting(*args, **kwargs):
        with contextlib.suppress(threading.BrokenBarrierError):
            meeting.wait()
        return record(*args, **kwargs)

    monkeypatch.setattr(accounts, "record", record_after_meeting)


def _race(app, two_admins, change) -> list[str]:
    outcomes: list[str] = []

    def work(i: int) -> None:
        me, other = two_admins[i], two_admins[1 - i]
        try:
            change(db.session.get(Account, other), by=db.session.get(Account, me))
            outcomes.append("changed")
        except LastAdmin:
            db.session.rollback()
            outcomes.append("last_admin")

    assert run_together(app, 2, work) == []
    return sorted(outcomes)


def _active_admins(app) -> int:
    with app.app_context():
        return db.session.scalar(
            db.select(db.func.count(Account.id)).where(
                Account.role == Role.ADMIN, Account.is_active_account
            )
        )


def test_two_admins_deactivating_each_other_leave_one(app, two_admins, monkeypatch):
    _both_past_the_check(monkeypatch)

    outcomes = _race(app, two_admins, lambda a, by: accounts.set_active(a, False, by=by))

    assert outcomes == ["changed", "last_admin"]
    assert _active_admins(app) == 1


def test_two_admins_demoting_each_other_leave_one(app, two_admins, monkeypatch):
    _both_past_the_check(monkeypatch)

    outcomes = _race(app, two_admins, lambda a, by: accounts.change_role(a, Role.ORGANIZER, by=by))

    assert outcomes == ["changed", "last_admin"]
    assert _active_admins(app) == 1
