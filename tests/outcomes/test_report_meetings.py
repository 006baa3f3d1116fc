"""The briefing report's "meetings by country pair" (#18): counted from the partnering
meetings held, left out where partnering did not run."""

from __future__ import annotations

from datetime import timedelta

from eventapp.builders.briefing import build_briefing_markdown
from eventapp.services.outcomes import report
from eventapp.services.partnering import meetings, requests
from eventapp.services.partnering.held import meetings_by_country_pair
from tests.factories import make_event
from tests.partnering.support import participant, partnering_event, session


def _meet(a, b, slot_id):
    meeting = requests.create_meeting(a, b, by=None)
    return meetings.place(meeting, slot_id)


def test_meetings_held_are_counted_by_country_pair(ctx):
    event = partnering_event()
    us1 = participant(event, "Example Orbital", "US", email="a@example.org")
    us2 = participant(event, "Example Launch", "US", email="b@example.org")
    kr1 = participant(event, "Example Uju", "KR", email="c@example.org")
    kr2 = participant(event, "Example Byeol", "KR", email="d@example.org")
    starts = event.starts_at + timedelta(hours=5)
    slots = session(event, tables=4, starts_at=starts, ends_at=starts + timedelta(hours=3)).slots
    _meet(us1, kr1, slots[0].id)
    _meet(us2, kr2, slots[0].id)
    _meet(us1, us2, slots[1].id)
    cancelled = _meet(kr1, kr2, slots[2].id)
    meetings.cancel(cancelled)
    _meet(us2, kr1, slots[3].id)  # placed in the last slot: not yet over below
    after_third = slots[2].ends_at + timedelta(minutes=1)

    pairs = meetings_by_country_pair(event.id, now=after_third)

    assert pairs == [("KR", "US", 2), ("US", "US", 1)]


def test_report_names_the_pairs_in_both_languages(ctx):
    event = partnering_event()
    us = participant(event, "Example Orbital", "US", email="a@example.org")
    kr = participant(event, "Example Uju", "KR", email="c@example.org")
    # A session in the past: its meetings are over.
    slot = session(event, starts_at=event.starts_at - timedelta(days=400)).slots[0]
    _meet(us, kr, slot.id)

    section = report.event_report(event)
    text = build_briefing_markdown(report.briefing([event])).decode()

    assert [(m.country_a, m.country_b, m.meetings) for m in section.meetings or ()] == [
        ("South Korea · 대한민국", "United States · 미국", 1)
    ]
    assert "| South Korea · 대한민국 | United States · 미국 | 1 |" in text


def test_report_leaves_meetings_out_where_partnering_did_not_run(ctx):
    event = make_event()

    section = report.event_report(event)

    assert section.meetings is None
    assert meetings_by_country_pair(event.id) is None
