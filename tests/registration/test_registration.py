"""Registering, the waiting list, cancelling and promotion, through the real service."""

from datetime import timedelta
from email import message_from_string
from email.policy import default

import pytest

from eventapp.errors import AlreadyRegistered, RegistrationCancelled, RegistrationClosed
from eventapp.models import OutboxMessage, Registration, RegistrationStatus, db
from eventapp.names import NameOrder
from eventapp.services.registration import (
    PersonDetails,
    find_by_manage_token,
    register,
    register_again,
    resend_link,
    waitlist,
    waitlist_position,
)
from eventapp.services.registration.changes import cancel_registration, promote_next, update_details
from tests.factories import (
    SEOUL_MORNING,
    make_event,
    make_registration,
    make_registration_data,
    make_venue,
)

NOW = SEOUL_MORNING - timedelta(days=10)


def _mails(kind=None):
    statement = db.select(OutboxMessage).order_by(OutboxMessage.id)
    if kind:
        statement = statement.where(OutboxMessage.kind == kind)
    return db.session.scalars(statement).all()


def _parsed(message):
    return message_from_string(message.raw, policy=default)


def test_register_confirms_and_queues_confirmation_with_manage_link(ctx):
    event = make_event(capacity=2)

    outcome = register(event, make_registration_data("Minji@Example.ORG "), now=NOW)

    assert outcome.status is RegistrationStatus.CONFIRMED
    assert outcome.waitlist_position is None
    assert outcome.registration.email == "minji@example.org"
    assert outcome.registration.confirmed_at == NOW
    (mail,) = _mails()
    assert mail.kind == "confirmation"
    assert mail.registration_id == outcome.registration.id
    parsed = _parsed(mail)
    assert parsed["To"].addresses[0].addr_spec == "minji@example.org"
    assert parsed["Reply-To"] == "events@example.org"
    link = f"http://events.example.org/me/{outcome.registration.manage_token}"
    assert link in parsed.get_body(("plain",)).get_content().splitlines()
    assert f'href="{link}"' in parsed.get_body(("html",)).get_content()


def test_register_waitlists_in_order_when_capacity_is_reached(ctx):
    event = make_event(capacity=1)
    register(event, make_registration_data(), now=NOW)

    second = register(event, make_registration_data(), now=NOW + timedelta(seconds=1))
    third = register(event, make_registration_data(), now=NOW + timedelta(seconds=2))

    assert second.status is RegistrationStatus.WAITLISTED
    assert (second.waitlist_position, third.waitlist_position) == (1, 2)
    waitlisted = _mails("waitlisted")
    assert len(waitlisted) == 2
    body = _parsed(waitlisted[1]).get_body(("plain",)).get_content()
    assert "Your place on the waiting list: 2." in body


@pytest.mark.parametrize(
    ("opens", "closes", "reason"),
    [(timedelta(days=1), None, "not_open"), (None, timedelta(days=-1), "closed")],
)
def test_register_outside_window_is_refused(ctx, opens, closes, reason):
    event = make_event(
        registration_opens_at=NOW + opens if opens else None,
        registration_closes_at=NOW + closes if closes else None,
    )

    with pytest.raises(RegistrationClosed) as caught:
        register(event, make_registration_data(), now=NOW)

    assert caught.value.details["reason"] == reason
    assert db.session.scalar(db.select(db.func.count(Registration.id))) == 0


def test_register_same_email_twice_is_refused_without_second_row(ctx):
    event = make_event()
    register(event, make_registration_data("a@example.org"), now=NOW)

    with pytest.raises(AlreadyRegistered):
        register(event, make_registration_data("  A@EXAMPLE.org"), now=NOW)

    assert db.session.scalar(db.select(db.func.count(Registration.id))) == 1
    assert [m.kind for m in _mails()] == ["confirmation"]


def test_same_email_may_register_for_two_events(ctx):
    first, second = make_event(), make_event()

    register(first, make_registration_data("a@example.org"), now=NOW)
    register(second, make_registration_data("a@example.org"), now=NOW)

    assert db.session.scalar(db.select(db.func.count(Registration.id))) == 2


def test_resend_link_queues_the_manage_link_only_for_known_emails(ctx):
    event = make_event()
    outcome = register(event, make_registration_data("a@example.org"), now=NOW)

    assert resend_link(event, " A@example.org", now=NOW) is True
    assert resend_link(event, "nobody@example.org", now=NOW) is False

    (mail,) = _mails("manage_link")
    assert mail.to_address == "a@example.org"
    assert outcome.registration.manage_token in mail.raw.replace("=\r\n", "")


