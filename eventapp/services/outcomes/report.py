"""The briefing report of one or several events: the models mapped to the builder's data.

Attendance counts come from check-ins (`Attendance` rows: admitted at the door or at any
session), not from registrations. Partnering meetings are passed in as plain pairs by the
caller (`meetings=`): the partnering capability is being built separately, and its query
belongs to it; until then the section is left out.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date

from flask_babel import force_locale
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from eventapp.builders.briefing import (
    BUILDERS,
    AgendaItem,
    BriefingReport,
    CountRow,
    EventReport,
    MeetingPair,
    PanelOutcome,
    RecommendationItem,
)
from eventapp.countries import country_name
from eventapp.errors import InvalidInput, NotFound
from eventapp.models import (
    AgendaSession,
    Event,
    PartneringTag,
    Recommendation,
    Registration,
    SessionSpeaker,
    db,
    utcnow,
)
from eventapp.models.checkin import Attendance
from eventapp.services.outcomes.queries import published_outcomes
from eventapp.services.outcomes.recording import partnering_tags
from eventapp.services.partnering.held import meetings_by_country_pair


def _both(label: object) -> str:
    """A lazy interface label in English and Korean: 'Government · 정부'."""
    with force_locale("en"):
        english = str(label)
    with force_locale("ko"):
        korean = str(label)
    return english if english == korean else f"{english} · {korean}"


def _labels() -> tuple[Mapping, Mapping, Mapping]:
    from eventapp.labels import CATEGORY_LABELS, FOLLOW_UP_LABELS, KIND_LABELS

    return CATEGORY_LABELS, FOLLOW_UP_LABELS, KIND_LABELS


def _attendance(event: Event) -> tuple[int, tuple[CountRow, ...], tuple[CountRow, ...]]:
    category_labels = _labels()[0]
    checked_in = (
        select(Registration.id)
        .where(Registration.event_id == event.id)
        .where(Registration.id.in_(select(Attendance.registration_id)))
        .subquery()
    )
    base = select(Registration).join(checked_in, checked_in.c.id == Registration.id)
    total = db.session.scalar(select(func.count()).select_from(base.subquery())) or 0
    categories = db.session.execute(
        select(Registration.category, func.count())
        .join(checked_in, checked_in.c.id == Registration.id)
        .group_by(Registration.category)
        .order_by(func.count().desc(), Registration.category)
    ).all()
    countries = db.session.execute(
        select(Registration.country, func.count())
        .join(checked_in, checked_in.c.id == Registration.id)
        .group_by(Registration.country)
        .order_by(func.count().desc(), Registration.country)
    ).all()
    by_category = tuple(
        CountRow(_both(category_labels.get(category, category)), count)
        for category, count in categories
    )
    by_country = tuple(CountRow(_country(code), count) for code, count in countries)
    return total, by_category, by_country


def _speaker(link: SessionSpeaker, role_label: str) -> str:
    speaker = link.speaker
    name = speaker.name
    if speaker.name_alt and speaker.name_alt != name:
        name += f" ({speaker.name_alt})"
    if speaker.organization is not None:
        name += f", {speaker.organization.short_name or speaker.organization.name}"
    return f"{name} — {role_label}"


def _agenda(event: Event) -> tuple[AgendaItem, ...]:
    from zoneinfo import ZoneInfo

    from eventapp.labels import SPEAKER_ROLE_LABELS

    kinds = _labels()[2]
    zone = ZoneInfo(event.timezone)
    sessions = db.session.scalars(
        select(AgendaSession)
        .where(AgendaSession.event_id == event.id, AgendaSession.is_published)
        .options(
            selectinload(AgendaSession.room),
            selectinload(AgendaSession.speaker_links).selectinload(SessionSpeaker.speaker),
        )
        .order_by(AgendaSession.starts_at, AgendaSession.id)
    ).all()
    return tuple(
        AgendaItem(
            when=f"{s.starts_at.astimezone(zone):%H:%M}-{s.ends_at.astimezone(zone):%H:%M}",
            title=s.title,
            title_ko=s.title_ko,
            kind=_both(kinds.get(s.kind, s.kind)),
            room=s.room.name if s.room is not None else None,
            speakers=tuple(
                _speaker(link, _both(SPEAKER_ROLE_LABELS.get(link.role, link.role)))
                for link in s.speaker_links
            ),
        )
        for s in sessions
    )


def _both_names(tag: PartneringTag) -> str:
    return f"{tag.name} · {tag.name_ko}" if tag.name_ko and tag.name_ko != tag.name else tag.name


def owner_label(organization: object) -> str:
    """'Ministry of Science and ICT (MSIT) · 과학기술정보통신부'."""
    name = organization.name  # type: ignore[attr-defined]
    short = organization.short_name  # type: ignore[attr-defined]
    korean = organization.name_ko  # type: ignore[attr-defined]
    text = f"{name} ({short})" if short and short != name else name
    return f"{text} · {korean}" if korean else text


def recommendation_item(
    recommendation: Recommendation, tags: Mapping[str, PartneringTag] | None = None
) -> RecommendationItem:
    """One recommendation as the builders (and the CSV) take it. `tags`: the event's
    partnering tags (`recording.partnering_tags`), read here when not given."""
    follow_up_labels = _labels()[1]
    if tags is None:
        tags = partnering_tags(recommendation.outcome.session.event_id)
    made_by = [s.name for s in recommendation.speakers]
    made_by += [org.short_name or org.name for org in recommendation.organizations]
    return RecommendationItem(
        number=recommendation.number,
        text_en=recommendation.text_en,
        text_ko=recommendation.text_ko,
        owners=tuple(owner_label(owner) for owner in recommendation.owners),
        made_by=tuple(made_by),
        tags=tuple(
            _both_names(tags[tag.name]) if tag.name in tags else tag.name
            for tag in recommendation.tags
        ),
        follow_up=_both(follow_up_labels[recommendation.follow_up]),
        due_on=recommendation.due_on,
        note=recommendation.note,
    )


def _country(code: str | None) -> str:
    return f"{country_name(code, 'en')} · {country_name(code, 'ko')}" if code else "—"


def _meetings(event: Event) -> tuple[MeetingPair, ...] | None:
    """The meetings held by country pair, None where partnering did not run."""
    pairs = meetings_by_country_pair(event.id)
    if pairs is None:
        return None
    return tuple(MeetingPair(_country(a), _country(b), count) for a, b, count in pairs)


def event_report(event: Event) -> EventReport:
    """One event's section: agenda, attendance from check-ins, published outcomes and, where
    partnering ran, the meetings held by country pair."""
    total, by_category, by_country = _attendance(event)
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(event.timezone)
    first, last = event.starts_at.astimezone(zone).date(), event.ends_at.astimezone(zone).date()
    zone_dates = first.isoformat() if first == last else f"{first.isoformat()} - {last.isoformat()}"
    tags = partnering_tags(event.id)
    panels = tuple(
        PanelOutcome(
            title=found.session.title,
            title_ko=found.session.title_ko,
            key_points=found.outcome.key_points,
            key_points_ko=found.outcome.key_points_ko,
            recommendations=tuple(recommendation_item(r, tags) for r in found.recommendations),
        )
        for found in published_outcomes(event)
    )
    venue = event.venue.name if event.venue is not None else None
    return EventReport(
        title=event.title,
        title_ko=event.title_ko,
        dates=zone_dates,
        venue=venue,
        agenda=_agenda(event),
        checked_in=total,
        by_category=by_category,
        by_country=by_country,
        panels=panels,
        meetings=_meetings(event),
    )


def events_by_slug(slugs: Sequence[str]) -> list[Event]:
    """The events named, in the order given. Raises NotFound naming the unknown slug."""
    found = []
    for slug in slugs:
        event = db.session.scalar(select(Event).where(Event.slug == slug))
        if event is None:
            raise NotFound(f"there is no event {slug!r}", slug=slug)
        found.append(event)
    return found


def briefing(
    events: Sequence[Event],
    *,
    today: date | None = None,
    progress: Callable[[str], None] | None = None,
) -> BriefingReport:
    """The report data for `events` (one or several)."""
    today = today or utcnow().date()
    sections = []
    for event in events:
        if progress is not None:
            progress(f"Collecting {event.slug}…")
        sections.append(event_report(event))
    title = "Briefing report · 결과 보고서"
    subtitle = " / ".join(
        event.title + (f" · {event.title_ko}" if event.title_ko else "") for event in events
    )
    return BriefingReport(
        title=title,
        subtitle=subtitle,
        generated_on=f"{today.isoformat()}",
        events=tuple(sections),
    )


FORMATS = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "md": "text/markdown; charset=utf-8",
}


def format_of(file_name: str) -> str:
    """'pdf', 'docx' or 'md' from a file name. Raises InvalidInput for another ending."""
    ending = file_name.rpartition(".")[2].lower() if "." in file_name else ""
    if ending not in BUILDERS:
        raise InvalidInput(
            f"cannot tell the format of {file_name!r}: end it in .pdf, .docx or .md",
            field="output",
        )
    return ending


def render(report: BriefingReport, file_format: str) -> bytes:
    """The report's bytes in `file_format` ('pdf', 'docx', 'md')."""
    return BUILDERS[file_format](report)
