"""The outcomes pages: recording, refusals that change nothing, publication, the public
page that never shows a draft, rapporteurs' reach, reports, follow-up CSV and email."""

from __future__ import annotations

import csv
import email
import io
from email.policy import default

import pypdfium2
import pytest
from docx import Document

from eventapp.models import (
    AuditEntry,
    OutboxMessage,
    OutcomeStatus,
    Recommendation,
    Role,
    SessionOutcome,
    db,
)
from tests.factories import (
    link_speaker,
    make_account,
    make_event,
    make_government,
    make_rapporteur_assignment,
    make_recommendation,
    make_session,
    make_speaker,
)

PASSWORD = "password-123456"


@pytest.fixture
def world(app):
    with app.app_context():
        event = make_event(slug="symposium", title="Space Symposium", title_ko="우주 심포지엄")
        panel = make_session(event, title="Panel 1: Partnerships", title_ko="패널 1: 파트너십")
        other_panel = make_session(event, title="Panel 2: Supply chains")
        speaker = make_speaker(given_name="Minji", family_name="Kim")
        link_speaker(panel, speaker)
        msit = make_government(name="Ministry of Science and ICT", name_ko="과학기술정보통신부")
        doc = make_government(name="U.S. Department of Commerce", short_name="DoC", country="US")
        return {
            "event": event.id,
            "panel": panel.id,
            "other_panel": other_panel.id,
            "speaker": speaker.id,
            "msit": msit.id,
            "doc": doc.id,
        }


def _log_in(app, client, role, assign=None):
    with app.app_context():
        account = make_account(role, password=PASSWORD)
        if assign is not None:
            from eventapp.models import AgendaSession, Event

            event_id, session_id = assign
            make_rapporteur_assignment(
                account,
                db.session.get(Event, event_id),
                db.session.get(AgendaSession, session_id) if session_id else None,
            )
        account_id = account.id
    response = client.post("/login", data={"email": account.email, "password": PASSWORD})
    assert response.status_code == 302
    return account_id


def _new_url(world, session="panel"):
    return f"/admin/events/symposium/outcomes/sessions/{world[session]}/recommendations/new"


def test_organizer_records_a_recommendation_as_a_numbered_audited_draft(
    app, client, login_as, world
):
    account = login_as(Role.ORGANIZER)

    response = client.post(
        _new_url(world),
        data={
            "text_ko": "수출 통제를 조율한다.",
            "owner_ids": [world["msit"], world["doc"]],
            "speaker_ids": [world["speaker"]],
            "tags": "Supply-chain, export",
            "follow_up": "in_progress",
            "due_on": "2027-03-01",
        },
    )

    assert response.status_code == 302
    with app.app_context():
        recommendation = db.session.scalars(db.select(Recommendation)).one()
        assert recommendation.number == 1
        assert recommendation.status is OutcomeStatus.DRAFT
        assert recommendation.text_en == ""
        assert sorted(o.id for o in recommendation.owners) == sorted([world["msit"], world["doc"]])
        assert [t.name for t in recommendation.tags] == ["export", "supply-chain"]
        entry = db.session.scalars(
            db.select(AuditEntry).where(AuditEntry.action == "recommendation.create")
        ).one()
        assert entry.account_id == account.id
        assert entry.at is not None
    page = client.get(f"/admin/events/symposium/outcomes/sessions/{world['panel']}")
    text = page.get_data(as_text=True)
    assert "수출 통제를 조율한다." in text
    assert "English text missing." in text


@pytest.mark.parametrize(
    ("data", "field_id", "message"),
    [
        ({"text_en": " ", "text_ko": ""}, "text_en", "English or in Korean"),
        ({"text_en": "Align rules.", "owners": [99999]}, "owner_ids", "owner 99999 does not exist"),
        ({"text_en": "x" * 4001}, "text_en", "4000"),
        ({"text_en": "Align rules.", "owners": []}, "owner_ids", "at least one owner"),
    ],
)
def test_bad_recommendation_is_refused_next_to_its_field_and_changes_nothing(
    app, client, login_as, world, data, field_id, message
):
    login_as(Role.ORGANIZER)
    owners = data.pop("owners", [world["msit"]])

    response = client.post(_new_url(world), data={**data, "owner_ids": owners})

    assert response.status_code == 400
    text = response.get_data(as_text=True)
    error = text.split(f'id="{field_id}-error"', 1)
    assert len(error) == 2, text
    assert message in error[1].split("</p>", 1)[0]
    with app.app_context():
        assert db.session.scalars(db.select(Recommendation)).all() == []
        assert db.session.scalars(db.select(AuditEntry)).all() == []


