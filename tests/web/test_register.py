"""The public registration form, end to end through the app."""

import re
from datetime import timedelta
from email import message_from_string
from email.policy import default

import pytest

from eventapp.models import OutboxMessage, Registration, RegistrationStatus, db, utcnow
from tests.cldr import country
from tests.factories import make_event, make_registration, make_session


def _event(app, **overrides):
    with app.app_context():
        event = make_event(**overrides)
        return event.slug, event.id


def _form(email="minji@example.org", **overrides):
    values = {
        "given_name": "Minji",
        "family_name": "Kim",
        "email": email,
        "organization_name": "Korea AeroSpace Administration",
        "job_title": "Director",
        "country": "KR",
        "category": "government",
        "consent": "y",
    }
    return values | overrides


def _registrations(app):
    with app.app_context():
        return db.session.scalars(db.select(Registration).order_by(Registration.id)).all()


def _mails(app, kind=None):
    with app.app_context():
        statement = db.select(OutboxMessage).order_by(OutboxMessage.id)
        if kind:
            statement = statement.where(OutboxMessage.kind == kind)
        return [message_from_string(m.raw, policy=default) for m in db.session.scalars(statement)]


def test_form_has_labelled_fields_autocomplete_countries_sessions_and_privacy_link(app, client):
    slug, event_id = _event(app)
    with app.app_context():
        make_session(db.session.get(type(make_event()), event_id), capacity=20, title="Panel A")

    html = client.get(f"/e/{slug}/register").get_data(as_text=True)

    assert '<label for="given_name">' in html
    assert 'autocomplete="given-name"' in html
    assert 'autocomplete="family-name"' in html
    assert 'type="email"' in html
    assert 'autocomplete="email"' in html
    assert 'maxlength="100"' not in html  # a browser would cut a pasted name silently
    assert f'<option value="KR">{country("KR")}</option>' in html
    assert len(re.findall(r'<option value="[A-Z]{2}">', html)) == 249
    assert "Panel A (20 seats left)" in html
    assert f'href="/e/{slug}/privacy"' in html
    assert 'name="consent"' in html
    # A double click registers once, not once and then "already registered".
    assert "data-submit-once" in html
    assert "/static/js/submit-once.js" in html


def test_form_lists_countries_in_korean_for_the_korean_interface(app, client):
    slug, _ = _event(app)
    client.set_cookie("lang", "ko")

    html = client.get(f"/e/{slug}/register").get_data(as_text=True)

    assert f'<option value="KR">{country("KR", "ko")}</option>' in html


def test_post_registers_and_redirects_to_confirmation_page(app, client):
    slug, _ = _event(app, capacity=10)

    response = client.post(f"/e/{slug}/register", data=_form())

    assert response.status_code == 302
    assert response.headers["Location"] == f"/e/{slug}/register/done"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Check your email" in page
    (registration,) = _registrations(app)
    assert (registration.email, registration.country, registration.category.value) == (
        "minji@example.org",
        "KR",
        "government",
    )
    assert registration.manage_token not in page  # the link travels by email only
    assert [m["To"].addresses[0].addr_spec for m in _mails(app)] == ["minji@example.org"]


def test_hangul_and_emoji_survive_form_database_email_and_manage_page(app, client):
    slug, _ = _event(app)
    data = _form(given_name="민지🛰️", family_name="김", name_alt="Minji Kim", job_title="연구원 ✨")

    client.post(f"/e/{slug}/register", data=data)

    (registration,) = _registrations(app)
    assert (registration.name, registration.job_title) == ("김민지🛰️", "연구원 ✨")
    (mail,) = _mails(app)
    assert mail["To"].addresses[0].display_name == "김민지🛰️"
    assert mail.get_body(("plain",)).get_content().startswith("Hello 김민지🛰️,")
    page = client.get(f"/me/{registration.manage_token}").get_data(as_text=True)
    assert '<dd lang="ko">김민지🛰️</dd>' in page
    assert "연구원 ✨" in page


