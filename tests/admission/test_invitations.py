"""Invitation-only events (#17): the invitation list (CSV preview that writes nothing,
then all or nothing), the personal link (once, for the invited address), revoke, resend,
remind once per send key; emails parsed back."""

from email import message_from_string, policy

import pytest
from flask_babel import force_locale

from eventapp.errors import AlreadySent, InvalidInput, InvitationRequired
from eventapp.models import (
    AdmissionMode,
    Category,
    Invitation,
    InvitationState,
    OutboxMessage,
    Registration,
    db,
)
from eventapp.models import RegistrationStatus as Status
from eventapp.services import registration as registrations
from eventapp.services.admission import delegations, invitation_list, invitees
from eventapp.services.mail import communications
from tests.factories import make_event, make_registration_data

HEADER = "email,given_name,family_name,organization,category,delegation,language\n"


def _invite(event, email="kim@example.org", **overrides):
    data = invitees.InviteeData(
        **({"email": email, "given_name": "Minji", "family_name": "Kim"} | overrides)
    )
    return invitees.invite(event, data)


def _messages(kind):
    return list(
        db.session.scalars(
            db.select(OutboxMessage).where(OutboxMessage.kind == kind).order_by(OutboxMessage.id)
        )
    )


def _text(message):
    parsed = message_from_string(message.raw, policy=policy.default)
    return parsed, parsed.get_body(preferencelist=("plain",)).get_content()


def test_preview_reports_errors_per_row_and_writes_nothing(ctx):
    event = make_event(admission_mode=AdmissionMode.INVITATION)
    _invite(event, "taken@example.org")
    csv_text = HEADER + (
        "ok@example.org,Ana,Lee,NASA,government,,en\n"
        "not-an-address,Bo,,,industry,,\n"
        "taken@example.org,Cy,,,,,\n"
        "ok@example.org,Dup,,,,,\n"
        "e@example.org,,NoGiven,,,,\n"
        "f@example.org,Fe,,,astronaut,,\n"
        "g@example.org,Gi,,,,Nowhere,\n"
        "h@example.org,Ha\x01,,,,,ko\n"
        "i@example.org,Io,,,,,fr\n"
    )
    before = db.session.scalar(db.select(db.func.count(Invitation.id)))

    preview = invitation_list.parse_csv(event, csv_text.encode())

    assert preview.has_errors
    with force_locale("en"):
        errors = {row.line: " ".join(str(e) for e in row.errors) for row in preview.rows}
    assert errors[2] == ""
    assert "valid email" in errors[3]
    assert "invited already" in errors[4]
    assert "earlier line" in errors[5]
    assert "given name is missing" in errors[6]
    assert "Unknown category astronaut" in errors[7]
    assert "No delegation named Nowhere" in errors[8]
    assert "control characters" in errors[9]
    assert "Unknown language fr" in errors[10]
    assert preview.ok == 1
    with pytest.raises(InvalidInput):
        invitation_list.import_csv(event, csv_text)
    assert db.session.scalar(db.select(db.func.count(Invitation.id))) == before
    assert len(_messages("invited")) == 1  # only the one invited by hand


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"\xff\xfe\x00e", "not UTF-8"),
        (b"name,organization\nA,B\n", "Missing columns: email, given_name"),
        (HEADER.encode(), "lists nobody"),
        (b"email,given_name\n" + b"x" * 1_000_001, "too large"),
    ],
)
def test_preview_refuses_a_bad_file_as_a_whole(ctx, raw, expected):
    event = make_event()
    preview = invitation_list.parse_csv(event, raw)
    assert preview.has_errors
    with force_locale("en"):
        assert expected in " ".join(str(e) for e in preview.errors)


def test_confirmed_list_invites_everyone_with_a_bilingual_email(ctx):
    event = make_event(admission_mode=AdmissionMode.INVITATION)
    delegations.create_delegation(
        event,
        delegations.DelegationData(
            name="MSIT", head_given_name="Jiwon", head_email="head@example.org", seats=3
        ),
    )
    csv_text = (
        "\ufeff"
        + HEADER
        + (
            "Ana@Example.org,Ana,Lee,NASA,government,,en\n"
            "bo@example.org,보라,김,과기정통부,government,msit,ko\n"
        )
    )
    made = invitation_list.import_csv(event, csv_text.encode("utf-8"))

    assert [i.email for i in made] == ["ana@example.org", "bo@example.org"]
    assert made[1].delegation is not None
    assert made[1].delegation.name == "MSIT"
    english, korean = _messages("invited")
    parsed, text = _text(english)
    assert parsed["Subject"] == f"You are invited: {event.title}"
    assert f"/e/{event.slug}/invitation/{made[0].token}" in text
    parsed, text = _text(korean)
    assert parsed["Subject"] == f"초청 안내: {event.title_ko}"
    assert "초청합니다" in text
    assert f"/invitation/{made[1].token}" in text
    assert len(made[0].token) >= 43  # 256 random bits


