"""Delivering the outbox to a real SMTP server on loopback (aiosmtpd), and reading it back."""

import asyncio
import socket
import ssl
import subprocess
import threading
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from email.policy import default

import pytest
from aiosmtpd.controller import Controller

from eventapp.models import OutboxMessage, OutboxStatus, db
from eventapp.services.mail import outbox
from eventapp.services.mail.outbox import SmtpSettings, deliver_pending, queue_email
from tests.conftest import ON_POSTGRES

T0 = datetime(2023, 11, 1, 9, 0, tzinfo=UTC)


class Inbox:
    """An aiosmtpd handler that keeps what it receives; `answers` scripts failures."""

    def __init__(self, delay: float = 0.0) -> None:
        self.received: list = []
        self.answers: list[str] = []
        self.delay = delay
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        with self.lock:
            if self.answers:
                return self.answers.pop(0)
            self.received.append(envelope)
        return "250 Message accepted"

    def messages(self):
        return [message_from_bytes(e.original_content, policy=default) for e in self.received]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    inbox.settings = SmtpSettings(
        server="127.0.0.1", port=controller.port, sender="Symposium <events@example.org>"
    )
    yield inbox
    controller.stop()


def _queue(n: int = 1, *, now: datetime = T0) -> list[OutboxMessage]:
    messages = [
        queue_email(
            kind="confirmation",
            sender="심포지엄 <events@example.org>",
            to=f"김민지 {i} <minji{i}@example.org>",
            subject=f"등록 확인 {i} 🚀",
            text=f"안녕하세요 {i}\nYou are registered.",
            html=f"<p>안녕하세요 <b>{i}</b></p>",
            now=now,
        )
        for i in range(n)
    ]
    db.session.commit()
    return messages


def _clock(value: datetime):
    return lambda: value


def test_deliver_sends_text_and_html_utf8_and_marks_sent(ctx, smtp):
    (message,) = _queue()

    report = deliver_pending(smtp.settings, now=_clock(T0))

    assert (report.sent, report.retrying, report.failed) == (1, 0, 0)
    (envelope,) = smtp.received
    assert envelope.mail_from == "events@example.org"
    assert envelope.rcpt_tos == ["minji0@example.org"]
    (parsed,) = smtp.messages()
    assert parsed["Subject"] == "등록 확인 0 🚀"
    assert parsed["Message-ID"] == message.message_id
    assert parsed.get_content_type() == "multipart/alternative"
    plain = parsed.get_body(("plain",))
    assert plain.get_content_charset() == "utf-8"
    assert plain.get_content().splitlines() == ["안녕하세요 0", "You are registered."]
    assert "<b>0</b>" in parsed.get_body(("html",)).get_content()
    db.session.refresh(message)
    assert (message.status, message.attempts, message.sent_at) == (OutboxStatus.SENT, 1, T0)


def test_deliver_sends_nothing_twice_and_skips_messages_not_yet_due(ctx, smtp):
    _queue(2)
    (later,) = _queue(1, now=T0 + timedelta(hours=1))

    deliver_pending(smtp.settings, now=_clock(T0))
    deliver_pending(smtp.settings, now=_clock(T0))

    assert len(smtp.received) == 2
    db.session.refresh(later)
    assert later.status is OutboxStatus.PENDING


def test_temporary_failure_retries_with_exponential_backoff(ctx, smtp):
    (message,) = _queue()
    smtp.answers = ["451 4.3.0 Try again later", "451 4.3.0 Try again later"]

    first = deliver_pending(smtp.settings, now=_clock(T0))
    db.session.refresh(message)
    assert (first.retrying, message.status, message.attempts) == (1, OutboxStatus.PENDING, 1)
    assert message.next_attempt_at == T0 + timedelta(minutes=1)
    assert "451" in message.last_error

    assert deliver_pending(smtp.settings, now=_clock(T0 + timedelta(seconds=30))).attempted == 0
    deliver_pending(smtp.settings, now=_clock(T0 + timedelta(minutes=1)))
    db.session.refresh(message)
    assert message.next_attempt_at == T0 + timedelta(minutes=3)  # 1 + 2 minutes

    deliver_pending(smtp.settings, now=_clock(T0 + timedelta(minutes=3)))
    db.session.refresh(message)
    assert (message.status, message.attempts, message.last_error) == (OutboxStatus.SENT, 3, None)
    assert len(smtp.received) == 1


def test_message_fails_for_good_after_max_attempts(ctx, smtp):
    (message,) = _queue()
    smtp.answers = ["451 busy"] * 3
    clock = T0

    for _ in range(3):
        deliver_pending(smtp.settings, now=_clock(clock), max_attempts=3)
        clock += timedelta(hours=2)

    db.session.refresh(message)
    assert (message.status, message.attempts) == (OutboxStatus.FAILED, 3)
    assert deliver_pending(smtp.settings, now=_clock(clock)).attempted == 0


def test_permanent_refusal_fails_at_once_and_the_rest_still_goes(ctx, smtp):
    refused, fine = _queue(2)
    smtp.answers = ["550 5.1.1 No such user"]

    report = deliver_pending(smtp.settings, now=_clock(T0))

    db.session.refresh(refused)
    assert (report.failed, report.sent) == (1, 1)
    assert refused.status is OutboxStatus.FAILED
    assert [m["Message-ID"] for m in smtp.messages()] == [fine.message_id]


