"""The organizers' scheduler pages, the door of a table and the participant's PDF."""

from __future__ import annotations

import re

import pypdfium2
import pytest

from eventapp.models import (
    Meeting,
    MeetingOutcome,
    Role,
    RunStatus,
    SchedulerRun,
    db,
)
from eventapp.services.partnering import held, manual, publish, runs
from tests.conftest import ON_POSTGRES
from tests.partnering.workflow_support import invitations, world


def _pdf_text(data: bytes) -> str:
    document = pypdfium2.PdfDocument(data)
    try:
        texts = []
        for page in document:
            text_page = page.get_textpage()
            texts.append(text_page.get_text_range())
            text_page.close()
            page.close()
        return "\n".join(texts)
    finally:
        document.close()


def test_run_review_and_publish_from_the_pages(app, client, login_as):
    with app.app_context():
        event, _made, people, _ = world()
        slug, first = event.slug, people[0].registration.id
    login_as(Role.ORGANIZER)

    started = client.post(f"/admin/events/{slug}/partnering/scheduler")
    review = client.get(started.headers["Location"])

    page = review.get_data(as_text=True)
    assert review.status_code == 200
    assert re.search(r'stats__n">2</span> / 2 meetings placed', page)
    assert "Publishing writes to 4 people whose meetings changed" in page
    with app.app_context():
        assert db.session.scalar(db.select(Meeting).where(Meeting.slot_id.is_not(None))) is None
        run_id = db.session.scalar(db.select(SchedulerRun.id))
    published = client.post(f"/admin/events/{slug}/partnering/scheduler/runs/{run_id}/publish")
    assert published.headers["Location"].endswith(f"/admin/events/{slug}/partnering/matrix")
    matrix = client.get(published.headers["Location"]).get_data(as_text=True)
    assert "Ann0 Lee · Min0 Kim" in matrix
    with app.app_context():
        registration = people[0].registration.__class__
        assert [m for m, _s, _u in invitations(db.session.get(registration, first))] == ["REQUEST"]


def test_a_running_run_shows_its_progress_and_refreshes(app, client, login_as):
    with app.app_context():
        event, *_ = world(pairs=1)
        run = runs.start_run(event, by=None, time_limit=30)
        slug, run_id = event.slug, run.id
    login_as(Role.ORGANIZER)

    page = client.get(f"/admin/events/{slug}/partnering/scheduler/runs/{run_id}").get_data(
        as_text=True
    )

    assert '<meta http-equiv="refresh" content="2">' in page
    assert "<progress max=" in page
    assert "of at most 30 seconds" in page


def test_checking_a_move_shows_the_conflict_and_saving_it_is_refused(app, client, login_as):
    with app.app_context():
        event, made, _people, found = world()
        manual.place_at(found[0], made.slots[0], made.tables[0], by=None)
        slug, second = event.slug, found[1].id
        cell = f"{made.slots[0].id}:{made.tables[0].id}"
    login_as(Role.ORGANIZER)

    check = client.get(f"/admin/events/{slug}/partnering/meetings/{second}?cell={cell}")
    saved = client.post(
        f"/admin/events/{slug}/partnering/meetings/{second}/place",
        data={"cell": cell, "pinned": "y"},
    )

    assert "Table 1 is taken at 14:00 by Ann0 Lee and Min0 Kim." in check.get_data(as_text=True)
    assert saved.status_code == 400
    assert "Table 1 is taken at 14:00 by Ann0 Lee and Min0 Kim." in saved.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Meeting, second).slot_id is None


def test_placing_by_hand_from_the_meeting_page_pins_it(app, client, login_as):
    with app.app_context():
        event, made, _people, found = world()
        slug, meeting_id = event.slug, found[0].id
        cell = f"{made.slots[1].id}:{made.tables[1].id}"
    login_as(Role.ORGANIZER)

    saved = client.post(
        f"/admin/events/{slug}/partnering/meetings/{meeting_id}/place",
        data={"cell": cell, "pinned": "y"},
    )

    assert saved.status_code == 302
    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        assert (meeting.slot_id, meeting.table_id, meeting.pinned) == (
            made.slots[1].id,
            made.tables[1].id,
            True,
        )


