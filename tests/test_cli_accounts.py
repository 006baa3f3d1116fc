from eventapp.models import Account, Role, db
from tests.factories import make_event


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


def _team_slugs(email):
    from eventapp.services.accounts import teams

    account = db.session.scalar(db.select(Account).where(Account.email == email))
    return [event.slug for event in teams.events_of(account)]


def test_create_user_with_events_puts_the_account_in_their_teams(app, runner):
    with app.app_context():
        make_event(slug="forum")
        make_event(slug="symposium")
        make_event(slug="other")
    args = ["create-user", "org@example.org", "--role", "organizer", "--password-stdin"]

    result = runner.invoke(
        args=[*args, "--event", "symposium", "--event", "forum", "--event", "forum"],
        input="organizer passphrase\n",
    )

    assert result.exit_code == 0, result.output
    assert "In the teams of: symposium, forum." in result.output
    with app.app_context():
        assert sorted(_team_slugs("org@example.org")) == ["forum", "symposium"]


def test_create_user_without_events_belongs_to_no_event(app, runner):
    with app.app_context():
        make_event(slug="forum")

    result = runner.invoke(
        args=["create-user", "door@example.org", "--role", "checkin", "--password-stdin"],
        input="door staff passphrase\n",
    )

    assert result.exit_code == 0, result.output
    assert "acts on no event until an admin adds it" in result.output
    with app.app_context():
        assert _team_slugs("door@example.org") == []


def test_create_user_with_an_unknown_event_creates_nothing(app, runner):
    with app.app_context():
        make_event(slug="forum")

    result = runner.invoke(
        args=[
            *("create-user", "org@example.org", "--role", "organizer", "--password-stdin"),
            *("--event", "forum", "--event", "nowhere"),
        ],
        input="organizer passphrase\n",
    )

    assert result.exit_code == 1
    assert "no event with the slug 'nowhere'" in result.output
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Account.id))) == 0
