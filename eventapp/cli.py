"""Flask commands: `flask --app eventapp <command>`. Each parses, calls a service, reports."""

from __future__ import annotations

import signal
import sys
import threading
from pathlib import Path
from zoneinfo import ZoneInfo

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy.exc import OperationalError

from eventapp.builders.badge_pdf import Layout
from eventapp.errors import DomainError
from eventapp.models import Event, Role, db
from eventapp.services import accounts
from eventapp.services.accounts import teams
from eventapp.services.mail import outbox
from eventapp.services.registration import personal_data
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
@click.option(
    "--event",
    "slugs",
    multiple=True,
    metavar="SLUG",
    help="Put the account in this event's team (repeatable); admins act on every event.",
)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@with_appcontext
def create_user_command(
    email: str, role: str, slugs: tuple[str, ...], password_stdin: bool
) -> None:
    """Create a staff account (admin, organizer or checkin) in the teams of the events named.

    Without --event an organizer or checkin account acts on no event until an admin adds
    it to a team (Accounts page).
    """
    events = _events_by_slug(slugs)
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        account = accounts.create_account(email, password, role=Role(role))
    except DomainError as error:
        raise click.ClickException(error.message) from error
    if events:
        teams.add_to_events(account, events, by=None)
    click.echo(f"Created {account.role.value} account {account.email}.")
    if events:
        click.echo(f"In the teams of: {', '.join(event.slug for event in events)}.")
    elif not teams.sees_every_event(account):
        click.echo("It acts on no event until an admin adds it to a team (or use --event).")


def _events_by_slug(slugs: tuple[str, ...]) -> list[Event]:
    """The events named, in order; ClickException naming any unknown slug."""
    found = {e.slug: e for e in db.session.scalars(db.select(Event).where(Event.slug.in_(slugs)))}
    if unknown := [slug for slug in slugs if slug not in found]:
        raise click.ClickException(f"no event with the slug {', '.join(map(repr, unknown))}")
    return list(dict.fromkeys(found[slug] for slug in slugs))


@click.command("badges")
@click.argument("slug")
@with_appcontext
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True),
    required=True,
    help="The PDF file to write.",
)
@click.option(
    "--category",
    "categories",
    multiple=True,
    type=click.Choice(["government", "industry", "academia", "press", "speaker", "staff", "other"]),
    help="Only this category (repeatable).",
)
@click.option(
    "--layout",
    type=click.Choice(["a6", "a4"]),
    default="a6",
    show_default=True,
    help="One A6 badge a page, or four to an A4 sheet with cut marks.",
)
def badges_command(slug: str, output: str, categories: tuple[str, ...], layout: Layout) -> None:
    """Write the badges of every confirmed attendee of an event, sorted by family name."""
    # Imported here so this block stays self-contained in a file every helper adds to.
    from flask import current_app

    from eventapp.models import Category, Event, db
    from eventapp.services.checkin import badges

    event = db.session.scalar(db.select(Event).where(Event.slug == slug))
    if event is None:
        raise click.ClickException(f"no event with slug {slug!r}")
    keys = badges.BadgeKeys.from_secrets(
        current_app.config["SECRET_KEY"], current_app.config.get("BADGE_SIGNING_KEYS")
    )
    chosen = [Category(c) for c in categories]
    total = len(badges.badge_registrations(event, categories=chosen))
    with click.progressbar(length=total, label="Badges", file=sys.stderr) as bar:
        drawn = 0

        def progress(count: int) -> None:
            nonlocal drawn
            bar.update(count - drawn)
            drawn = count

        count, pdf = badges.batch_pdf(
            event,
            keys,
            categories=chosen,
            layout=layout,
            progress=progress,
        )
    with open(output, "wb") as fh:
        fh.write(pdf)
    click.echo(f"Wrote {count} badges to {output}.")


outbox_group = AppGroup("outbox", help="The email outbox: every email waits here until sent.")


@outbox_group.command("send")
@click.option("--loop", is_flag=True, help="Keep running; stop cleanly on SIGTERM or Ctrl-C.")
@click.option(
    "--interval",
    type=click.FloatRange(min=0.05),
    default=10.0,
    show_default=True,
    help="Seconds between two looks at the outbox with --loop.",
)
@click.option("--limit", type=click.IntRange(min=1), default=200, show_default=True)
def outbox_send_command(loop: bool, interval: float, limit: int) -> None:
    """Deliver pending emails over SMTP (MAIL_* settings), retrying with backoff.

    Without MAIL_SERVER nothing is sent: the pending messages are printed (headers and
    text part) and stay pending, so organizers can still read them in the app and they
    go out once a server is configured.
    """
    settings = outbox.SmtpSettings.from_config(current_app.config)
    stop = threading.Event()
    if loop:
        for signum in (signal.SIGTERM, signal.SIGINT):
            # Finish the message in hand, then leave: no half-marked rows.
            signal.signal(signum, lambda *_: stop.set())
    printed: set[int] = set()
    while not stop.is_set():
        try:
            if settings.server:
                report = outbox.deliver_pending(
                    settings, limit=limit, keep_going=lambda: not stop.is_set()
                )
                if report.attempted or not loop:
                    click.echo(
                        f"Sent {report.sent}, retrying {report.retrying}, failed {report.failed}."
                    )
            else:
                _print_pending(limit, printed, quiet=loop)
        except OperationalError as error:  # database away: say so, try again next round
            click.echo(f"Database error, retrying: {error.orig}", err=True)
        if not loop or stop.wait(interval):
            break
    if loop:
        click.echo("Outbox sender stopped.")