def test_overlong_key_points_are_refused_and_the_typed_text_kept(app, client, login_as, world):
    login_as(Role.ORGANIZER)
    url = f"/admin/events/symposium/outcomes/sessions/{world['panel']}"

    response = client.post(url, data={"key_points": "y" * 20001, "key_points_ko": "한국어"})

    assert response.status_code == 400
    assert "한국어</textarea>" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(db.select(SessionOutcome)).all() == []


def test_public_page_shows_published_recommendations_and_never_a_draft(app, client, world):
    with app.app_context():
        from eventapp.models import AgendaSession, Organization

        panel = db.session.get(AgendaSession, world["panel"])
        msit = db.session.get(Organization, world["msit"])
        make_recommendation(panel, msit, text_en="Published advice.")
        make_recommendation(panel, msit, text_en="Secret draft.", status=OutcomeStatus.DRAFT)
        other = db.session.get(AgendaSession, world["other_panel"])
        make_recommendation(
            other, msit, text_en="Draft outcome advice.", outcome_status=OutcomeStatus.DRAFT
        )

    response = client.get("/e/symposium/outcomes")

    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Published advice." in text
    assert "Secret draft." not in text
    assert "Draft outcome advice." not in text
    assert "Panel 2" not in text


def test_public_page_is_404_until_something_is_published(app, client, world):
    with app.app_context():
        from eventapp.models import AgendaSession

        panel = db.session.get(AgendaSession, world["panel"])
        make_recommendation(panel, outcome_status=OutcomeStatus.DRAFT)

    assert client.get("/e/symposium/outcomes").status_code == 404


def test_publishing_an_outcome_publishes_its_recommendations(app, client, login_as, world):
    login_as(Role.ORGANIZER)
    client.post(_new_url(world), data={"text_en": "Share data.", "owner_ids": [world["msit"]]})
    assert client.get("/e/symposium/outcomes").status_code == 404

    response = client.post(
        f"/admin/events/symposium/outcomes/sessions/{world['panel']}/publish",
        data={"published": "yes"},
    )

    assert response.status_code == 302
    assert "Share data." in client.get("/e/symposium/outcomes").get_data(as_text=True)
    with app.app_context():
        actions = set(db.session.scalars(db.select(AuditEntry.action)))
        assert {"recommendation.create", "outcome.publish"} <= actions


def test_rapporteur_edits_only_the_assigned_session_and_cannot_publish(app, client, world):
    _log_in(app, client, Role.RAPPORTEUR, assign=(world["event"], world["panel"]))

    mine = client.post(_new_url(world), data={"text_en": "Mine.", "owner_ids": [world["msit"]]})
    other = client.get(_new_url(world, "other_panel"))
    publish = client.post(
        f"/admin/events/symposium/outcomes/sessions/{world['panel']}/publish",
        data={"published": "yes"},
    )
    admin_page = client.get("/admin/")

    assert mine.status_code == 302
    assert other.status_code == 404
    assert publish.status_code == 403
    assert admin_page.status_code == 403
    assert client.get("/checkin").status_code == 403


def test_rapporteur_lands_on_the_outcomes_list_after_login(app, client, world):
    with app.app_context():
        account = make_account(Role.RAPPORTEUR, password=PASSWORD)
        email_address = account.email

    response = client.post("/login", data={"email": email_address, "password": PASSWORD})

    assert response.headers["Location"] == "/admin/outcomes"


def test_organizer_assigns_a_rapporteur_by_email(app, client, login_as, world):
    login_as(Role.ORGANIZER)
    with app.app_context():
        rapporteur = make_account(Role.RAPPORTEUR, email="writer@example.org")
        make_account(Role.CHECKIN, email="door@example.org")
        rapporteur_id = rapporteur.id

    ok = client.post(
        "/admin/events/symposium/outcomes/rapporteurs",
        data={"email": "Writer@example.org", "session_id": world["panel"]},
    )
    wrong = client.post(
        "/admin/events/symposium/outcomes/rapporteurs",
        data={"email": "door@example.org", "session_id": 0},
    )

    assert ok.status_code == 302
    assert wrong.status_code == 400
    assert "no rapporteur account" in wrong.get_data(as_text=True)
    with app.app_context():
        from eventapp.models import RapporteurAssignment

        rows = db.session.scalars(db.select(RapporteurAssignment)).all()
        assert [(r.account_id, r.session_id) for r in rows] == [(rapporteur_id, world["panel"])]


def _published(app, world, count=2):
    with app.app_context():
        from eventapp.models import AgendaSession, Organization

        panel = db.session.get(AgendaSession, world["panel"])
        msit = db.session.get(Organization, world["msit"])
        doc = db.session.get(Organization, world["doc"])
        for n in range(count):
            make_recommendation(panel, msit, text_en=f"=Advice {n}", text_ko=f"권고 {n}")
        make_recommendation(panel, doc, text_en="Draft for DoC.", status=OutcomeStatus.DRAFT)


