from eventapp.models import Category, RegistrationStatus, SessionSignup, db
from eventapp.services.attendance import checkin_counts
from eventapp.services.badges import BadgeKeys, badge_token
from eventapp.services.checkin import check_in
from tests.factories import make_event, make_registration, make_session

KEYS = BadgeKeys.from_secrets("test-secret-key")


def test_checkin_counts_by_category_and_session(ctx):
    event = make_event()
    talk = make_session(event, capacity=10)
    open_talk = make_session(event)
    speaker = make_registration(event, category=Category.SPEAKER)
    press = make_registration(event, category=Category.PRESS)
    make_registration(event, category=Category.PRESS)
    make_registration(event, category=Category.PRESS, status=RegistrationStatus.WAITLISTED)
    db.session.add(SessionSignup(registration=press, session=talk))
    db.session.commit()
    for registration in (speaker, press):
        check_in(badge_token(registration, KEYS), keys=KEYS, staff_id=None, event_slug=event.slug)
    check_in(
        badge_token(press, KEYS),
        keys=KEYS,
        staff_id=None,
        event_slug=event.slug,
        session_id=talk.id,
    )

    counts = checkin_counts(event)

    assert (counts.confirmed, counts.checked_in) == (3, 2)
    assert [(c.category, c.confirmed, c.checked_in) for c in counts.categories] == [
        (Category.PRESS, 2, 1),
        (Category.SPEAKER, 1, 1),
    ]
    assert [(s.session.id, s.checked_in, s.signed_up) for s in counts.sessions] == [
        (talk.id, 1, 1),
        (open_talk.id, 0, None),
    ]
