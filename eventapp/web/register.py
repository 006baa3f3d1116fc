"""Public registration: the form, its answer page, and the short privacy notice."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice

from eventapp.errors import (
    AlreadyRegistered,
    DelegationFull,
    DomainError,
    InvalidInput,
    InvitationRequired,
    RegistrationClosed,
)
from eventapp.extensions import limiter
from eventapp.models import (
    AdmissionMode,
    Event,
    Invitation,
    InvitationState,
    Registration,
    db,
    utcnow,
)
from eventapp.services import agenda
from eventapp.services import registration as registrations
from eventapp.services.admission import invitees
from eventapp.services.partnering import joining
from eventapp.services.questions import event_questions
from eventapp.services.registration import availability, personal_data
from eventapp.web.forms.questions import with_questions
from eventapp.web.forms.registration import RegistrationForm, session_choices
from eventapp.web.lookups import published_event_or_404
from eventapp.web.templating import current_language, label

bp = Blueprint("register", __name__)

#: Flask session key remembering what the last registration POST ended in (no secrets).
_RESULT_KEY = "registration_result"


def _rate_limit() -> str:
    return current_app.config.get("REGISTRATION_RATE_LIMIT", "10 per minute")


@bp.route("/e/<slug>/register", methods=["GET", "POST"])
@limiter.limit(_rate_limit, methods=["POST"])
def form(slug: str) -> Any:
    # The partnering settings come in the event's own statement: no query of their own.
    event = agenda.published_event(slug, with_partnering=True) or abort(404)
    if not event.registration_is_open(utcnow()):
        return _closed(event)
    if event.admission_mode is AdmissionMode.INVITATION:
        # Said before anything is typed; a POST is refused without reading it.
        return _by_invitation(event, "missing")
    return _form_page(event)


@bp.route("/e/<slug>/invitation/<token>", methods=["GET", "POST"])
@limiter.limit(_rate_limit, methods=["POST"])
def invited(slug: str, token: str) -> Any:
    """The form through an invitation's personal link (#17): prefilled, for the invited
    address only, once. Opening it is noted for the organizers (the one write of a GET
    here, idempotent: only the first opening is kept)."""
    event = published_event_or_404(slug)
    invitation = invitees.find_by_token(token)
    if invitation is None or invitation.event_id != event.id:
        return _by_invitation(event, "missing")
    unusable = {
        InvitationState.REVOKED: "revoked",
        InvitationState.REGISTERED: "used",
        InvitationState.DECLINED: "declined",
    }.get(invitation.state)
    if unusable:
        return _by_invitation(event, unusable)
    if not event.registration_is_open(utcnow()):
        return _closed(event)
    if request.method == "GET":
        invitees.mark_opened(invitation)
    return _form_page(event, invitation)


@bp.post("/e/<slug>/invitation/<token>/decline")
@limiter.limit(_rate_limit)
def decline_invitation(slug: str, token: str) -> Any:
    """The invitee will not come: the organizers see it, the link stops working."""
    event = published_event_or_404(slug)
    invitation = invitees.find_by_token(token)
    if invitation is None or invitation.event_id != event.id:
        return _by_invitation(event, "missing")
    form = FlaskForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        invitees.decline(invitation)
    except InvitationRequired as error:
        return _by_invitation(event, str(error.details.get("reason", "missing")))
    return render_template("register/invitation_declined.html", event=event)


def _form_page(event: Event, invitation: Invitation | None = None) -> Any:
    slug = event.slug
    partnering_on = event.partnering is not None and event.partnering.enabled
    # The event's questions (#17): none and no query for an event without any.
    form = with_questions(RegistrationForm, event_questions(event), current_language())()
    form.set_countries(current_language())
    if invitation is not None:
        _fix_to_invitation(form, invitation)
    # A POST that picks no session needs no session list, unless the form is shown again.
    shows_sessions = request.method != "POST" or bool(request.form.getlist("sessions"))
    form.sessions.choices = session_choices(event) if shows_sessions else []
    if form.validate_on_submit():
        event_id = event.id  # read now: the registration's commit expires `event`
        try:
            outcome = registrations.register(
                event, form.to_data(locale=current_language()), invitation=invitation
            )
            if partnering_on and form.partnering.data:
                _join_partnering(outcome.registration)
        except RegistrationClosed:
            return _closed(event)
        except InvitationRequired as error:
            return _by_invitation(event, str(error.details.get("reason", "missing")))
        except DelegationFull:
            form.form_errors.append(
                _("Your delegation has no seat left; please ask the head of your delegation.")
            )
        except AlreadyRegistered:
            # The address gets its manage link; the answer is the one a new registration
            # gets, so the form never tells whether an address is registered (#15).
            registrations.resend_link(event, form.email.data)
        except InvalidInput:
            form.sessions.errors = [_("Please choose among the sessions listed.")]
        if not form.errors and not form.form_errors:
            # The address as typed, so that the answer page can show it (a typo is seen
            # there, not after waiting for an email that never comes).
            session[_RESULT_KEY] = {"event": event_id, "email": form.email.data.strip()}
            return redirect(url_for(".done", slug=slug))
    if not shows_sessions:
        form.sessions.choices = session_choices(event)
    status = 400 if form.errors or form.form_errors else 200
    seats = availability.event_availability(event)
    return render_template(
        "register/form.html",
        event=event,
        form=form,
        availability=seats,
        erase_on=personal_data.erase_on(event),
        partnering_on=partnering_on,
        invitation=invitation,
    ), status


def _join_partnering(registration: Registration) -> None:
    """Opt in as asked on the form; a refusal (partnering closed meanwhile) leaves the
    registration as it is: the person can still opt in from their page."""
    try:
        joining.opt_in_from_registration(registration)
    except DomainError:
        db.session.rollback()


def _fix_to_invitation(form: RegistrationForm, invitation: Invitation) -> None:
    """Prefill the form from the invitation (on the first showing); the address and the
    category are the invited ones whatever is posted."""
    if request.method == "GET":
        form.given_name.data = invitation.given_name
        form.family_name.data = invitation.family_name
        form.organization_name.data = invitation.organization_name
    # Not an input on the page: as if posted, so that InputRequired (raw data) holds.
    form.email.data = invitation.email
    form.email.raw_data = [invitation.email]
    form.category.choices = [SelectChoice(invitation.category.value, label(invitation.category))]
    form.category.data = invitation.category.value


def _by_invitation(event: Event, reason: str) -> Any:
    """This event registers only the invited: said plainly, and nothing is registered."""
    status = 403 if request.method == "POST" or reason == "revoked" else 200
    if reason == "used":
        status = 410
    return render_template("register/by_invitation.html", event=event, reason=reason), status


@bp.get("/e/<slug>/register/done")
def done(slug: str) -> Any:
    """The answer after a POST: "check your email", whatever the outcome. The email says
    confirmed or waitlisted; the page must not say whether the address was registered."""
    event = published_event_or_404(slug)
    result = session.get(_RESULT_KEY) or {}
    if result.get("event") != event.id:
        return redirect(url_for(".form", slug=slug))
    return render_template("register/done.html", event=event, email=result.get("email"))


@bp.get("/e/<slug>/privacy")
def privacy(slug: str) -> Any:
    """The short privacy notice the registration form links to."""
    event = published_event_or_404(slug)
    return render_template(
        "register/privacy.html", event=event, erase_on=personal_data.erase_on(event)
    )


def _closed(event: Event) -> Any:
    now = utcnow()
    not_yet = event.registration_opens_at is not None and now < event.registration_opens_at
    return render_template("register/closed.html", event=event, not_yet=not_yet), 200
