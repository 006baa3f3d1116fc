"""Import an agenda from a calendar file: create sessions, or update them by UID.

Matching: a UID that is a session's UID in this event updates that session through
`scheduling.apply_session_change` (a move or cancellation raises the revision and queues
updates, as any organizer's change does). Our `uid` column holds a UUID, so a foreign UID
(Google's "…@google.com", an occurrence of a recurring series, or a UUID already used by
another event) is mapped to a UUID5 of (event, UID, occurrence): re-importing the same
file finds the same sessions. The whole file is one transaction: all or nothing.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask_babel import force_locale

from eventapp.builders.ics_import import (
    CalendarFileError,
    ImportedEvent,
    LeftOut,
    parse_calendar,
)
from eventapp.errors import CalendarImportError
from eventapp.labels import KIND_LABELS
from eventapp.models import (
    Account,
    AgendaSession,
    Event,
    Room,
    SessionKind,
    SessionStatus,
    Track,
    db,
    utcnow,
)
from eventapp.services.accounts import record
from eventapp.services.agenda.scheduling import apply_session_change
from eventapp.services.calendar import UID_NAMESPACE

#: Imports accept times up to a day around the event (a reception the evening before…).
WINDOW_MARGIN = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class PlannedSession:
    """What the import does to one session: create it, change some fields, or nothing."""

    action: str  # "create", "update" or "unchanged"
    uid: str
    title: str
    starts_at: datetime
    changed: tuple[str, ...] = ()
    #: Starts before or ends after the event (the file's window is a day wider): imported,
    #: but flagged in the preview and after the import, as the agenda editor warns.
    outside_event: bool = False


@dataclass(frozen=True, slots=True)
class ImportSummary:
    """The outcome (or, for a preview, the plan) of one import."""

    sessions: tuple[PlannedSession, ...]
    #: Entries of the file that are not imported, each with its reason.
    left_out: tuple[LeftOut, ...]
    applied: bool
    notified: int = 0
    #: Parts of the file read otherwise than written (an unknown X-WR-TIMEZONE…).
    notices: tuple[LeftOut, ...] = ()

    def count(self, action: str) -> int:
        """How many sessions get `action`."""
        return sum(1 for s in self.sessions if s.action == action)

    @property
    def left_out_count(self) -> int:
        """How many occurrences of the file are not imported."""
        return sum(item.count for item in self.left_out)


@dataclass(slots=True)
class _Wanted:
    uid: str
    values: dict[str, object]
    room_name: str | None
    track_name: str | None
    kind: SessionKind | None
    sequence: int
    existing: AgendaSession | None = None
    changed: list[str] = field(default_factory=list)


def import_calendar(
    event: Event,
    data: bytes,
    *,
    by: Account | None,
    now: datetime | None = None,
    preview: bool = False,
) -> ImportSummary:
    """Import `data` (an .ics file) into `event`'s agenda; with `preview`, change nothing.

    Raises CalendarImportError with a message for people when the file cannot be read at
    all; events that cannot be read are left out and listed in the summary.
    """
    now = now or utcnow()
    try:
        parsed = parse_calendar(
            data,
            zone=event.zone,
            window=(event.starts_at - WINDOW_MARGIN, event.ends_at + WINDOW_MARGIN),
        )
    except CalendarFileError as error:
        # Worded by `ics_import_report.refusal_message` where the person's language is known.
        raise CalendarImportError(
            str(error), reason=error.code, line=error.line, limit=error.detail
        ) from error
    wanted, skipped = _plan(event, parsed.events)
    left_out = (*parsed.left_out, *skipped)
    planned = tuple(
        PlannedSession(
            action="create" if w.existing is None else ("update" if w.changed else "unchanged"),
            uid=w.uid,
            title=str(w.values["title"]),
            starts_at=w.values["starts_at"],  # type: ignore[arg-type]
            changed=tuple(w.changed),
            outside_event=_outside(event, w.values["starts_at"], w.values["ends_at"]),  # type: ignore[arg-type]
        )
        for w in wanted
    )
    if preview:
        return ImportSummary(
            sessions=planned, left_out=left_out, applied=False, notices=parsed.notices
        )
    try:
        notified = _apply(event, wanted, by=by, now=now)
        record(by, "agenda.import", event, {"sessions": len(wanted), "skipped": len(left_out)})
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return ImportSummary(
        sessions=planned,
        left_out=left_out,
        applied=True,
        notified=notified,
        notices=parsed.notices,
    )


def _outside(event: Event, starts_at: datetime, ends_at: datetime) -> bool:
    return starts_at < event.starts_at or ends_at > event.ends_at


def session_uid_for(event: Event, item: ImportedEvent, taken_elsewhere: set[str]) -> str:
    """Our UID for an imported occurrence (see the module docstring)."""
    if item.recurrence_id is None:
        try:
            canonical = str(uuid.UUID(item.uid))
        except ValueError:
            canonical = ""
        if canonical and canonical == item.uid.lower() and canonical not in taken_elsewhere:
            return canonical
    occurrence = item.recurrence_id.isoformat() if item.recurrence_id else ""
    return str(uuid.uuid5(UID_NAMESPACE, f"import:{event.id}:{item.uid}:{occurrence}"))


def _plan(
    event: Event, items: tuple[ImportedEvent, ...]
) -> tuple[list[_Wanted], tuple[LeftOut, ...]]:
    sessions = db.session.scalars(
        db.select(AgendaSession).where(AgendaSession.event_id == event.id)
    ).all()
    by_uid = {s.uid: s for s in sessions}
    candidates = {i.uid.lower() for i in items} - set(by_uid)
    taken_elsewhere = set(
        db.session.scalars(db.select(AgendaSession.uid).where(AgendaSession.uid.in_(candidates)))
    )
    kinds = _kind_names()
    wanted: list[_Wanted] = []
    skipped: list[LeftOut] = []
    seen: set[str] = set()
    for item in items:
        uid = session_uid_for(event, item, taken_elsewhere)
        if uid in seen:
            skipped.append(LeftOut("duplicate", summary=item.summary or item.uid))
            continue
        seen.add(uid)
        starts_at, ends_at = item.starts_at, item.ends_at
        if item.all_day:  # an all-day entry lasts the event's hours on that day
            starts_at, ends_at = max(starts_at, event.starts_at), min(ends_at, event.ends_at)
            if ends_at <= starts_at:
                skipped.append(LeftOut("all_day_outside", summary=item.summary or item.uid))
                continue
        w = _wanted(event, item, uid, starts_at, ends_at, kinds)
        w.existing = by_uid.get(uid)
        if w.existing is not None:
            w.changed = _differences(w.existing, w)
        wanted.append(w)
    return wanted, tuple(skipped)


def _wanted(
    event: Event,
    item: ImportedEvent,
    uid: str,
    starts_at: datetime,
    ends_at: datetime,
    kinds: dict[str, SessionKind],
) -> _Wanted:
    korean = item.language == "ko"
    title = item.alt_summary if korean and item.alt_summary else item.summary
    values: dict[str, object] = {
        "title": (title or item.uid)[:300],
        "starts_at": starts_at,
        "ends_at": ends_at,
        "status": SessionStatus.CANCELLED
        if item.status == "CANCELLED"
        else SessionStatus.CONFIRMED,
        ("description_ko" if korean else "description"): item.description or None,
    }
    if korean:
        values["title_ko"] = item.summary[:300]
    elif item.alt_summary and item.alt_language == "ko":
        values["title_ko"] = item.alt_summary[:300]
    kind, track = _kind_and_track(item.categories, kinds)
    return _Wanted(
        uid=uid,
        values=values,
        room_name=_room_name(event, item.location),
        track_name=track[:120] if track else None,
        kind=kind,
        sequence=item.sequence,
    )


def _kind_and_track(
    categories: tuple[str, ...], kinds: dict[str, SessionKind]
) -> tuple[SessionKind | None, str | None]:
    """The first category naming a kind is the kind; the track is the first other one that
    names no kind, else any other one: our export writes "kind label, track name", and a
    track may be called like a kind ("Networking, Networking")."""
    at = next((i for i, c in enumerate(categories) if c.casefold() in kinds), None)
    others = [c for i, c in enumerate(categories) if i != at]
    track = next((c for c in others if c.casefold() not in kinds), others[0] if others else None)
    return (kinds[categories[at].casefold()] if at is not None else None), track


def _kind_names() -> dict[str, SessionKind]:
    """Kind values and their labels in both languages (our export writes the label)."""
    names = {kind.value: kind for kind in SessionKind}
    for language in ("en", "ko"):
        with force_locale(language):
            names.update({str(KIND_LABELS[kind]).casefold(): kind for kind in SessionKind})
    return names


def _room_name(event: Event, location: str) -> str | None:
    """The room part of a LOCATION: our export appends the venue and its address."""
    text = location.strip()
    venue = event.venue
    if venue is not None:
        for suffix_parts in (
            (venue.name, venue.address),
            (venue.name_ko, venue.address_ko),
            (venue.name,),
            (venue.name_ko,),
        ):
            suffix = ", ".join(p for p in suffix_parts if p)
            if suffix and text.endswith(suffix):
                text = text[: -len(suffix)].rstrip(", ").strip()
                break
    return text[:120] or None


def _find(objects: list, name: str | None) -> object | None:
    if not name:
        return None
    folded = name.casefold()
    return next(
        (o for o in objects if folded in {o.name.casefold(), (o.name_ko or "").casefold()}), None
    )


def _differences(session: AgendaSession, w: _Wanted) -> list[str]:
    changed = [name for name, value in w.values.items() if getattr(session, name) != value]
    room = _find(session.event.rooms, w.room_name)
    if (w.room_name and room is None) or room is not session.room:
        changed.append("room")
    if w.track_name is not None:
        track = _find(session.event.tracks, w.track_name)
        if track is None or track is not session.track:
            changed.append("track")
    if w.kind is not None and w.kind != session.kind:
        changed.append("kind")
    return sorted(changed)


def _resolve(event: Event, model: type, collection: list, name: str | None) -> object | None:
    found = _find(collection, name)
    if found is None and name:
        found = model(event=event, name=name)
        db.session.add(found)
        db.session.flush()
    return found


def _apply(event: Event, wanted: list[_Wanted], *, by: Account | None, now: datetime) -> int:
    notified = 0
    for w in wanted:
        room = _resolve(event, Room, event.rooms, w.room_name)
        extra: dict[str, object] = {"room": room}
        if w.track_name is not None:
            extra["track"] = _resolve(event, Track, event.tracks, w.track_name)
        if w.kind is not None:
            extra["kind"] = w.kind
        if w.existing is None:
            session = AgendaSession(
                event=event, uid=w.uid, revision=w.sequence, created_at=now, updated_at=now
            )
            for name, value in (w.values | extra).items():
                setattr(session, name, value)
            db.session.add(session)
            db.session.flush()
            record(by, "session.create", session, {"uid": w.uid, "source": "import"})
            event.updated_at = now
        elif w.changed:
            result = apply_session_change(w.existing, by=by, now=now, **(w.values | extra))
            notified += result.notified
    return notified
