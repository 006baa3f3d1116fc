"""Flask commands: `flask --app eventapp <command>`. Each parses, calls a service, reports."""

from __future__ import annotations

import sys

import click
from flask import Flask
from flask.cli import with_appcontext

from eventapp.errors import DomainError
from eventapp.models import Role
from eventapp.services import accounts


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


def register_commands(app: Flask) -> None:
    """Attach every command to the app's CLI."""
    app.cli.add_command(create_user_command)
