"""The unit of work services share: one commit at the end of a public service, or a
rollback of everything (the row locks taken go with it)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from eventapp.models import db


@contextmanager
def transaction() -> Iterator[None]:
    """One unit of work: commit at the end, or roll everything back and re-raise."""
    try:
        yield
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
