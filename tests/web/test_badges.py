import io
import re
from datetime import UTC, datetime
from xml.etree import ElementTree

import pytest
from PIL import Image

from eventapp.models import Category, Registration, RegistrationStatus, Role, db
from eventapp.services.checkin.badges import BadgeKeys, badge_token
from tests.builders.badge_samples import decode_all, pdf_pages, pdf_text
from tests.conftest import PASSWORD
from tests.factories import make_account, make_event, make_registration
from tests.web.test_public import parse

KEYS = BadgeKeys.from_secrets("test-secret-key")


def _registration(app, **overrides):
    with app.app_context():
        event = make_event(slug=overrides.pop("slug", None) or f"ev-{id(overrides)}")
        registration = make_registration(event, **overrides)
        return registration.manage_token, badge_token(registration, KEYS)


def test_badge_png_is_private_and_decodes_to_the_badge_token(app, client):
    manage, token = _registration(app)

    response = client.get(f"/me/{manage}/badge.png")

    assert response.status_code == 200
    assert response.mimetype == "image/png"
    assert response.headers["Cache-Control"] == "private, no-store"
    assert decode_all(Image.open(io.BytesIO(response.data))) == [token]


def test_badge_pdf_decodes_and_has_the_hangul_name(app, client):
    manage, token = _registration(app, given_name="Minji", family_name="Kim", name_alt="김민지")

    response = client.get(f"/me/{manage}/badge.pdf")

    assert response.mimetype == "application/pdf"
    assert decode_all(pdf_pages(response.data)[0]) == [token]
    assert "김민지" in pdf_text(response.data)[0].splitlines()


def test_badge_svg_has_the_name_and_its_own_font_policy(app, client):
    manage, _token = _registration(app, given_name="Minji", family_name="Kim")

    response = client.get(f"/me/{manage}/badge.svg")

    root = ElementTree.fromstring(response.data)  # noqa: S314 - our own output
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert response.mimetype == "image/svg+xml"
    assert "Minji Kim" in texts
    assert "font-src 'self'" in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize("status", [RegistrationStatus.WAITLISTED, RegistrationStatus.CANCELLED])
@pytest.mark.parametrize("kind", ["png", "svg", "pdf"])
def test_badge_for_unconfirmed_registration_is_a_clear_404_page(app, client, status, kind):
    manage, _token = _registration(app, status=status)

    response = client.get(f"/me/{manage}/badge.{kind}")

    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert "Badge not available" in response.get_data(as_text=True)


def test_badge_with_unknown_manage_token_is_404(client):
    assert client.get("/me/" + "x" * 43 + "/badge.png").status_code == 404


def test_batch_badges_pdf_for_organizer_is_sorted_and_filtered(app, client, login_as):
    with app.app_context():
        event = make_event(slug="forum")
        zed = make_registration(event, family_name="Zhou", category=Category.PRESS)
        amy = make_registration(event, family_name="Adams")
        make_registration(event, family_name="Baker", status=RegistrationStatus.WAITLISTED)
        tokens = {"zhou": badge_token(zed, KEYS), "adams": badge_token(amy, KEYS)}
    login_as(Role.ORGANIZER)

    everyone = client.get("/admin/events/forum/badges.pdf")
    press = client.get("/admin/events/forum/badges.pdf?category=press&layout=a4")

    assert everyone.status_code == 200
    assert "attachment" in everyone.headers["Content-Disposition"]
    assert [decode_all(page) for page in pdf_pages(everyone.data)] == [
        [tokens["adams"]],
        [tokens["zhou"]],
    ]
    assert [decode_all(page) for page in pdf_pages(press.data)] == [[tokens["zhou"]]]


def test_batch_badges_pdf_refuses_checkin_staff(app, client, login_as):
    with app.app_context():
        make_event(slug="forum")
    login_as(Role.CHECKIN)

    assert client.get("/admin/events/forum/badges.pdf").status_code == 403


