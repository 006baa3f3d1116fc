from datetime import UTC, datetime, timedelta

import pytest

from eventapp.models import (
    AgendaSession,
    AuditEntry,
    RegistrationStatus,
    Role,
    SessionSignup,
    SessionSpeaker,
    SessionStatus,
    db,
)
from tests.factories import (
    link_speaker,
    make_event,
    make_registration,
    make_room,
    make_session,
    make_signup,
    make_speaker,
)

NINE = datetime(2023, 11, 8, 0, 0, tzinfo=UTC)  # 09:00 in Seoul


@pytest.fixture
def organizer(login_as):
    return login_as(Role.ORGANIZER)


@pytest.fixture
def agenda(app):
    with app.app_context():
        event = make_event(starts_at=NINE)
        hall, annex = make_room(event, name="Grand Hall"), make_room(event, name="Annex")
        keynote = make_session(
            event,
            title="Opening remarks",
            room=hall,
            starts_at=NINE,
            ends_at=NINE + timedelta(hours=1),
        )
        speaker = make_speaker(given_name="Jong-ho", family_name="Lee")
        link_speaker(keynote, speaker)
        return {
            "slug": event.slug,
            "hall": hall.id,
            "annex": annex.id,
            "keynote": keynote.id,
            "speaker": speaker.id,
        }


def _form(agenda, **overrides):
    return {
        "title": "Panel 1",
        "title_ko": "패널 토론 1",
        "kind": "panel",
        "language": "en",
        "starts_at": "2023-11-08T09:30",
        "ends_at": "2023-11-08T10:30",
        "room_id": str(agenda["hall"]),
        "track_id": "",
        "is_published": "y",
    } | overrides


def test_day_view_lists_sessions_per_room_in_the_event_zone(client, organizer, agenda):
    page = client.get(f"/admin/events/{agenda['slug']}/agenda?day=2023-11-08").get_data(
        as_text=True
    )

    assert "Grand Hall" in page
    assert "Annex" in page
    assert ">09:00</time>\N{EN DASH}<time" in page
    assert "Opening remarks" in page


def test_day_view_survives_a_bad_day_argument(client, organizer, agenda):
    response = client.get(f"/admin/events/{agenda['slug']}/agenda?day=2023-99-99")

    assert response.status_code == 200


def test_a_room_clash_is_shown_before_saving(app, client, organizer, agenda):
    response = client.post(f"/admin/events/{agenda['slug']}/sessions/new", data=_form(agenda))

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "The room is already used by “Opening remarks”" in page
    assert 'name="save_anyway"' in page
    assert 'value="패널 토론 1"' in page  # the input is kept
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(AgendaSession.id))) == 1


def test_saving_anyway_after_seeing_the_conflict_creates_the_session(
    app, client, organizer, agenda
):
    response = client.post(
        f"/admin/events/{agenda['slug']}/sessions/new", data=_form(agenda, save_anyway="y")
    )

    assert response.headers["Location"].endswith("/agenda?day=2023-11-08")
    with app.app_context():
        created = db.session.scalars(
            db.select(AgendaSession).where(AgendaSession.title == "Panel 1")
        ).one()
        assert created.starts_at == NINE + timedelta(minutes=30)
        assert created.title_ko == "패널 토론 1"


def test_no_conflict_saves_straight_away(app, client, organizer, agenda):
    response = client.post(
        f"/admin/events/{agenda['slug']}/sessions/new",
        data=_form(agenda, room_id=str(agenda["annex"])),
    )

    assert response.status_code == 302


def test_a_speaker_double_booked_is_shown_when_moving_their_session(app, client, organizer, agenda):
    with app.app_context():
        from eventapp.models import Event, Speaker

        event = db.session.scalars(db.select(Event)).one()
        other = make_session(event, title="Panel 2", starts_at=NINE + timedelta(hours=2))
        link_speaker(other, db.session.get(Speaker, agenda["speaker"]))
        other_id = other.id

    response = client.post(
        f"/admin/events/{agenda['slug']}/sessions/{agenda['keynote']}/edit",
        data=_form(
            agenda,
            title="Opening remarks",
            starts_at="2023-11-08T11:00",
            ends_at="2023-11-08T12:00",
        ),
    )

    page = response.get_data(as_text=True)
    assert "Jong-ho Lee also speaks in “Panel 2”" in page
    with app.app_context():
        assert db.session.get(AgendaSession, agenda["keynote"]).starts_at == NINE
        assert db.session.get(AgendaSession, other_id).revision == 0


