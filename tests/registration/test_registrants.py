import csv
import io
from datetime import UTC, datetime, timedelta

import pytest

from eventapp.errors import DuplicateName
from eventapp.models import Category, RegistrationStatus, SessionSignup, db
from eventapp.models.checkin import Attendance
from eventapp.services.registration import PersonDetails, register, registrants
from eventapp.services.registration.registrants import RegistrantFilter
from eventapp.services.reports import stats
from tests.factories import (
    SEOUL_MORNING,
    make_event,
    make_registration,
    make_registration_data,
    make_session,
)

NOW = SEOUL_MORNING - timedelta(days=10)


def _ids(event, **filters):
    statement = registrants.registrants_statement(event, RegistrantFilter(**filters))
    return sorted(r.id for r in db.session.scalars(statement))


def _check_in(registration):
    db.session.add(Attendance(event_id=registration.event_id, registration_id=registration.id))
    db.session.commit()


@pytest.fixture
def people(ctx):
    event = make_event()
    kim = make_registration(
        event,
        given_name="Minji",
        family_name="Kim",
        name_alt="김민지",
        organization_name="한국항공우주연구원",
        country="KR",
        category=Category.GOVERNMENT,
    )
    doe = make_registration(event, organization_name="100% Space Co.", country="US")
    waiting = make_registration(event, status=RegistrationStatus.WAITLISTED, country="US")
    make_registration(make_event(), given_name="Minji")  # another event: never listed
    _check_in(doe)
    return event, kim, doe, waiting


def test_filters_by_each_criterion(people):
    event, kim, doe, waiting = people

    assert _ids(event) == sorted([kim.id, doe.id, waiting.id])
    assert _ids(event, status=RegistrationStatus.WAITLISTED) == [waiting.id]
    assert _ids(event, category=Category.GOVERNMENT) == [kim.id]
    assert _ids(event, country="us") == sorted([doe.id, waiting.id])
    assert _ids(event, organization="항공우주") == [kim.id]
    assert _ids(event, checked_in=True) == [doe.id]
    assert _ids(event, checked_in=False) == sorted([kim.id, waiting.id])


def test_search_matches_names_in_any_script_and_treats_wildcards_literally(people):
    event, kim, doe, _ = people

    assert _ids(event, query="김민") == [kim.id]
    assert _ids(event, query="MINJI") == [kim.id]
    assert _ids(event, query="100%") == [doe.id]
    assert _ids(event, query="_") == []


def test_export_csv_is_utf8_with_bom_and_parses_back(people):
    event, kim, doe, _ = people

    data = registrants.export_csv(event, RegistrantFilter(status=RegistrationStatus.CONFIRMED))

    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    by_id = {int(row["id"]): row for row in rows}
    assert sorted(by_id) == sorted([kim.id, doe.id])
    assert by_id[kim.id]["name_alt"] == "김민지"
    assert by_id[kim.id]["organization_name"] == "한국항공우주연구원"
    assert (by_id[kim.id]["checked_in"], by_id[doe.id]["checked_in"]) == ("no", "yes")


def test_export_csv_defuses_spreadsheet_formulas(ctx):
    event = make_event()
    make_registration(event, given_name='=HYPERLINK("http://evil")', job_title="+1 dial")

    rows = list(
        csv.reader(
            io.StringIO(registrants.export_csv(event, RegistrantFilter()).decode("utf-8-sig"))
        )
    )

    header, row = rows
    assert row[header.index("given_name")] == '\'=HYPERLINK("http://evil")'
    assert row[header.index("job_title")] == "'+1 dial"


def test_dashboard_counts_and_fills_days_without_registrations(ctx):
    event = make_event(capacity=100)
    # Days in Seoul: 1 Nov (two, one of them late evening UTC on 31 Oct), 3 Nov (one).
    for when in [
        datetime(2023, 10, 31, 16, 0, tzinfo=UTC),
        datetime(2023, 11, 1, 3, 0, tzinfo=UTC),
        datetime(2023, 11, 3, 3, 0, tzinfo=UTC),
    ]:
        make_registration(event, created_at=when)
    make_registration(
        event, status=RegistrationStatus.CANCELLED, created_at=datetime(2023, 11, 3, 4, tzinfo=UTC)
    )

    board = stats.dashboard(event)

    assert board.by_status == {
        "confirmed": 3,
        "waitlisted": 0,
        "cancelled": 1,
        "pending": 0,
        "declined": 0,
    }
    assert board.total == 4
    assert board.capacity == 100
    assert [(d.day.isoformat(), d.count, d.total) for d in board.days] == [
        ("2023-11-01", 2, 2),
        ("2023-11-02", 0, 2),
        ("2023-11-03", 2, 4),
    ]