def _print_pending(limit: int, printed: set[int], *, quiet: bool) -> None:
    messages = [m for m in outbox.pending_messages(limit=limit) if m.id not in printed]
    if not messages and not quiet:
        click.echo("No pending messages (MAIL_SERVER is not set: nothing is sent).")
    for message in messages:
        click.echo(f"=== outbox #{message.id} ({message.kind}, pending: MAIL_SERVER is not set)")
        click.echo(outbox.preview(message))
        printed.add(message.id)


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


@click.command("erase-expired")
@click.option("--dry-run", is_flag=True, help="Only say what would be deleted.")
@with_appcontext
def erase_expired_command(dry_run: bool) -> None:
    """Delete the registrations of events whose retention period (privacy notice) is over.

    Run it daily (cron): the privacy notice promises the date it prints.
    """
    expired = personal_data.expired_events()
    if not expired:
        click.echo("No event is past its retention period.")
    for event in expired:
        if dry_run:
            click.echo(
                f"{event.slug}: would delete its registrations (kept until {event_kept(event)})."
            )
            continue
        count = personal_data.erase_expired(event)
        click.echo(f"{event.slug}: deleted {count} registrations (kept until {event_kept(event)}).")


def event_kept(event: Event) -> str:
    """The end of the event's retention period, in its own zone, for the terminal."""
    ends = personal_data.erase_on(event)
    return ends.astimezone(ZoneInfo(event.timezone)).strftime("%Y-%m-%d %H:%M") if ends else "-"


@click.command("import-ics")
@click.argument("slug")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--preview", is_flag=True, help="Show what would change; change nothing.")
@with_appcontext
def import_ics_command(slug: str, path: str, preview: bool) -> None:
    """Import an agenda from a calendar file (.ics) into the event SLUG, updating by UID."""
    from flask_babel import force_locale

    with force_locale("en"):  # no request to choose a language from: the CLI speaks English
        _import_ics(slug, path, preview)


def _import_ics(slug: str, path: str, preview: bool) -> None:
    from eventapp.errors import CalendarImportError
    from eventapp.models import Event, db
    from eventapp.services.agenda.ics_import import import_calendar
    from eventapp.services.agenda.ics_import_report import (
        describe_left_out,
        describe_notice,
        refusal_message,
    )

    event = db.session.scalar(db.select(Event).where(Event.slug == slug))
    if event is None:
        raise click.ClickException(f"no event with the slug {slug!r}")
    with open(path, "rb") as fh:
        data = fh.read()
    try:
        summary = import_calendar(event, data, by=None, preview=preview)
    except DomainError as error:
        why = refusal_message(error) if isinstance(error, CalendarImportError) else error.message
        raise click.ClickException(f"{path}: {why}; nothing was changed") from error
    for item in summary.sessions:
        if item.action != "unchanged":
            fields = f" ({', '.join(item.changed)})" if item.changed else ""
            when = item.starts_at.astimezone(event.zone)
            click.echo(f"{item.action:>7}  {when:%Y-%m-%d %H:%M}  {item.title}{fields}")
    for notice in summary.notices:
        click.echo(f"note: {describe_notice(notice, zone=event.timezone)}")
    for left in summary.left_out:
        click.echo(f"left out: {describe_left_out(left)}")
    verb = "Would import" if preview else "Imported"
    click.echo(f"(times in {event.timezone})")
    left_out = f" {summary.left_out_count} left out." if summary.left_out else ""
    click.echo(
        f"{verb}: {summary.count('create')} created, {summary.count('update')} updated, "
        f"{summary.count('unchanged')} unchanged; {summary.notified} update emails queued."
        + left_out
    )


@click.command("report")
@click.argument("slugs", nargs=-1, required=True, metavar="SLUG [SLUG…]")
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="FILE.pdf, FILE.docx or FILE.md: the format comes from the ending.",
)
@with_appcontext
def report_command(slugs: tuple[str, ...], output: Path) -> None:
    """Write the briefing report of one or several events (published outcomes only)."""
    from eventapp.services.outcomes import report

    try:
        file_format = report.format_of(output.name)
        events = report.events_by_slug(slugs)
    except DomainError as error:
        raise click.ClickException(error.message) from error
    data = report.briefing(events, progress=lambda line: click.echo(line, err=True))
    click.echo(f"Rendering {file_format.upper()}…", err=True)
    output.write_bytes(report.render(data, file_format))
    click.echo(f"Wrote {output} ({len(events)} event(s)).")


def register_commands(app: Flask) -> None:
    """Attach every command to the app's CLI."""
    app.cli.add_command(create_user_command)
    app.cli.add_command(badges_command)
    app.cli.add_command(outbox_group)
    app.cli.add_command(seed_command)
    app.cli.add_command(import_ics_command)
    app.cli.add_command(erase_expired_command)
    app.cli.add_command(report_command)
