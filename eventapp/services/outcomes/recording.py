"""Recording outcomes: key points per session, numbered recommendations, publication.

Every change is audited (`accounts.record`) with its author in the same transaction; a
refused change raises before anything is flushed, so nothing of it is stored.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from eventapp.errors import InvalidInput, NotAllowed
from eventapp.models import (
    Account,
    AgendaSession,
    EventHost,
    FollowUp,
    Organization,
    OrganizationKind,
    OutcomeStatus,
    PartneringTag,
    Recommendation,
    RecommendationTag,
    SessionOutcome,
    SessionSpeaker,
    Speaker,
    db,
)
from eventapp.models.outcomes import KEY_POINTS_MAX, NOTE_MAX, RECOMMENDATION_MAX, TAG_MAX
from eventapp.services.accounts import record
from eventapp.services.outcomes.access import is_organizing, may_edit_session

MAX_TAGS = 20


@dataclass(frozen=True, slots=True)
class RecommendationData:
    """What a form or a script gives for one recommendation (ids, not objects)."""

    text_en: str = ""
    text_ko: str = ""
    owner_ids: Sequence[int] = ()
    speaker_ids: Sequence[int] = ()
    organization_ids: Sequence[int] = ()
    tags: Sequence[str] = ()
    follow_up: FollowUp = FollowUp.OPEN
    due_on: date | None = None
    note: str = ""


def outcome_of(session: AgendaSession) -> SessionOutcome | None:
    """The session's outcome with its recommendations, or None before anything is written."""
    return db.session.scalar(select(SessionOutcome).where(SessionOutcome.session_id == session.id))


def _outcome_for_writing(session: AgendaSession) -> SessionOutcome:
    outcome = outcome_of(session)
    if outcome is None:
        outcome = SessionOutcome(session_id=session.id, key_points="", key_points_ko="")
        db.session.add(outcome)
        db.session.flush()
    return outcome


def _check_editor(session: AgendaSession, by: Account) -> None:
    if not may_edit_session(by, session):
        raise NotAllowed("you do not write the outcomes of this session")