def test_unreachable_server_keeps_mail_pending_and_stops_the_round(ctx):
    messages = _queue(3)
    nowhere = SmtpSettings(server="127.0.0.1", port=_free_port(), timeout=2)

    report = deliver_pending(nowhere, now=_clock(T0))

    assert (report.retrying, report.sent) == (1, 0)
    statuses = {m.status for m in db.session.scalars(db.select(OutboxMessage))}
    assert statuses == {OutboxStatus.PENDING}
    assert sorted(m.attempts for m in messages) == [0, 0, 1]


def test_crash_between_send_and_mark_resends_with_the_same_message_id(ctx, smtp, monkeypatch):
    (message,) = _queue()
    real_send = outbox._send

    def send_then_die(connection, settings, row):
        real_send(connection, settings, row)
        raise SystemExit("killed after the server accepted the message")

    monkeypatch.setattr(outbox, "_send", send_then_die)
    with pytest.raises(SystemExit):
        deliver_pending(smtp.settings, now=_clock(T0))
    db.session.refresh(message)
    assert message.status is OutboxStatus.PENDING  # not lost

    monkeypatch.setattr(outbox, "_send", real_send)
    deliver_pending(smtp.settings, now=_clock(T0))

    db.session.refresh(message)
    assert message.status is OutboxStatus.SENT
    ids = [m["Message-ID"] for m in smtp.messages()]
    assert ids == [message.message_id, message.message_id]  # receivers can de-duplicate


def test_deliver_logs_in_with_the_configured_account(ctx):
    from aiosmtpd.smtp import AuthResult

    logins = []

    def authenticator(server, session, envelope, mechanism, auth_data):
        logins.append((auth_data.login, auth_data.password))
        ok = auth_data.password == b"s3cret"
        return AuthResult(success=ok, handled=False)

    inbox = Inbox()
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=_free_port(),
        authenticator=authenticator,
        auth_require_tls=False,  # loopback test only; production sets MAIL_USE_TLS/SSL
    )
    controller.start()
    try:
        _queue()
        settings = SmtpSettings(server="127.0.0.1", port=controller.port, username="mailer")
        refused = deliver_pending(replace(settings, password="wrong"), now=_clock(T0))
        accepted = deliver_pending(
            replace(settings, password="s3cret"), now=_clock(T0 + timedelta(hours=1))
        )
    finally:
        controller.stop()

    assert (refused.retrying, accepted.sent) == (1, 1)
    assert set(logins) == {(b"mailer", b"wrong"), (b"mailer", b"s3cret")}
    assert logins[-1] == (b"mailer", b"s3cret")
    assert len(inbox.received) == 1


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    """A throwaway self-signed certificate for 127.0.0.1 (key, cert paths)."""
    folder = tmp_path_factory.mktemp("tls")
    key, cert = folder / "key.pem", folder / "cert.pem"
    subprocess.run(  # noqa: S603 (fixed arguments)
        [  # noqa: S607 (openssl from PATH)
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )
    return str(key), str(cert)


@pytest.mark.parametrize("mode", ["starttls", "ssl"])
def test_deliver_over_tls_verifies_the_server(ctx, certificate, mode):
    key, cert = certificate
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_context.load_cert_chain(cert, key)
    inbox = Inbox()
    options = (
        {"tls_context": server_context, "require_starttls": True}
        if mode == "starttls"
        else {"ssl_context": server_context}
    )
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port(), **options)
    controller.start()
    try:
        _queue(2)
        settings = SmtpSettings(
            server="127.0.0.1",
            port=controller.port,
            use_tls=mode == "starttls",
            use_ssl=mode == "ssl",
            timeout=5,
        )
        untrusted = deliver_pending(settings, now=_clock(T0))
        trusted = deliver_pending(
            replace(settings, cafile=cert), now=_clock(T0 + timedelta(hours=1))
        )
    finally:
        controller.stop()

    assert (untrusted.sent, untrusted.retrying) == (0, 1)  # unknown certificate: refused
    assert trusted.sent == 2
    assert len(inbox.received) == 2


def test_preview_shows_headers_and_text(ctx):
    (message,) = _queue()

    lines = outbox.preview(message).splitlines()

    assert "Subject: 등록 확인 0 🚀" in lines
    assert "To: 김민지 0 <minji0@example.org>" in lines
    assert "안녕하세요 0" in lines


@pytest.mark.postgres
def test_two_senders_at_once_deliver_each_message_exactly_once(make_app):
    assert ON_POSTGRES
    app = make_app()
    inbox = Inbox(delay=0.005)
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings = SmtpSettings(server="127.0.0.1", port=controller.port)
    with app.app_context():
        ids = {m.message_id for m in _queue(60)}
    reports = []
    start = threading.Barrier(2)

    def sender():
        with app.app_context():
            start.wait()
            reports.append(deliver_pending(settings, now=_clock(T0)))
            db.session.remove()

    threads = [threading.Thread(target=sender) for _ in range(2)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    finally:
        controller.stop()

    received = [m["Message-ID"] for m in inbox.messages()]
    assert sorted(received) == sorted(ids)  # every message, none twice
    assert sorted(r.sent for r in reports) != [0, 60]  # both senders really worked
    assert sum(r.sent for r in reports) == 60
    with app.app_context():
        statuses = db.session.scalars(db.select(OutboxMessage.status)).all()
        assert set(statuses) == {OutboxStatus.SENT}