def test_link_registers_once_for_the_invited_address_only(ctx):
    event = make_event(capacity=10, admission_mode=AdmissionMode.INVITATION)
    invitation = _invite(event, category=Category.SPEAKER)
    # The form says another address and category: the invited ones are kept.
    data = make_registration_data("intruder@example.org")

    outcome = registrations.register(event, data, invitation=invitation)

    registration = db.session.get(Registration, outcome.registration_id)
    assert registration.email == "kim@example.org"
    assert registration.category is Category.SPEAKER
    assert outcome.status is Status.CONFIRMED
    db.session.refresh(invitation)
    assert invitation.state is InvitationState.REGISTERED
    assert invitation.registration_id == registration.id
    with pytest.raises(InvitationRequired) as refused:
        registrations.register(
            event, make_registration_data("other@example.org"), invitation=invitation
        )
    assert refused.value.details["reason"] == "used"
    assert db.session.scalar(db.select(db.func.count(Registration.id))) == 1


def test_uninvited_and_other_events_invitations_are_refused(ctx):
    event = make_event(admission_mode=AdmissionMode.INVITATION)
    other = make_event(admission_mode=AdmissionMode.INVITATION)
    foreign = _invite(other)
    with pytest.raises(InvitationRequired):
        registrations.register(event, make_registration_data())
    with pytest.raises(InvitationRequired):
        registrations.register(event, make_registration_data(), invitation=foreign)
    assert db.session.scalar(db.select(db.func.count(Registration.id))) == 0


def test_revoked_and_declined_links_are_refused_and_not_resent(ctx):
    event = make_event(admission_mode=AdmissionMode.INVITATION)
    revoked = _invite(event, "r@example.org")
    declined = _invite(event, "d@example.org")
    invitees.revoke(revoked)
    invitees.decline(declined)
    for invitation, reason in ((revoked, "revoked"), (declined, "declined")):
        with pytest.raises(InvitationRequired) as refused:
            registrations.register(event, make_registration_data(), invitation=invitation)
        assert refused.value.details["reason"] == reason
        with pytest.raises(InvitationRequired):
            invitees.resend(invitation)
    assert invitees.counts(event).by_state[InvitationState.REVOKED] == 1
    assert invitees.counts(event).by_state[InvitationState.DECLINED] == 1


def test_open_marks_once_and_states_filter(ctx):
    event = make_event(admission_mode=AdmissionMode.INVITATION)
    first = _invite(event, "a@example.org")
    _invite(event, "b@example.org")
    invitees.mark_opened(first)
    db.session.refresh(first)
    opened_at = first.opened_at
    invitees.mark_opened(first)
    db.session.refresh(first)
    assert first.opened_at == opened_at
    opened = db.session.scalars(invitees.invitations_statement(event, InvitationState.OPENED))
    assert [i.email for i in opened] == ["a@example.org"]
    sent = db.session.scalars(invitees.invitations_statement(event, InvitationState.SENT))
    assert [i.email for i in sent] == ["b@example.org"]


def test_remind_once_per_send_key_and_only_those_who_did_not_answer(ctx):
    event = make_event(capacity=10, admission_mode=AdmissionMode.INVITATION)
    waiting = _invite(event, "w@example.org")
    used = _invite(event, "u@example.org")
    registrations.register(event, make_registration_data(), invitation=used)
    key = communications.new_send_key()

    assert invitees.remind(event, send_key=key) == 1
    with pytest.raises(AlreadySent):
        invitees.remind(event, send_key=key)
    [reminder] = _messages("invitation_reminder")
    assert reminder.to_address.endswith("w@example.org>") or "w@example.org" in reminder.to_address
    parsed, text = _text(reminder)
    assert waiting.token in text
    assert "Reminder" in parsed["Subject"]
    with pytest.raises(InvalidInput):
        invitees.remind(event, send_key="short")
