"""What one attendee's calendar holds beyond an entry's revision (iTIP SEQUENCE)."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from eventapp.models.base import Model


class CalendarOffset(Model):
    """Added to an entry's revision in every iTIP message to one attendee.

    The attendee's own CANCEL (a registration cancelled, a seat given up) leaves the entry
    as it is for everyone else, so its revision cannot go up; their messages for it count
    from revision + offset instead. Odd while that CANCEL is the last message they got.
    """

    __tablename__ = "calendar_offsets"

    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), primary_key=True
    )
    #: The entry's UID: the event's own (`calendar.event_uid`) or a session's.
    uid: Mapped[str] = mapped_column(String(64), primary_key=True)
    sequence_offset: Mapped[int] = mapped_column(default=0)
