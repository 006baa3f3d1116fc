"""Simultaneous placements on PostgreSQL: no table and no person twice in one slot."""

import threading
from collections import Counter

import pytest

from eventapp.errors import PartneringRefused
from eventapp.models import Meeting, MeetingPerson, db
from eventapp.services.partnering import meetings, requests
from tests.partnering.support import participant, partnering_event, session

THREADS = 24
TABLES = 5


def _race(app, meeting_ids: list[int], slot_id: int) -> Counter:
    outcomes: Counter = Counter()
    errors: list[BaseException] = []
    lock = threading.Lock()
    barrier = threading.Barrier(len(meeting_ids))

    def place(meeting_id: int) -> None:
        with app.app_context():
            try:
                barrier.wait(timeout=10)
                meetings.place(db.session.get(Meeting, meeting_id), slot_id)
                result = "placed"
            except PartneringRefused as refused:
                result = refused.code
            except BaseException as error:
                errors.append(error)
                return
            finally:
                db.session.remove()
            with lock:
                outcomes[result] += 1

    threads = [threading.Thread(target=place, args=(m,)) for m in meeting_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    return outcomes


def _check_no_double_booking(app, slot_id: int) -> None:
    with app.app_context():
        placed = db.session.scalars(db.select(Meeting).where(Meeting.slot_id == slot_id)).all()
        assert len({m.table_id for m in placed}) == len(placed)
        people = db.session.scalars(
            db.select(MeetingPerson.participant_id).where(MeetingPerson.slot_id == slot_id)
        ).all()
        assert len(set(people)) == len(people)


@pytest.mark.postgres
def test_24_acceptances_at_once_fill_the_tables_and_no_more(app):
    with app.app_context():
        event = partnering_event()
        slot_id = session(event, tables=TABLES).slots[0].id
        ids = []
        for n in range(THREADS):
            a = participant(event, f"Example US {n}", "US")
            b = participant(event, f"Example KR {n}", "KR")
            request = requests.send_request(a, b.id)
            requests.respond(b, request.id, accept=True)
            ids.append(
                db.session.scalar(db.select(Meeting.id).where(Meeting.request_id == request.id))
            )
    outcomes = _race(app, ids, slot_id)
    assert outcomes == {"placed": TABLES, "no_table": THREADS - TABLES}
    _check_no_double_booking(app, slot_id)


@pytest.mark.postgres
def test_one_person_in_many_meetings_at_once_gets_one_slot(app):
    with app.app_context():
        event = partnering_event(request_limit=50)
        slot_id = session(event, tables=THREADS).slots[0].id
        star = participant(event, "Example Star", "KR")
        ids = []
        for n in range(THREADS):
            other = participant(event, f"Example Fan {n}", "US")
            request = requests.send_request(other, star.id)
            requests.respond(star, request.id, accept=True)
            ids.append(
                db.session.scalar(db.select(Meeting.id).where(Meeting.request_id == request.id))
            )
    outcomes = _race(app, ids, slot_id)
    assert outcomes == {"placed": 1, "slot_not_free": THREADS - 1}
    _check_no_double_booking(app, slot_id)
