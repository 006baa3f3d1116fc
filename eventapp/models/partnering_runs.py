"""A run of the meeting scheduler (#20): a preview of a plan, kept until it is published.

A run changes no meeting: it stores what the solver proposes (`result`, plain JSON) so an
organizer can review it against the published plan and publish it, from any worker
process. `base_revision` is the plan revision the run started from: publishing refuses a
run the plan has moved on from (another publish, a meeting moved by hand).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column

from eventapp.models.base import Model, UTCDateTime, str_enum, utcnow


class RunStatus(StrEnum):
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    PUBLISHED = "published"


class SchedulerRun(Model):
    """One scheduler run of an event: its state, its limits and, when done, the plan."""

    __tablename__ = "partnering_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    status: Mapped[RunStatus] = mapped_column(str_enum(RunStatus), default=RunStatus.RUNNING)
    #: Seconds the solver may use (the `PARTNERING_TIME_LIMIT` setting when it started).
    time_limit: Mapped[float] = mapped_column(Float, default=10.0)
    base_revision: Mapped[int] = mapped_column(default=0)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    started_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="SET NULL")
    )
    #: {"placements": [[meeting, slot, table]…], "unplaced": [[meeting, reason, text]…],
    #:  "status", "objective", "bound", "seconds", "requests"}; the error text if it failed.
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
