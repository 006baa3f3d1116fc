"""Flask commands: `flask --app eventapp <command>`. Each parses, calls a service, reports."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask
from flask.cli import with_appcontext

from eventapp.errors import DomainError
from eventapp.models import Role
from eventapp.services import accounts
from eventapp.services.seeding import SeedSummary, load_file

#: `flask seed` without a FILE: the symposium seed, found from the project root, not the cwd.
DEFAULT_SEED_FILE = Path(__file__).resolve().parent.parent / "seeds" / "symposium.toml"


@click.command("create-user")
@click.argument("email")
@click.option(
    "--role",
    type=click.Choice([r.value for r in Role]),
    required=True,
    help="What the account may do.",
)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@with_appcontext
def create_user_command(email: str, role: str, password_stdin: bool) -> None:
    """Create a staff account (admin, organizer or checkin)."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        account = accounts.create_account(email, password, role=Role(role))
    except DomainError as error:
        raise click.ClickException(error.message) from error
    click.echo(f"Created {account.role.value} account {account.email}.")


@click.command("seed")
@click.argument("path", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--reset", is_flag=True, help="Make rows seeded earlier match the file again (undoes edits)."
)
@with_appcontext
def seed_command(path: Path | None, reset: bool) -> None:
    """Load venues, organizations, speakers, events and sessions from a TOML seed file.

    PATH defaults to seeds/symposium.toml in the project. Safe to repeat: rows that exist
    are kept as they are unless --reset is given.
    """
    source = str(path) if path is not None else "seeds/symposium.toml"
    try:
        summary = load_file(path or DEFAULT_SEED_FILE, reset=reset, source=source)
    except DomainError as error:
        raise click.ClickException(error.message) from error
    click.echo(describe_seeding(summary))


def describe_seeding(summary: SeedSummary) -> str:
    """One line: what the file holds and what the load did with it."""
    line = (
        f"Seeded {summary.source}: {summary.events} events, {summary.sessions} sessions; "
        f"rows created {summary.created.total()}, updated {summary.updated.total()}, "
        f"unchanged {summary.unchanged.total()}."
    )
    if kept := summary.kept.total():
        line += f" {kept} of them differ from the file and were kept (--reset restores them)."
    return line


def register_commands(app: Flask) -> None:
    """Attach every command to the app's CLI."""
    app.cli.add_command(create_user_command)
    app.cli.add_command(seed_command)