def test_report_downloads_are_a_pdf_a_docx_and_markdown(app, client, login_as, world):
    login_as(Role.ORGANIZER)
    _published(app, world)

    pdf = client.get("/admin/events/symposium/outcomes/report.pdf")
    docx = client.get("/admin/events/symposium/outcomes/report.docx")
    markdown = client.get("/admin/events/symposium/outcomes/report.md")

    document = pypdfium2.PdfDocument(pdf.data)
    text = "".join(page.get_textpage().get_text_range() for page in document)
    assert len(document) >= 3
    document.close()
    assert "권고 1" in text
    assert "Draft for DoC." not in text
    paragraphs = [p.text for p in Document(io.BytesIO(docx.data)).paragraphs]
    assert "=Advice 0" in paragraphs
    assert "Draft for DoC." not in markdown.get_data(as_text=True)
    assert markdown.get_data(as_text=True).startswith("# Briefing report")


def test_follow_up_csv_has_a_bom_and_only_published_recommendations(app, client, login_as, world):
    login_as(Role.ORGANIZER)
    _published(app, world)

    response = client.get(f"/admin/outcomes/follow-up.csv?owner={world['msit']}&state=open")

    assert response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert [row["text_en"] for row in rows] == ["'=Advice 0", "'=Advice 1"]
    assert rows[0]["text_ko"] == "권고 0"
    assert "Draft for DoC." not in response.data.decode("utf-8-sig")


def test_follow_up_list_filters_by_owner(app, client, login_as, world):
    login_as(Role.ORGANIZER)
    _published(app, world)

    page = client.get(f"/admin/outcomes/follow-up?owner={world['doc']}")

    assert page.status_code == 200
    assert "=Advice 0" not in page.get_data(as_text=True)


def test_owners_list_is_emailed_through_the_outbox_with_the_pdf(app, client, login_as, world):
    login_as(Role.ORGANIZER)
    _published(app, world)

    response = client.post(
        "/admin/outcomes/follow-up/send",
        data={
            "owner_id": world["msit"],
            "contact_name": "Director Park",
            "contact_email": "park@msit.example.kr",
        },
    )

    assert response.status_code == 302
    with app.app_context():
        message = db.session.scalars(db.select(OutboxMessage)).one()
        parsed = email.message_from_string(message.raw, policy=default)
    assert parsed["To"].addresses[0].addr_spec == "park@msit.example.kr"
    attachments = list(parsed.iter_attachments())
    assert [a.get_filename() for a in attachments] == [f"recommendations-{world['msit']}.pdf"]
    document = pypdfium2.PdfDocument(attachments[0].get_content())
    text = "".join(page.get_textpage().get_text_range() for page in document)
    document.close()
    assert "권고 1" in text
    assert "Draft for DoC." not in text


def test_sending_to_a_bad_address_changes_nothing(app, client, login_as, world):
    login_as(Role.ORGANIZER)
    _published(app, world)

    response = client.post(
        "/admin/outcomes/follow-up/send",
        data={"owner_id": world["msit"], "contact_name": "Park", "contact_email": "nobody"},
    )

    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalars(db.select(OutboxMessage)).all() == []


