"""The head of delegation's page (#17), by the secret in the link they were emailed:
register several members at once, or send one a personal link; every member's status."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from eventapp.errors import (
    AlreadyRegistered,
    DelegationFull,
    DomainError,
    RegistrationClosed,
)
from eventapp.extensions import limiter
from eventapp.models import Delegation, Event, db
from eventapp.services.admission import delegations
from eventapp.web.forms.delegation import MemberLinkForm, MembersForm

bp = Blueprint("delegation", __name__)


def _delegation_or_404(token: str) -> tuple[Delegation, Event]:
    delegation = delegations.find_by_head_token(token)
    if delegation is None:
        abort(404)
    event = db.session.get(Event, delegation.event_id)
    if event is None or not event.is_published:
        abort(404)
    return delegation, event


@bp.route("/delegation/<token>", methods=["GET", "POST"])
@limiter.limit("30 per minute", methods=["POST"])
def page(token: str) -> Any:
    delegation, event = _delegation_or_404(token)
    form = MembersForm()
    if form.validate_on_submit():
        rows = form.filled()
        organization = form.organization_name.data or None
        try:
            delegations.register_members(delegation, [r.to_member(organization) for r in rows])
        except DelegationFull as error:
            form.form_errors.append(
                _("Not registered: the delegation has %(n)s seats left.", n=error.details["left"])
            )
        except AlreadyRegistered as error:
            form.form_errors.append(
                _(
                    "Not registered: %(email)s is registered already.",
                    email=error.details.get("email", ""),
                )
            )
        except RegistrationClosed:
            form.form_errors.append(_("Registration is closed."))
        except DomainError:
            form.form_errors.append(_("Not registered: name each member once, at least one."))
        else:
            flash(_("%(n)d members registered; each gets their own email.", n=len(rows)), "success")
            return redirect(url_for(".page", token=token))
    return _render(delegation, event, form, MemberLinkForm(formdata=None))


@bp.post("/delegation/<token>/link")
@limiter.limit("30 per minute")
def send_link(token: str) -> Any:
    delegation, event = _delegation_or_404(token)
    form = MemberLinkForm()
    if form.validate_on_submit():
        try:
            delegations.invite_member(
                delegation,
                delegations.MemberData(
                    email=form.email.data,
                    given_name=form.given_name.data,
                    family_name=form.family_name.data or "",
                ),
            )
        except DomainError:
            form.email.errors = [_("This address has an invitation already.")]
        else:
            flash(
                _("The personal link was emailed to %(email)s.", email=form.email.data), "success"
            )
            return redirect(url_for(".page", token=token))
    return _render(delegation, event, MembersForm(formdata=None), form)


def _render(delegation: Delegation, event: Event, form: MembersForm, link: MemberLinkForm) -> Any:
    failed = bool(form.errors or form.form_errors or link.errors)
    return render_template(
        "delegation/page.html",
        delegation=delegation,
        event=event,
        members=delegations.members(delegation),
        form=form,
        link=link,
    ), (400 if failed else 200)


@bp.after_request
def _no_store(response: Any) -> Any:
    # The page carries a secret and personal data: no browser or proxy keeps a copy.
    response.headers["Cache-Control"] = "no-store"
    return response
