"""Delegation seats under real concurrency on PostgreSQL (#17): members registering at
once through their personal links, and the head's page at the same moment, never take
more than the delegation's seats; every refusal is DelegationFull."""

import pytest

from eventapp.errors import DelegationFull
from eventapp.models import AdmissionMode, Delegation, Event, Invitation, Registration, db
from eventapp.models import RegistrationStatus as Status
from eventapp.services.admission import delegations
from eventapp.services.registration import register
from tests.factories import make_event, make_registration_data
from tests.registration.test_registration_concurrency import POOL, count, run_together

pytestmark = pytest.mark.postgres


def test_links_and_the_heads_page_racing_never_exceed_the_seats(make_app):
    app = make_app(SQLALCHEMY_ENGINE_OPTIONS=POOL)
    with app.app_context():
        event = make_event(capacity=100, admission_mode=AdmissionMode.INVITATION)
        delegation = delegations.create_delegation(
            event,
            delegations.DelegationData(
                name="Delegation", head_given_name="Head", head_email="head@example.org", seats=5
            ),
        )
        tokens = [
            delegations.invite_member(
                delegation, delegations.MemberData(email=f"m{i}@example.org", given_name="M")
            ).token
            for i in range(16)
        ]
        event_id, delegation_id = event.id, delegation.id

    def work(i: int) -> None:
        event = db.session.get(Event, event_id)
        if i < 16:
            invitation = db.session.scalar(
                db.select(Invitation).where(Invitation.token == tokens[i])
            )
            register(event, make_registration_data(), invitation=invitation)
        else:
            # The head registers two more at once, twice over.
            delegation = db.session.get(Delegation, delegation_id)
            delegations.register_members(
                delegation,
                [
                    delegations.MemberData(email=f"h{i}a@example.org", given_name="H"),
                    delegations.MemberData(email=f"h{i}b@example.org", given_name="H"),
                ],
            )

    errors = run_together(app, 18, work)

    assert errors, "some must have been refused"
    assert all(isinstance(error, DelegationFull) for error in errors), errors
    with app.app_context():
        holding = count(
            Registration,
            Registration.delegation_id == delegation_id,
            Registration.status == Status.CONFIRMED,
        )
        used = count(Invitation, Invitation.registration_id.is_not(None))
        assert holding == 5
        head_made = count(Registration, Registration.email.like("h%@example.org"))
        assert used + head_made == 5
