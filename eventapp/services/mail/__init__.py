"""The texts of every email to registrants, rendered from `templates/mail/` and queued.

One function per kind of email. Each renders a plain-text and an HTML body in the
registrant's language, writes the name the DESIGN way ("Names") and queues the message in
the caller's transaction (`outbox.queue_email`). `calendar` is the iMIP invitation the
calendar service builds (RFC 6047); this module never builds an `.ics` itself.

Homes in this package: this module (the texts), `outbox` (queue in the caller's
transaction, deliver later), `communications` (organizers writing to registrants).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import current_app, render_template
from flask_babel import force_locale, gettext

from eventapp.builders.email import CalendarPart, format_address
from eventapp.languages import in_language, name_in
from eventapp.links import public_url
from eventapp.models import Event, OutboxMessage, Registration, SessionSignup, db
from eventapp.services.calendar import event_entry
from eventapp.services.mail.outbox import compose_email


def addressed_name(registration: Registration) -> str:
    """The name to greet: the Hangul name in Korean mail when there is one, else the name."""
    return name_in(registration.name, registration.name_alt, registration.locale or "en")


def send_confirmation(
    registration: Registration,
    *,
    calendar: CalendarPart | None = None,
    now: datetime | None = None,
) -> OutboxMessage:
    """ "You are registered": the self-service link and the calendar invitation."""
    message = compose_confirmation(registration, calendar=calendar, now=now)
    db.session.add(message)
    return message


def compose_confirmation(
    registration: Registration,
    *,
    calendar: CalendarPart | None = None,
    now: datetime | None = None,
) -> OutboxMessage:
    """The confirmation, written but not queued (`db.session.add` queues it): registering
    writes it before it takes the event's lock, and throws it away if no seat is left."""
    return _compose(
        "confirmation",
        registration,
        lambda title: gettext("Registration confirmed: %(title)s", title=title),
        calendar=calendar,
        now=now,
    )


def send_waitlisted(
    registration: Registration,
    *,
    position: int | None,
    calendar: CalendarPart | None = None,
    now: datetime | None = None,
) -> OutboxMessage:
    """ "The event is full; you are number N on the waiting list"."""
    return _queue(
        "waitlisted",
        registration,
        lambda title: gettext("You are on the waiting list: %(title)s", title=title),
        calendar=calendar,
        now=now,
        position=position,
    )


def send_promoted(
    registration: Registration,
    *,
    calendar: CalendarPart | None = None,
    now: datetime | None = None,
) -> OutboxMessage:
    """ "A seat became free and it is yours"."""
    return _queue(
        "promoted",
        registration,
        lambda title: gettext("A seat is yours: %(title)s", title=title),
        calendar=calendar,
        now=now,
    )


def send_cancelled(
    registration: Registration,
    *,
    calendar: CalendarPart | None = None,
    now: datetime | None = None,
) -> OutboxMessage:
    """ "Your registration is cancelled"."""
    return _queue(
        "cancelled",
        registration,
        lambda title: gettext("Registration cancelled: %(title)s", title=title),
        calendar=calendar,
        now=now,
    )


def send_manage_link(
    registration: Registration,
    *,
    calendar: CalendarPart | None = None,
    now: datetime | None = None,
) -> OutboxMessage:
    """The self-service link again (someone tried to register this email a second time)."""
    return _queue(
        "manage_link",
        registration,
        lambda title: gettext("Your registration link: %(title)s", title=title),
        calendar=calendar,
        now=now,
    )


def send_badge_reissued(
    registration: Registration, *, now: datetime | None = None
) -> OutboxMessage:
    """The new badge, after the printed one was re-issued (lost, misprinted)."""
    return _queue(
        "badge_reissued",
        registration,
        lambda title: gettext("Your new badge: %(title)s", title=title),
        calendar=None,
        now=now,
    )


def send_session_promoted(
    signup: SessionSignup,
    *,
    calendar: CalendarPart | None = None,
    now: datetime | None = None,
) -> OutboxMessage:
    """ "A seat in this session became free and it is yours"."""
    return _queue(
        "session_promoted",
        signup.registration,
        lambda title: gettext("A seat in a session is yours: %(title)s", title=title),
        calendar=calendar,
        now=now,
        session=signup.session,
    )


def send_email_change_link(
    registration: Registration, new_email: str, link: str, *, now: datetime | None = None
) -> OutboxMessage:
    """To the new address an attendee gave: the link that confirms it. It does not hold the
    self-service link: the address is not theirs until they confirm it."""
    return _queue(
        "email_change",
        registration,
        lambda title: gettext("Confirm your new email address: %(title)s", title=title),
        calendar=None,
        now=now,
        to=new_email,
        link=link,
        new_email=new_email,
        manage_url=None,
    )


