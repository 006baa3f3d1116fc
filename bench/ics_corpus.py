"""Import every .ics file of other projects' test suites; compare with an independent reading.

    python -m bench.ics_corpus REPO_OR_FOLDER [...]     (make bench-ics-corpus)

Each argument is a folder, or a bare git repository (read at HEAD with `git`), e.g. the
test suites of python icalendar, ical.js, node-ical and python-recurring-ical-events. The
corpus stays outside this repository and outside the test suite (issue 23, "Done when").

For every file, with the window "a day before its first DTSTART to a week after" (the first
DTSTART found by a regular expression, so that neither parser chooses it):

- the parser (`parse_calendar`, event zone UTC) reads it: events, left-out entries with
  their reasons, or a refusal with its code;
- the service previews the import into a throwaway event on in-memory SQLite, and every
  message is worded, as the upload form and `flask import-ics` do: any exception there
  would be a 500 or a traceback;
- vobject, a second parser, reads it independently and expands its rules in the window
  with dateutil; floating and all-day times are read in UTC as ours are.

A file "matches" when the (start, end) pairs we import are all in vobject's reading, and
every pair vobject has that we do not is accounted for by a left-out entry. Files that do
not match are listed for a person to judge (vobject has its own process-wide zone cache and
knows no Windows or Outlook zone names, so it is not always the one that is right).
"""

from __future__ import annotations

import contextlib
import re
import signal
import subprocess
import sys
import time as clock
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo

#: vobject (dateutil) walks a rule from its start like anything else: bound it per file.
INDEPENDENT_SECONDS = 5
FIRST_START = re.compile(rb"^DTSTART[^:\r\n]*:(\d{8})", re.MULTILINE)


@dataclass
class Tally:
    """What happened to the files of one corpus."""

    files: int = 0
    refused: Counter[str] = field(default_factory=Counter)
    imported: int = 0
    left_out: Counter[str] = field(default_factory=Counter)
    matched: int = 0
    differs: list[str] = field(default_factory=list)
    unexplained: list[str] = field(default_factory=list)
    tracebacks: list[str] = field(default_factory=list)
    independent_failed: int = 0
    #: The longest import preview (seconds) and its file.
    slowest: tuple[float, str] = (0.0, "")


def corpus_files(source: Path) -> Iterator[tuple[str, bytes]]:
    """(name, bytes) of each .ics file under a folder or in a bare git repository."""
    if source.is_dir() and (source / "HEAD").exists() and not (source / ".git").exists():
        git = ["git", f"--git-dir={source}"]
        names = subprocess.run(
            [*git, "ls-tree", "-r", "--name-only", "HEAD"],
            capture_output=True,
            check=True,
            text=True,
        ).stdout.splitlines()
        for name in sorted(n for n in names if n.lower().endswith(".ics")):
            blob = subprocess.run([*git, "show", f"HEAD:{name}"], capture_output=True, check=False)
            if blob.returncode == 0:
                yield name, blob.stdout
        return
    for path in sorted(source.rglob("*.ics")):
        yield str(path.relative_to(source)), path.read_bytes()


def window_of(data: bytes) -> tuple[datetime, datetime]:
    """A day before the file's first DTSTART (as written) to a week after."""
    match = FIRST_START.search(data)
    found = match.group(1).decode() if match else "20230101"
    first = datetime(int(found[:4]), int(found[4:6]), int(found[6:]), tzinfo=UTC)
    return first - timedelta(days=1), first + timedelta(days=7)


class _TooSlow(Exception):
    pass


def _alarm(_signum: int, _frame: object) -> None:
    raise _TooSlow


Pairs = set[tuple[datetime, datetime]]


def independent(data: bytes, window: tuple[datetime, datetime]) -> Pairs:
    """vobject's (start, end) pairs in the window, RECURRENCE-ID overrides applied; floating
    times in the zone X-WR-TIMEZONE names when it is an IANA name, else in UTC."""
    import vobject

    # vobject keeps the VTIMEZONEs it read for the whole process, first one wins (its
    # issue 153, our issue 23's item 1): forget them so that each file has its own.
    vars(vobject.icalendar)["__tzidMap"].clear()
    start, stop = window
    events = []
    floating: tzinfo = UTC
    for calendar in vobject.readComponents(data.decode("utf-8-sig", "replace")):
        events.extend(getattr(calendar, "vevent_list", []))
        if "x-wr-timezone" in calendar.contents:
            with contextlib.suppress(Exception):
                floating = ZoneInfo(calendar.x_wr_timezone.value)

    def utc(value: date | datetime) -> datetime:
        if not isinstance(value, datetime):
            return datetime.combine(value, time(0), tzinfo=UTC)
        return (value if value.tzinfo else value.replace(tzinfo=floating)).astimezone(UTC)

    overridden = {
        (vevent.uid.value if "uid" in vevent.contents else "", utc(vevent.recurrence_id.value))
        for vevent in events
        if "recurrence_id" in vevent.contents
    }
    pairs: Pairs = set()
    for vevent in events:
        if "dtstart" not in vevent.contents:
            continue
        first = vevent.dtstart.value
        if "dtend" in vevent.contents:
            length = utc(vevent.dtend.value) - utc(first)
        elif "duration" in vevent.contents:
            length = vevent.duration.value
        else:
            length = timedelta(days=1) if not isinstance(first, datetime) else timedelta(0)
        uid = vevent.uid.value if "uid" in vevent.contents else ""
        rules = None if "recurrence_id" in vevent.contents else vevent.getrruleset(True)
        if rules is None:
            starts = [utc(first)]
        else:
            low, high = start - length, stop
            if not isinstance(first, datetime) or first.tzinfo is None:
                low = low.astimezone(floating).replace(tzinfo=None)
                high = high.astimezone(floating).replace(tzinfo=None)
            found = rules.between(low, high, inc=True)
            if not isinstance(first, datetime):  # dateutil gives dates as midnights
                found = [s.date() for s in found]
            starts = [utc(s) for s in found]
            starts = [s for s in starts if (uid, s) not in overridden]
        for begin in starts:
            if (begin < stop and begin + length > start) or begin == start:
                pairs.add((begin, begin + length))
    return pairs


