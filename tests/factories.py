"""Plain factory functions: `make_event(**overrides)` and friends. Call inside an app context."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

from werkzeug.security import generate_password_hash

from eventapp.models import (
    Account,
    AgendaSession,
    Category,
    Event,
    Organization,
    Registration,
    RegistrationStatus,
    Role,
    Room,
    SessionKind,
    SessionSpeaker,
    Speaker,
    SpeakerRole,
    Track,
    Venue,
    db,
)

_counter = itertools.count(1)

#: 8 November 2023, 09:00 in Seoul.
SEOUL_MORNING = datetime(2023, 11, 8, 0, 0, tzinfo=UTC)


def _save(obj: Any) -> Any:
    db.session.add(obj)
    db.session.commit()
    return obj


def make_venue(**overrides: Any) -> Venue:
    n = next(_counter)
    values: dict[str, Any] = {
        "key": f"venue-{n}",
        "name": f"Conference Center {n}",
        "name_ko": f"컨퍼런스 센터 {n}",
        "address": "1 Example-ro, Jung-gu",
        "city": "Seoul",
        "country": "KR",
    }
    return _save(Venue(**(values | overrides)))


def make_event(**overrides: Any) -> Event:
    n = next(_counter)
    starts_at = overrides.pop("starts_at", SEOUL_MORNING)
    values: dict[str, Any] = {
        "slug": f"event-{n}",
        "acronym": f"event{n}",
        "title": f"Test Symposium {n}",
        "title_ko": f"테스트 심포지엄 {n}",
        "summary": "A day of talks.",
        "timezone": "Asia/Seoul",
        "starts_at": starts_at,
        "ends_at": overrides.pop("ends_at", starts_at + timedelta(hours=9)),
        "is_published": True,
        "contact_email": "events@example.org",
    }
    return _save(Event(**(values | overrides)))


def make_room(event: Event, **overrides: Any) -> Room:
    n = next(_counter)
    return _save(Room(**({"event": event, "name": f"Hall {n}", "name_ko": f"홀 {n}"} | overrides)))


def make_track(event: Event, **overrides: Any) -> Track:
    n = next(_counter)
    values = {"event": event, "name": f"Track {n}", "name_ko": f"트랙 {n}", "color": "#0b4f8a"}
    return _save(Track(**(values | overrides)))


def make_session(event: Event, **overrides: Any) -> AgendaSession:
    n = next(_counter)
    starts_at = overrides.pop("starts_at", event.starts_at + timedelta(hours=1))
    values: dict[str, Any] = {
        "event": event,
        "title": f"Session {n}",
        "title_ko": f"세션 {n}",
        "description": "What the session is about.",
        "kind": SessionKind.TALK,
        "starts_at": starts_at,
        "ends_at": overrides.pop("ends_at", starts_at + timedelta(minutes=45)),
    }
    return _save(AgendaSession(**(values | overrides)))


def make_organization(**overrides: Any) -> Organization:
    n = next(_counter)
    values = {
        "key": f"org-{n}",
        "name": f"Organization {n}",
        "name_ko": f"기관 {n}",
        "country": "KR",
    }
    return _save(Organization(**(values | overrides)))


def make_speaker(**overrides: Any) -> Speaker:
    n = next(_counter)
    values: dict[str, Any] = {
        "key": f"speaker-{n}",
        "given_name": "Minji",
        "family_name": f"Kim{n}",
        "name_alt": "김민지",
        "position": "Director",
        "country": "KR",
        "bio": "Works on space policy.",
    }
    return _save(Speaker(**(values | overrides)))


def link_speaker(
    session: AgendaSession, speaker: Speaker, role: SpeakerRole = SpeakerRole.SPEAKER
) -> SessionSpeaker:
    return _save(SessionSpeaker(session=session, speaker=speaker, role=role))


def make_registration(event: Event, **overrides: Any) -> Registration:
    n = next(_counter)
    values: dict[str, Any] = {
        "event": event,
        "email": f"person{n}@example.org",
        "given_name": "Jane",
        "family_name": f"Doe{n}",
        "organization_name": "Example Space Co.",
        "country": "US",
        "category": Category.INDUSTRY,
        "status": RegistrationStatus.CONFIRMED,
    }
    return _save(Registration(**(values | overrides)))


def make_account(
    role: Role = Role.ORGANIZER, email: str | None = None, password: str = "password-123456"
) -> Account:
    n = next(_counter)
    return _save(
        Account(
            email=email or f"staff{n}@example.org",
            # A cheap hash keeps the suite fast; production uses the default (scrypt).
            password_hash=generate_password_hash(password, method="pbkdf2:sha256:1000"),
            role=role,
        )
    )


# --- A realistic Seoul symposium for the public pages (added by the `public` branch) ---


def make_host(event: Event, organization: Organization, role: Any = None, position: int = 0) -> Any:
    from eventapp.models import EventHost, HostRole

    return _save(
        EventHost(
            event=event, organization=organization, role=role or HostRole.HOST, position=position
        )
    )


def make_symposium(**event_overrides: Any) -> dict[str, Any]:
    """The 8 November 2023 symposium in Seoul, in miniature, with every public-page case:
    hosts and a co-organizer, a 09:00 opening with three speakers, a moderated panel, a
    cancelled briefing, an unpublished session (and a speaker only in it), and a reception
    from 23:30 to 00:30 Seoul time that crosses midnight. Returns the objects by name."""
    from eventapp.models import HostRole, SessionStatus

    msit = make_organization(
        name="ROK Ministry of Science and ICT", name_ko="과학기술정보통신부", country="KR"
    )
    commerce = make_organization(
        name="U.S. Department of Commerce", name_ko="미국 상무부", country="US"
    )
    venue = make_venue(name="Lotte Hotel Seoul", name_ko="롯데호텔 서울")
    event = make_event(
        **(
            {
                "title": "ROK-U.S. Space Industry Symposium",
                "title_ko": "한미 우주산업 심포지엄",
                "summary": "Space companies of both countries discuss partnerships.",
                "summary_ko": "양국 우주기업이 협력 방안을 논의합니다.",
                "venue": venue,
            }
            | event_overrides
        )
    )
    make_host(event, msit, HostRole.HOST)
    make_host(event, commerce, HostRole.CO_ORGANIZER, position=1)
    hall = make_room(event, name="Grand Ballroom", name_ko="그랜드 볼룸")
    policy = make_track(event, name="Policy", name_ko="정책", color="#0b4f8a")
    lee = make_speaker(
        given_name="Jong-ho",
        family_name="Lee",
        name_alt="이종호",
        position="Minister of Science and ICT",
        position_ko="과학기술정보통신부 장관",
        organization=msit,
        country="KR",
        bio="Minister of Science and ICT of the Republic of Korea.",
        bio_ko="대한민국 과학기술정보통신부 장관.",
    )
    parikh = make_speaker(
        given_name="Chirag",
        family_name="Parikh",
        name_alt="치라그 파리크",
        position="Executive Secretary, U.S. National Space Council",
        country="US",
    )
    morgan = make_speaker(
        given_name="Michael C.",
        family_name="Morgan",
        name_alt="마이클 C. 모건",
        position="Assistant Secretary for Environmental Observation and Prediction",
        organization=commerce,
        country="US",
    )
    hidden_speaker = make_speaker(given_name="Hidden", family_name="Person", name_alt=None)
    opening = make_session(
        event,
        title="Opening remarks",
        title_ko="개회사",
        kind=SessionKind.REMARKS,
        room=hall,
        track=policy,
        starts_at=SEOUL_MORNING,
        ends_at=SEOUL_MORNING + timedelta(minutes=30),
    )
    for position, speaker in enumerate((lee, parikh, morgan)):
        _save(SessionSpeaker(session=opening, speaker=speaker, position=position))
    panel = make_session(
        event,
        title="Partnerships for Supply Chain Resilience",
        title_ko="공급망 회복력을 위한 파트너십",
        description="Companies of both countries on resilient supply chains.",
        description_ko="양국 기업이 회복력 있는 공급망을 논의합니다.",
        kind=SessionKind.PANEL,
        room=hall,
        starts_at=SEOUL_MORNING + timedelta(hours=3),
        ends_at=SEOUL_MORNING + timedelta(hours=4),
    )
    _save(SessionSpeaker(session=panel, speaker=morgan, role=SpeakerRole.MODERATOR, position=0))
    _save(SessionSpeaker(session=panel, speaker=lee, role=SpeakerRole.PANELIST, position=1))
    cancelled = make_session(
        event,
        title="Policy briefing: KASA",
        title_ko="정책 발표: 우주항공청",
        kind=SessionKind.BRIEFING,
        status=SessionStatus.CANCELLED,
        starts_at=SEOUL_MORNING + timedelta(hours=5),
    )
    unpublished = make_session(
        event,
        title="Draft session nobody may see",
        is_published=False,
        starts_at=SEOUL_MORNING + timedelta(hours=6),
    )
    link_speaker(unpublished, hidden_speaker)
    # 23:30-00:30 in Seoul: 14:30-15:30 UTC; it belongs to 8 November.
    reception = make_session(
        event,
        title="Networking reception",
        title_ko="네트워킹 리셉션",
        kind=SessionKind.NETWORKING,
        starts_at=SEOUL_MORNING + timedelta(hours=14, minutes=30),
        ends_at=SEOUL_MORNING + timedelta(hours=15, minutes=30),
    )
    return {
        "event": event,
        "msit": msit,
        "commerce": commerce,
        "hall": hall,
        "policy": policy,
        "lee": lee,
        "parikh": parikh,
        "morgan": morgan,
        "hidden_speaker": hidden_speaker,
        "opening": opening,
        "panel": panel,
        "cancelled": cancelled,
        "unpublished": unpublished,
        "reception": reception,
    }


def make_registration_data(email: str | None = None, **overrides: Any) -> Any:
    """A filled-in registration form (`services.registration.RegistrationData`)."""
    from eventapp.services.registration import PersonDetails, RegistrationData

    n = next(_counter)
    session_ids = tuple(overrides.pop("session_ids", ()))
    locale = overrides.pop("locale", "en")
    details: dict[str, Any] = {
        "given_name": "Jane",
        "family_name": f"Doe{n}",
        "organization_name": "Example Space Co.",
        "job_title": "Engineer",
        "country": "US",
        "category": Category.INDUSTRY,
    }
    return RegistrationData(
        email=email or f"attendee{n}@example.org",
        details=PersonDetails(**(details | overrides)),
        session_ids=session_ids,
        locale=locale,
    )


def make_signup(registration: Registration, session: AgendaSession, **overrides: Any) -> Any:
    """A confirmed seat for `registration` in `session` (calendar and scheduling tests)."""
    from eventapp.models import SessionSignup

    values: dict[str, Any] = {"registration": registration, "session": session}
    return _save(SessionSignup(**(values | overrides)))


def make_outbox_message(registration: Registration | None = None, **overrides: Any) -> Any:
    """A queued plain-text message, built by the real outbox service."""
    from eventapp.services.mail.outbox import queue_email

    values: dict[str, Any] = {
        "kind": "announcement",
        "sender": "Symposium <events@example.org>",
        "to": registration.email if registration else "someone@example.org",
        "subject": "Welcome to the symposium",
        "text": "See you in Seoul.\n서울에서 만나요.",
        "registration": registration,
    }
    message = queue_email(**(values | overrides))
    db.session.commit()
    return message


def add_to_team(account: Account, *events: Event) -> Account:
    """Put `account` in the teams of `events` (per-event teams, #15)."""
    from eventapp.models import TeamMember

    for event in events:
        db.session.add(TeamMember(account_id=account.id, event_id=event.id))
    db.session.commit()
    return account


# --- Outcomes and recommendations (#18) ---


def make_government(**overrides: Any) -> Organization:
    from eventapp.models import OrganizationKind

    values: dict[str, Any] = {"kind": OrganizationKind.GOVERNMENT, "short_name": "MSIT"}
    return make_organization(**(values | overrides))


def make_recommendation(session: AgendaSession, *owners: Organization, **overrides: Any) -> Any:
    """A recommendation of `session` (its outcome made if needed); published unless told."""
    from eventapp.models import OutcomeStatus, Recommendation, SessionOutcome

    outcome = db.session.scalar(
        db.select(SessionOutcome).where(SessionOutcome.session_id == session.id)
    )
    if outcome is None:
        status = overrides.pop("outcome_status", OutcomeStatus.PUBLISHED)
        outcome = _save(SessionOutcome(session_id=session.id, status=status, key_points=""))
    number = len(outcome.recommendations) + 1
    values: dict[str, Any] = {
        "outcome": outcome,
        "number": number,
        "text_en": f"Recommendation {number} in English.",
        "text_ko": f"권고 {number}.",
        "status": OutcomeStatus.PUBLISHED,
        "owners": list(owners) or [make_government()],
    }
    return _save(Recommendation(**(values | overrides)))


def make_rapporteur_assignment(account: Account, event: Event, session: Any = None) -> Any:
    from eventapp.models import RapporteurAssignment

    return _save(
        RapporteurAssignment(
            account_id=account.id, event_id=event.id, session_id=session.id if session else None
        )
    )


def make_invitation(event: Event, **overrides: Any) -> Any:
    """An invitation of a new delegation of `event` (#17), through the services: (invitation,
    delegation)."""
    from eventapp.services.admission import delegations, invitees

    n = next(_counter)
    delegation = delegations.create_delegation(
        event,
        delegations.DelegationData(
            name=f"Delegation {n}", head_given_name="Head", head_email=f"head{n}@example.org"
        ),
    )
    values: dict[str, Any] = {
        "email": f"invitee{n}@example.org",
        "given_name": "Invited",
        "family_name": f"Person{n}",
        "delegation_id": delegation.id,
    }
    invitation = invitees.invite(event, invitees.InviteeData(**(values | overrides)))
    return invitation, delegation
