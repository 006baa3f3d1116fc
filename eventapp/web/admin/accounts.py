"""Staff accounts: list, create, change role, deactivate, send a password reset link,
reset two-factor login. Admins only."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from eventapp.errors import DomainError
from eventapp.models import Account, Role, db
from eventapp.services import accounts
from eventapp.services.accounts import passwords, teams, two_factor
from eventapp.web.access import role_required
from eventapp.web.admin import actor, bp, paginate
from eventapp.web.feedback import show_error
from eventapp.web.forms.admin import ConfirmForm
from eventapp.web.forms.admin_registrants import AccountForm, RoleForm


@bp.get("/accounts")
@role_required(Role.ADMIN)
def account_list() -> Any:
    return _list_page(AccountForm(formdata=None))


def _list_page(form: AccountForm) -> Any:
    page = paginate(accounts.accounts_statement())
    return render_template(
        "admin/accounts.html",
        page=page,
        teams=teams.teams_by_account(account.id for account in page.items),
        form=form,
        role_form=RoleForm(formdata=None),
        confirm_form=ConfirmForm(),
        role_list=list(Role),
    ), (400 if form.errors else 200)


@bp.post("/accounts")
@role_required(Role.ADMIN)
def account_create() -> Any:
    form = AccountForm()
    if form.validate_on_submit():
        try:
            account = accounts.create_account(
                form.email.data, form.password.data, role=Role(form.role.data), by=actor()
            )
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("Account created."), "success")
            if not teams.sees_every_event(account):  # it acts on no event until given some
                return redirect(url_for("admin.account_events", account_id=account.id))
            return redirect(url_for("admin.account_list"))
    return _list_page(form)


@bp.post("/accounts/<int:account_id>/role")
@role_required(Role.ADMIN)
def account_role(account_id: int) -> Any:
    account = db.get_or_404(Account, account_id)
    form = RoleForm()
    if form.validate_on_submit():
        try:
            accounts.change_role(account, Role(form.role.data), by=actor())
        except DomainError as error:
            show_error(None, error)
        else:
            flash(_("Role changed."), "success")
    else:
        flash(_("Choose a role."), "error")
    return redirect(url_for("admin.account_list"))


@bp.post("/accounts/<int:account_id>/<any(activate, deactivate):change>")
@role_required(Role.ADMIN)
def account_active(account_id: int, change: str) -> Any:
    account = db.get_or_404(Account, account_id)
    if ConfirmForm().validate_on_submit():
        try:
            accounts.set_active(account, change == "activate", by=actor())
        except DomainError as error:
            show_error(None, error)
        else:
            flash(_("Account updated."), "success")
    return redirect(url_for("admin.account_list"))


@bp.post("/accounts/<int:account_id>/reset-password")
@role_required(Role.ADMIN)
def account_reset_password(account_id: int) -> Any:
    account = db.get_or_404(Account, account_id)
    if ConfirmForm().validate_on_submit():
        passwords.send_password_reset(account, by=actor())
        flash(
            _("A password reset link is in the outbox for %(email)s.", email=account.email),
            "success",
        )
    return redirect(url_for("admin.account_list"))


@bp.post("/accounts/<int:account_id>/two-factor/reset")
@role_required(Role.ADMIN)
def account_reset_two_factor(account_id: int) -> Any:
    account = db.get_or_404(Account, account_id)
    if ConfirmForm().validate_on_submit():
        two_factor.reset(account, by=actor())
        flash(_("Two-factor login is off for %(email)s.", email=account.email), "success")
    return redirect(url_for("admin.account_list"))