def test_outside_the_event_days_is_shown(client, organizer, agenda):
    response = client.post(
        f"/admin/events/{agenda['slug']}/sessions/new",
        data=_form(
            agenda,
            room_id=str(agenda["annex"]),
            starts_at="2023-11-09T09:00",
            ends_at="2023-11-09T10:00",
        ),
    )

    assert "outside the event's days" in response.get_data(as_text=True)


def test_moving_a_session_bumps_its_revision(app, client, organizer, agenda):
    response = client.post(
        f"/admin/events/{agenda['slug']}/sessions/{agenda['keynote']}/edit",
        data=_form(
            agenda,
            title="Opening remarks",
            room_id=str(agenda["annex"]),
            starts_at="2023-11-08T09:00",
            ends_at="2023-11-08T10:00",
        ),
    )

    assert response.status_code == 302
    with app.app_context():
        moved = db.session.get(AgendaSession, agenda["keynote"])
        assert (moved.room_id, moved.revision) == (agenda["annex"], 1)


def test_ends_before_starts_is_refused_next_to_the_field(client, organizer, agenda):
    response = client.post(
        f"/admin/events/{agenda['slug']}/sessions/new",
        data=_form(agenda, ends_at="2023-11-08T08:00", room_id=str(agenda["annex"])),
    )

    assert response.status_code == 400
    assert 'id="ends_at-error"' in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "change",
    [
        {"room_id": "abc"},
        {"room_id": "999999"},
        {"kind": "<script>"},
        {"title": "🚀" * 400},
        {"starts_at": "yesterday"},
        {"capacity": "-1"},
    ],
)
def test_weird_input_is_a_form_error_not_a_crash(client, organizer, agenda, change):
    response = client.post(
        f"/admin/events/{agenda['slug']}/sessions/new", data=_form(agenda) | change
    )

    assert response.status_code == 400


def test_a_room_of_another_event_is_refused(app, client, organizer, agenda):
    with app.app_context():
        foreign_room = make_room(make_event()).id

    response = client.post(
        f"/admin/events/{agenda['slug']}/sessions/new",
        data=_form(agenda, room_id=str(foreign_room)),
    )

    assert response.status_code == 400


def test_a_session_of_another_event_is_404(app, client, organizer, agenda):
    with app.app_context():
        slug = make_event().slug

    assert client.get(f"/admin/events/{slug}/sessions/{agenda['keynote']}/edit").status_code == 404
    assert client.get(f"/admin/events/{agenda['slug']}/sessions/424242/edit").status_code == 404


def test_cancel_asks_first_then_cancels_and_bumps_the_revision(app, client, organizer, agenda):
    url = f"/admin/events/{agenda['slug']}/sessions/{agenda['keynote']}/cancel"

    question = client.get(url)
    client.post(url)

    assert "Cancel this session?" in question.get_data(as_text=True)
    with app.app_context():
        cancelled = db.session.get(AgendaSession, agenda["keynote"])
        assert (cancelled.status, cancelled.revision) == (SessionStatus.CANCELLED, 1)


def test_a_published_confirmed_session_must_be_cancelled_before_deleting(
    app, client, organizer, agenda
):
    url = f"/admin/events/{agenda['slug']}/sessions/{agenda['keynote']}/delete"

    client.post(url)
    with app.app_context():
        assert db.session.get(AgendaSession, agenda["keynote"]) is not None
    client.post(f"/admin/events/{agenda['slug']}/sessions/{agenda['keynote']}/cancel")
    client.post(url)

    with app.app_context():
        assert db.session.get(AgendaSession, agenda["keynote"]) is None


