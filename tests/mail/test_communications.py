import threading
from email import message_from_bytes
from email.policy import default

import pytest

from eventapp.errors import AlreadySent, InvalidInput
from eventapp.models import AuditEntry, Event, OutboxMessage, RegistrationStatus, db
from eventapp.services.mail import communications
from eventapp.services.mail.communications import Announcement
from eventapp.services.registration.registrants import RegistrantFilter
from tests.factories import make_account, make_event, make_outbox_message, make_registration

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
    preview = communications.preview(event, RegistrantFilter(), HELLO)

    assert preview.count == 2
    # Written in English only: everyone gets the English version.
    [version] = preview.versions
    assert (version.language, version.count, version.to) == ("en", 2, "jane@example.org")
    assert version.subject == "Space Forum: room change"
    assert version.text.startswith("Dear Jane Doe,\nsee http://events.example.org/me/")
    assert version.text.endswith("{x}")  # unknown placeholders stay as written
    assert db.session.scalar(db.select(db.func.count(OutboxMessage.id))) == 0


def test_cancelled_registrants_are_written_to_only_when_asked(event):
    flt = RegistrantFilter(status=RegistrationStatus.CANCELLED)

    preview = communications.preview(event, flt, HELLO)

    assert (preview.count, preview.versions[0].to) == (1, "gone@example.org")


def test_send_queues_one_message_per_person_in_their_language(event):
    organizer = make_account()

    count = communications.send_announcement(
        event,
        RegistrantFilter(),
        HELLO,
        sender="Symposium <events@example.org>",
        send_key=communications.new_send_key(),
        by=organizer,
    )

    assert count == 2
    messages = db.session.scalars(db.select(OutboxMessage).order_by(OutboxMessage.id)).all()
    parsed = {m.to_address: message_from_bytes(m.raw.encode(), policy=default) for m in messages}
    assert sorted(parsed) == ["jane@example.org", "minji@example.org"]
    korean = parsed["minji@example.org"]
    # No Korean version: she gets the English one, with the event's English title.
    assert korean["Subject"] == "Space Forum: room change"
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
        send(event, announcement)

    assert caught.value.details["field"] == field
    assert db.session.scalar(db.select(db.func.count(OutboxMessage.id))) == 0


def send(event, announcement=HELLO, key=None):
    return communications.send_announcement(
        event,
        RegistrantFilter(),
        announcement,
        sender="a@example.org",
        send_key=key or communications.new_send_key(),
        by=None,
    )


def outbox_count() -> int:
    return db.session.scalar(db.select(db.func.count(OutboxMessage.id)))


def test_sending_twice_with_the_preview_key_sends_once(event):
    key = communications.new_send_key()
    assert send(event, key=key) == 2

    with pytest.raises(AlreadySent):
        send(event, key=key)

    assert outbox_count() == 2
    audited = db.select(db.func.count(AuditEntry.id)).where(
        AuditEntry.action == "event.announcement"
    )
    assert db.session.scalar(audited) == 1
    # A new preview's key sends it again, on purpose.
    assert send(event) == 2
    assert outbox_count() == 4


@pytest.mark.parametrize("key", ["", "short", "has spaces in it, not a key", "x" * 65])
def test_send_without_a_key_from_a_preview_is_refused(event, key):
    with pytest.raises(InvalidInput):
        send(event, key=key or " ")

    assert outbox_count() == 0


@pytest.mark.postgres
def test_two_sends_with_one_key_at_once_send_once(app):
    with app.app_context():
        event = make_event()
        for n in range(20):
            make_registration(event, email=f"p{n}@example.org")
        event_id = event.id
    key, start, outcomes = communications.new_send_key(), threading.Barrier(2), []

    def organizer() -> None:
        with app.app_context():
            start.wait(5)
            try:
                outcomes.append(send(db.session.get(Event, event_id), key=key))
            except AlreadySent:
                outcomes.append("already sent")
            finally:
                db.session.remove()

    workers = [threading.Thread(target=organizer) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(20)

    assert sorted(outcomes, key=str) == [20, "already sent"]
    with app.app_context():
        assert outbox_count() == 20


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


BOTH = Announcement(
    subject="{event}: room change",
    body="Dear {name}, the panel moves to Hall B.",
    subject_ko="{event}: 장소 변경",
    body_ko="{name}님, 패널 토론이 B홀로 옮겨집니다.",
)


def test_each_registrant_gets_the_version_of_their_language(event):
    preview = communications.preview(event, RegistrantFilter(), BOTH)

    assert [(v.language, v.count, v.to) for v in preview.versions] == [
        ("en", 1, "jane@example.org"),
        ("ko", 1, "minji@example.org"),
    ]
    send(event, BOTH)
    messages = db.session.scalars(db.select(OutboxMessage)).all()
    parsed = {m.to_address: message_from_bytes(m.raw.encode(), policy=default) for m in messages}
    assert parsed["minji@example.org"]["Subject"] == "우주포럼: 장소 변경"
    assert parsed["minji@example.org"].get_body(("plain",)).get_content().startswith("김민지님")
    assert parsed["jane@example.org"]["Subject"] == "Space Forum: room change"


def test_a_korean_only_message_goes_to_everyone(event):
    korean_only = Announcement(subject="", body="", subject_ko="안내", body_ko="안녕하세요")

    preview = communications.preview(event, RegistrantFilter(), korean_only)

    assert [(v.language, v.count) for v in preview.versions] == [("ko", 2)]


@pytest.mark.parametrize(
    ("announcement", "field"),
    [
        (Announcement("Hi", "Hello", subject_ko="안내"), "body_ko"),
        (Announcement("Hi", "Hello", body_ko="안녕하세요"), "subject_ko"),
        (Announcement("", " "), "subject"),
    ],
)
def test_a_half_written_version_is_refused(event, announcement, field):
    with pytest.raises(InvalidInput) as caught:
        send(event, announcement)

    assert caught.value.details["field"] == field
    assert outbox_count() == 0


def test_the_audience_can_be_one_language_or_the_seat_holders_of_a_session(event):
    from eventapp.models import SessionSignup
    from tests.factories import make_session

    panel = make_session(event, capacity=10)
    jane = db.session.scalars(
        db.select(communications.Registration).where(
            communications.Registration.email == "jane@example.org"
        )
    ).one()
    db.session.add(SessionSignup(registration=jane, session=panel))
    waiting = make_registration(event, email="waiting@example.org")
    db.session.add(
        SessionSignup(registration=waiting, session=panel, status=RegistrationStatus.WAITLISTED)
    )
    db.session.commit()

    def emails(flt):
        return sorted(r.email for r in communications.recipients(event, flt))

    assert emails(RegistrantFilter(language="ko")) == ["minji@example.org"]
    assert emails(RegistrantFilter(language="en")) == ["jane@example.org", "waiting@example.org"]
    assert emails(RegistrantFilter(session_id=panel.id)) == ["jane@example.org"]