def test_errors_are_shown_next_to_fields_and_input_is_kept(app, client):
    slug, _ = _event(app)

    response = client.post(
        f"/e/{slug}/register",
        data=_form(email="not-an-address", given_name="민지🚀", consent=""),
    )

    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'value="민지🚀"' in html
    assert 'value="not-an-address"' in html
    assert '<p class="error" id="email-error">Please enter a valid email address.</p>' in html
    assert 'aria-describedby="email-hint email-error"' in html
    assert "Please agree to the privacy notice to register." in html
    assert _registrations(app) == []


@pytest.mark.parametrize(
    "overrides",
    [
        {"given_name": "x" * 101},
        {"email": "a" * 250 + "@example.org"},
        {"dietary_needs": "y" * 1001},
        {"given_name": "Min\x00ji"},
        {"organization_name": "Evil\x1b[31m"},
        {"email": "민지@example.org"},
        {"country": "ZZ"},
        {"category": "staff"},
        {"sessions": "999999"},
        {"given_name": ""},
    ],
)
def test_malformed_or_overlong_input_is_refused_with_a_message(app, client, overrides):
    slug, _ = _event(app)

    response = client.post(f"/e/{slug}/register", data=_form(**overrides))

    assert response.status_code == 400
    assert 'class="error"' in response.get_data(as_text=True)
    assert _registrations(app) == []


def test_international_domain_is_stored_in_ascii(app, client):
    slug, _ = _event(app)

    client.post(f"/e/{slug}/register", data=_form(email="minji@우주.한국"))

    (registration,) = _registrations(app)
    assert registration.email == "minji@" + "우주.한국".encode("idna").decode("ascii")


def test_duplicate_email_does_not_register_twice_and_resends_the_link(app, client):
    slug, _ = _event(app)
    client.post(f"/e/{slug}/register", data=_form(email="minji@example.org"))

    response = client.post(f"/e/{slug}/register", data=_form(email=" MINJI@example.org "))

    assert response.headers["Location"] == f"/e/{slug}/register/done"
    page = client.get(f"/e/{slug}/register/done").get_data(as_text=True)
    assert "Check your email" in page
    (registration,) = _registrations(app)
    (resent,) = _mails(app, "manage_link")
    assert registration.manage_token in resent.get_body(("plain",)).get_content()


def test_full_event_waitlists_and_the_email_gives_the_position(app, client):
    slug, event_id = _event(app, capacity=1)
    with app.app_context():
        event = db.session.get(type(make_event()), event_id)
        make_registration(event)
        make_registration(event, status=RegistrationStatus.WAITLISTED, waitlisted_at=utcnow())

    client.post(f"/e/{slug}/register", data=_form())

    (notice,) = _mails(app, "waitlisted")
    assert "Your place on the waiting list: 2." in notice.get_body(("plain",)).get_content()


def _answer(app, slug, email):
    """What a stranger sees after submitting `email`: the POST's answer and the page after."""
    client = app.test_client()
    response = client.post(f"/e/{slug}/register", data=_form(email=email, given_name="Mallory"))
    done = client.get(response.headers["Location"])
    # The page shows the address as typed, and nothing else that depends on it.
    page = done.get_data(as_text=True).replace(email, "EMAIL")
    return response.status_code, response.headers["Location"], page


@pytest.mark.parametrize("status", [RegistrationStatus.CANCELLED, RegistrationStatus.CONFIRMED])
def test_the_answer_does_not_tell_whether_an_email_is_registered(app, status):
    slug, event_id = _event(app, capacity=10)
    with app.app_context():
        event = db.session.get(type(make_event()), event_id)
        taken = make_registration(event, email="taken@example.org", status=status)
        token = taken.manage_token

    assert _answer(app, slug, "taken@example.org") == _answer(app, slug, "new@example.org")
    with app.app_context():
        registration = db.session.scalars(
            db.select(Registration).where(Registration.email == "taken@example.org")
        ).one()
        # Not overwritten: the same person, status and link; the link went to the address.
        assert (registration.given_name, registration.status) == ("Jane", status)
    (resent,) = _mails(app, "manage_link")
    assert resent["To"].addresses[0].addr_spec == "taken@example.org"
    assert token in resent.get_body(("plain",)).get_content()


