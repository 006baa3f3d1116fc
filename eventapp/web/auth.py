"""Staff login and logout, and the role check every organizer page uses."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from eventapp.errors import DomainError, InvalidCredentials, NotFound
from eventapp.extensions import limiter
from eventapp.extensions import login as login_manager
from eventapp.models import Account, Role, db
from eventapp.services import accounts, passwords
from eventapp.web.forms.auth import LoginForm, NewPasswordForm, PasswordChangeForm

bp = Blueprint("auth", __name__)

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


def home_for(account: Account) -> str:
    """Where a role lands after login."""
    if account.role is Role.CHECKIN:
        return url_for("checkin.scan")
    return url_for("admin.index")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10 per minute; 50 per hour", methods=["POST"])
def login() -> Any:
    form = LoginForm()
    if form.validate_on_submit():
        try:
            account = accounts.authenticate(form.email.data, form.password.data)
        except InvalidCredentials:
            form.password.errors.append(_("Wrong email or password."))
        else:
            login_user(account, remember=form.remember.data)
            return redirect(safe_next(request.args.get("next")) or home_for(account))
    status = 200 if not form.errors else 400
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
def logout() -> Any:
    if current_user.is_authenticated:
        accounts.log_out(current_user._get_current_object())
    logout_user()
    flash(_("You are logged out."), "info")
    return redirect(url_for("public.index"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password() -> Any:
    """Any staff member changes their own password; every other session of theirs ends."""
    form = PasswordChangeForm()
    if form.validate_on_submit():
        account = current_user._get_current_object()
        try:
            passwords.change_own_password(account, form.current.data, form.password.data)
        except DomainError as error:
            _field_error(form, error)
        else:
            login_user(account)  # this browser stays logged in, with the new session version
            flash(_("Your password is changed. You are logged out everywhere else."), "success")
            return redirect(url_for("auth.change_password"))
    status = 200 if not form.errors else 400
    return render_template("auth/password.html", form=form), status


@bp.route("/password-reset/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> Any:
    """The page a reset link opens: choose a new password; the link then stops working."""
    try:
        passwords.account_for_reset(token)
    except NotFound:
        abort(404)
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            passwords.reset_password(token, form.password.data)
        except NotFound:
            abort(404)
        except DomainError as error:
            _field_error(form, error)
        else:
            flash(_("Your password is set. Log in with it."), "success")
            return redirect(url_for("auth.login"))
    status = 200 if not form.errors else 400
    return render_template("auth/reset.html", form=form), status


def _field_error(form: Any, error: DomainError) -> None:
    """A service's refusal next to the field it names (the new password when it names none)."""
    db.session.rollback()
    if isinstance(error, InvalidCredentials):
        message = _("That is not your current password.")
    else:
        message = error.message
    field = getattr(form, str(error.details.get("field") or "password"), form.password)
    field.errors.append(message)