def test_resend_link_sends_at_most_one_email_per_interval(ctx):
    event = make_event()
    register(event, make_registration_data("a@example.org"), now=NOW)

    for minutes in (0, 1, 9, 10):
        assert resend_link(event, "a@example.org", now=NOW + timedelta(minutes=minutes))

    sent_at = [m.created_at for m in _mails("manage_link")]
    assert sent_at == [NOW, NOW + timedelta(minutes=10)]


def test_cancel_promotes_first_waitlisted_and_tells_them(ctx):
    event = make_event(capacity=1)
    first = register(event, make_registration_data(), now=NOW).registration
    second = register(event, make_registration_data(), now=NOW + timedelta(seconds=1))
    third = register(event, make_registration_data(), now=NOW + timedelta(seconds=2))

    cancel_registration(first, now=NOW + timedelta(hours=1))

    assert first.status is RegistrationStatus.CANCELLED
    assert second.registration.status is RegistrationStatus.CONFIRMED
    assert third.registration.status is RegistrationStatus.WAITLISTED
    assert waitlist_position(third.registration) == 1
    assert [m.to_address for m in _mails("promoted")] == [second.registration.email]
    assert [m.to_address for m in _mails("cancelled")] == [first.email]


def test_cancel_twice_sends_one_email_and_promotes_once(ctx):
    event = make_event(capacity=1)
    first = register(event, make_registration_data(), now=NOW).registration
    register(event, make_registration_data(), now=NOW)
    register(event, make_registration_data(), now=NOW)

    cancel_registration(first, now=NOW)
    cancel_registration(first, now=NOW)

    assert len(_mails("cancelled")) == 1
    assert len(_mails("promoted")) == 1


def test_registering_a_cancelled_email_again_changes_nothing(ctx):
    # Whoever knows an address must not overwrite its registration: only the manage link may.
    event = make_event(capacity=5)
    registration = register(event, make_registration_data("a@example.org"), now=NOW).registration
    cancel_registration(registration, now=NOW)
    token, given_name = registration.manage_token, registration.given_name

    with pytest.raises(AlreadyRegistered):
        register(event, make_registration_data("a@example.org", given_name="Mallory"), now=NOW)

    db.session.refresh(registration)
    assert (registration.status, registration.given_name, registration.manage_token) == (
        RegistrationStatus.CANCELLED,
        given_name,
        token,
    )


def test_register_again_from_the_link_takes_the_same_row_up_again(ctx):
    event = make_event(capacity=1)
    registration = register(event, make_registration_data("a@example.org"), now=NOW).registration
    cancel_registration(registration, now=NOW)

    again = register_again(registration, now=NOW)

    assert (again.registration_id, again.status) == (registration.id, RegistrationStatus.CONFIRMED)
    assert again.registration.cancelled_at is None
    assert [m.kind for m in _mails()][-1] == "confirmation"


def test_register_again_when_full_joins_the_end_of_the_waiting_list(ctx):
    event = make_event(capacity=1)
    registration = register(event, make_registration_data("a@example.org"), now=NOW).registration
    cancel_registration(registration, now=NOW)
    register(event, make_registration_data(), now=NOW)  # took the freed seat

    again = register_again(registration, now=NOW)

    assert (again.status, again.waitlist_position) == (RegistrationStatus.WAITLISTED, 1)
    assert [m.kind for m in _mails()][-1] == "waitlisted"


def test_register_again_of_an_active_registration_changes_nothing(ctx):
    event = make_event(capacity=5)
    registration = register(event, make_registration_data(), now=NOW).registration
    before = len(_mails())

    again = register_again(registration, now=NOW)

    assert again.status is RegistrationStatus.CONFIRMED
    assert len(_mails()) == before


def test_register_again_after_registration_closed_is_refused(ctx):
    event = make_event(capacity=5, registration_closes_at=NOW + timedelta(days=1))
    registration = register(event, make_registration_data(), now=NOW).registration
    cancel_registration(registration, now=NOW)

    with pytest.raises(RegistrationClosed):
        register_again(registration, now=NOW + timedelta(days=2))


def test_new_registration_never_jumps_the_waiting_list(ctx):
    event = make_event(capacity=1)
    register(event, make_registration_data(), now=NOW)
    waiting = register(event, make_registration_data(), now=NOW).registration
    event.capacity = 2  # raised by an organizer, without promoting
    db.session.commit()

    newcomer = register(event, make_registration_data(), now=NOW)

    assert waiting.status is RegistrationStatus.CONFIRMED
    assert newcomer.status is RegistrationStatus.WAITLISTED


def test_promote_next_fills_every_free_seat_after_capacity_rise(ctx):
    event = make_event(capacity=1)
    register(event, make_registration_data(), now=NOW)
    waiting = [register(event, make_registration_data(), now=NOW).registration for _ in range(3)]
    event.capacity = 3
    db.session.commit()

    promoted = promote_next(event, now=NOW)

    assert promoted == waiting[:2]
    assert waiting[2].status is RegistrationStatus.WAITLISTED
    assert waitlist_position(waiting[2]) == 1


