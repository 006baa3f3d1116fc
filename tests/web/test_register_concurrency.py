"""No overbooking through the real HTTP app: a threaded WSGI server and 52 browsers at once."""

import http.client
import threading
from urllib.parse import urlencode

import pytest
from werkzeug.serving import make_server

from eventapp.models import Registration, SessionSignup, db
from eventapp.models import RegistrationStatus as Status
from tests.factories import make_event, make_registration, make_session
from tests.registration.test_registration_concurrency import POOL, THREADS

pytestmark = pytest.mark.postgres


@pytest.fixture
def served(make_app):
    """The app behind a real threaded HTTP server on a random loopback port."""
    app = make_app(SQLALCHEMY_ENGINE_OPTIONS=POOL)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield app, server.server_port
    server.shutdown()
    thread.join(timeout=10)


def _post_all(port: int, slug: str, forms: list[dict]) -> list[int]:
    start = threading.Barrier(len(forms))
    statuses: list[int] = []

    def browser(form: dict) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        body = urlencode(form, doseq=True)
        start.wait()
        connection.request(
            "POST",
            f"/e/{slug}/register",
            body=body,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        statuses.append(connection.getresponse().status)
        connection.close()

    threads = [threading.Thread(target=browser, args=(form,)) for form in forms]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    return statuses


def _form(i: int, **extra) -> dict:
    return {
        "given_name": f"민지{i}",
        "family_name": "김",
        "email": f"p{i}@example.org",
        "category": "industry",
        "consent": "y",
        **extra,
    }


def test_concurrent_http_registrations_confirm_exactly_the_last_seats(served):
    app, port = served
    with app.app_context():
        event = make_event(capacity=25)
        for _ in range(20):
            make_registration(event)
        slug = event.slug

    statuses = _post_all(port, slug, [_form(i) for i in range(THREADS)])

    assert statuses == [302] * THREADS
    with app.app_context():
        rows = db.session.scalars(db.select(Registration.status)).all()
        assert rows.count(Status.CONFIRMED) == 25
        assert rows.count(Status.WAITLISTED) == THREADS - 5


def test_concurrent_http_session_choices_fill_exactly_the_capacity(served):
    app, port = served
    with app.app_context():
        event = make_event(capacity=None)
        panel = make_session(event, capacity=7)
        slug, panel_id = event.slug, panel.id

    statuses = _post_all(port, slug, [_form(i, sessions=panel_id) for i in range(THREADS)])

    assert statuses == [302] * THREADS
    with app.app_context():
        rows = db.session.scalars(
            db.select(SessionSignup.status).where(SessionSignup.session_id == panel_id)
        ).all()
        assert (rows.count(Status.CONFIRMED), rows.count(Status.WAITLISTED)) == (7, THREADS - 7)
