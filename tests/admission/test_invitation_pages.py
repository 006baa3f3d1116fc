"""Invitation pages (#17): the organizer's invitation list (upload with a preview that
writes nothing, add by hand, resend, revoke, remind), the public form by invitation only,
the delegation head's page; bad and hostile input answered without a 500."""

import io
import re

import pytest

from eventapp.models import (
    AdmissionMode,
    Invitation,
    InvitationState,
    OutboxMessage,
    Registration,
    Role,
    db,
)
from eventapp.models import RegistrationStatus as Status
from eventapp.services.admission import delegations
from tests.factories import make_event, make_invitation

HEADER = "email,given_name,family_name,organization,category,delegation\n"


@pytest.fixture
def world(app):
    with app.app_context():
        event = make_event(capacity=50, admission_mode=AdmissionMode.INVITATION)
        invitation, delegation = make_invitation(event, email="kim@example.org")
        return {
            "slug": event.slug,
            "token": invitation.token,
            "invitation_id": invitation.id,
            "delegation": delegation.name,
            "head_token": delegation.head_token,
            "delegation_id": delegation.id,
        }


def _count(model, *where):
    return db.session.scalar(db.select(db.func.count(model.id)).where(*where))


def test_uninvited_form_says_by_invitation_and_registers_nothing(app, client, world):
    url = f"/e/{world['slug']}/register"
    page = client.get(url)
    assert page.status_code == 200
    assert "by invitation only" in page.get_data(as_text=True)
    assert 'name="email"' not in page.get_data(as_text=True)
    posted = client.post(url, data={"given_name": "X", "email": "x@example.org", "consent": "y"})
    assert posted.status_code == 403
    assert "Nothing was registered" in posted.get_data(as_text=True)
    with app.app_context():
        assert _count(Registration) == 0
    korean = client.get(url, headers={"Accept-Language": "ko"}).get_data(as_text=True)
    assert "초청자 전용 행사" in korean


def test_link_prefills_fixes_the_email_and_works_once(app, client, world):
    url = f"/e/{world['slug']}/invitation/{world['token']}"
    page = client.get(url).get_data(as_text=True)
    assert 'value="Invited"' in page  # prefilled
    assert "kim@example.org" in page
    assert 'name="email"' not in page  # the address is not an input
    with app.app_context():
        assert db.session.get(Invitation, world["invitation_id"]).opened_at is not None

    posted = client.post(
        url,
        data={
            "given_name": "Minji",
            "family_name": "Kim",
            "email": "someone-else@example.org",
            "category": "press",
            "consent": "y",
        },
    )
    assert posted.status_code == 302
    with app.app_context():
        [registration] = db.session.scalars(db.select(Registration))
        assert registration.email == "kim@example.org"
        assert registration.delegation_id == world["delegation_id"]
        assert registration.status is Status.CONFIRMED
        assert (
            db.session.get(Invitation, world["invitation_id"]).state is InvitationState.REGISTERED
        )

    again = client.get(url)
    assert again.status_code == 410
    assert "used to register already" in again.get_data(as_text=True)
    repost = client.post(url, data={"given_name": "Again", "consent": "y"})
    assert repost.status_code == 410
    with app.app_context():
        assert _count(Registration) == 1


def test_revoked_and_unknown_links_are_refused(app, client, login_as, world):
    login_as(Role.ORGANIZER)
    client.post(f"/admin/events/{world['slug']}/invitations/{world['invitation_id']}/revoke")
    url = f"/e/{world['slug']}/invitation/{world['token']}"
    refused = client.get(url)
    assert refused.status_code == 403
    assert "withdrawn" in refused.get_data(as_text=True)
    assert client.post(url, data={"given_name": "X", "consent": "y"}).status_code == 403
    for token in ("x" * 43, "short", "%00" * 20, "a" * 500):
        answer = client.get(f"/e/{world['slug']}/invitation/{token}")
        assert answer.status_code in {200, 404}
        assert 'name="given_name"' not in answer.get_data(as_text=True)
    with app.app_context():
        assert _count(Registration) == 0


def test_decline_from_the_link(app, client, world):
    url = f"/e/{world['slug']}/invitation/{world['token']}"
    answer = client.post(url + "/decline")
    assert answer.status_code == 200
    assert "Thank you for letting us know" in answer.get_data(as_text=True)
    assert client.get(url).status_code == 200
    assert "cannot come" in client.get(url).get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Invitation, world["invitation_id"]).state is InvitationState.DECLINED


