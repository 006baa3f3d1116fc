"""Opting in to partnering from the public registration form (#16), and the form's hot
path: with partnering off, no statement of its own reads the partnering settings."""

from sqlalchemy import event as sa_event

from eventapp.models import Participant, Registration, RegistrationStatus, db
from eventapp.services.partnering import profiles
from tests.factories import make_event
from tests.partnering.support import partnering_event


def _form(email, **overrides):
    values = {
        "given_name": "Minji",
        "family_name": "Kim",
        "email": email,
        "organization_name": "Example Orbital KR",
        "job_title": "Director",
        "country": "KR",
        "category": "industry",
        "consent": "y",
    }
    return values | overrides


def _statements(app, client, method, url, **kwargs):
    with app.app_context():
        engine = db.engine
    seen: list[str] = []

    def record(conn, cursor, statement, *args):
        seen.append(statement)

    sa_event.listen(engine, "before_cursor_execute", record)
    try:
        response = getattr(client, method)(url, **kwargs)
    finally:
        sa_event.remove(engine, "before_cursor_execute", record)
    return response, seen


def _participants(app):
    with app.app_context():
        rows = db.session.scalars(db.select(Participant)).all()
        return [(p.registration.email, p.organization.name, p.role_line) for p in rows]


def test_the_form_offers_partnering_only_when_it_is_on(app, client):
    with app.app_context():
        on, off = partnering_event().slug, make_event().slug
    assert 'name="partnering"' in client.get(f"/e/{on}/register").get_data(as_text=True)
    assert 'name="partnering"' not in client.get(f"/e/{off}/register").get_data(as_text=True)


def test_opting_in_on_the_form_lists_the_person_and_colleagues_share_a_profile(app, client):
    with app.app_context():
        slug = partnering_event().slug
    first = client.post(f"/e/{slug}/register", data=_form("a@example.org", partnering="y"))
    second = client.post(
        f"/e/{slug}/register",
        data=_form("b@example.org", organization_name="example orbital kr", partnering="y"),
    )
    client.post(f"/e/{slug}/register", data=_form("c@example.org"))  # not ticked

    assert (first.status_code, second.status_code) == (302, 302)
    found = sorted(_participants(app))
    assert found == [
        ("a@example.org", "Example Orbital KR", "Director"),
        ("b@example.org", "Example Orbital KR", "Director"),
    ]
    with app.app_context():
        a, b = db.session.scalars(db.select(Participant).order_by(Participant.id)).all()
        assert a.organization_id == b.organization_id
        assert a.organization.country == "KR"
        # The first to create the profile may edit it.
        assert profiles.can_edit(a.organization, a)
        assert not profiles.can_edit(b.organization, b)


def test_ticking_partnering_without_an_organization_is_an_error_next_to_it(app, client):
    with app.app_context():
        slug = partnering_event().slug
    response = client.post(
        f"/e/{slug}/register",
        data=_form("a@example.org", organization_name="", partnering="y"),
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="partnering-error"' in html
    assert 'value="a@example.org"' in html
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Registration.id))) == 0


def test_a_waitlisted_registrant_is_not_listed_yet(app, client):
    with app.app_context():
        event = partnering_event()
        event.capacity = 0
        db.session.commit()
        slug = event.slug
    client.post(f"/e/{slug}/register", data=_form("a@example.org", partnering="y"))
    with app.app_context():
        registration = db.session.scalars(db.select(Registration)).one()
        assert registration.status is not RegistrationStatus.CONFIRMED
    assert _participants(app) == []


def test_with_partnering_off_the_form_reads_no_partnering_table_of_its_own(app, client):
    with app.app_context():
        slug = make_event().slug
    page, on_get = _statements(app, client, "get", f"/e/{slug}/register")
    done, on_post = _statements(
        app, client, "post", f"/e/{slug}/register", data=_form("a@example.org", partnering="y")
    )

    assert (page.status_code, done.status_code) == (200, 302)
    for statements in (on_get, on_post):
        own = [s for s in statements if "partnering" in s and "FROM events" not in s]
        assert own == []
    assert _participants(app) == []