def test_chart_bars_scale_to_the_busiest_day(ctx):
    days = [
        stats.DayCount(day=datetime(2023, 11, d, tzinfo=UTC).date(), count=c, total=0)
        for d, c in [(1, 4), (2, 0), (3, 2)]
    ]

    bars = stats.chart_bars(days, width=300, height=100)

    assert [b.height for b in bars] == [100, 0, 50]
    assert [b.y for b in bars] == [0, 100, 50]
    assert bars[1].x == pytest.approx(300 / 14 * 1.1, abs=0.01)  # at least 14 slots


def test_one_day_of_registrations_is_a_bar_not_a_slab(ctx):
    day = stats.DayCount(day=datetime(2023, 11, 1, tzinfo=UTC).date(), count=7, total=7)

    (bar,) = stats.chart_bars([day], width=640, height=200)

    assert bar.width == pytest.approx(640 / 14 * 0.8, abs=0.01)
    assert bar.height == 200


def test_update_registrant_refuses_another_registrants_email(ctx):
    event = make_event()
    make_registration(event, email="taken@example.org")
    person = make_registration(event)
    data = registrants.RegistrantData(
        email=" Taken@Example.org ", details=PersonDetails(given_name="Jane")
    )

    with pytest.raises(DuplicateName):
        registrants.update_registrant(person, data, by=None)


def test_update_registrant_normalizes_email_and_keeps_hangul(ctx):
    person = make_registration(make_event())
    data = registrants.RegistrantData(
        email=" New@Example.ORG ",
        details=PersonDetails(given_name="민지", family_name="김", category=Category.PRESS),
    )

    registrants.update_registrant(person, data, by=None)

    db.session.expire_all()
    assert (person.email, person.name, person.category) == (
        "new@example.org",
        "김민지",
        Category.PRESS,
    )


def test_dashboard_counts_session_sign_ups_of_live_registrations(ctx):
    event = make_event()
    workshop = make_session(event, capacity=2)
    make_session(event)  # open to all: not listed
    for status, registration_status in [
        (RegistrationStatus.CONFIRMED, RegistrationStatus.CONFIRMED),
        (RegistrationStatus.WAITLISTED, RegistrationStatus.CONFIRMED),
        (RegistrationStatus.CONFIRMED, RegistrationStatus.CANCELLED),
    ]:
        person = make_registration(event, status=registration_status)
        db.session.add(SessionSignup(registration=person, session=workshop, status=status))
    db.session.commit()

    rows = stats.dashboard(event).sessions

    assert [(r.session.id, r.confirmed, r.waitlisted) for r in rows] == [(workshop.id, 1, 1)]


def test_resend_refuses_a_cancelled_registration_and_queues_nothing(ctx):
    from eventapp.errors import InvalidInput
    from eventapp.models import OutboxMessage

    person = make_registration(make_event(), status=RegistrationStatus.CANCELLED)

    with pytest.raises(InvalidInput):
        registrants.resend_confirmation(person, by=None)

    assert db.session.scalar(db.select(db.func.count(OutboxMessage.id))) == 0


def test_resend_to_a_waiting_person_tells_their_place(ctx):
    from eventapp.models import OutboxMessage

    event = make_event(capacity=0)
    person = make_registration(
        event, status=RegistrationStatus.WAITLISTED, waitlisted_at=datetime(2023, 11, 1, tzinfo=UTC)
    )

    registrants.resend_confirmation(person, by=None)

    message = db.session.scalars(db.select(OutboxMessage)).one()
    assert (message.kind, message.to_address) == ("waitlisted", person.email)


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("minji", "romanized"),
        ("INJ", "romanized"),
        ("MINJI KIM", "romanized"),
        ("kim minji", "romanized"),
        ("민지", "both"),
        ("김민", "both"),
        ("김민지", "both"),
        ("김 민지", "both"),
    ],
)
def test_search_finds_a_person_by_any_part_of_the_name_in_either_script(ctx, query, found):
    event = make_event()
    romanized = make_registration(event, given_name="Minji", family_name="Kim", name_alt="김민지")
    hangul = make_registration(event, given_name="민지", family_name="김", name_alt=None)
    make_registration(event, given_name="Jane", family_name="Doe")
    expected = {"romanized": [romanized.id], "both": sorted([romanized.id, hangul.id])}

    assert _ids(event, query=query) == expected[found]


def test_export_csv_has_seats_and_waiting_list_places(ctx):
    # Caterers need the reception list: who holds a seat, who waits and where.
    event = make_event(capacity=1)
    reception = make_session(event, title="Reception", capacity=1)
    seated = register(event, make_registration_data(session_ids=[reception.id]), now=NOW)
    waiting = register(event, make_registration_data(session_ids=[reception.id]), now=NOW)

    data = registrants.export_csv(event, RegistrantFilter())

    rows = {int(r["id"]): r for r in csv.DictReader(io.StringIO(data.decode("utf-8-sig")))}
    first, second = rows[seated.registration.id], rows[waiting.registration.id]
    assert (first["sessions"], first["waitlist_position"]) == ("Reception (seat)", "")
    assert second["sessions"] == "Reception (waiting list 1)"
    assert second["waitlist_position"] == "1"