def _clean(text: str) -> str:
    """Plain text: line ends made LF, NUL and other controls but tab and LF removed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(ch for ch in text if ch in "\t\n" or ch >= " ").strip()


def _limit(text: str, limit: int, field_name: str) -> str:
    if len(text) > limit:
        raise InvalidInput(
            f"this text has {len(text)} characters, at most {limit} are allowed",
            field=field_name,
        )
    return text


def save_key_points(
    session: AgendaSession, key_points: str, key_points_ko: str, *, by: Account
) -> SessionOutcome:
    """Write the key points of `session` (English and Korean). Raises InvalidInput, NotAllowed."""
    _check_editor(session, by)
    english = _limit(_clean(key_points), KEY_POINTS_MAX, "key_points")
    korean = _limit(_clean(key_points_ko), KEY_POINTS_MAX, "key_points_ko")
    outcome = _outcome_for_writing(session)
    if (outcome.key_points, outcome.key_points_ko) != (english, korean):
        outcome.key_points, outcome.key_points_ko = english, korean
        record(by, "outcome.key_points", outcome, {"session": session.id})
    db.session.commit()
    return outcome


def owner_choices() -> list[Organization]:
    """Who may own a recommendation: the government organizations, by name."""
    return list(
        db.session.scalars(
            select(Organization)
            .where(Organization.kind == OrganizationKind.GOVERNMENT)
            .order_by(Organization.name)
        )
    )


def speaker_choices(event_id: int) -> list[Speaker]:
    """The speakers on the agenda of the event, by family name."""
    return list(
        db.session.scalars(
            select(Speaker)
            .where(
                Speaker.id.in_(
                    select(SessionSpeaker.speaker_id)
                    .join(AgendaSession, AgendaSession.id == SessionSpeaker.session_id)
                    .where(AgendaSession.event_id == event_id)
                )
            )
            .order_by(Speaker.family_name, Speaker.given_name)
        )
    )


def organization_choices(event_id: int) -> list[Organization]:
    """The event's organizations: its hosts and partners and its speakers' organizations."""
    speakers_orgs = (
        select(Speaker.organization_id)
        .join(SessionSpeaker, SessionSpeaker.speaker_id == Speaker.id)
        .join(AgendaSession, AgendaSession.id == SessionSpeaker.session_id)
        .where(AgendaSession.event_id == event_id)
    )
    hosts = select(EventHost.organization_id).where(EventHost.event_id == event_id)
    return list(
        db.session.scalars(
            select(Organization)
            .where(Organization.id.in_(speakers_orgs) | Organization.id.in_(hosts))
            .order_by(Organization.name)
        )
    )


def _pick(wanted: Sequence[int], allowed: Sequence, field_name: str, what: str) -> list:
    by_id = {item.id: item for item in allowed}
    unknown = [str(item_id) for item_id in wanted if item_id not in by_id]
    if unknown:
        raise InvalidInput(f"{what} {', '.join(unknown)} does not exist here", field=field_name)
    return [by_id[item_id] for item_id in dict.fromkeys(wanted)]


def partnering_tags(event_id: int) -> dict[str, PartneringTag]:
    """The event's partnering tags by key, in their order: where there are any, they are
    the tags a recommendation may carry (stored by key), so outcomes and partnering share
    one vocabulary."""
    tags = db.session.scalars(
        select(PartneringTag)
        .where(PartneringTag.event_id == event_id)
        .order_by(PartneringTag.position, PartneringTag.id)
    )
    return {tag.key: tag for tag in tags}


def _partnering_key(name: str, allowed: dict[str, PartneringTag]) -> str:
    """The key of the partnering tag `name` names (by key, or by its English or Korean
    name, in any case). Raises InvalidInput naming a tag the event does not have."""
    wanted = name.casefold()
    for key, tag in allowed.items():
        if wanted in {key.casefold(), tag.name.casefold(), (tag.name_ko or "").casefold()}:
            return key
    raise InvalidInput(f"{name!r} is not one of the event's partnering tags", field="tag_keys")


def _tags(names: Sequence[str], allowed: dict[str, PartneringTag]) -> list[str]:
    cleaned = [_clean(name) for name in names if _clean(name)]
    if allowed:
        tags = list(dict.fromkeys(_partnering_key(name, allowed) for name in cleaned))
    else:
        tags = list(dict.fromkeys(name.lower() for name in cleaned))
    if len(tags) > MAX_TAGS:
        raise InvalidInput(f"at most {MAX_TAGS} tags are allowed", field="tags")
    for tag in tags:
        if len(tag) > TAG_MAX:
            raise InvalidInput(f"a tag has at most {TAG_MAX} characters", field="tags")
    return tags


def _apply(
    recommendation: Recommendation, session: AgendaSession, data: RecommendationData
) -> dict:
    """Check `data` completely, then copy it onto `recommendation`; returns the changes."""
    text_en = _limit(_clean(data.text_en), RECOMMENDATION_MAX, "text_en")
    text_ko = _limit(_clean(data.text_ko), RECOMMENDATION_MAX, "text_ko")
    if not text_en and not text_ko:
        raise InvalidInput("give the recommendation in English or in Korean", field="text_en")
    note = _limit(_clean(data.note), NOTE_MAX, "note")
    if not data.owner_ids:
        raise InvalidInput("name at least one owner (a government body)", field="owner_ids")
    owners = _pick(data.owner_ids, owner_choices(), "owner_ids", "owner")
    speakers = _pick(data.speaker_ids, speaker_choices(session.event_id), "speaker_ids", "speaker")
    organizations = _pick(
        data.organization_ids,
        organization_choices(session.event_id),
        "organization_ids",
        "organization",
    )
    tags = _tags(data.tags, partnering_tags(session.event_id))
    before = _snapshot(recommendation) if recommendation.id else {}
    recommendation.text_en, recommendation.text_ko, recommendation.note = text_en, text_ko, note
    recommendation.follow_up, recommendation.due_on = FollowUp(data.follow_up), data.due_on
    recommendation.owners, recommendation.speakers = owners, speakers
    recommendation.organizations = organizations
    current = {tag.name for tag in recommendation.tags}
    if current != set(tags):
        recommendation.tags = [RecommendationTag(name=tag) for tag in tags]
    after = _snapshot(recommendation)
    return {key: value for key, value in after.items() if before.get(key) != value}


def _snapshot(recommendation: Recommendation) -> dict:
    return {
        "text_en": recommendation.text_en,
        "text_ko": recommendation.text_ko,
        "owners": sorted(owner.id for owner in recommendation.owners),
        "speakers": sorted(speaker.id for speaker in recommendation.speakers),
        "organizations": sorted(org.id for org in recommendation.organizations),
        "tags": sorted(tag.name for tag in recommendation.tags),
        "follow_up": str(recommendation.follow_up) if recommendation.follow_up else None,
        "due_on": recommendation.due_on.isoformat() if recommendation.due_on else None,
        "note": recommendation.note,
    }


def add_recommendation(
    session: AgendaSession, data: RecommendationData, *, by: Account
) -> Recommendation:
    """Add the next numbered recommendation (a draft) to `session`'s outcome.

    Raises InvalidInput (naming the field) or NotAllowed; then nothing is stored."""
    _check_editor(session, by)
    recommendation = Recommendation(status=OutcomeStatus.DRAFT)
    with db.session.no_autoflush:
        changes = _apply(recommendation, session, data)
    outcome = _outcome_for_writing(session)
    number = db.session.scalar(
        select(func.coalesce(func.max(Recommendation.number), 0)).where(
            Recommendation.outcome_id == outcome.id
        )
    )
    recommendation.number = int(number or 0) + 1
    recommendation.outcome = outcome
    db.session.add(recommendation)
    db.session.flush()
    record(by, "recommendation.create", recommendation, {"session": session.id, **changes})
    db.session.commit()
    return recommendation


def update_recommendation(
    recommendation: Recommendation, data: RecommendationData, *, by: Account
) -> Recommendation:
    """Change a recommendation. Raises InvalidInput or NotAllowed; then nothing changes."""
    session = recommendation.outcome.session
    _check_editor(session, by)
    with db.session.no_autoflush:
        changes = _apply(recommendation, session, data)
    if changes:
        record(by, "recommendation.update", recommendation, changes)
    db.session.commit()
    return recommendation


def set_published(session: AgendaSession, published: bool, *, by: Account) -> SessionOutcome:
    """Publish (or withdraw) a session's outcome; publishing also publishes every
    recommendation it holds now. Organizers only: raises NotAllowed."""
    if not (is_organizing(by) and may_edit_session(by, session)):
        raise NotAllowed("only the event's organizers publish outcomes")
    outcome = _outcome_for_writing(session)
    status = OutcomeStatus.PUBLISHED if published else OutcomeStatus.DRAFT
    outcome.status = status
    if published:
        for recommendation in outcome.recommendations:
            recommendation.status = OutcomeStatus.PUBLISHED
    record(
        by, f"outcome.{'publish' if published else 'withdraw'}", outcome, {"session": session.id}
    )
    db.session.commit()
    return outcome


def set_recommendation_published(
    recommendation: Recommendation, published: bool, *, by: Account
) -> Recommendation:
    """Publish or withdraw one recommendation (organizers only: raises NotAllowed)."""
    session = recommendation.outcome.session
    if not (is_organizing(by) and may_edit_session(by, session)):
        raise NotAllowed("only the event's organizers publish recommendations")
    recommendation.status = OutcomeStatus.PUBLISHED if published else OutcomeStatus.DRAFT
    action = "publish" if published else "withdraw"
    record(by, f"recommendation.{action}", recommendation, {"number": recommendation.number})
    db.session.commit()
    return recommendation


def later_numbers(recommendation: Recommendation) -> list[int]:
    """The numbers after this one in its session: each moves down by one on deletion."""
    return [
        r.number for r in recommendation.outcome.recommendations if r.number > recommendation.number
    ]


def delete_recommendation(recommendation: Recommendation, *, by: Account) -> None:
    """Delete a recommendation; the later ones of its session move up a number, so the
    numbers stay 1, 2, 3… (the audit entry keeps the text and says who moved). A published
    one is the organizers' to delete. Raises NotAllowed; then nothing changes."""
    session = recommendation.outcome.session
    _check_editor(session, by)
    if recommendation.is_published and not is_organizing(by):
        raise NotAllowed("only the event's organizers delete a published recommendation")
    outcome, number = recommendation.outcome, recommendation.number
    later = [r for r in outcome.recommendations if r.number > number]
    record(
        by,
        "recommendation.delete",
        recommendation,
        {
            "session": session.id,
            "number": number,
            "text_en": recommendation.text_en,
            "text_ko": recommendation.text_ko,
            "renumbered": [[r.number, r.number - 1] for r in later],
        },
    )
    outcome.recommendations.remove(recommendation)  # delete-orphan
    db.session.flush()
    # One row at a time, lowest first: the UNIQUE (outcome, number) holds after each.
    for moved in sorted(later, key=lambda r: r.number):
        moved.number -= 1
        db.session.flush()
    db.session.commit()
