import pytest

from eventapp.errors import LastAdmin
from eventapp.models import Account, AuditEntry, Role, db
from eventapp.services import accounts
from tests.factories import make_account


@pytest.fixture
def admin(login_as):
    return login_as(Role.ADMIN)


def test_admin_creates_an_account_and_the_audit_log_shows_it(app, client, admin):
    response = client.post(
        "/admin/accounts",
        data={"email": "Door@Example.org", "role": "checkin", "password": "long enough password"},
    )

    assert response.status_code == 302
    with app.app_context():
        created = db.session.scalars(
            db.select(Account).where(Account.email == "door@example.org")
        ).one()
        assert created.role is Role.CHECKIN
    audit = client.get("/admin/audit").get_data(as_text=True)
    assert "account.create" in audit
    assert admin.email in audit


def test_a_short_password_or_taken_email_is_refused_next_to_the_field(app, client, admin):
    short = client.post(
        "/admin/accounts", data={"email": "a@example.org", "role": "admin", "password": "short"}
    )
    taken = client.post(
        "/admin/accounts",
        data={"email": admin.email, "role": "admin", "password": "long enough password"},
    )

    assert short.status_code == 400
    assert 'id="password-error"' in short.get_data(as_text=True)
    assert taken.status_code == 400
    assert 'id="email-error"' in taken.get_data(as_text=True)


def test_change_role_and_deactivate(app, client, admin):
    with app.app_context():
        other = make_account(Role.ORGANIZER).id

    client.post(f"/admin/accounts/{other}/role", data={"role": "checkin"})
    client.post(f"/admin/accounts/{other}/deactivate")

    with app.app_context():
        account = db.session.get(Account, other)
        assert (account.role, account.is_active) == (Role.CHECKIN, False)
        actions = db.session.scalars(db.select(AuditEntry.action).order_by(AuditEntry.id)).all()
        assert actions[-2:] == ["account.role", "account.deactivate"]


def test_an_admin_cannot_lock_themselves_out(app, client, admin):
    client.post(f"/admin/accounts/{admin.id}/deactivate")
    client.post(f"/admin/accounts/{admin.id}/role", data={"role": "organizer"})

    with app.app_context():
        account = db.session.get(Account, admin.id)
        assert (account.role, account.is_active) == (Role.ADMIN, True)
    assert client.get("/admin/accounts").status_code == 200


def test_the_last_active_admin_keeps_the_role(ctx):
    only = make_account(Role.ADMIN)
    second = make_account(Role.ADMIN)
    accounts.set_active(second, False, by=only)

    with pytest.raises(LastAdmin):
        accounts.change_role(only, Role.ORGANIZER, by=None)

    accounts.set_active(second, True, by=only)
    accounts.change_role(only, Role.ORGANIZER, by=second)
    assert only.role is Role.ORGANIZER


def test_unknown_account_is_404(client, admin):
    assert client.post("/admin/accounts/424242/deactivate").status_code == 404
