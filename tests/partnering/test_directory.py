"""The directory's order, reasons and filters."""

from flask_babel import force_locale

from eventapp.models import TagDirection
from eventapp.services.partnering import profiles
from eventapp.services.partnering.directory import Filters, directory
from tests.partnering.support import participant, partnering_event


def test_best_counterparts_first_with_the_reasons(ctx):
    event = partnering_event()
    me = participant(
        event, "Example Ground KR", "KR", offers=("ground-segment",), seeks=("launch",)
    )
    both = participant(
        event, "Example Launch US", "US", offers=("launch",), seeks=("ground-segment",)
    )
    one = participant(event, "Example Orbit US", "US", offers=("launch",))
    participant(event, "Example Nothing US", "US")
    entries = directory(event, me)
    assert [e.organization.name for e in entries] == [
        "Example Launch US",
        "Example Orbit US",
        "Example Nothing US",
    ]
    assert [e.score for e in entries] == [2, 1, 0]
    with force_locale("en"):
        assert [r.text("en") for r in entries[0].reasons] == [
            "offers Launch, which you seek",
            "seeks Ground segment, which you offer",
        ]
    assert me.organization_id not in {e.organization.id for e in entries}
    assert both.id in {p.id for p in entries[0].delegates}
    assert one.organization.country == "US"


def test_cross_country_first_when_the_organizers_choose_so(ctx):
    event = partnering_event(cross_country_first=True)
    me = participant(event, "Example Home", "KR", seeks=("launch",))
    participant(event, "Example Same Country", "KR", offers=("launch",))
    participant(event, "Example Abroad", "US")
    names = [e.organization.name for e in directory(event, me)]
    assert names == ["Example Abroad", "Example Same Country"]
    profiles.configure(event, by=None, enabled=True, cross_country_first=False)
    names = [e.organization.name for e in directory(event, me)]
    assert names == ["Example Same Country", "Example Abroad"]


def test_filters_by_country_tag_and_text_in_both_languages(ctx):
    event = partnering_event()
    sat = participant(event, "Example Sat", "KR", offers=("satellites",))
    profiles.update_organization(
        event,
        sat.organization,
        profiles.OrganizationDetails("Example Sat", name_ko="예시 위성", country="KR"),
        offers=("satellites",),
        seeks=("launch",),
        participant=sat,
    )
    participant(event, "Example Launch", "US", offers=("launch",))
    withdrawn = participant(event, "Example Gone", "US")
    profiles.withdraw(withdrawn)

    def names(**filters):
        return [e.organization.name for e in directory(event, None, Filters(**filters))]

    assert names() == ["Example Launch", "Example Sat"]
    assert names(country="kr") == ["Example Sat"]
    assert names(tag="launch", direction=TagDirection.OFFERS) == ["Example Launch"]
    assert names(tag="launch", direction=TagDirection.SEEKS) == ["Example Sat"]
    assert names(tag="launch") == ["Example Launch", "Example Sat"]
    assert names(text="위성") == ["Example Sat"]
    assert names(text="발사") == ["Example Launch", "Example Sat"]  # the tag's Korean name
    assert names(text="gone") == []


def test_the_directory_costs_the_same_statements_for_few_or_many_delegates(ctx):
    from sqlalchemy import event as sqlalchemy_event

    from eventapp.models import db

    event = partnering_event()

    def statements() -> int:
        db.session.expire_all()  # nothing already loaded
        seen = []

        def record(*_args, **_kwargs):
            seen.append(1)

        sqlalchemy_event.listen(db.engine, "before_cursor_execute", record)
        try:
            directory(event, None)
        finally:
            sqlalchemy_event.remove(db.engine, "before_cursor_execute", record)
        return len(seen)

    for n in range(2):
        participant(event, org=f"Example Few {n}")
    few = statements()
    for n in range(10):
        participant(event, org=f"Example Many {n}")

    assert statements() == few
