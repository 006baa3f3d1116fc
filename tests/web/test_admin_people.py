import io

import pytest
from PIL import Image

from eventapp.models import Organization, Role, Speaker, db
from tests.factories import make_organization, make_speaker


@pytest.fixture
def organizer(login_as):
    return login_as(Role.ORGANIZER)


@pytest.fixture
def app(make_app, tmp_path):
    return make_app(PHOTOS_DIR=str(tmp_path))


def _jpeg(size=(900, 600)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "orange").save(buffer, "JPEG")
    buffer.seek(0)
    return buffer


def test_create_speaker_in_both_languages(app, client, organizer):
    with app.app_context():
        org = make_organization(name="Ministry of Science and ICT", name_ko="과학기술정보통신부").id

    response = client.post(
        "/admin/speakers/new",
        data={
            "given_name": "Jong-ho",
            "family_name": "Lee",
            "name_alt": "이종호",
            "position": "Minister of Science and ICT",
            "position_ko": "과학기술정보통신부 장관",
            "organization_id": str(org),
            "country": "KR",
        },
    )

    assert response.status_code == 302
    with app.app_context():
        speaker = db.session.scalars(db.select(Speaker)).one()
        assert (speaker.name_alt, speaker.position_ko, speaker.organization_id) == (
            "이종호",
            "과학기술정보통신부 장관",
            org,
        )
        assert speaker.key.startswith("jong-ho-lee-")


@pytest.mark.parametrize(
    "change",
    [
        {"given_name": ""},
        {"country": "XX"},
        {"organization_id": "nope"},
        {"email": "not an email"},
        {"key": "Bad Key!"},
        {"given_name": "가" * 101},
    ],
)
def test_bad_speaker_input_is_a_form_error(client, organizer, change):
    response = client.post("/admin/speakers/new", data={"given_name": "Minji"} | change)

    assert response.status_code == 400


def test_photo_upload_is_served_resized(app, client, organizer):
    with app.app_context():
        speaker_id = make_speaker().id

    upload = client.post(
        f"/admin/speakers/{speaker_id}/photo",
        data={"photo": (_jpeg(), "portrait.jpg")},
        content_type="multipart/form-data",
    )
    served = client.get(f"/admin/speakers/{speaker_id}/photo/96.jpg")

    assert upload.status_code == 302
    assert served.mimetype == "image/jpeg"
    with Image.open(io.BytesIO(served.data)) as picture:
        assert picture.size == (96, 64)
    served.close()


def test_a_file_that_is_not_a_picture_is_refused_next_to_the_field(app, client, organizer):
    with app.app_context():
        speaker_id = make_speaker().id

    response = client.post(
        f"/admin/speakers/{speaker_id}/photo",
        data={"photo": (io.BytesIO(b"#!/bin/sh\necho hi"), "photo.jpg")},
        content_type="multipart/form-data",
    )

    assert response.status_code == 400
    assert 'id="photo-error"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Speaker, speaker_id).photo is None


def test_photo_of_a_speaker_without_one_is_404(app, client, organizer):
    with app.app_context():
        speaker_id = make_speaker().id

    assert client.get(f"/admin/speakers/{speaker_id}/photo/96.jpg").status_code == 404
    assert client.get("/admin/speakers/999999/edit").status_code == 404


def test_speaker_search_with_weird_input_does_not_fail(client, organizer):
    for query in ["%", "_", "'; DROP TABLE speakers; --", "🚀" * 300, "이종호"]:
        assert client.get("/admin/speakers", query_string={"q": query}).status_code == 200


def test_organization_create_edit_delete(app, client, organizer):
    client.post(
        "/admin/organizations/new",
        data={"name": "KASA", "name_ko": "우주항공청", "kind": "government"},
    )
    with app.app_context():
        org = db.session.scalars(db.select(Organization)).one()
        org_id = org.id
        assert org.name_ko == "우주항공청"

    client.post(
        f"/admin/organizations/{org_id}/edit",
        data={"name": "Korea AeroSpace Administration", "kind": "government"},
    )
    question = client.get(f"/admin/organizations/{org_id}/delete")
    client.post(f"/admin/organizations/{org_id}/delete")

    assert "Korea AeroSpace Administration" in question.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Organization, org_id) is None
