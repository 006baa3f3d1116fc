"""No 500 on any input: every back-office POST and GET, fed odd values in every field."""

from __future__ import annotations

import pytest

from eventapp.models import Role
from eventapp.web.forms import admin, admin_agenda, admin_people, admin_registrants
from tests.factories import make_account
from tests.web.test_admin_permissions import _admin_rules, _world

WEIRD = [
    "한미 우주포럼 🚀" * 60,
    "",
    "-1",
    "99999999999999999999999",
    "2023-02-30T25:61",
    "0001-01-01T00:00",
    "\x00\x01",
    "'; DROP TABLE events; --",
]


def _field_names() -> set[str]:
    names = set()
    for module in (admin, admin_agenda, admin_people, admin_registrants):
        for value in vars(module).values():
            if isinstance(value, type) and hasattr(value, "_unbound_fields"):
                names |= {name for name, _ in value._unbound_fields or []}
                names |= {
                    name for name in dir(value) if hasattr(getattr(value, name), "field_class")
                }
    return names | {"action", "q", "status", "page", "room-name", "track-name", "track-color"}


@pytest.mark.parametrize("weird", WEIRD)
def test_no_admin_page_fails_on_odd_input(make_app, tmp_path, weird):
    app = make_app(PHOTOS_DIR=str(tmp_path))
    client = app.test_client()
    with app.app_context():
        email = make_account(Role.ADMIN, password="password-123456").email
    client.post("/login", data={"email": email, "password": "password-123456"})
    data = dict.fromkeys(_field_names(), weird) | {"action": "preview"}
    args = dict.fromkeys(("q", "status", "page", "day", "country", "checked_in", "action"), weird)

    with app.app_context(), app.test_request_context():
        shared = _world()
    for rule in _admin_rules(app):
        method = "POST" if "POST" in rule.methods else "GET"
        with app.app_context(), app.test_request_context():
            values = _world() if method == "POST" else shared  # a POST may delete its world
            url = app.url_for(rule.endpoint, **{n: values[n] for n in rule.arguments})
        if method == "GET":
            response = client.get(url, query_string=args)
        else:
            response = client.post(url, data=data)
        response.close()
        assert response.status_code < 500, f"{method} {url}"
