import csv
import io

from eventapp.models import Category, RegistrationStatus, SessionSignup, db
from eventapp.services.checkin import check_in
from eventapp.services.checkin.attendance import checked_in_ids, checkin_counts
from eventapp.services.checkin.badges import BadgeKeys, badge_token
from eventapp.services.registration.registrants import (
    RegistrantFilter,
    export_csv,
    registrants_statement,
)
from eventapp.services.reports import stats
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


def _everywhere_checked_in(event) -> dict[str, object]:
    """What every place that counts check-ins says about `event`."""
    flt = RegistrantFilter(checked_in=True)
    listed = db.session.scalars(registrants_statement(event, flt)).all()
    csv_rows = list(
        csv.DictReader(io.StringIO(export_csv(event, RegistrantFilter()).decode("utf-8-sig")))
    )
    return {
        "api": stats.registration_stats(event)["checked_in"],
        "dashboard": stats.dashboard(event).checked_in,
        "door counts": checkin_counts(event).checked_in,
        "door counts by category": sum(c.checked_in for c in checkin_counts(event).categories),
        "registrants filter": len(listed),
        "registrants column": len(checked_in_ids([r.id for r in listed])),
        "csv": sum(row["checked_in"] == "yes" for row in csv_rows),
    }


def test_someone_checked_in_only_at_a_session_is_checked_in_everywhere(ctx):
    event = make_event()
    talk = make_session(event)
    person = make_registration(event)
    make_registration(event)  # not checked in anywhere
    check_in(
        badge_token(person, KEYS),
        keys=KEYS,
        staff_id=None,
        event_slug=event.slug,
        session_id=talk.id,
    )

    counted = _everywhere_checked_in(event)

    assert counted == dict.fromkeys(counted, 1)
    assert [s["checked_in"] for s in stats.registration_stats(event)["sessions"]] == []
    assert [(s.session.id, s.checked_in) for s in checkin_counts(event).sessions] == [(talk.id, 1)]


def test_someone_checked_in_at_the_door_and_a_session_counts_once_everywhere(ctx):
    event = make_event()
    talk = make_session(event, capacity=5)
    person = make_registration(event)
    db.session.add(SessionSignup(registration=person, session=talk))
    db.session.commit()
    token = badge_token(person, KEYS)
    check_in(token, keys=KEYS, staff_id=None, event_slug=event.slug)
    check_in(token, keys=KEYS, staff_id=None, event_slug=event.slug, session_id=talk.id)

    counted = _everywhere_checked_in(event)

    assert counted == dict.fromkeys(counted, 1)
    assert [s["checked_in"] for s in stats.registration_stats(event)["sessions"]] == [1]
    assert [s.checked_in for s in checkin_counts(event).sessions] == [1]
