import pytest
from werkzeug.security import check_password_hash

from eventapp.errors import AccountExists, InvalidCredentials, InvalidInput
from eventapp.models import Account, AuditEntry, Role, db
from eventapp.services.accounts import authenticate, create_account


def test_create_account_hashes_password_and_normalizes_email(ctx):
    account = create_account("  Admin@Example.ORG ", "a long passphrase", role=Role.ADMIN)

    assert account.email == "admin@example.org"
    assert account.password_hash != "a long passphrase"
    assert check_password_hash(account.password_hash, "a long passphrase")
    actions = db.session.scalars(db.select(AuditEntry.action)).all()
    assert actions == ["account.create"]


def test_create_account_refuses_duplicate_email_without_writing(ctx):
    create_account("a@example.org", "a long passphrase", role=Role.ORGANIZER)

    with pytest.raises(AccountExists):
        create_account("A@example.org", "another passphrase", role=Role.CHECKIN)

    assert db.session.scalar(db.select(db.func.count(Account.id))) == 1


@pytest.mark.parametrize(
    ("email", "password"), [("not-an-email", "long enough pw"), ("a@b.c", "short")]
)
def test_create_account_rejects_bad_input(ctx, email, password):
    with pytest.raises(InvalidInput):
        create_account(email, password, role=Role.ORGANIZER)

    assert db.session.scalar(db.select(db.func.count(Account.id))) == 0


def test_authenticate_accepts_right_password_only(ctx):
    create_account("a@example.org", "a long passphrase", role=Role.ORGANIZER)

    assert authenticate("A@example.org ", "a long passphrase").email == "a@example.org"
    with pytest.raises(InvalidCredentials):
        authenticate("a@example.org", "wrong passphrase!")
    with pytest.raises(InvalidCredentials):
        authenticate("nobody@example.org", "a long passphrase")


def test_authenticate_refuses_deactivated_account(ctx):
    account = create_account("a@example.org", "a long passphrase", role=Role.ORGANIZER)
    account.is_active_account = False
    db.session.commit()

    with pytest.raises(InvalidCredentials):
        authenticate("a@example.org", "a long passphrase")


def test_roles_include_lower_roles():
    assert Role.ADMIN.includes(Role.ORGANIZER)
    assert Role.ORGANIZER.includes(Role.CHECKIN)
    assert not Role.CHECKIN.includes(Role.ORGANIZER)
    assert not Role.ORGANIZER.includes(Role.ADMIN)
