"""Every back-office form refuses a POST without its CSRF token, and accepts one with it."""

from __future__ import annotations

import re

from eventapp.models import Event, Role, db
from tests.factories import add_to_team, make_account, make_event
from tests.web.test_admin_permissions import _admin_rules, _world


def _token(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def test_every_admin_post_without_a_csrf_token_is_refused(make_app, tmp_path):
    app = make_app(WTF_CSRF_ENABLED=True, PHOTOS_DIR=str(tmp_path))
    client = app.test_client()
    with app.app_context():
        email = make_account(Role.ADMIN, password="password-123456").email
    token = _token(client.get("/login").get_data(as_text=True))
    client.post("/login", data={"email": email, "password": "password-123456", "csrf_token": token})
    posts = [rule for rule in _admin_rules(app) if "POST" in rule.methods]
    assert len(posts) >= 20

    for rule in posts:
        with app.app_context(), app.test_request_context():
            values = _world()
            url = app.url_for(rule.endpoint, **{name: values[name] for name in rule.arguments})
        response = client.post(url, data={"title": "x", "name": "x", "subject": "x"})
        assert response.status_code == 400, url
        assert "<h1>Bad request</h1>" in response.get_data(as_text=True), url  # not a form error


def test_a_post_with_the_token_goes_through(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    with app.app_context():
        event = make_event()
        email = add_to_team(make_account(Role.ORGANIZER, password="password-123456"), event).email
        slug = event.slug
    token = _token(client.get("/login").get_data(as_text=True))
    client.post("/login", data={"email": email, "password": "password-123456", "csrf_token": token})
    token = _token(client.get(f"/admin/events/{slug}/delete").get_data(as_text=True))

    response = client.post(f"/admin/events/{slug}/delete", data={"csrf_token": token})

    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Event.id))) == 0
