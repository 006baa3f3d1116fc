"""The approvals page (#17): lists pending registrations, approves or declines the
selected ones with a message, in English and Korean, and the event form sets the mode."""

from email import message_from_string, policy

import pytest

from eventapp.models import AdmissionMode, Event, OutboxMessage, Registration, Role, db
from eventapp.models import RegistrationStatus as Status
from eventapp.services import registration as registrations
from tests.factories import make_event, make_registration_data


@pytest.fixture
def pending_event(app):
    with app.app_context():
        event = make_event(capacity=1, admission_mode=AdmissionMode.APPROVAL, is_published=True)
        ids = [
            registrations.register(
                event, make_registration_data(f"p{i}@example.org", given_name=f"Person{i}")
            ).registration_id
            for i in range(3)
        ]
        return {"slug": event.slug, "ids": ids}


def test_lists_pending_and_approves_the_selected_with_a_message(
    app, client, login_as, pending_event
):
    login_as(Role.ORGANIZER)
    url = f"/admin/events/{pending_event['slug']}/approvals"
    page = client.get(url).get_data(as_text=True)
    assert "p0@example.org" in page
    assert "p2@example.org" in page
    first, second, third = pending_event["ids"]

    response = client.post(
        url,
        data={"ids": [str(first), str(second)], "decision": "approve", "note": "See you there"},
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Registration, first).status is Status.CONFIRMED
        assert db.session.get(Registration, second).status is Status.WAITLISTED
        assert db.session.get(Registration, third).status is Status.PENDING
        raw = db.session.scalar(
            db.select(OutboxMessage.raw).where(
                OutboxMessage.registration_id == first, OutboxMessage.kind == "approved"
            )
        )
        parsed = message_from_string(raw, policy=policy.default)
        assert "See you there" in parsed.get_body(preferencelist=("plain",)).get_content()
    after = client.get(url).get_data(as_text=True)
    assert "1 approved with a seat, 1 approved onto the waiting list" in after
    assert "p0@example.org" not in after
    assert "p2@example.org" in after


def test_declines_and_refuses_an_empty_selection(app, client, login_as, pending_event):
    login_as(Role.ORGANIZER)
    url = f"/admin/events/{pending_event['slug']}/approvals"
    empty = client.post(url, data={"decision": "decline", "note": "x"})
    assert empty.status_code == 400
    page = empty.get_data(as_text=True)
    assert "Select at least one registration." in page
    assert "x</textarea>" in page  # the typed message is kept

    third = pending_event["ids"][2]
    client.post(url, data={"ids": [str(third), "junk"], "decision": "decline"})
    with app.app_context():
        assert db.session.get(Registration, third).status is Status.DECLINED


def test_page_in_korean(client, login_as, pending_event):
    login_as(Role.ORGANIZER)
    page = client.get(
        f"/admin/events/{pending_event['slug']}/approvals", headers={"Accept-Language": "ko"}
    ).get_data(as_text=True)
    assert "승인 대기 중인 등록" in page
    assert "선택한 등록 승인" in page


def test_another_teams_organizer_gets_404(client, login_as, pending_event):
    login_as(Role.ORGANIZER, events=())
    url = f"/admin/events/{pending_event['slug']}/approvals"
    assert client.get(url).status_code == 404
    assert (
        client.post(
            url, data={"ids": [str(pending_event["ids"][0])], "decision": "approve"}
        ).status_code
        == 404
    )


def test_event_form_sets_the_admission_mode(app, client, login_as, pending_event):
    login_as(Role.ORGANIZER)
    page = client.get(f"/admin/events/{pending_event['slug']}/edit").get_data(as_text=True)
    assert "Who may register" in page
    assert '<option selected value="approval">' in page
    form = {
        "slug": pending_event["slug"],
        "acronym": "ev",
        "title": "Opened",
        "timezone": "Asia/Seoul",
        "starts_at": "2027-05-12T09:00",
        "ends_at": "2027-05-12T18:00",
        "admission_mode": "open",
        "capacity": "1",
    }
    response = client.post(f"/admin/events/{pending_event['slug']}/edit", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    with app.app_context():
        event = db.session.scalar(db.select(Event).where(Event.slug == pending_event["slug"]))
        assert event.admission_mode is AdmissionMode.OPEN


def test_quota_page_saves_shows_and_refuses_bad_input(app, client, login_as, pending_event):
    from eventapp.models import Category
    from eventapp.services import admission

    login_as(Role.ORGANIZER)
    url = f"/admin/events/{pending_event['slug']}/quotas"
    assert "Seats per category" in client.get(url).get_data(as_text=True)
    assert client.post(url, data={"quota_press": "20"}).status_code == 302
    with app.app_context():
        event = db.session.scalar(db.select(Event).where(Event.slug == pending_event["slug"]))
        assert admission.quotas(event) == {Category.PRESS: 20}
    page = client.get(url).get_data(as_text=True)
    assert 'value="20"' in page
    bad = client.post(url, data={"quota_press": "-3", "quota_staff": "abc"})
    assert bad.status_code == 400
    assert 'value="-3"' in bad.get_data(as_text=True)
    korean = client.get(url, headers={"Accept-Language": "ko"}).get_data(as_text=True)
    assert "범주별 좌석" in korean


def test_self_service_says_pending_then_declined_and_offers_no_badge(app, client, pending_event):
    from eventapp.services import admission

    with app.app_context():
        registration = db.session.get(Registration, pending_event["ids"][0])
        token = registration.manage_token
    page = client.get(f"/me/{token}").get_data(as_text=True)
    assert "Awaiting approval" in page
    assert "Badge (PDF" not in page
    assert "Register again" not in page
    assert client.get(f"/me/{token}/badge.pdf").status_code in (403, 404, 409, 410)
    with app.app_context():
        event = db.session.scalar(db.select(Event).where(Event.slug == pending_event["slug"]))
        admission.decline(event, [pending_event["ids"][0]])
    declined = client.get(f"/me/{token}").get_data(as_text=True)
    assert "Declined" in declined
    assert "was not approved" in declined