def test_admin_upload_preview_changes_nothing_until_confirmed(app, client, login_as, world):
    login_as(Role.ORGANIZER)
    url = f"/admin/events/{world['slug']}/invitations/upload"
    bad = HEADER + "good@example.org,Ana,Lee,NASA,government,\nnope,Bo,,,,\n"
    preview = client.post(
        url,
        data={"csv_file": (io.BytesIO(bad.encode()), "list.csv")},
        content_type="multipart/form-data",
    )
    assert preview.status_code == 400
    page = preview.get_data(as_text=True)
    assert "Not a valid email address." in page
    assert "1 of 2 rows have errors" in page
    assert "Invite them" not in page
    with app.app_context():
        assert _count(Invitation) == 1

    good = HEADER + f"good@example.org,Ana,Lee,NASA,government,{world['delegation']}\n"
    preview = client.post(url, data={"csv_text": good})
    assert preview.status_code == 200
    assert "1 people will be invited" in preview.get_data(as_text=True)
    with app.app_context():
        assert _count(Invitation) == 1  # still nothing
    confirmed = client.post(url, data={"csv_text": good, "confirm": "1"})
    assert confirmed.status_code == 302
    with app.app_context():
        invitation = db.session.scalar(
            db.select(Invitation).where(Invitation.email == "good@example.org")
        )
        assert invitation.delegation_id == world["delegation_id"]
        assert _count(OutboxMessage, OutboxMessage.kind == "invited") == 2
    listing = client.get(f"/admin/events/{world['slug']}/invitations").get_data(as_text=True)
    assert "good@example.org" in listing
    assert "Sent (2)" in listing


def test_admin_adds_by_hand_resends_and_reminds_once(app, client, login_as, world):
    login_as(Role.ORGANIZER)
    url = f"/admin/events/{world['slug']}/invitations"
    bad = client.post(url, data={"email": "not-an-address", "given_name": "<script>x</script>"})
    assert bad.status_code == 400
    assert "&lt;script&gt;x&lt;/script&gt;" in bad.get_data(as_text=True)
    duplicate = client.post(
        url,
        data={
            "email": "KIM@example.org",
            "given_name": "Kim",
            "category": "other",
            "delegation_id": "",
            "locale": "en",
        },
    )
    assert duplicate.status_code == 400
    assert "invited already" in duplicate.get_data(as_text=True)
    added = client.post(
        url,
        data={
            "email": "lee@example.org",
            "given_name": "Lee",
            "category": "press",
            "delegation_id": "",
            "locale": "ko",
        },
    )
    assert added.status_code == 302
    resent = client.post(f"{url}/{world['invitation_id']}/resend")
    assert resent.status_code == 302
    page = client.get(url).get_data(as_text=True)
    key = re.search(r'name="send_key" type="hidden" value="([^"]+)"', page).group(1)
    client.post(f"{url}/remind", data={"send_key": key})
    client.post(f"{url}/remind", data={"send_key": key})
    with app.app_context():
        assert _count(OutboxMessage, OutboxMessage.kind == "invitation_reminder") == 2
        assert db.session.get(Invitation, world["invitation_id"]).sent_count == 3
    korean = client.get(url, headers={"Accept-Language": "ko"}).get_data(as_text=True)
    assert "초청 현황" in korean


def test_delegations_page_creates_and_sets_seats(app, client, login_as, world):
    login_as(Role.ORGANIZER)
    url = f"/admin/events/{world['slug']}/delegations"
    made = client.post(
        url,
        data={
            "name": "KASA",
            "seats": "2",
            "head_given_name": "Jiwon",
            "head_email": "jiwon@example.org",
            "locale": "ko",
        },
    )
    assert made.status_code == 302
    duplicate = client.post(
        url,
        data={
            "name": "KASA",
            "head_given_name": "J",
            "head_email": "j@example.org",
            "locale": "en",
        },
    )
    assert duplicate.status_code == 400
    negative = client.post(f"{url}/{world['delegation_id']}/seats", data={"seats": "-3"})
    assert negative.status_code == 302
    client.post(f"{url}/{world['delegation_id']}/seats", data={"seats": "4"})
    page = client.get(url).get_data(as_text=True)
    assert "KASA" in page
    assert "0 / 4" in page