def test_batch_badges_pdf_needs_login(app, client):
    with app.app_context():
        make_event(slug="forum")

    response = client.get("/admin/events/forum/badges.pdf")

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_batch_badges_can_be_only_the_people_confirmed_since_a_first_print_run(
    app, client, login_as
):
    with app.app_context():
        event = make_event(slug="forum")  # in Seoul
        make_registration(event, confirmed_at=datetime(2023, 11, 6, 9, 0, tzinfo=UTC))
        late = make_registration(event, confirmed_at=datetime(2023, 11, 7, 9, 0, tzinfo=UTC))
        token = badge_token(late, KEYS)
    login_as(Role.ORGANIZER)

    response = client.get("/admin/events/forum/badges.pdf?since=2023-11-07T12:00")
    page = client.get("/admin/events/forum/badges").get_data(as_text=True)

    assert response.status_code == 200
    assert response.headers["X-Badge-Count"] == "1"
    assert [decode_all(p) for p in pdf_pages(response.data)] == [[token]]
    assert 'type="datetime-local" id="since" name="since"' in page


@pytest.mark.parametrize(
    "query", ["category=vip", "layout=letter", "since=yesterday", "since=2023-11-07T12:00%2B09:00"]
)
def test_batch_badges_pdf_bad_parameters_are_400(app, client, query, login_as):
    with app.app_context():
        make_event(slug="forum")
    login_as(Role.ORGANIZER)

    assert client.get(f"/admin/events/forum/badges.pdf?{query}").status_code == 400


def test_badges_command_writes_the_batch_pdf(app, runner, tmp_path):
    with app.app_context():
        event = make_event(slug="forum")
        token = badge_token(make_registration(event, category=Category.SPEAKER), KEYS)
        make_registration(event, category=Category.PRESS)
    output = tmp_path / "badges.pdf"

    result = runner.invoke(args=["badges", "forum", "-o", str(output), "--category", "speaker"])

    assert result.exit_code == 0, result.output
    assert "Wrote 1 badges" in result.output
    assert [decode_all(page) for page in pdf_pages(output.read_bytes())] == [[token]]


def test_badges_command_unknown_event_fails(runner, tmp_path):
    result = runner.invoke(args=["badges", "nope", "-o", str(tmp_path / "x.pdf")])

    assert result.exit_code == 1
    assert "no event with slug 'nope'" in result.output


def test_badges_command_category_choices_are_the_model_categories(app):
    command = app.cli.commands["badges"]
    option = next(p for p in command.params if p.name == "categories")

    assert list(option.type.choices) == [c.value for c in Category]


def test_batch_page_offers_categories_with_counts(app, client, login_as):
    with app.app_context():
        event = make_event(slug="forum")
        make_registration(event, category=Category.PRESS)
        make_registration(event, category=Category.PRESS)
        make_registration(event, category=Category.SPEAKER, status=RegistrationStatus.CANCELLED)
    login_as(Role.ORGANIZER)

    html = client.get("/admin/events/forum/badges").get_data(as_text=True)

    assert '<label for="category-press">Press (2)</label>' in html
    assert '<label for="category-speaker">Speaker (0)</label>' in html
    assert 'action="/admin/events/forum/badges.pdf"' in html


def test_batch_page_says_what_is_happening_while_the_pdf_is_made(app, client, login_as):
    with app.app_context():
        event = make_event(slug="forum")
        make_registration(event, category=Category.PRESS)
    login_as(Role.ORGANIZER)

    page = parse(client.get("/admin/events/forum/badges").get_data(as_text=True))

    # badges-batch.js fetches the PDF and reports in the status region; the counts it
    # announces come from the page.
    form = page.find("form", id="badge-batch")
    assert form.attrs["data-total"] == "1"
    assert "{count}" in form.attrs["data-msg-preparing"]
    assert "{file}" in form.attrs["data-msg-done"]
    assert page.find("input", id="category-press").attrs["data-count"] == "1"
    assert form.find(role="status").text == ""
    assert form.find("progress").attrs["aria-label"]
    script = [node.attrs["src"] for node in page.find_all("script")][-1]  # the page's own
    assert script.endswith("/js/badges-batch.js")
    with client.get(script) as response:
        assert response.status_code == 200

    client.set_cookie("lang", "ko")
    korean = parse(client.get("/admin/events/forum/badges").get_data(as_text=True))
    assert "(명찰 {count}개)" in korean.find("form", id="badge-batch").attrs["data-msg-preparing"]


