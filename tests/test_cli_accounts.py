from eventapp.models import Account, Role, db


def test_create_user_reads_password_from_stdin(app, runner):
    result = runner.invoke(
        args=["create-user", "Door@Example.org", "--role", "checkin", "--password-stdin"],
        input="door staff passphrase\n",
    )

    assert result.exit_code == 0, result.output
    assert "Created checkin account door@example.org." in result.output
    with app.app_context():
        account = db.session.scalar(db.select(Account))
        assert account.role is Role.CHECKIN
        assert account.email == "door@example.org"


def test_create_user_prompts_for_password_twice(app, runner):
    result = runner.invoke(
        args=["create-user", "boss@example.org", "--role", "admin"],
        input="admin passphrase!\nadmin passphrase!\n",
    )

    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(db.select(Account.role)) is Role.ADMIN


def test_create_user_duplicate_fails_with_message(app, runner):
    args = ["create-user", "a@example.org", "--role", "organizer", "--password-stdin"]
    runner.invoke(args=args, input="first passphrase\n")

    result = runner.invoke(args=args, input="second passphrase\n")

    assert result.exit_code == 1
    assert "already exists" in result.output
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Account.id))) == 1


def test_create_user_rejects_unknown_role(runner):
    result = runner.invoke(args=["create-user", "a@example.org", "--role", "king"])

    assert result.exit_code == 2
    assert "Invalid value for '--role'" in result.output
