"""Seed data: venues, organizations, speakers, events and their agendas, loaded from TOML.

The format is documented in seeds/README.md. A load is all-or-nothing: the whole document is
checked first (`checks.py`, against the key tables in `schema.py`), then written in one
transaction (`writer.py`); on any problem nothing changes. Loading twice creates nothing new.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from eventapp.errors import SeedError
from eventapp.models import db
from eventapp.services.seeding import checks, writer
from eventapp.services.seeding.writer import SEED_NAMESPACE, SeedSummary, room_guid, session_uid

__all__ = [
    "SEED_NAMESPACE",
    "SeedSummary",
    "load",
    "load_file",
    "read_file",
    "room_guid",
    "session_uid",
]

#: At most this many problems are listed; the rest are counted.
MAX_LISTED_PROBLEMS = 20

_TOML_POSITION = re.compile(r"^(?P<message>.*) \(at line (?P<line>\d+), column (?P<column>\d+)\)$")


def read_file(path: str | Path, *, source: str | None = None) -> dict[str, Any]:
    """Parse a TOML seed file. Raises SeedError naming the file, and the line of a syntax error."""
    source = source or str(path)
    try:
        with open(path, "rb") as file:
            return tomllib.load(file)
    except FileNotFoundError as error:
        raise SeedError(f"{source}: no such file", source=source) from error
    except OSError as error:
        raise SeedError(f"{source}: cannot be read ({error.strerror})", source=source) from error
    except UnicodeDecodeError as error:
        raise SeedError(f"{source}: is not UTF-8 text", source=source) from error
    except tomllib.TOMLDecodeError as error:
        found = _TOML_POSITION.match(str(error))
        if found is None:  # e.g. "... (at end of document)"
            raise SeedError(f"{source}: TOML syntax error: {error}", source=source) from error
        line, column = int(found["line"]), int(found["column"])
        message = f"{source}: line {line}, column {column}: TOML syntax error: {found['message']}"
        raise SeedError(message, source=source, line=line, column=column) from error


def load_file(path: str | Path, *, reset: bool = False, source: str | None = None) -> SeedSummary:
    """Read and load one seed file (see `load`); `source` names it in messages."""
    source = source or str(path)
    return load(read_file(path, source=source), source=source, reset=reset)


def load(data: Mapping[str, Any], *, source: str, reset: bool = False) -> SeedSummary:
    """Check a parsed seed document, then create the rows that do not exist yet; commit once.

    Existing rows (found by key, slug or derived UID) keep their values unless `reset` is set,
    which makes them match the document again; a session whose time, room or status changes
    that way gets a new revision, and so does an event whose time, zone or venue changes, or
    whose venue's name or address does (seeding queues no emails). Raises SeedError (naming
    `source` and each key path) when the document has problems or the database refuses it;
    then nothing has changed.
    """
    # Partnering (#16) reads its own table: services/partnering/seed.py.
    partnering = data.get("partnering") if isinstance(data, Mapping) else None
    if partnering is not None:
        data = {key: value for key, value in data.items() if key != "partnering"}
    document, problems = checks.check(data)
    if problems:
        raise SeedError(_describe(source, problems), source=source, problems=problems)
    summary = SeedSummary(
        source=source,
        events=len(document.events),
        sessions=sum(len(event["sessions"]) for event in document.events),
    )
    try:
        writer.write(document, reset=reset, summary=summary)
        if partnering is not None:
            from eventapp.services.partnering import seed as partnering_seed

            for name, count in partnering_seed.load(partnering, source=source).items():
                summary.created[f"partnering {name}"] = count
        db.session.commit()
    except SQLAlchemyError as error:
        db.session.rollback()
        reason = getattr(error, "orig", None) or error
        raise SeedError(f"{source}: the database refused the data: {reason}") from error
    except BaseException:
        db.session.rollback()
        raise
    return summary


def _describe(source: str, problems: list[str]) -> str:
    lines = [f"{source}: {problem}" for problem in problems[:MAX_LISTED_PROBLEMS]]
    if len(problems) > MAX_LISTED_PROBLEMS:
        lines.append(f"{source}: … and {len(problems) - MAX_LISTED_PROBLEMS} more problems")
    return "\n".join(lines)
