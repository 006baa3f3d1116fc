"""Admission (#17): per-category quotas on top of an event's capacity."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from eventapp.models.base import Model, str_enum
from eventapp.models.registration import Category


class CategoryQuota(Model):
    """At most `seats` confirmed registrations of `category` at the event (e.g. press ≤ 20),
    counted under the event's lock with its capacity (`services/registration/waitlist.py`)."""

    __tablename__ = "category_quotas"
    __table_args__ = (
        UniqueConstraint("event_id", "category"),
        CheckConstraint("seats >= 0", name="seats_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    category: Mapped[Category] = mapped_column(str_enum(Category))
    seats: Mapped[int]
