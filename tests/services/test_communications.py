from email import message_from_bytes
from email.policy import default

import pytest

from eventapp.errors import InvalidInput
from eventapp.models import AuditEntry, OutboxMessage, RegistrationStatus, db
from eventapp.services import communications
from eventapp.services.communications import Announcement
from eventapp.services.registrants import RegistrantFilter
from tests.factories import make_account, make_event, make_outbox_message, make_registration

BASE = "http://events.example.org"
HELLO = Announcement(subject="{event}: room change", body="Dear {name},\nsee {manage_link}\n{x}")


@pytest.fixture
def event(ctx):
    event = make_event(title="Space Forum", title_ko="우주포럼")
    make_registration(event, given_name="Jane", family_name="Doe", email="jane@example.org")
    make_registration(
        event, given_name="민지", family_name="김", email="minji@example.org", locale="ko"
    )
    make_registration(event, status=RegistrationStatus.CANCELLED, email="gone@example.org")
    return event


def test_preview_counts_recipients_without_cancelled_ones_and_fills_placeholders(event):
    preview = communications.preview(event, RegistrantFilter(), HELLO, base_url=BASE)

    assert preview.count == 2
    assert preview.to == "jane@example.org"
    assert preview.subject == "Space Forum: room change"
    assert preview.text.startswith("Dear Jane Doe,\nsee http://events.example.org/me/")
    assert preview.text.endswith("{x}")  # unknown placeholders stay as written
    assert db.session.scalar(db.select(db.func.count(OutboxMessage.id))) == 0


def test_cancelled_registrants_are_written_to_only_when_asked(event):
    flt = RegistrantFilter(status=RegistrationStatus.CANCELLED)

    preview = communications.preview(event, flt, HELLO, base_url=BASE)

    assert (preview.count, preview.to) == (1, "gone@example.org")


def test_send_queues_one_message_per_person_in_their_language(event):
    organizer = make_account()

    count = communications.send_announcement(
        event,
        RegistrantFilter(),
        HELLO,
        sender="Symposium <events@example.org>",
        base_url=BASE,
        by=organizer,
    )

    assert count == 2
    messages = db.session.scalars(db.select(OutboxMessage).order_by(OutboxMessage.id)).all()
    parsed = {m.to_address: message_from_bytes(m.raw.encode(), policy=default) for m in messages}
    assert sorted(parsed) == ["jane@example.org", "minji@example.org"]
    korean = parsed["minji@example.org"]
    assert korean["Subject"] == "우주포럼: room change"
    assert korean.get_body(("plain",)).get_content().startswith("Dear 김민지,")
    assert korean["Reply-To"] == "events@example.org"
    entry = db.session.scalars(
        db.select(AuditEntry).where(AuditEntry.action == "event.announcement")
    ).one()
    assert (entry.account_id, entry.details["recipients"]) == (organizer.id, 2)


@pytest.mark.parametrize(
    ("announcement", "field"),
    [(Announcement(subject=" ", body="Hello"), "subject"), (Announcement("Hi", " \n"), "body")],
)
def test_send_refuses_an_empty_subject_or_body(event, announcement, field):
    with pytest.raises(InvalidInput) as caught:
        communications.send_announcement(
            event, RegistrantFilter(), announcement, sender="a@example.org", base_url=BASE, by=None
        )

    assert caught.value.details["field"] == field
    assert db.session.scalar(db.select(db.func.count(OutboxMessage.id))) == 0


def test_readable_gives_headers_and_the_plain_text(ctx):
    message = make_outbox_message(subject="환영합니다 👋", text="서울에서 만나요. 🚀")

    readable = communications.readable(message)

    assert dict(readable.headers)["Subject"] == "환영합니다 👋"
    assert readable.text.strip() == "서울에서 만나요. 🚀"
    assert readable.attachments == []


def test_outbox_statement_filters_by_recipient(ctx):
    wanted = make_outbox_message(to="wanted@example.org")
    make_outbox_message(to="other@example.org")

    found = db.session.scalars(communications.outbox_statement(query="wanted")).all()

    assert [m.id for m in found] == [wanted.id]
