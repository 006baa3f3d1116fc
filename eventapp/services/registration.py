"""Registrations: registering, the waiting list, self-service changes, cancelling."""

from __future__ import annotations

import hmac

from eventapp.models import Registration, db

#: Shortest token accepted; anything shorter is refused without a query.
_MIN_TOKEN_LENGTH = 32


def find_by_manage_token(token: str) -> Registration | None:
    """The registration with this self-service token, or None (also for malformed tokens)."""
    if not token or len(token) < _MIN_TOKEN_LENGTH or len(token) > 64:
        return None
    registration = db.session.scalar(
        db.select(Registration).where(Registration.manage_token == token)
    )
    # The index finds the row; compare again in constant time for good measure.
    if registration is None or not hmac.compare_digest(registration.manage_token, token):
        return None
    return registration