def test_batch_page_refuses_checkin_staff(app, client, login_as):
    with app.app_context():
        make_event(slug="forum")
    login_as(Role.CHECKIN)

    assert client.get("/admin/events/forum/badges").status_code == 403


def _reissue_target(app):
    with app.app_context():
        registration = make_registration(make_event(slug="forum"))
        return registration.id, badge_token(registration, KEYS)


def test_reissue_badge_revokes_the_printed_one(app, client, login_as):
    registration_id, old_token = _reissue_target(app)
    login_as(Role.ORGANIZER)

    response = client.post(
        f"/admin/registrations/{registration_id}/badge/reissue",
        data={"next": "/admin/registrants/1"},
    )
    scan = client.post("/api/checkin", json={"token": old_token, "event": "forum"})

    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/registrants/1"
    assert scan.json["reason"] == "revoked"


def test_reissue_badge_ignores_an_offsite_next(app, client, login_as):
    registration_id, _token = _reissue_target(app)
    login_as(Role.ORGANIZER)

    response = client.post(
        f"/admin/registrations/{registration_id}/badge/reissue",
        data={"next": "https://evil.example/"},
    )

    assert response.headers["Location"] == "/admin/events/forum/badges"


def test_reissue_badge_refuses_checkin_staff(app, client, login_as):
    registration_id, _token = _reissue_target(app)
    login_as(Role.CHECKIN)

    assert client.post(f"/admin/registrations/{registration_id}/badge/reissue").status_code == 403


def test_reissue_badge_refuses_a_post_without_csrf_token(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    registration_id, _token = _reissue_target(app)
    with app.app_context():
        email = make_account(role=Role.ORGANIZER, password=PASSWORD).email
    page = client.get("/login").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": csrf})

    response = client.post(f"/admin/registrations/{registration_id}/badge/reissue")

    assert response.status_code == 400
    with app.app_context():
        assert db.session.get(Registration, registration_id).badge_serial == 1


def test_reissue_asks_first_and_changes_nothing_until_confirmed(app, client, login_as):
    registration_id, old_token = _reissue_target(app)
    login_as(Role.ORGANIZER)
    back = f"/admin/events/forum/registrants/{registration_id}"

    page = client.get(
        f"/admin/registrations/{registration_id}/badge/reissue", query_string={"next": back}
    )
    scan = client.post("/api/checkin", json={"token": old_token, "event": "forum"})

    doc = parse(page.get_data(as_text=True))
    assert page.status_code == 200
    assert "Re-issue this badge?" in doc.find("h1").text
    assert [a.attrs["href"] for a in doc.find_all("a") if a.text == "No, go back"] == [back]
    assert scan.json["result"] == "checked_in"


def test_reissue_emails_the_new_badge_which_checks_in(app, client, login_as):
    from email import message_from_bytes
    from email.policy import default

    from eventapp.models import OutboxMessage

    registration_id, old_token = _reissue_target(app)
    login_as(Role.ORGANIZER)

    client.post(f"/admin/registrations/{registration_id}/badge/reissue")
    printed = client.get(f"/admin/registrations/{registration_id}/badge.pdf")

    with app.app_context():
        message = db.session.scalars(
            db.select(OutboxMessage).where(OutboxMessage.kind == "badge_reissued")
        ).one()
        new_token = badge_token(db.session.get(Registration, registration_id), KEYS)
    email = message_from_bytes(message.raw.encode(), policy=default)
    assert "no longer opens the door" in email.get_body(("plain",)).get_content()
    assert printed.status_code == 200
    assert printed.headers["Cache-Control"] == "private, no-store"
    assert decode_all(pdf_pages(printed.data)[0]) == [new_token] != [old_token]
    scan = client.post("/api/checkin", json={"token": new_token, "event": "forum"})
    assert scan.json["result"] == "checked_in"


def test_one_badge_is_printed_only_for_the_events_team(app, client, login_as):
    registration_id, _token = _reissue_target(app)
    with app.app_context():
        make_event(slug="symposium")
    login_as(Role.ORGANIZER, events=[])

    assert client.get(f"/admin/registrations/{registration_id}/badge.pdf").status_code == 404