def test_head_registers_members_and_sees_them(app, client, world):
    url = f"/delegation/{world['head_token']}"
    page = client.get(url)
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    with app.app_context():
        delegation = delegations.find_by_head_token(world["head_token"])
        delegations.set_seats(delegation, 2)
    rows = {
        "members-0-email": "a@example.org",
        "members-0-given_name": "Ana",
        "members-0-category": "government",
        "members-1-email": "b@example.org",
        "members-1-given_name": "Bo",
        "members-1-category": "government",
        "members-2-email": "c@example.org",
        "members-2-given_name": "Cy",
        "members-2-category": "government",
    }
    full = client.post(url, data=rows | {"consent": "y"})
    assert full.status_code == 400
    assert "2 seats left" in full.get_data(as_text=True)
    assert 'value="c@example.org"' in full.get_data(as_text=True)  # what was typed is kept
    no_consent = client.post(url, data={k: v for k, v in rows.items() if "-2-" not in k})
    assert no_consent.status_code == 400
    done = client.post(
        url, data={k: v for k, v in rows.items() if "-2-" not in k} | {"consent": "y"}
    )
    assert done.status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "2 of 2 seats taken" in page
    assert "a@example.org" in page
    link = client.post(url + "/link", data={"email": "kim@example.org", "given_name": "K"})
    assert link.status_code == 400  # invited already
    with app.app_context():
        members = db.session.scalars(
            db.select(Registration).where(Registration.delegation_id == world["delegation_id"])
        ).all()
        assert sorted(m.email for m in members) == ["a@example.org", "b@example.org"]
        head = next(iter(members))
        token = head.manage_token
    assert "member of the delegation" in client.get(f"/me/{token}").get_data(as_text=True)


@pytest.mark.parametrize(
    "value",
    [
        "\x00",
        "a\x01b",
        "x" * 5000,
        "<img src=x onerror=alert(1)>",
        "' OR 1=1 --",
        "\U0001d54f" * 50,
    ],
)
def test_hostile_input_is_refused_or_kept_as_text(app, client, login_as, world, value):
    login_as(Role.ORGANIZER)
    slug = world["slug"]
    answers = [
        client.post(f"/admin/events/{slug}/invitations/upload", data={"csv_text": value}),
        client.post(
            f"/admin/events/{slug}/invitations/upload",
            data={
                "csv_text": HEADER + f"{value}@example.org,{value},{value},,{value},{value}\n",
                "confirm": "1",
            },
        ),
        client.post(
            f"/admin/events/{slug}/invitations", data={"email": value, "given_name": value}
        ),
        client.post(f"/admin/events/{slug}/delegations", data={"name": value, "seats": value}),
        client.post(
            f"/delegation/{world['head_token']}",
            data={"members-0-email": value, "members-0-given_name": value, "consent": "y"},
        ),
        client.post(
            f"/e/{slug}/invitation/{world['token']}",
            data={"given_name": value, "family_name": value, "consent": "y"},
        ),
        client.post(f"/admin/events/{slug}/invitations/remind", data={"send_key": value}),
    ]
    for answer in answers:
        assert answer.status_code < 500, answer.get_data(as_text=True)[:300]
        assert "<img src=x" not in answer.get_data(as_text=True)
    with app.app_context():
        assert _count(Invitation) == 1


def test_event_form_offers_invitation_only(app, client, login_as, world):
    from eventapp.models import Event

    login_as(Role.ORGANIZER)
    page = client.get(f"/admin/events/{world['slug']}/edit").get_data(as_text=True)
    assert '<option selected value="invitation">' in page
    assert "Invitation only: the form opens through a personal link" in page
    form = {
        "slug": world["slug"],
        "acronym": "ev",
        "title": "Opened",
        "timezone": "Asia/Seoul",
        "starts_at": "2027-05-12T09:00",
        "ends_at": "2027-05-12T18:00",
        "admission_mode": "open",
        "capacity": "1",
        "is_published": "y",
    }
    assert client.post(f"/admin/events/{world['slug']}/edit", data=form).status_code == 302
    with app.app_context():
        event = db.session.scalar(db.select(Event).where(Event.slug == world["slug"]))
        assert event.admission_mode is AdmissionMode.OPEN
    # Open again: the plain form registers anyone.
    assert 'name="email"' in client.get(f"/e/{world['slug']}/register").get_data(as_text=True)


def test_the_invited_form_as_a_browser_posts_it_without_an_email_field(app, client, world):
    url = f"/e/{world['slug']}/invitation/{world['token']}"
    posted = client.post(url, data={"given_name": "Minji", "consent": "y"})
    assert posted.status_code == 302, posted.get_data(as_text=True)[:500]
    with app.app_context():
        assert db.session.scalar(db.select(Registration.email)) == "kim@example.org"
