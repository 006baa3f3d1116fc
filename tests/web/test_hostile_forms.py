"""The staff forms added with teams and logins (#15), fed what an attacker or a broken
client sends: every answer is a page or a JSON error below 500, and nothing changes."""

import pytest

from eventapp.models import Account, AuditEntry, Role, TeamMember, db
from tests.conftest import PASSWORD
from tests.factories import add_to_team, make_account, make_event

HOSTILE = [
    "",
    " \t ",
    "\x00",
    "a\x00b",
    "x" * 20_000,
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "🚀" * 500,
    "-1",
    "99999999999999999999999",
    "1e309",
    "\uff11\uff12\uff13\uff14\uff15\uff16",  # full-width digits
    "%s%s%n",
    "\u202e\u0000",
]


def _state(app, account_id):
    with app.app_context():
        account = db.session.get(Account, account_id)
        teams = sorted(db.session.scalars(
            db.select(TeamMember.event_id).where(TeamMember.account_id == account_id)
        ))  # fmt: skip
        audit = db.session.scalar(db.select(db.func.count(AuditEntry.id)))
        return (account.password_hash, account.role, account.is_active, account.totp_secret,
                teams, audit)  # fmt: skip


@pytest.fixture
def world(app, client, login_as):
    admin = login_as(Role.ADMIN)
    with app.app_context():
        event = make_event(slug="forum")
        door = make_account(role=Role.CHECKIN, password=PASSWORD)
        add_to_team(door, event)
        return {"admin": admin.id, "door": door.id, "slug": event.slug}


FORMS = [
    ("/account/password", ("current", "password", "confirm")),
    ("/account/two-factor", ("code",)),
    ("/admin/accounts/{door}/events", ("events",)),
    ("/admin/accounts/{door}/role", ("role",)),
    ("/admin/accounts", ("email", "role", "password")),
]


@pytest.mark.parametrize(("url", "fields"), FORMS)
@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_input_to_the_staff_forms_changes_nothing(app, client, world, url, fields, value):
    url = url.format(**world)
    before = {k: _state(app, world[k]) for k in ("admin", "door")}

    response = client.post(url, data=dict.fromkeys(fields, value))

    assert response.status_code < 500, (url, value)
    if response.status_code == 302:  # a refused POST goes back to its page with a message
        assert "login" not in response.headers["Location"]
    after = {k: _state(app, world[k]) for k in ("admin", "door")}
    assert after == before, (url, value)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Account.id))) == 2


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_input_to_the_door_search_answers_a_page(app, client, world, value):
    response = client.get(f"/checkin/{world['slug']}/find", query_string={"q": value})

    assert response.status_code in {200, 400}, value
    assert "<script>alert(1)</script>" not in response.get_data(as_text=True)


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_input_to_the_login_and_reset_forms(make_app, value):
    app = make_app(LOGIN_RATE_LIMIT="10000/minute", LOGIN_ACCOUNT_RATE_LIMIT="10000/minute")
    client = app.test_client()
    with app.app_context():
        account = make_account(role=Role.ORGANIZER, password=PASSWORD)
        account_id = account.id
    before = _state(app, account_id)

    login = client.post("/login", data={"email": value, "password": value})
    code = client.post("/login/code", data={"code": value})
    reset = client.post(f"/password-reset/{value[:200] or 'x'}", data={"password": value})

    for response in (login, code, reset):
        assert response.status_code < 500, value
    assert _state(app, account_id) == before
