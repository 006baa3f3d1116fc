import io

import pytest
from PIL import Image

from eventapp.errors import DuplicateName, InvalidInput, InvalidPhoto
from eventapp.models import AgendaSession, Organization, Speaker, db
from eventapp.services.setup import speakers
from tests.factories import link_speaker, make_event, make_organization, make_session, make_speaker


def _picture(fmt="PNG", size=(1600, 1200), exif=False):
    buffer = io.BytesIO()
    image = Image.new("RGB", size, "teal")
    if exif:
        data = Image.Exif()
        data[0x010F] = "SecretCameraMaker"  # Make
        image.save(buffer, fmt, exif=data)
    else:
        image.save(buffer, fmt)
    return buffer.getvalue()


def test_create_speaker_makes_an_ascii_key_even_from_a_hangul_only_name(ctx):
    speaker = speakers.create_speaker(
        speakers.SpeakerData(given_name="종호", family_name="이", name_alt="이종호"), by=None
    )

    assert speaker.key.startswith("item-")
    assert speaker.name == "이종호"


def test_create_speaker_refuses_a_key_in_use(ctx):
    make_speaker(key="jong-ho-lee")

    with pytest.raises(DuplicateName):
        speakers.create_speaker(
            speakers.SpeakerData(given_name="Jong-ho", family_name="Lee", key="jong-ho-lee"),
            by=None,
        )


def test_create_speaker_refuses_an_unknown_organization(ctx):
    with pytest.raises(InvalidInput) as caught:
        speakers.create_speaker(
            speakers.SpeakerData(given_name="Chirag", organization_id=9999), by=None
        )

    assert caught.value.details["field"] == "organization_id"


def test_speakers_statement_finds_by_hangul_and_escapes_wildcards(ctx):
    lee = make_speaker(given_name="Jong-ho", family_name="Lee", name_alt="이종호")
    make_speaker(given_name="Michael", family_name="Morgan", name_alt="마이클 모건")

    found = db.session.scalars(speakers.speakers_statement("종호")).all()
    wildcard = db.session.scalars(speakers.speakers_statement("%")).all()

    assert [s.id for s in found] == [lee.id]
    assert wildcard == []


def test_delete_speaker_unlinks_them_from_sessions(ctx, tmp_path):
    session = make_session(make_event())
    speaker = make_speaker()
    link_speaker(session, speaker)

    speakers.delete_speaker(speaker, by=None, photos_dir=tmp_path)

    db.session.expire_all()
    assert db.session.get(AgendaSession, session.id).speaker_links == []


def test_delete_organization_keeps_its_speakers(ctx):
    organization = make_organization()
    speaker = make_speaker(organization=organization)

    speakers.delete_organization(organization, by=None)

    db.session.expire_all()
    assert db.session.get(Organization, organization.id) is None
    assert db.session.get(Speaker, speaker.id).organization_id is None


def test_organization_website_must_be_a_web_address(ctx):
    with pytest.raises(InvalidInput) as caught:
        speakers.create_organization(
            speakers.OrganizationData(name="KASA", website="javascript:alert(1)"), by=None
        )

    assert caught.value.details["field"] == "website"


def test_save_photo_stores_a_smaller_jpeg_without_metadata(ctx, tmp_path):
    speaker = make_speaker()

    name = speakers.save_photo(speaker, _picture(exif=True), by=None, photos_dir=tmp_path)

    with Image.open(tmp_path / name) as stored:
        assert stored.format == "JPEG"
        assert max(stored.size) == speakers.STORED_EDGE
        assert dict(stored.getexif()) == {}
    assert db.session.get(Speaker, speaker.id).photo == name


@pytest.mark.parametrize("size", speakers.PHOTO_SIZES)
def test_photo_path_serves_the_photo_resized(ctx, tmp_path, size):
    speaker = make_speaker()
    speakers.save_photo(speaker, _picture(fmt="WEBP"), by=None, photos_dir=tmp_path)

    path = speakers.photo_path(speaker, size, photos_dir=tmp_path)

    with Image.open(path) as served:
        assert served.size == (size, size * 3 // 4)


def test_photo_path_refuses_sizes_not_offered(ctx, tmp_path):
    speaker = make_speaker()
    speakers.save_photo(speaker, _picture(), by=None, photos_dir=tmp_path)

    assert speakers.photo_path(speaker, 5000, photos_dir=tmp_path) is None


@pytest.mark.parametrize(
    "upload",
    [
        b"GIF89a but not really",
        b"<svg xmlns='http://www.w3.org/2000/svg'></svg>",
        b"",
        b"%PDF-1.4 not a picture",
    ],
)
def test_save_photo_refuses_what_is_not_a_picture(ctx, tmp_path, upload):
    speaker = make_speaker()

    with pytest.raises(InvalidPhoto):
        speakers.save_photo(speaker, upload, by=None, photos_dir=tmp_path)

    assert speaker.photo is None
    assert list(tmp_path.iterdir()) == []


def test_save_photo_refuses_unsupported_formats(ctx, tmp_path):
    with pytest.raises(InvalidPhoto):
        speakers.save_photo(make_speaker(), _picture(fmt="BMP"), by=None, photos_dir=tmp_path)


def test_save_photo_refuses_files_over_the_limit(ctx, tmp_path):
    too_big = _picture() + b"\0" * speakers.MAX_PHOTO_BYTES

    with pytest.raises(InvalidPhoto):
        speakers.save_photo(make_speaker(), too_big, by=None, photos_dir=tmp_path)


def test_replacing_a_photo_removes_the_old_files(ctx, tmp_path):
    speaker = make_speaker()
    first = speakers.save_photo(speaker, _picture(), by=None, photos_dir=tmp_path)
    speakers.photo_path(speaker, 96, photos_dir=tmp_path)

    second = speakers.save_photo(speaker, _picture(), by=None, photos_dir=tmp_path)

    assert sorted(p.name for p in tmp_path.iterdir()) == [second]
    assert first != second


@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
def test_save_photo_refuses_more_than_16_megapixels(ctx, tmp_path, fmt):
    # A 40 MP PNG is a few kilobytes when it is one colour, and took a worker to 435 MB.
    upload = _picture(fmt=fmt, size=(4001, 4000))

    with pytest.raises(InvalidPhoto, match="too many pixels"):
        speakers.save_photo(make_speaker(), upload, by=None, photos_dir=tmp_path)

    assert list(tmp_path.iterdir()) == []


def test_a_large_jpeg_within_the_limit_is_stored_at_the_stored_edge(ctx, tmp_path):
    speaker = make_speaker()

    name = speakers.save_photo(
        speaker, _picture(fmt="JPEG", size=(4000, 3000)), by=None, photos_dir=tmp_path
    )

    with Image.open(tmp_path / name) as stored:
        assert stored.size == (speakers.STORED_EDGE, 768)
