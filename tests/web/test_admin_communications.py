import re
from email import message_from_bytes
from email.policy import default

import pytest

from eventapp.models import OutboxMessage, RegistrationStatus, Role, db
from tests.factories import make_event, make_outbox_message, make_registration


@pytest.fixture
def organizer(login_as):
    return login_as(Role.ORGANIZER)


@pytest.fixture
def event(app):
    with app.app_context():
        event = make_event()
        make_registration(
            event, email="kr@example.org", country="KR", given_name="민지", family_name="김"
        )
        make_registration(event, email="us@example.org", country="US")
        make_registration(event, email="gone@example.org", status=RegistrationStatus.CANCELLED)
        return {"slug": event.slug}


MESSAGE = {"subject": "셔틀버스 안내 🚌", "body": "{name}님, the shuttle leaves at 08:00."}


def test_preview_shows_count_and_first_message_without_queueing(app, client, organizer, event):
    response = client.post(
        f"/admin/events/{event['slug']}/communications",
        data=MESSAGE | {"country": "KR", "action": "preview"},
    )

    page = response.get_data(as_text=True)
    assert "1 recipients." in page
    assert "김민지님, the shuttle leaves at 08:00." in page
    assert 'value="send"' in page
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(OutboxMessage.id))) == 0


def preview_key(client, slug: str, data: dict) -> str:
    """Preview as the organizer does before sending; the page's send key."""
    page = client.post(
        f"/admin/events/{slug}/communications", data=data | {"action": "preview"}
    ).get_data(as_text=True)
    found = re.search(r'name="send_key" type="hidden" value="([^"]+)"', page)
    assert found, "no send key in the preview"
    return found.group(1)


def test_send_queues_for_the_filtered_group_and_lands_in_the_outbox(app, client, organizer, event):
    key = preview_key(client, event["slug"], MESSAGE | {"country": "KR"})
    response = client.post(
        f"/admin/events/{event['slug']}/communications",
        data=MESSAGE | {"country": "KR", "action": "send", "send_key": key},
    )

    assert response.headers["Location"] == "/admin/outbox?status=pending"
    with app.app_context():
        message = db.session.scalars(db.select(OutboxMessage)).one()
        parsed = message_from_bytes(message.raw.encode(), policy=default)
        assert parsed["To"] == "kr@example.org"
        assert parsed["Subject"] == "셔틀버스 안내 🚌"
        message_id = message.id
    outbox = client.get("/admin/outbox?status=pending").get_data(as_text=True)
    shown = client.get(f"/admin/outbox/{message_id}").get_data(as_text=True)
    assert "kr@example.org" in outbox
    assert "김민지님, the shuttle leaves at 08:00." in shown


def test_a_second_click_on_send_sends_nothing_more_and_says_so(app, client, organizer, event):
    data = MESSAGE | {"action": "send", "send_key": preview_key(client, event["slug"], MESSAGE)}
    url = f"/admin/events/{event['slug']}/communications"

    first = client.post(url, data=data)
    again = client.post(url, data=data)

    assert first.status_code == 302
    assert again.status_code == 200
    assert "was sent already" in again.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(OutboxMessage.id))) == 2
    # The form is marked to be sent once by the browser too.
    assert "data-submit-once" in again.get_data(as_text=True)
    # A fresh preview gives a fresh key: sending it again is then on purpose.
    assert preview_key(client, event["slug"], MESSAGE) != data["send_key"]


def test_send_without_a_preview_is_refused_and_queues_nothing(app, client, organizer, event):
    response = client.post(
        f"/admin/events/{event['slug']}/communications", data=MESSAGE | {"action": "send"}
    )

    assert "Not saved: preview the message first" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(OutboxMessage.id))) == 0


def test_an_empty_message_is_refused_next_to_the_field(client, organizer, event):
    response = client.post(
        f"/admin/events/{event['slug']}/communications",
        data={"subject": "", "body": "", "action": "send"},
    )

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="subject-error"' in page


def test_outbox_lists_state_and_last_error(app, client, organizer):
    with app.app_context():
        message = make_outbox_message(make_registration(make_event()), to="bounce@example.org")
        message.last_error = "550 mailbox unavailable"
        db.session.commit()

    page = client.get("/admin/outbox", query_string={"status": "pending"}).get_data(as_text=True)

    assert "bounce@example.org" in page
    assert "550 mailbox unavailable" in page
    # States and kinds in words, not the stored values.
    assert "<td>Waiting to be sent</td>" in page
    assert "<td>Announcement</td>" in page
    assert '<option value="failed">Failed</option>' in page
    # Its times are UTC, and the footer says so instead of the public pages' note.
    assert "Times on this page are in UTC." in page
    assert "shown in the event" not in page
    assert client.get("/admin/outbox", query_string={"status": "???"}).status_code == 200
    assert client.get("/admin/outbox/987654").status_code == 404


def test_a_korean_version_goes_to_korean_registrants_and_a_half_one_is_refused(
    app, client, organizer
):
    with app.app_context():
        event = make_event()
        make_registration(event, email="ko@example.org", locale="ko")
        make_registration(event, email="en@example.org", locale="en")
        slug = event.slug
    url = f"/admin/events/{slug}/communications"
    both = {
        "subject": "Shuttle",
        "body": "At 08:00.",
        "subject_ko": "셔틀",
        "body_ko": "08:00 출발.",
    }

    page = client.post(url, data=both | {"action": "preview"}).get_data(as_text=True)
    korean_only = client.post(url, data=both | {"language": "ko", "action": "preview"}).get_data(
        as_text=True
    )
    half = client.post(url, data=both | {"body_ko": "", "action": "preview"})

    assert "In English: 1 recipients" in page
    assert "In Korean: 1 recipients" in page
    assert '<pre class="preview__text" lang="ko">08:00 출발.</pre>' in page
    assert "In English:" not in korean_only
    assert "In Korean: 1 recipients" in korean_only
    assert half.status_code == 400
    assert 'id="body_ko-error"' in half.get_data(as_text=True)
    assert 'value="셔틀"' in half.get_data(as_text=True)
