"""Event teams: which events an organizer or door account acts on. Admins only."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from eventapp.models import Account, Role, db
from eventapp.services.accounts import teams
from eventapp.services.setup import events
from eventapp.web.access import role_required
from eventapp.web.admin import actor, bp
from eventapp.web.forms.admin_teams import TeamForm
from eventapp.web.templating import localized


@bp.route("/accounts/<int:account_id>/events", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def account_events(account_id: int) -> Any:
    account = db.get_or_404(Account, account_id)
    every_event = db.session.scalars(events.events_statement()).all()
    form = TeamForm()
    form.events.choices = [(event.id, localized(event, "title")) for event in every_event]
    if form.validate_on_submit():
        chosen = set(form.events.data or ())
        teams.set_events(account, [e for e in every_event if e.id in chosen], by=actor())
        flash(_("Events of %(email)s saved.", email=account.email), "success")
        return redirect(url_for("admin.account_list"))
    if not form.is_submitted():
        form.events.data = [event.id for event in teams.events_of(account)]
    page = render_template(
        "admin/account_events.html",
        account=account,
        form=form,
        sees_every_event=teams.sees_every_event(account),
    )
    return page, (400 if form.errors else 200)