def test_speakers_are_added_with_a_role_and_removed(app, client, organizer, agenda):
    with app.app_context():
        panelist = make_speaker(given_name="Michael", family_name="Morgan").id
    base = f"/admin/events/{agenda['slug']}/sessions/{agenda['keynote']}/speakers"

    client.post(base, data={"speaker_id": str(panelist), "role": "panelist"})
    with app.app_context():
        link = db.session.get(SessionSpeaker, (agenda["keynote"], panelist))
        assert link.role.value == "panelist"
    client.post(f"{base}/{panelist}/remove")

    with app.app_context():
        assert db.session.get(SessionSpeaker, (agenda["keynote"], panelist)) is None
    assert client.post(f"{base}/{panelist}/remove").status_code == 404


def test_day_view_in_the_korean_interface_shows_korean_titles(app, client, organizer, agenda):
    with app.app_context():
        session = db.session.get(AgendaSession, agenda["keynote"])
        session.title_ko = "개회사"
        db.session.commit()
    client.set_cookie("lang", "ko")

    page = client.get(f"/admin/events/{agenda['slug']}/agenda?day=2023-11-08").get_data(
        as_text=True
    )

    assert '<html lang="ko">' in page
    assert 'lang="ko">개회사</a>' in page


def _invitations(app):
    """(recipient, METHOD, SEQUENCE, UID, DTSTART) of each calendar update in the outbox."""
    from email import message_from_bytes
    from email.policy import default

    import icalendar

    from eventapp.models import OutboxMessage

    found = []
    with app.app_context():
        for message in db.session.scalars(db.select(OutboxMessage).order_by(OutboxMessage.id)):
            parsed = message_from_bytes(message.raw.encode(), policy=default)
            part = next(p for p in parsed.walk() if p.get_content_type() == "text/calendar")
            calendar = icalendar.Calendar.from_ical(part.get_payload(decode=True))
            event = calendar.walk("VEVENT")[0]
            found.append(
                (
                    message.to_address,
                    str(calendar["METHOD"]),
                    int(event["SEQUENCE"]),
                    str(event["UID"]),
                    event.decoded("DTSTART"),
                )
            )
    return found


def test_edit_then_update_flow_ends_in_the_outbox(app, client, organizer, agenda):
    from eventapp.models import SessionSignup
    from tests.factories import make_registration

    with app.app_context():
        keynote = db.session.get(AgendaSession, agenda["keynote"])
        keynote.capacity = 50
        attendee = make_registration(keynote.event, email="attendee@example.org")
        db.session.add(SessionSignup(registration=attendee, session=keynote))
        db.session.commit()
        uid = keynote.uid
    edit = f"/admin/events/{agenda['slug']}/sessions/{agenda['keynote']}/edit"

    moved = client.post(
        edit,
        data=_form(
            agenda,
            title="Opening remarks",
            room_id=str(agenda["annex"]),
            starts_at="2023-11-08T09:15",
            ends_at="2023-11-08T10:00",
            capacity="50",
        ),
    )
    client.post(f"/admin/events/{agenda['slug']}/sessions/{agenda['keynote']}/cancel")

    assert moved.status_code == 302
    assert _invitations(app) == [
        ("attendee@example.org", "REQUEST", 1, uid, NINE + timedelta(minutes=15)),
        ("attendee@example.org", "CANCEL", 2, uid, NINE + timedelta(minutes=15)),
    ]


def test_a_title_change_alone_sends_no_update(app, client, organizer, agenda):
    from eventapp.models import OutboxMessage, SessionSignup
    from tests.factories import make_registration

    with app.app_context():
        keynote = db.session.get(AgendaSession, agenda["keynote"])
        keynote.capacity = 50
        db.session.add(
            SessionSignup(registration=make_registration(keynote.event), session=keynote)
        )
        db.session.commit()

    client.post(
        f"/admin/events/{agenda['slug']}/sessions/{agenda['keynote']}/edit",
        data=_form(
            agenda,
            title="Opening remarks (renamed)",
            starts_at="2023-11-08T09:00",
            ends_at="2023-11-08T10:00",
            capacity="50",
        ),
    )

    with app.app_context():
        renamed = db.session.get(AgendaSession, agenda["keynote"])
        assert (renamed.title, renamed.revision) == ("Opening remarks (renamed)", 0)
        assert db.session.scalar(db.select(db.func.count(OutboxMessage.id))) == 0


