"""The organizer back office under /admin: one module per area, one blueprint.

Every page needs an organizer (or admin) login: `_staff_only` guards the whole blueprint,
so no view can forget it; account management and the audit log also require an admin.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, request
from flask_login import current_user

from eventapp.extensions import login
from eventapp.models import Account, Event, Role, db

# (Not `services.teams` itself: the name would hide this package's own `teams` module.)
from eventapp.services.accounts.teams import may_change_shared
from eventapp.web.lookups import staff_event_or_404

bp = Blueprint("admin", __name__, url_prefix="/admin")

PER_PAGE = 50


@bp.before_request
def _staff_only() -> Any:
    if not current_user.is_authenticated:
        return login.unauthorized()
    if not current_user.has_role(Role.ORGANIZER):
        abort(403)
    return None


def actor() -> Account:
    """The logged-in account, passed to services as `by=`."""
    return current_user._get_current_object()


def event_or_404(slug: str) -> Event:
    """Any event (published or not) by slug that this account acts on, or 404 (its team)."""
    return staff_event_or_404(slug)


def child_or_404(model: Any, object_id: int, event: Event) -> Any:
    """A room, track, session or registration of `event`, or 404 (never another event's)."""
    found = db.session.get(model, object_id)
    if found is None or found.event_id != event.id:
        abort(404)
    return found


def shared_or_403(model: Any, object_id: int) -> Any:
    """A speaker, organization or venue that this account may change, or 404 when there is
    none, 403 when an event of another team uses it (`teams.may_change_shared`, #15)."""
    found = db.get_or_404(model, object_id)
    if not may_change_shared(actor(), found):
        abort(403)
    return found


def page_number() -> int:
    """The ?page= argument, clamped to something sensible."""
    return max(1, min(request.args.get("page", 1, type=int) or 1, 100_000))


def paginate(statement: Any) -> Any:
    """`db.paginate` with our page size; an out-of-range page is an empty page, not a 404."""
    return db.paginate(statement, page=page_number(), per_page=PER_PAGE, error_out=False)


def text_arg(name: str, limit: int = 200) -> str:
    """A text query argument, cut to `limit` characters and without NUL characters."""
    return request.args.get(name, "").replace("\x00", "")[:limit]


# The area modules register their views on `bp` when imported.
from eventapp.web.admin import (  # noqa: E402
    accounts,
    admission,
    agenda,
    audit,
    badges,
    communications,
    events,
    hosts,
    imports,
    invitations,
    partnering,
    partnering_profiles,
    people,
    places,
    questions,
    registrants,
    scheduler,
    teams,
    venues,
)

__all__ = [
    "accounts",
    "actor",
    "admission",
    "agenda",
    "audit",
    "badges",
    "bp",
    "communications",
    "event_or_404",
    "events",
    "hosts",
    "imports",
    "invitations",
    "partnering",
    "partnering_profiles",
    "people",
    "places",
    "questions",
    "registrants",
    "scheduler",
    "shared_or_403",
    "teams",
    "venues",
]