def check_file(name: str, data: bytes, tally: Tally, app: object) -> None:
    """Read one file both ways and add the outcome to `tally`."""
    from flask_babel import force_locale

    from eventapp.builders.ics_import import CalendarFileError, parse_calendar
    from eventapp.errors import CalendarImportError
    from eventapp.models import Event, db
    from eventapp.services.agenda.ics_import import import_calendar
    from eventapp.services.agenda.ics_import_report import (
        describe_left_out,
        describe_notice,
        refusal_message,
    )

    tally.files += 1
    window = window_of(data)
    began = clock.monotonic()
    try:
        with app.app_context(), force_locale("en"):  # type: ignore[attr-defined]
            event = Event(
                slug=f"corpus-{tally.files}",
                acronym="c",
                title=name[:200],
                title_ko="",
                summary="",
                timezone="UTC",
                starts_at=window[0] + timedelta(days=1),
                ends_at=window[1] - timedelta(days=1),
                is_published=False,
                contact_email="corpus@example.org",
            )
            db.session.add(event)
            db.session.flush()
            try:
                summary = import_calendar(event, data, by=None, preview=True)
                tally.slowest = max(tally.slowest, (clock.monotonic() - began, name))
            except CalendarImportError as error:
                refusal_message(error)
            else:
                for item in summary.left_out:
                    describe_left_out(item)
                for notice in summary.notices:
                    describe_notice(notice, zone="UTC")
            db.session.rollback()
        try:
            parsed = parse_calendar(data, zone=UTC, window=window)  # type: ignore[arg-type]
        except CalendarFileError as error:
            tally.refused[error.code] += 1
            return
    except Exception as error:  # the point of this bench: none may happen
        tally.tracebacks.append(f"{name}: {type(error).__name__}: {error}")
        return
    tally.imported += len(parsed.events)
    for item in parsed.left_out:
        tally.left_out[item.reason] += item.count
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(INDEPENDENT_SECONDS)
    try:
        theirs = independent(data, window)
    except Exception:  # vobject refuses many files ours reads (or takes too long)
        tally.independent_failed += 1
        return
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    ours = {(e.starts_at, e.ends_at) for e in parsed.events}
    if ours - theirs:
        tally.differs.append(name)
        return
    # An entry left out for its series (zone, rule, unreadable line…) explains all of
    # its occurrences; a zero-length or duplicate one explains one each.
    per_occurrence = {"outside_dates", "zero_length"}
    whole = any(i.reason not in per_occurrence for i in parsed.left_out)
    explained = sum(i.count for i in parsed.left_out if i.reason == "zero_length")
    if theirs - ours and not whole and len(theirs - ours) > explained:
        tally.unexplained.append(name)
        return
    tally.matched += 1


def report(source: str, tally: Tally) -> str:
    """A few lines for bench/README.md."""
    lines = [
        f"{source}: {tally.files} files; {tally.imported} events read; "
        f"{tally.matched} files match vobject, {len(tally.differs)} differ, "
        f"{len(tally.unexplained)} miss occurrences without a reason, "
        f"{tally.independent_failed} unreadable by vobject; "
        f"{len(tally.tracebacks)} tracebacks; slowest {tally.slowest[0]:.2f} s "
        f"({tally.slowest[1]})",
        f"  refused: {dict(sorted(tally.refused.items()))}",
        f"  left out: {dict(sorted(tally.left_out.items()))}",
    ]
    lines += [f"  differs: {name}" for name in tally.differs]
    lines += [f"  unexplained: {name}" for name in tally.unexplained]
    lines += [f"  traceback: {line}" for line in tally.tracebacks]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    """Run every corpus given; exit 1 if any file gave a traceback."""
    from eventapp import create_app
    from eventapp.models import db

    app = create_app(
        {"TESTING": True, "SECRET_KEY": "corpus", "SQLALCHEMY_DATABASE_URI": "sqlite://"}
    )
    with app.app_context():
        db.create_all()
    failed = False
    for source in argv or []:
        tally = Tally()
        for name, data in corpus_files(Path(source)):
            check_file(name, data, tally, app)
        print(report(source, tally), flush=True)
        failed = failed or bool(tally.tracebacks)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
