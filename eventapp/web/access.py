"""Who may see a page: the login loader, the role check every staff page uses, and the
same-site rule for where a login returns. Shared by every blueprint, so none imports
another's views."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import abort, flash, jsonify, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from eventapp.extensions import login as login_manager
from eventapp.models import Account, Role
from eventapp.services import accounts

F = TypeVar("F", bound=Callable[..., Any])


@login_manager.user_loader
def _load_account(login_id: str) -> Account | None:
    # Both the session and the remember-me cookie hold `Account.get_id()`: id and session
    # version. A login that logout, a password change or deactivation ended loads nothing.
    return accounts.account_for_login_id(login_id)


@login_manager.unauthorized_handler
def _unauthorized() -> Any:
    """API clients get 401 JSON; people get the login page, then come back."""
    if request.path.startswith("/api/"):
        return jsonify(error="unauthorized", message="log in or send an API token"), 401
    flash(_("Please log in to see this page."), "info")
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def session_account_id() -> int | None:
    """The id of the account this request is logged in as, or None.

    For `POST /api/checkin`, whose service checks the account's role and activity in the
    statement that records the scan. Flask-Login loads the account (one query by primary
    key) because only the loader can tell a live login from one that logout, a password
    change or deactivation ended: the session alone still names the account then.
    """
    if not current_user.is_authenticated:
        return None
    return int(current_user.id)


def role_required(role: Role) -> Callable[[F], F]:
    """Only logged-in staff whose role includes `role` (admin ⊇ organizer ⊇ checkin)."""

    def decorate(view: F) -> F:
        @wraps(view)
        @login_required
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.has_role(role):
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorate


def safe_next(target: str | None) -> str | None:
    """Only same-site relative paths are followed after login (no open redirect)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target
