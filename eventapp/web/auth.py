"""Staff login and logout, and the role check every organizer page uses."""

from __future__ import annotations

import base64
import time
from typing import Any
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from eventapp.builders.qr import build_qr_png
from eventapp.errors import DomainError, InvalidCredentials, NotFound
from eventapp.models import Account, Role, db
from eventapp.services import accounts
from eventapp.services.accounts import passwords, two_factor
from eventapp.web import throttle
from eventapp.web.access import safe_next
from eventapp.web.forms.auth import CodeForm, LoginForm, NewPasswordForm, PasswordChangeForm

bp = Blueprint("auth", __name__)


def home_for(account: Account) -> str:
    """Where a role lands after login."""
    if account.role is Role.CHECKIN:
        return url_for("checkin.scan")
    if account.role is Role.RAPPORTEUR:
        return url_for("outcomes.index")
    return url_for("admin.index")


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    form = LoginForm()
    if request.method == "POST":
        throttle.check_login_attempt(request.form.get("email", ""))
    if form.validate_on_submit():
        try:
            account = accounts.authenticate(form.email.data, form.password.data)
        except InvalidCredentials:
            throttle.count_login_failure(form.email.data)
            form.password.errors.append(_("Wrong email or password."))
        else:
            target = safe_next(request.args.get("next"))
            if account.has_two_factor:
                _await_code(account, remember=form.remember.data, target=target)
                return redirect(url_for("auth.login_code"))
            login_user(account, remember=form.remember.data)
            return redirect(target or home_for(account))
    status = 200 if not form.errors else 400
    return render_template("auth/login.html", form=form), status


#: The session key of a login whose password was right and whose code is awaited.
_PENDING = "_login_pending"
#: How long the code page waits after the password (seconds).
CODE_WAIT_SECONDS = 300


def _await_code(account: Account, *, remember: bool, target: str | None) -> None:
    session[_PENDING] = {
        "id": account.get_id(),
        "remember": bool(remember),
        "next": target,
        "at": int(time.time()),
    }


def _pending_account() -> tuple[Account, dict] | None:
    """The account whose password was given on this browser moments ago, if still valid."""
    pending = session.get(_PENDING)
    if not isinstance(pending, dict):
        return None
    if not 0 <= time.time() - pending.get("at", 0) <= CODE_WAIT_SECONDS:
        return None
    account = accounts.account_for_login_id(str(pending.get("id", "")))
    return None if account is None else (account, pending)


@bp.route("/login/code", methods=["GET", "POST"])
def login_code() -> Any:
    """The second step of a two-factor login: the code from the authenticator app."""
    found = _pending_account()
    if found is None:
        session.pop(_PENDING, None)
        return redirect(url_for("auth.login"))
    account, pending = found
    form = CodeForm()
    if request.method == "POST":
        throttle.check_login_attempt(account.email)
    if form.validate_on_submit():
        try:
            two_factor.check_code(account, form.code.data)
        except DomainError as error:
            throttle.count_login_failure(account.email)
            _field_error(form, error)
        else:
            session.pop(_PENDING, None)
            login_user(account, remember=pending.get("remember", False))
            return redirect(safe_next(pending.get("next")) or home_for(account))
    status = 200 if not form.errors else 400
    return render_template("auth/code.html", form=form), status


@bp.post("/logout")
def logout() -> Any:
    if current_user.is_authenticated:
        accounts.log_out(current_user._get_current_object())
    logout_user()
    flash(_("You are logged out."), "info")
    response = redirect(url_for("public.index"))
    # The door's offline copy (IndexedDB), queued data and the kept pages leave the
    # device with the login (#19).
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response


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
    field = getattr(form, str(error.details.get("field") or "password"), None)
    field = field or getattr(form, "password", None) or form.code
    field.errors.append(message)


#: The session key of the secret shown on the enrolment page until a code confirms it.
_ENROLLING = "_totp_enrolling"


@bp.route("/account/two-factor", methods=["GET", "POST"])
@login_required
def two_factor_setup() -> Any:
    """Turn two-factor login on: a QR code and the secret for the app, then one code."""
    account = current_user._get_current_object()
    form = CodeForm()
    if account.has_two_factor:
        return render_template("auth/two_factor.html", form=form, enrolled=True)
    secret = session.get(_ENROLLING) or two_factor.new_secret()
    session[_ENROLLING] = secret
    if form.validate_on_submit():
        try:
            two_factor.enrol(account, secret, form.code.data)
        except DomainError as error:
            _field_error(form, error)
        else:
            session.pop(_ENROLLING, None)
            flash(_("Two-factor login is on: login will ask for a code."), "success")
            return redirect(url_for("auth.two_factor_setup"))
    issuer = urlsplit(current_app.config["PUBLIC_URL"]).hostname or "eventapp"
    uri = two_factor.provisioning_uri(secret, account.email, issuer=issuer)
    qr_data = base64.b64encode(build_qr_png(uri)).decode("ascii")
    return render_template(
        "auth/two_factor.html",
        form=form,
        enrolled=False,
        qr_data=qr_data,
        secret_groups=" ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
    ), (400 if form.errors else 200)


@bp.post("/account/two-factor/off")
@login_required
def two_factor_off() -> Any:
    """The holder turns two-factor login off, with a code."""
    account = current_user._get_current_object()
    form = CodeForm()
    if form.validate_on_submit():
        try:
            two_factor.disable(account, form.code.data)
        except DomainError as error:
            _field_error(form, error)
        else:
            flash(_("Two-factor login is off."), "success")
            return redirect(url_for("auth.two_factor_setup"))
    return render_template("auth/two_factor.html", form=form, enrolled=True), 400