def test_door_staff_mark_a_meeting_held_at_its_table(app, client, login_as):
    with app.app_context():
        event, made, _people, found = world(pairs=1)
        manual.place_at(found[0], made.slots[0], made.tables[0], by=None)
        slug, table_id, meeting_id = event.slug, made.tables[0].id, found[0].id
    login_as(Role.CHECKIN)

    page = client.get(f"/checkin/{slug}/partnering/tables/{table_id}")
    marked = client.post(
        f"/checkin/{slug}/partnering/meetings/{meeting_id}/outcome", data={"outcome": "held"}
    )

    assert "Ann0 Lee" in page.get_data(as_text=True)
    assert marked.headers["Location"].endswith(f"/checkin/{slug}/partnering/tables/{table_id}")
    with app.app_context():
        assert db.session.get(Meeting, meeting_id).outcome is MeetingOutcome.HELD


def test_the_dashboard_counts_meetings_by_country_pair(app, client, login_as):
    with app.app_context():
        event, _made, _people, found = world()
        publish.publish(runs.execute(runs.start_run(event, by=None, time_limit=2).id), by=None)
        # Both slots are over: the one marked a no-show is not held, the unmarked one is.
        held.mark(db.session.get(Meeting, found[0].id), MeetingOutcome.NO_SHOW, by=None)
        slug = event.slug
    login_as(Role.ORGANIZER)

    page = client.get(f"/admin/events/{slug}/").get_data(as_text=True)

    assert "Partnering meetings by country pair" in page
    row = re.search(r'<th scope="row">KR–US</th>((?:<td>\d+</td>){4})', page)  # noqa: RUF001
    assert row is not None
    assert re.findall(r"\d+", row.group(1)) == ["2", "2", "2", "1"]


def test_the_schedule_pdf_lists_meetings_with_hangul_as_text(app, client):
    with app.app_context():
        _event, made, people, found = world(pairs=1)
        kr = people[1].registration
        kr.name_alt, kr.locale = "김민", "ko"
        people[1].organization.name_ko = "예시 위성"
        db.session.commit()
        manual.place_at(found[0], made.slots[1], made.tables[1], by=None)
        us_token, kr_token = people[0].registration.manage_token, kr.manage_token

    manage = client.get(f"/me/{us_token}").get_data(as_text=True)
    pdf = client.get(f"/me/{us_token}/partnering/schedule.pdf")
    korean = client.get(f"/me/{kr_token}/partnering/schedule.pdf")

    assert f"/me/{us_token}/partnering/schedule.pdf" in manage
    assert pdf.mimetype == "application/pdf"
    text = _pdf_text(pdf.data)
    assert "Min0 Kim (김민)" in text
    assert "예시 위성" in text
    assert "14:25" in text
    assert "Table 2" in text
    assert "테이블 2" in _pdf_text(korean.data)


def test_someone_outside_partnering_has_no_schedule_pdf(app, client):
    from tests.factories import make_event, make_registration

    with app.app_context():
        token = make_registration(make_event()).manage_token
    assert client.get(f"/me/{token}/partnering/schedule.pdf").status_code == 404


@pytest.mark.postgres
def test_a_background_run_finishes_on_its_own(make_app):
    app = make_app(PARTNERING_RUN_INLINE=False, PARTNERING_TIME_LIMIT=2)
    with app.app_context():
        event, *_ = world()
        run = runs.start_run(event, by=None, time_limit=2)
        run_id = run.id
        runs.run_in_background(app, run_id).join(timeout=60)
        db.session.expire_all()
        assert db.session.get(SchedulerRun, run_id).status is RunStatus.DONE
    assert ON_POSTGRES
