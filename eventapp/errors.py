"""Domain errors with stable codes. HTML views map them to messages; the API to JSON."""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the domain refused the operation. `code` is stable and machine-readable."""

    code = "domain_error"
    status = 409

    def __init__(self, message: str = "", **details: object) -> None:
        super().__init__(message or self.code)
        self.message = message or self.code
        self.details = details


class NotFound(DomainError):
    code = "not_found"
    status = 404


class NotAllowed(DomainError):
    """The acting account may not do this: unknown, deactivated, or without the role."""

    code = "not_allowed"
    status = 403


class InvalidInput(DomainError):
    """Input that a form could not catch (e.g. a malformed file); `details` names the place."""

    code = "invalid_input"
    status = 400


class AccountExists(DomainError):
    code = "account_exists"


class InvalidCredentials(DomainError):
    code = "invalid_credentials"
    status = 401


class SeedError(InvalidInput):
    """A seed file that cannot be loaded; the message names the file and the key or line."""

    code = "invalid_seed"


class InvalidBadgeToken(DomainError):
    """A badge token that is malformed, forged, altered or signed with an unknown key."""

    code = "invalid_badge"
    status = 400


class BadgeUnavailable(DomainError):
    """Badges exist only for confirmed registrations; `details['status']` says why not."""

    code = "badge_unavailable"
    status = 404


class RegistrationClosed(DomainError):
    """The event's registration window is not open (`details["reason"]`: not_open / closed)."""

    code = "registration_closed"


class AlreadyRegistered(DomainError):
    """This email already has a registration for the event; the manage link is re-sent."""

    code = "already_registered"


class RegistrationCancelled(DomainError):
    """The operation needs an active (confirmed or waitlisted) registration."""

    code = "registration_cancelled"


class CalendarImportError(InvalidInput):
    """A calendar file that cannot be imported; the message says why and nothing changed."""

    code = "invalid_calendar"


class DuplicateName(DomainError):
    """A slug, key, name or email that must be unique is already taken (`details['field']`)."""

    code = "duplicate"


class LastAdmin(DomainError):
    """The change would leave no active admin account."""

    code = "last_admin"


class InvalidPhoto(InvalidInput):
    """An upload that is not a supported image, or is too large."""

    code = "invalid_photo"


class VenueInUse(DomainError):
    """A venue events are held at cannot be deleted; `details['events']` names them."""

    code = "venue_in_use"


class AlreadySent(DomainError):
    """This announcement (the same preview's `send_key`) was sent already; nothing was
    sent a second time."""

    code = "already_sent"


class PartneringRefused(DomainError):
    """A partnering rule refused the change; `code` says which (stable), e.g.
    `partnering_off`, `window_closed`, `withdrawn`, `self_request`, `same_organization`,
    `duplicate_open`, `limit_reached`, `note_too_long`, `unknown_tag`, `slot_not_free`,
    `no_table`, `not_open` (see services/partnering)."""

    code = "partnering_refused"

    def __init__(self, code: str, message: str, **details: object) -> None:
        super().__init__(message, **details)
        self.code = code


class InvitationRequired(DomainError):
    """Invitation-only event (#17): the form takes registrations only through a valid
    personal link. `details['reason']`: "missing", "revoked", "used" or "declined"."""

    code = "invitation_required"
    status = 403


class DelegationFull(DomainError):
    """The delegation has as many members holding a place as its seats allow (#17)."""

    code = "delegation_full"
