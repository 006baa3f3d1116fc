"""NUL and other control characters in URLs, the login and the check-in API: never a 500.

PostgreSQL text cannot hold NUL, so before these were refused a `%00` in a slug or a
token, or a NUL in the login email or a scan's fields, failed there with a 500.
"""

from __future__ import annotations

import pytest

from eventapp.models import Role
from eventapp.services.registration import register
from tests.factories import make_event, make_registration_data

BAD = ["%00", "%01", "%7F", "a%00b"]


@pytest.fixture
def known(app):
    with app.app_context():
        event = make_event()
        outcome = register(event, make_registration_data("first@example.org"))
        return {"slug": event.slug, "token": outcome.registration.manage_token}


@pytest.mark.parametrize("bad", BAD)
@pytest.mark.parametrize(
    "path",
    [
        "/e/{bad}/",
        "/e/{bad}/agenda",
        "/e/{bad}/agenda.ics",
        "/e/{bad}/register",
        "/e/{bad}/schedule.xml",
        "/e/{bad}/speakers",
        "/me/{bad}",
        "/me/{bad}/agenda.ics",
        "/me/{bad}/badge.png",
        "/me/{bad}/data.json",
    ],
)
def test_a_control_character_in_a_slug_or_token_is_a_404(client, known, path, bad):
    response = client.get(path.format(bad=bad))

    assert response.status_code == 404


def test_a_control_character_next_to_a_real_token_is_a_404(client, known):
    assert client.get(f"/me/{known['token']}").status_code == 200
    assert client.get(f"/me/{known['token']}%00").status_code == 404


@pytest.mark.parametrize("email", ["staff\x00@example.org", "staff@example.org\x01"])
def test_login_with_a_control_character_says_so_and_logs_nobody_in(client, email):
    response = client.post("/login", data={"email": email, "password": "x" * 12})

    assert response.status_code == 400
    assert "invisible control characters" in response.get_data(as_text=True)
    assert client.get("/admin/").status_code == 302


@pytest.mark.parametrize(
    "body",
    [
        {"token": "abc\x00def"},
        {"token": "abc", "event": "forum\x00"},
        {"token": "abc", "location": "Hall\x00A"},
        {"token": "abc", "event": "\x1b[31m"},
    ],
)
def test_a_scan_with_a_control_character_is_a_400(client, login_as, known, body):
    login_as(Role.CHECKIN)

    response = client.post("/api/checkin", json=body)

    assert response.status_code == 400
    assert response.get_json()["error"] == "invalid_json"
