"""Communications: write to all or a filtered group (preview first), and the outbox view."""

from __future__ import annotations

from typing import Any

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from eventapp.errors import DomainError
from eventapp.models import OutboxMessage, OutboxStatus, db
from eventapp.services.accounts.passwords import RESET_MAIL_KIND
from eventapp.services.mail import communications
from eventapp.web.admin import actor, bp, event_or_404, paginate, text_arg
from eventapp.web.feedback import show_error
from eventapp.web.forms.admin_registrants import AnnouncementForm, RegistrantFilterForm
from eventapp.web.lookups import acts_on_or_404


@bp.route("/events/<slug>/communications", methods=["GET", "POST"])
def communicate(slug: str) -> Any:
    event = event_or_404(slug)
    form = AnnouncementForm()
    audience = RegistrantFilterForm(
        request.form if request.method == "POST" else request.args, event=event
    )
    preview = None
    if form.validate_on_submit():
        try:
            if request.form.get("action") == "send":
                count = communications.send_announcement(
                    event,
                    audience.to_filter(),
                    form.to_announcement(),
                    sender=current_app.config["MAIL_DEFAULT_SENDER"],
                    send_key=form.send_key.data or "",
                    by=actor(),
                )
                flash(_("%(count)d messages queued in the outbox.", count=count), "success")
                return redirect(url_for("admin.outbox", status="pending"))
            preview = communications.preview(event, audience.to_filter(), form.to_announcement())
            # A new key for every preview: its "Send" goes once, whatever is clicked twice.
            form.send_key.data = communications.new_send_key()
        except DomainError as error:
            show_error(form, error)
    return render_template(
        "admin/communicate.html",
        event=event,
        form=form,
        audience=audience,
        preview=preview,
        placeholders=communications.PLACEHOLDERS,
    ), (400 if form.errors else 200)


@bp.get("/outbox")
def outbox() -> Any:
    status_text = request.args.get("status", "")
    status = OutboxStatus(status_text) if status_text in set(OutboxStatus) else None
    query = text_arg("q")
    page = paginate(communications.outbox_statement(status, query, reader=actor()))
    return render_template(
        "admin/outbox.html",
        page=page,
        status=status,
        statuses=list(OutboxStatus),
        query=query,
        mail_configured=bool(current_app.config.get("MAIL_SERVER")),
    )


@bp.get("/outbox/<int:message_id>")
def outbox_message(message_id: int) -> Any:
    message = db.get_or_404(OutboxMessage, message_id)
    acts_on_or_404(message.registration.event_id if message.registration else None)
    return render_template(
        "admin/outbox_message.html",
        message=message,
        readable=communications.readable(message),
        # Its text is a login: whoever reads it here could take the account.
        text_hidden=message.kind == RESET_MAIL_KIND,
    )
