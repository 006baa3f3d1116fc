"""Taking part in partnering straight from the registration form.

The form has the person's organization name and country, not a profile: the person joins
the delegation of an organization of that name already taking part in the event (either
language, case aside), so two colleagues share one profile, or creates it (and may then
edit it). Only a confirmed registration takes part; a waitlisted or pending one opts in
later from its page.
"""

from __future__ import annotations

from eventapp.models import Organization, Participant, Registration, RegistrationStatus, db
from eventapp.services.partnering.profiles import OrganizationDetails, opt_in


def _same_name(event_id: int, name: str) -> Organization | None:
    wanted = name.strip().casefold()
    known = db.session.scalars(
        db.select(Organization)
        .join(Participant, Participant.organization_id == Organization.id)
        .where(Participant.event_id == event_id)
        .distinct()
        .order_by(Organization.id)
    )
    return next(
        (o for o in known if wanted in {o.name.casefold(), (o.name_ko or "").casefold()}),
        None,
    )


def opt_in_from_registration(registration: Registration) -> Participant | None:
    """Opt the just-registered person in as a delegate of their form's organization; None
    (nothing done) unless the registration is confirmed and names an organization.
    Raises PartneringRefused as `opt_in` does (partnering off, a name too long)."""
    name = (registration.organization_name or "").strip()
    if registration.status is not RegistrationStatus.CONFIRMED or not name:
        return None
    found = _same_name(registration.event_id, name)
    if found is not None:
        return opt_in(registration, organization_id=found.id, role_line=registration.job_title)
    country = (
        registration.country if registration.country and len(registration.country) == 2 else None
    )
    return opt_in(
        registration,
        new_organization=OrganizationDetails(name=name, country=country),
        role_line=registration.job_title,
    )
