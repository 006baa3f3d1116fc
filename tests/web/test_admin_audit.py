"""The audit log names and links what each entry changed, in one time style (#22)."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from eventapp.models import AuditEntry, Role, db
from tests.factories import link_speaker, make_event, make_registration, make_session, make_speaker


def test_entries_name_and_link_their_target_and_keep_deleted_ones_unlinked(app, client, login_as):
    admin = login_as(Role.ADMIN)
    with app.app_context():
        event = make_event(title="ROK-U.S. Space Forum")
        session = make_session(event, title="Panel 1: Partnerships")
        registration = make_registration(event, given_name="Minji", family_name="Kim")
        gone = make_speaker()
        at = datetime(2023, 11, 8, 0, 30, 15, tzinfo=UTC)
        for target in (f"events:{event.id}", f"agenda_sessions:{session.id}",
                       f"registrations:{registration.id}", f"speakers:{gone.id}"):  # fmt: skip
            db.session.add(AuditEntry(account_id=admin.id, action="x.update", target=target, at=at))
        db.session.delete(gone)
        db.session.commit()
        slug, session_id, registration_id, gone_id = (
            event.slug,
            session.id,
            registration.id,
            gone.id,
        )

    page = client.get("/admin/audit").get_data(as_text=True)

    assert f'<a href="/admin/events/{slug}/">ROK-U.S. Space Forum</a>' in page
    assert (
        f'<a href="/admin/events/{slug}/sessions/{session_id}/edit">Panel 1: Partnerships</a>'
        in page
    )
    assert f'href="/admin/events/{slug}/registrants/{registration_id}/edit">Minji Kim</a>' in page
    assert f"speakers:{gone_id} <span" in page
    assert "(deleted)" in page
    assert ">2023-11-08 00:30</time>" in page  # 24-hour, no seconds, UTC as the page says
    assert ">2023-11-08 00:30:15" not in page


def test_back_office_times_are_24_hour_without_seconds_or_us_dates(app, client, login_as):
    login_as(Role.ORGANIZER)
    with app.app_context():
        event = make_event()
        registration = make_registration(
            event, created_at=datetime(2023, 11, 1, 5, 7, 9, tzinfo=UTC)
        )
        slug, registration_id = event.slug, registration.id

    page = client.get(f"/admin/events/{slug}/registrants/{registration_id}/edit")

    assert "Registered 2023-11-01 14:07" in page.get_data(as_text=True)  # in Seoul


def test_a_speaker_clash_names_the_other_time_in_the_same_style(app, client, login_as):
    login_as(Role.ORGANIZER)
    with app.app_context():
        event = make_event()
        speaker = make_speaker()
        first = make_session(event, title="Panel A")
        second = make_session(event, title="Panel B", starts_at=first.starts_at)
        link_speaker(first, speaker)
        link_speaker(second, speaker)
        slug, second_id, start = event.slug, second.id, first.starts_at

    page = client.get(f"/admin/events/{slug}/sessions/{second_id}/edit").get_data(as_text=True)

    local = start.astimezone(ZoneInfo("Asia/Seoul"))
    assert f"({local:%Y-%m-%d %H:%M})" in page
