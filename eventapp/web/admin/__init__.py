"""The organizer back office under /admin: one module per area, one blueprint.

Every page needs an organizer (or admin) login: `_staff_only` guards the whole blueprint,
so no view can forget it; account management and the audit log also require an admin.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Blueprint, abort, current_app, flash, request
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from eventapp.errors import DomainError
from eventapp.extensions import login
from eventapp.models import Account, Event, Role, db
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


def page_number() -> int:
    """The ?page= argument, clamped to something sensible."""
    return max(1, min(request.args.get("page", 1, type=int) or 1, 100_000))


def paginate(statement: Any) -> Any:
    """`db.paginate` with our page size; an out-of-range page is an empty page, not a 404."""
    return db.paginate(statement, page=page_number(), per_page=PER_PAGE, error_out=False)


def text_arg(name: str, limit: int = 200) -> str:
    """A text query argument, cut to `limit` characters and without NUL characters."""
    return request.args.get(name, "").replace("\x00", "")[:limit]


def photos_dir() -> Path:
    """Where speaker photos live: `PHOTOS_DIR` if set, else instance/photos."""
    configured = current_app.config.get("PHOTOS_DIR")
    return Path(configured) if configured else Path(current_app.instance_path) / "photos"


#: Errors raised by services outside this area that do not name their field.
_FIELD_BY_CODE = {"account_exists": "email"}


def show_error(form: FlaskForm | None, error: DomainError) -> None:
    """Put a service's refusal next to the field it names, or at the top of the page.

    Rolls the database session back first: a refused change must not be flushed later by
    the page that shows the refusal (services raise before committing).
    """
    db.session.rollback()
    field_name = error.details.get("field") or _FIELD_BY_CODE.get(error.code)
    field = getattr(form, str(field_name), None) if form is not None and field_name else None
    message = _("Not saved: %(reason)s.", reason=error.message)
    if field is not None and hasattr(field, "errors"):
        if not isinstance(field.errors, list):
            field.errors = list(field.errors)
        field.errors.append(message)
    else:
        flash(message, "error")


# The area modules register their views on `bp` when imported.
from eventapp.web.admin import (  # noqa: E402
    accounts,
    admission,
    agenda,
    audit,
    communications,
    events,
    hosts,
    invitations,
    partnering,
    people,
    places,
    registrants,
    teams,
    venues,
)

__all__ = [
    "accounts",
    "actor",
    "admission",
    "agenda",
    "audit",
    "bp",
    "communications",
    "event_or_404",
    "events",
    "hosts",
    "invitations",
    "partnering",
    "people",
    "places",
    "registrants",
    "teams",
    "venues",
]
