"""The meeting request page: a note and preferred times, to a person or an organization
(`/me/<token>/partnering/request?to=<participant>` or `?organization=<id>`)."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from eventapp.errors import DomainError, PartneringRefused
from eventapp.models import Organization, Participant, db
from eventapp.services.partnering import meetings, requests
from eventapp.web.forms.partnering import RequestForm
from eventapp.web.partnering import bp, message_for, own_participant, slot_label
from eventapp.web.templating import localized


class Gone(PartneringRefused):
    """The person asked has withdrawn from partnering."""

    def __init__(self) -> None:
        super().__init__("withdrawn", "This person no longer takes part in partnering.")


def _target(
    viewer: Participant, form: RequestForm
) -> tuple[Participant | None, Organization | None, list[Participant]]:
    """(person asked, organization asked, its delegates) from the query or the form."""
    source = request.form if request.method == "POST" else request.args
    person_id = str(source.get("recipient_id") or source.get("to") or "")
    organization_id = str(source.get("organization_id") or source.get("organization") or "")
    if person_id.isdigit():
        person = db.session.get(Participant, int(person_id))
        if person is None or person.event_id != viewer.event_id:
            abort(404)
        if person.withdrawn:
            raise Gone
        form.recipient_id.data = str(person.id)
        return person, None, [person]
    if organization_id.isdigit():
        delegates = requests.delegates(viewer.event_id, int(organization_id))
        if not delegates:
            abort(404)
        form.organization_id.data = str(delegates[0].organization_id)
        return None, delegates[0].organization, delegates
    abort(404)


@bp.route("/me/<token>/partnering/request", methods=["GET", "POST"])
def send(token: str) -> Any:
    """Ask for a meeting; a refusal or a bad note shows the page again with what was typed."""
    registration, viewer = own_participant(token)
    event = registration.event
    form = RequestForm()
    try:
        person, organization, delegates = _target(viewer, form)
    except Gone:
        # Said plainly, without the person's name: withdrawing hides them at once.
        flash(_("Not done: %(reason)s", reason=message_for(Gone())), "error")
        return redirect(url_for(".directory_page", slug=event.slug, me=token))
    form.preferred.choices = [
        (slot.id, slot_label(slot, event.timezone)) for slot in meetings.free_slots_for(viewer)
    ]
    problem = None
    if form.validate_on_submit():
        try:
            requests.send_request(
                viewer,
                person.id if person else None,
                organization_id=organization.id if organization else None,
                note=form.note.data,
                preferred_slot_ids=form.preferred.data or [],
            )
        except DomainError as error:
            db.session.rollback()
            problem = message_for(error)
        else:
            flash(_("Your request is sent."), "success")
            return redirect(url_for(".me", token=token))
    status = 400 if request.method == "POST" else 200
    name = person.registration.name if person else localized(organization, "name")
    return render_template(
        "partnering/request.html",
        registration=registration,
        event=event,
        form=form,
        person=person,
        organization=organization or (person.organization if person else None),
        delegates=delegates,
        name=name,
        problem=problem,
    ), status