@pytest.mark.parametrize(
    ("window", "message"),
    [
        ({"registration_opens_at": utcnow() + timedelta(days=3)}, "Registration for"),
        ({"registration_closes_at": utcnow() - timedelta(days=1)}, "closed on"),
    ],
)
def test_closed_window_says_why_and_offers_no_form(app, client, window, message):
    slug, _ = _event(app, **window)

    for response in (client.get(f"/e/{slug}/register"), client.post(f"/e/{slug}/register")):
        html = response.get_data(as_text=True)
        assert "Registration is not open" in html
        assert message in html
        assert '<form method="post" class="form"' not in html
    assert _registrations(app) == []


def test_unpublished_event_has_no_registration(app, client):
    slug, _ = _event(app, is_published=False)

    assert client.get(f"/e/{slug}/register").status_code == 404
    assert client.post(f"/e/{slug}/register", data=_form()).status_code == 404


def test_done_page_without_a_registration_goes_back_to_the_form(app, client):
    slug, _ = _event(app)

    response = client.get(f"/e/{slug}/register/done")

    assert response.headers["Location"] == f"/e/{slug}/register"


def test_privacy_notice_page(app, client):
    slug, _ = _event(app)

    response = client.get(f"/e/{slug}/privacy")

    assert response.status_code == 200
    assert "<h1>Privacy notice</h1>" in response.get_data(as_text=True)


def test_post_without_csrf_token_is_refused(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    slug, _ = _event(app)
    client = app.test_client()

    response = client.post(f"/e/{slug}/register", data=_form())

    assert response.status_code == 400
    assert _registrations(app) == []


def test_post_with_csrf_token_from_the_form_works(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    slug, _ = _event(app)
    client = app.test_client()
    html = client.get(f"/e/{slug}/register").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)

    response = client.post(f"/e/{slug}/register", data=_form(csrf_token=token))

    assert response.status_code == 302
    assert len(_registrations(app)) == 1


def test_registration_post_is_rate_limited(make_app):
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="memory://")
    slug, _ = _event(app)
    client = app.test_client()

    codes = [
        client.post(f"/e/{slug}/register", data=_form(email=f"p{i}@example.org")).status_code
        for i in range(11)
    ]

    assert codes == [302] * 10 + [429]
    assert client.get(f"/e/{slug}/register").status_code == 200  # GET is not limited
    assert len(_registrations(app)) == 10


def test_registration_in_the_korean_interface_gets_korean_mail(app, client):
    slug, _ = _event(app)
    client.set_cookie("lang", "ko")

    client.post(f"/e/{slug}/register", data=_form(name_alt="김민지"))

    (registration,) = _registrations(app)
    assert registration.locale == "ko"
    (mail,) = _mails(app)
    html = mail.get_body(("html",)).get_content()
    assert '<html lang="ko">' in html
    assert "김민지" in mail.get_body(("plain",)).get_content().splitlines()[0]


@pytest.mark.parametrize(("language", "first"), [("ko", "family_name"), ("en", "given_name")])
def test_the_name_fields_follow_the_order_names_are_written_in(app, client, language, first):
    slug, _id = _event(app)
    html = client.get(f"/e/{slug}/register", headers={"Accept-Language": language}).get_data(
        as_text=True
    )

    order = sorted(("given_name", "family_name"), key=lambda name: html.index(f'for="{name}"'))
    assert order[0] == first


def test_an_overlong_name_is_refused_with_a_message_and_kept(app, client):
    slug, _ = _event(app)
    long_name = "Minji " + "가" * 100

    response = client.post(f"/e/{slug}/register", data=_form(given_name=long_name))

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="given_name-error"' in page
    assert "At most 100 characters, please (this has more)." in page
    assert f'value="{long_name}"' in page
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Registration.id))) == 0