def send_email_changed(
    registration: Registration, old_email: str, *, now: datetime | None = None
) -> OutboxMessage:
    """To the old address, once the new one is confirmed: so that a change nobody asked for
    is noticed."""
    return _queue(
        "email_changed",
        registration,
        lambda title: gettext("Your email address was changed: %(title)s", title=title),
        calendar=None,
        now=now,
        to=old_email,
        manage_url=None,
    )


def _queue(
    kind: str,
    registration: Registration,
    subject: Any,
    *,
    calendar: CalendarPart | None,
    now: datetime | None,
    **context: Any,
) -> OutboxMessage:
    message = _compose(kind, registration, subject, calendar=calendar, now=now, **context)
    db.session.add(message)
    return message


def _compose(
    kind: str,
    registration: Registration,
    subject: Any,
    *,
    calendar: CalendarPart | None,
    now: datetime | None,
    to: str | None = None,
    **context: Any,
) -> OutboxMessage:
    event = registration.event
    language = registration.locale or "en"
    with force_locale(language):
        name = addressed_name(registration)
        own = {
            "manage_url": public_url("attendee.manage", token=registration.manage_token),
            "badge_url": public_url("badges.badge_pdf", token=registration.manage_token),
            "event_where": event_entry(event, language).location,
        }
    return compose_for(
        kind,
        event=event,
        recipient=registration,
        locale=language,
        name=name,
        to_name=registration.name,
        address=to or registration.email,
        subject=subject,
        calendar=calendar,
        registration=registration,
        now=now,
        **(own | context),
    )


def compose_for(
    kind: str,
    *,
    event: Event,
    recipient: Any,
    locale: str | None,
    name: str,
    address: str,
    subject: Any,
    now: datetime | None,
    to_name: str | None = None,
    calendar: CalendarPart | None = None,
    registration: Registration | None = None,
    message_key: str | None = None,
    **context: Any,
) -> OutboxMessage:
    """An email about `event` (`templates/mail/<kind>.txt|html`) to anyone, registered or
    not (an invitee, a delegation's head), in `locale`; built, not queued (add it).
    `recipient` is what the templates know as `registration` (the layout reads its
    `.locale`); `registration` links the message to a registration. `subject(title)` gives
    the subject line; `name` greets, `to_name` heads the address (default `name`)."""
    language = locale or "en"
    with force_locale(language):
        title = in_language(event, "title", language)
        context = {
            "registration": recipient,
            "event": event,
            "event_title": title,
            "name": name,
            "manage_url": None,
            "event_url": public_url("public.event", slug=event.slug),
        } | context
        text = render_template(f"mail/{kind}.txt", **context)
        html = render_template(f"mail/{kind}.html", **context)
        subject_text = subject(title)
    return compose_email(
        kind=kind,
        sender=current_app.config["MAIL_DEFAULT_SENDER"],
        to=format_address(to_name or name, address),
        subject=subject_text,
        text=text,
        html=html,
        calendar=calendar,
        registration=registration,
        reply_to=event.contact_email,
        now=now,
        message_key=message_key,
    )


def send_partnering_notice(
    kind: str,
    registration: Registration,
    subject: Any,
    *,
    now: datetime | None = None,
    **context: Any,
) -> OutboxMessage:
    """A partnering email (`templates/mail/<kind>.txt|html`): a request received, answered
    or cancelled. `subject(title)` gives the subject line in the registrant's language."""
    return _queue(kind, registration, subject, calendar=None, now=now, **context)


# admission (#17): approval-required events.


def send_pending(registration: Registration, *, now: datetime | None = None) -> OutboxMessage:
    """ "We received your registration; an organizer will review it" (no seat, no invitation)."""
    return _queue(
        "pending",
        registration,
        lambda title: gettext("Registration received, awaiting approval: %(title)s", title=title),
        calendar=None,
        now=now,
    )


def send_approved(
    registration: Registration,
    *,
    note: str | None = None,
    calendar: CalendarPart | None = None,
    now: datetime | None = None,
) -> OutboxMessage:
    """ "Your registration is approved and a seat is yours", with the event's invitation."""
    return _queue(
        "approved",
        registration,
        lambda title: gettext("Registration approved: %(title)s", title=title),
        calendar=calendar,
        now=now,
        note=note,
    )


def send_declined(
    registration: Registration, *, note: str | None = None, now: datetime | None = None
) -> OutboxMessage:
    """ "Your registration was not approved", with the organizer's message if any."""
    return _queue(
        "declined",
        registration,
        lambda title: gettext("Registration not approved: %(title)s", title=title),
        calendar=None,
        now=now,
        note=note,
    )
