"""Scheduler runs (#20): start one as a preview, run the solver, keep its plan.

A run writes only its own row: no meeting changes and nothing is sent until the plan is
published (`publish.py`). `start_run` commits the row in the "running" state; `execute`
builds the problem from the meetings as they are, solves it within the run's time limit
and stores the plan as plain JSON. The web starts `execute` in a background thread with
its own app context (`run_in_background`), so the page can show the run's progress and
any worker process can show its result. A run whose process died stays "running" in its
row: `is_stale` tells the page to call it failed once well past its time limit.
"""

from __future__ import annotations

import threading
import traceback
from datetime import datetime, timedelta
from typing import Any

from flask import Flask, current_app

from eventapp.errors import NotFound, PartneringRefused
from eventapp.models import Account, Event, RunStatus, SchedulerRun, db, utcnow
from eventapp.services.accounts import record
from eventapp.services.partnering import solver
from eventapp.services.partnering.problem import build_problem, state_key
from eventapp.services.partnering.profiles import settings_for

#: A run still "running" this long after its time limit is taken as lost (process died).
STALE_AFTER = timedelta(seconds=120)


def time_limit_setting() -> float:
    """The `PARTNERING_TIME_LIMIT` setting (seconds), kept within 1 s to 10 minutes."""
    value = float(current_app.config.get("PARTNERING_TIME_LIMIT", 10.0) or 10.0)
    return max(1.0, min(value, 600.0))


def running_run(event: Event, *, now: datetime | None = None) -> SchedulerRun | None:
    """The event's run still working, if any (stale ones do not count)."""
    now = now or utcnow()
    found = db.session.scalars(
        db.select(SchedulerRun)
        .where(SchedulerRun.event_id == event.id, SchedulerRun.status == RunStatus.RUNNING)
        .order_by(SchedulerRun.id.desc())
    ).all()
    return next((run for run in found if not is_stale(run, now=now)), None)


def is_stale(run: SchedulerRun, *, now: datetime | None = None) -> bool:
    if run.status is not RunStatus.RUNNING:
        return False
    limit = timedelta(seconds=run.time_limit) + STALE_AFTER
    return (now or utcnow()) - run.started_at > limit


def start_run(
    event: Event, *, by: Account | None, time_limit: float, now: datetime | None = None
) -> SchedulerRun:
    """A new run in the "running" state (committed). Refuses (`run_running`) a second run
    of the event while one works."""
    now = now or utcnow()
    if running_run(event, now=now) is not None:
        raise PartneringRefused("run_running", "The scheduler is already running for this event.")
    settings = settings_for(event)
    run = SchedulerRun(
        event_id=event.id,
        status=RunStatus.RUNNING,
        time_limit=time_limit,
        base_revision=settings.plan_revision,
        started_at=now,
        started_by_id=by.id if by else None,
    )
    db.session.add(run)
    db.session.flush()
    record(by, "partnering.run", run, {"time_limit": time_limit})
    db.session.commit()
    return run


def execute(run_id: int) -> SchedulerRun:
    """Solve the run's problem and store the plan (or the error); commits the run's row."""
    run = db.session.get(SchedulerRun, run_id)
    if run is None:
        raise NotFound("No such run.")
    event = db.session.get_one(Event, run.event_id)
    try:
        settings = settings_for(event)
        state = state_key(event)
        problem = build_problem(
            event, time_limit=run.time_limit, cross_country=settings.cross_country_first
        )
        plan = solver.solve(problem)
        greedy = solver.greedy(problem)
    except Exception as error:  # stored for the page, then raised for the log
        db.session.rollback()
        run = db.session.get_one(SchedulerRun, run_id)
        run.status, run.finished_at = RunStatus.FAILED, utcnow()
        run.error = f"{type(error).__name__}: {error}"
        db.session.commit()
        raise
    run.result = plan_json(plan, requests=len(problem.requests), greedy=len(greedy.placements))
    run.result["state"] = state
    run.status, run.finished_at = RunStatus.DONE, utcnow()
    db.session.commit()
    return run


def plan_json(plan: solver.Plan, *, requests: int, greedy: int) -> dict[str, Any]:
    return {
        "placements": [[p.request_id, p.slot_id, p.table_id] for p in plan.placements],
        "unplaced": [[u.request_id, u.reason.value, u.text] for u in plan.unplaced],
        "status": plan.status.value,
        "objective": plan.objective,
        "bound": plan.bound,
        "seconds": round(plan.seconds, 2),
        "requests": requests,
        "greedy": greedy,
        "idle_gaps": plan.idle_gaps,
    }


def run_in_background(app: Flask, run_id: int) -> threading.Thread:
    """Start `execute(run_id)` in a daemon thread with its own app context."""

    def work() -> None:
        with app.app_context():
            try:
                execute(run_id)
            except Exception:  # already stored on the run; keep the trace in the log
                app.logger.error("scheduler run %s failed:\n%s", run_id, traceback.format_exc())
            finally:
                db.session.remove()

    thread = threading.Thread(target=work, name=f"scheduler-run-{run_id}", daemon=True)
    thread.start()
    return thread


def run_of(event: Event, run_id: int) -> SchedulerRun:
    """The event's run `run_id` (another event's answers NotFound)."""
    run = db.session.get(SchedulerRun, run_id)
    if run is None or run.event_id != event.id:
        raise NotFound("No such run.")
    return run


def runs_of(event: Event, limit: int = 10) -> list[SchedulerRun]:
    return list(
        db.session.scalars(
            db.select(SchedulerRun)
            .where(SchedulerRun.event_id == event.id)
            .order_by(SchedulerRun.id.desc())
            .limit(limit)
        )
    )