def test_unlimited_event_confirms_everyone(ctx):
    event = make_event(capacity=None)

    outcomes = [register(event, make_registration_data(), now=NOW) for _ in range(5)]

    assert {o.status for o in outcomes} == {RegistrationStatus.CONFIRMED}


def test_update_details_changes_fields_but_not_email(ctx):
    event = make_event()
    registration = register(event, make_registration_data("a@example.org"), now=NOW).registration

    update_details(registration, PersonDetails(given_name="민지", family_name="김", country="KR"))

    db.session.expire_all()
    assert (registration.name, registration.country, registration.email) == (
        "김민지",
        "KR",
        "a@example.org",
    )


def test_update_details_of_cancelled_registration_is_refused(ctx):
    registration = register(make_event(), make_registration_data(), now=NOW).registration
    cancel_registration(registration, now=NOW)

    with pytest.raises(RegistrationCancelled):
        update_details(registration, PersonDetails(given_name="X"))


def test_hangul_and_emoji_names_survive_into_the_email(ctx):
    event = make_event()
    data = make_registration_data(
        "minji@example.org",
        given_name="민지🚀",
        family_name="김",
        name_alt="Minji Kim",
        locale="ko",
    )

    registration = register(event, data, now=NOW).registration

    db.session.expire_all()
    assert registration.name == "김민지🚀"
    parsed = _parsed(_mails()[0])
    assert parsed["To"].addresses[0].display_name == "김민지🚀"
    assert parsed.get_body(("plain",)).get_content().splitlines()[0] == "김민지🚀 님, 안녕하세요."


def test_korean_mail_greets_with_the_hangul_name(ctx):
    data = make_registration_data(
        given_name="Minji",
        family_name="Kim",
        name_alt="김민지",
        locale="ko",
        name_order=NameOrder.GIVEN_FIRST,
    )

    register(make_event(), data, now=NOW)

    parsed = _parsed(_mails()[0])
    assert parsed["To"].addresses[0].display_name == "Minji Kim"
    assert "김민지" in parsed.get_body(("plain",)).get_content().splitlines()[0]


def test_find_by_manage_token_rejects_short_and_unknown_tokens(ctx):
    registration = register(make_event(), make_registration_data(), now=NOW).registration

    assert find_by_manage_token(registration.manage_token) == registration
    assert find_by_manage_token(registration.manage_token[:-1] + "!") is None
    assert find_by_manage_token("short") is None


def test_html_email_escapes_what_people_typed(ctx):
    data = make_registration_data(given_name="<script>alert(1)</script>", family_name="O'Neil")

    register(make_event(), data, now=NOW)

    html = _parsed(_mails()[0]).get_body(("html",)).get_content()
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; O&#39;Neil" in html


def test_cancel_by_an_organizer_is_audited(ctx):
    from eventapp.models import AuditEntry, Role
    from tests.factories import make_account

    organizer = make_account(role=Role.ORGANIZER)
    registration = register(make_event(), make_registration_data(), now=NOW).registration

    cancel_registration(registration, by=organizer, now=NOW)

    (entry,) = db.session.scalars(db.select(AuditEntry)).all()
    assert (entry.account_id, entry.action, entry.target) == (
        organizer.id,
        "registration.cancel",
        f"registrations:{registration.id}",
    )


def test_the_seat_count_sees_changes_not_yet_flushed(ctx):
    # count_seats runs on the connection; it must count what this transaction changed.
    event = make_event(capacity=1)
    registration = make_registration(event)
    event_id, _ = event.id, registration.status  # loaded now: reading them later would flush
    registration.status = RegistrationStatus.CANCELLED

    seats = waitlist.count_seats(event_id)

    assert (seats.confirmed, seats.free) == (0, True)


def test_confirmation_names_the_venue_and_keeps_the_badge_link_short_on_a_phone(ctx):
    venue = make_venue(name="Lotte Hotel Seoul", name_ko="롯데호텔 서울", address="30 Eulji-ro")
    event = make_event(venue=venue)

    outcome = register(event, make_registration_data(), now=NOW)

    parsed = _parsed(_mails()[0])
    text = parsed.get_body(("plain",)).get_content()
    assert "Where: Lotte Hotel Seoul, 30 Eulji-ro" in text.splitlines()
    html = parsed.get_body(("html",)).get_content()
    assert "Where: Lotte Hotel Seoul, 30 Eulji-ro" in html
    # The signed badge URL is a link under words, not 600 unbreakable characters.
    badge = f"http://events.example.org/me/{outcome.registration.manage_token}/badge.pdf"
    assert f'href="{badge}">Open your badge (PDF)</a>' in html
    assert f">{badge}<" not in html