def test_the_day_view_runs_as_many_queries_for_twelve_sessions_as_for_one(app, client, login_as):
    from sqlalchemy import event as sa_event

    login_as(Role.ADMIN)
    with app.app_context():
        slugs = []
        for size in (1, 12):
            event = make_event(starts_at=NINE)
            room = make_room(event, name="Hall")
            for n in range(size):
                start = NINE + timedelta(minutes=30 * n)
                session = make_session(
                    event, room=room, starts_at=start, ends_at=start + timedelta(minutes=30)
                )
                link_speaker(session, make_speaker())
            slugs.append(event.slug)
        engine = db.engine

    def count(slug: str) -> int:
        statements: list[str] = []

        def record(conn, cursor, statement, *args):
            statements.append(statement)

        sa_event.listen(engine, "before_cursor_execute", record)
        try:
            assert client.get(f"/admin/events/{slug}/agenda").status_code == 200
        finally:
            sa_event.remove(engine, "before_cursor_execute", record)
        return len(statements)

    one, twelve = (count(slug) for slug in slugs)
    assert one == twelve


def _full_panel(app):
    """A published event whose one-seat panel has one seated and two waiting, the capacity
    since raised to two behind the services' back."""
    with app.app_context():
        event = make_event(is_published=True)
        panel = make_session(event, capacity=1)
        seated, first, second = (make_registration(event) for _ in range(3))
        make_signup(seated, panel)
        for waiting in (first, second):
            make_signup(waiting, panel, status=RegistrationStatus.WAITLISTED, waitlisted_at=NINE)
        panel.capacity = 2
        db.session.commit()
        return event.slug, panel.id, first.id


def test_fill_free_seats_of_a_session_seats_the_first_waiting_and_audits(app, client, organizer):
    slug, panel_id, first_id = _full_panel(app)
    edit_page = client.get(f"/admin/events/{slug}/sessions/{panel_id}/edit")
    assert "Fill free seats from the waiting list" in edit_page.get_data(as_text=True)

    response = client.post(
        f"/admin/events/{slug}/sessions/{panel_id}/fill-seats", follow_redirects=True
    )

    assert "1 people seated from the waiting list." in response.get_data(as_text=True)
    with app.app_context():
        seated = db.session.scalars(
            db.select(SessionSignup.registration_id).where(
                SessionSignup.session_id == panel_id,
                SessionSignup.status == RegistrationStatus.CONFIRMED,
            )
        ).all()
        assert first_id in seated
        assert len(seated) == 2
        entry = db.session.scalars(
            db.select(AuditEntry).where(AuditEntry.action == "session.fill_seats")
        ).one()
        assert (entry.account_id, entry.details) == (organizer.id, {"promoted": 1})


def test_fill_free_seats_of_a_session_is_refused_to_door_staff(app, client, login_as):
    slug, panel_id, _first = _full_panel(app)
    login_as(Role.CHECKIN)

    response = client.post(f"/admin/events/{slug}/sessions/{panel_id}/fill-seats")

    assert response.status_code == 403
    with app.app_context():
        waiting = db.session.scalar(
            db.select(db.func.count(SessionSignup.id)).where(
                SessionSignup.status == RegistrationStatus.WAITLISTED
            )
        )
        assert waiting == 2


def test_the_day_view_names_session_kinds_in_the_interface_language(app, client, organizer, agenda):
    url = f"/admin/events/{agenda['slug']}/agenda"

    korean = client.get(url, headers={"Accept-Language": "ko"}).get_data(as_text=True)
    english = client.get(url, headers={"Accept-Language": "en"}).get_data(as_text=True)

    assert '<p class="slot__meta">발표' in korean
    assert '<p class="slot__meta">Talk' in english
