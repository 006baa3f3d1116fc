from eventapp.builders.badge_png import build_badge_png
from tests.builders.badge_samples import TOKEN, decode_all, decode_png_with_zbar, png_image, sample


def test_badge_png_qr_decodes_to_the_token():
    image = png_image(build_badge_png(sample()))

    assert decode_all(image) == [TOKEN]


def test_badge_png_is_a6_at_its_dpi():
    image = png_image(build_badge_png(sample(), dpi=200))

    assert image.size == (827, 1165)
    assert round(image.info["dpi"][0]) == 200


def test_badge_png_qr_decodes_with_zbar(tmp_path):
    import pytest

    decoded = decode_png_with_zbar(build_badge_png(sample()), tmp_path)
    if decoded is None:
        pytest.skip("zbarimg is not installed")

    assert decoded == TOKEN


def test_badge_png_shows_the_category_colour_band():
    image = png_image(build_badge_png(sample(color="#1f3a93"))).convert("RGB")

    assert image.getpixel((10, image.height - 10)) == (0x1F, 0x3A, 0x93)