@pytest.mark.parametrize("language", ["en", "ko"])
def test_pages_render_in_both_languages(app, client, login_as, world, language):
    login_as(Role.ORGANIZER)
    _published(app, world)
    client.get(f"/lang/{language}")

    for url in (
        "/admin/outcomes",
        "/admin/events/symposium/outcomes",
        f"/admin/events/symposium/outcomes/sessions/{world['panel']}",
        _new_url(world),
        "/admin/outcomes/follow-up",
        "/e/symposium/outcomes",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert f'lang="{language}"' in response.get_data(as_text=True)[:300], url


def test_another_teams_organizer_gets_404(app, client, login_as, world):
    login_as(Role.ORGANIZER, events=[make_event_in(app)])

    assert client.get("/admin/events/symposium/outcomes").status_code == 404
    assert client.get(_new_url(world)).status_code == 404


def make_event_in(app):
    with app.app_context():
        return make_event(slug="elsewhere")


def test_rapporteur_of_the_whole_event_writes_every_session_but_not_another_event(
    app, client, world
):
    with app.app_context():
        make_event(slug="elsewhere")
    _log_in(app, client, Role.RAPPORTEUR, assign=(world["event"], None))

    assert client.get(_new_url(world)).status_code == 200
    assert client.get(_new_url(world, "other_panel")).status_code == 200
    assert client.get("/admin/events/elsewhere/outcomes").status_code == 404
    assert client.get("/admin/outcomes/follow-up").status_code == 403


def test_recording_without_a_csrf_token_is_refused(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    with app.app_context():
        event = make_event(slug="symposium")
        session_id = make_session(event).id
        owner_id = make_government().id
        account = make_account(Role.ADMIN, password=PASSWORD)
        address = account.email
    login_page = client.get("/login").get_data(as_text=True)
    token = login_page.split('name="csrf_token" type="hidden" value="', 1)[1].split('"', 1)[0]
    client.post("/login", data={"email": address, "password": PASSWORD, "csrf_token": token})

    response = client.post(
        f"/admin/events/symposium/outcomes/sessions/{session_id}/recommendations/new",
        data={"text_en": "No token.", "owner_ids": [owner_id]},
    )

    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalars(db.select(Recommendation)).all() == []


def _three(app, world):
    with app.app_context():
        from eventapp.models import AgendaSession

        panel = db.session.get(AgendaSession, world["panel"])
        made = [make_recommendation(panel, text_en=f"Advice {n}") for n in (1, 2, 3)]
        return [r.id for r in made]


def test_deleting_asks_first_then_renumbers_the_later_ones(app, client, login_as, world):
    first, second, third = _three(app, world)
    account = login_as(Role.ORGANIZER)
    url = f"/admin/events/symposium/outcomes/recommendations/{second}/delete"

    asked = client.get(url)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Recommendation.id))) == 3
    response = client.post(url)

    assert asked.status_code == 200
    assert "3 → 2" in asked.get_data(as_text=True)
    assert response.status_code == 302
    with app.app_context():
        left = db.session.execute(
            db.select(Recommendation.id, Recommendation.number).order_by(Recommendation.number)
        ).all()
        entry = db.session.scalars(
            db.select(AuditEntry).where(AuditEntry.action == "recommendation.delete")
        ).one()
    assert [tuple(row) for row in left] == [(first, 1), (third, 2)]
    assert entry.account_id == account.id
    assert entry.details["text_en"] == "Advice 2"
    assert entry.details["renumbered"] == [[3, 2]]


def test_rapporteur_may_not_delete_a_published_recommendation(app, client, world):
    first, _, _ = _three(app, world)
    with app.app_context():
        db.session.get(Recommendation, first).status = OutcomeStatus.PUBLISHED
        db.session.commit()
    _log_in(app, client, Role.RAPPORTEUR, assign=(world["event"], world["panel"]))

    response = client.post(f"/admin/events/symposium/outcomes/recommendations/{first}/delete")

    assert response.status_code == 403
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Recommendation.id))) == 3


def test_deleting_without_a_csrf_token_changes_nothing(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    with app.app_context():
        event = make_event(slug="symposium")
        owner = make_government()
        made = make_recommendation(make_session(event), owner)
        account = make_account(Role.ORGANIZER, password=PASSWORD)
        made_id, email = made.id, account.email
    login_page = client.get("/login").get_data(as_text=True)
    token = login_page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": token})

    response = client.post(f"/admin/events/symposium/outcomes/recommendations/{made_id}/delete")

    assert response.status_code in (200, 400)
    with app.app_context():
        assert db.session.get(Recommendation, made_id) is not None


def test_partnering_tags_are_the_recommendation_tags(app, client, login_as, world):
    with app.app_context():
        from eventapp.models import Event
        from eventapp.services.partnering import profiles

        event = db.session.get(Event, world["event"])
        profiles.save_tag(event, key="launch", name="Launch", name_ko="발사", by=None)
        profiles.save_tag(event, key="satellites", name="Satellites", name_ko="위성", by=None)
    login_as(Role.ORGANIZER)
    form = client.get(_new_url(world)).get_data(as_text=True)

    refused = client.post(
        _new_url(world),
        data={"text_en": "Share launch slots.", "owner_ids": [world["msit"]], "tags": "export"},
    )
    wrong = client.post(
        _new_url(world),
        data={"text_en": "Share.", "owner_ids": [world["msit"]], "tag_keys": ["cooking"]},
    )
    saved = client.post(
        _new_url(world),
        data={
            "text_en": "Share launch slots.",
            "owner_ids": [world["msit"]],
            "tag_keys": ["launch", "satellites"],
        },
    )

    assert 'value="launch"' in form
    assert 'name="tags"' not in form
    assert refused.status_code == 302  # free tags are not read where partnering tags exist
    assert wrong.status_code == 400
    assert "not one of the event&#39;s partnering tags" in wrong.get_data(as_text=True)
    assert saved.status_code == 302
    with app.app_context():
        tags = [
            [t.name for t in r.tags]
            for r in db.session.scalars(db.select(Recommendation).order_by(Recommendation.id))
        ]
    assert tags == [[], ["launch", "satellites"]]
    client.get("/lang/ko")
    page = client.get(f"/admin/events/symposium/outcomes/sessions/{world['panel']}")
    assert "<dd><span>발사</span>, <span>위성</span></dd>" in page.get_data(as_text=True)
