"""The privacy notice as PIPA art. 15 expects it: who keeps the data, until when, and that
consent may be refused; and the retention period kept by `flask erase-expired`."""

from datetime import timedelta

import pytest

from eventapp.models import AuditEntry, Event, OutboxMessage, Registration, Role, db, utcnow
from eventapp.services.mail import send_manage_link
from tests.factories import make_event, make_registration
from tests.web.test_admin_events import FORM
from tests.web.test_register import _form


def _event(app, **overrides):
    with app.app_context():
        return make_event(**overrides).slug


def test_the_notice_names_the_controller_and_the_date_the_data_is_deleted(app, client):
    slug = _event(
        app,
        privacy_controller="Space Industry Division, Ministry of Science and ICT",
        privacy_controller_ko="과학기술정보통신부 우주산업과",
        retention_days=90,
    )  # the event ends 2023-11-08 18:00 in Seoul: deleted on 6 February 2024

    english = client.get(f"/e/{slug}/privacy", headers={"Accept-Language": "en"})
    korean = client.get(f"/e/{slug}/privacy", headers={"Accept-Language": "ko"})

    page = english.get_data(as_text=True)
    assert "kept by Space Industry Division, Ministry of Science and ICT" in page
    assert "Tuesday, February 6, 2024 (90 days after the event)" in page
    assert "You may refuse to agree. We then cannot register you" in page
    page = korean.get_data(as_text=True)
    assert "과학기술정보통신부 우주산업과에서 보관합니다" in page
    assert "2024년 2월 6일 화요일(행사 종료 90일 후)까지" in page
    assert "동의를 거부할 수 있습니다" in page


def test_without_settings_the_notice_falls_back_to_the_organizers(app, client):
    slug = _event(app)

    page = client.get(f"/e/{slug}/privacy").get_data(as_text=True)

    assert "Your data is kept by the organizers of this event." in page
    assert "Until the organizers delete the event's records" in page


def test_the_form_summarizes_the_notice_next_to_the_consent_box(app, client):
    slug = _event(app, privacy_controller="KASA", retention_days=30)

    page = client.get(f"/e/{slug}/register").get_data(as_text=True)

    summary = page[page.index('id="consent-heading"') : page.index('name="consent"')]
    assert "Kept by: KASA." in summary
    assert "Deleted on Friday, December 8, 2023." in summary
    assert "You may refuse; we then cannot register you." in summary


def test_the_answer_page_shows_the_address_the_email_went_to(app, client):
    slug = _event(app)

    response = client.post(f"/e/{slug}/register", data=_form(email="minji@example.org"))
    page = client.get(response.headers["Location"]).get_data(as_text=True)

    assert "We have written to minji@example.org about your registration" in page


@pytest.fixture
def organizer(login_as):
    return login_as(Role.ORGANIZER)


def test_organizers_set_the_controller_and_the_retention_period(app, client, organizer):
    data = FORM | {"privacy_controller": "MSIT", "retention_days": "180"}

    response = client.post("/admin/events/new", data=data)

    assert response.status_code == 302
    with app.app_context():
        event = db.session.scalars(db.select(Event)).one()
        assert (event.privacy_controller, event.retention_days) == ("MSIT", 180)


@pytest.mark.parametrize("days", ["3651", "-1", "soon"])
def test_an_impossible_retention_period_is_refused_next_to_the_field(client, organizer, days):
    response = client.post("/admin/events/new", data=FORM | {"retention_days": days})

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="retention_days-error"' in page
    assert 'value="ROK-U.S. Space Forum"' in page


def test_erase_expired_deletes_only_events_past_their_retention_period(app):
    now = utcnow()
    with app.app_context():
        over = make_event(starts_at=now - timedelta(days=40), retention_days=30)
        running = make_event(starts_at=now - timedelta(days=10), retention_days=30)
        unset = make_event(starts_at=now - timedelta(days=400))
        for event in (over, over, running, unset):
            send_manage_link(make_registration(event))
        db.session.commit()
        over_slug, keep = over.slug, sorted([running.id, unset.id])
    runner = app.test_cli_runner()

    dry = runner.invoke(args=["erase-expired", "--dry-run"])
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Registration.id))) == 4
    result = runner.invoke(args=["erase-expired"])
    again = runner.invoke(args=["erase-expired"])

    assert dry.exit_code == 0
    assert f"{over_slug}: would delete" in dry.output
    assert result.exit_code == 0
    assert f"{over_slug}: deleted 2 registrations" in result.output
    assert "No event is past its retention period." in again.output
    with app.app_context():
        left = db.session.scalars(db.select(Registration.event_id)).all()
        assert sorted(left) == keep
        assert db.session.scalar(db.select(db.func.count(OutboxMessage.id))) == 2
        entry = db.session.scalars(
            db.select(AuditEntry).where(AuditEntry.action == "event.retention_erase")
        ).one()
        assert entry.details == {"registrations": 2}
