"""`flask outbox send`: printing without a server, delivering with one, and --loop."""

import os
import signal
import subprocess
import sys
import time
from email import message_from_bytes
from email.policy import default

from aiosmtpd.controller import Controller

from eventapp import create_app
from eventapp.models import OutboxMessage, OutboxStatus, db
from eventapp.services.mail.outbox import queue_email
from tests.mail.test_outbox import Inbox, _free_port


def _queue_one(app, subject="Registration confirmed 🚀"):
    with app.app_context():
        queue_email(
            kind="confirmation",
            sender="events@example.org",
            to="Minji Kim <minji@example.org>",
            subject=subject,
            text="Hello Minji,\nyour link: https://example.org/me/x",
        )
        db.session.commit()


def _statuses(app):
    with app.app_context():
        return db.session.scalars(db.select(OutboxMessage.status)).all()


def test_send_without_mail_server_prints_and_leaves_pending(app, runner):
    _queue_one(app)

    result = runner.invoke(args=["outbox", "send"])

    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "Subject: Registration confirmed 🚀" in lines
    assert "To: Minji Kim <minji@example.org>" in lines
    assert "Hello Minji," in lines
    assert _statuses(app) == [OutboxStatus.PENDING]


def test_send_with_mail_server_delivers(make_app):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        app = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port)
        _queue_one(app)

        result = app.test_cli_runner().invoke(args=["outbox", "send"])
    finally:
        controller.stop()

    assert result.exit_code == 0, result.output
    assert result.output.strip() == "Sent 1, retrying 0, failed 0."
    (message,) = [message_from_bytes(e.original_content, policy=default) for e in inbox.received]
    assert message["Subject"] == "Registration confirmed 🚀"
    assert _statuses(app) == [OutboxStatus.SENT]


def test_send_loop_stops_cleanly_on_sigterm(tmp_path):
    database = f"sqlite:///{tmp_path / 'loop.db'}"
    app = create_app({"TESTING": True, "SECRET_KEY": "t", "SQLALCHEMY_DATABASE_URI": database})
    with app.app_context():
        db.create_all()
    _queue_one(app, subject="Loop test")
    env = {**os.environ, "SECRET_KEY": "t", "DATABASE_URL": database, "MAIL_SERVER": ""}
    command = [sys.executable, "-m", "flask", "--app", "eventapp", "outbox", "send", "--loop"]
    process = subprocess.Popen(  # noqa: S603 (our own command line)
        [*command, "--interval", "0.1"], env=env, stdout=subprocess.PIPE, text=True
    )
    try:
        seen = []
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            seen.append(line.rstrip("\n"))
            if line.startswith("Subject: Loop test"):
                break
        assert "Subject: Loop test" in seen
        time.sleep(0.3)  # a few idle rounds: nothing is printed twice
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()

    assert process.returncode == 0
    assert output.splitlines()[-1] == "Outbox sender stopped."
    assert "Subject: Loop test" not in output
    with app.app_context():
        db.engine.dispose()
