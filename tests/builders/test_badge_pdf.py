from reportlab.lib.pagesizes import A4

from eventapp.builders.badge_layout import (
    A6_MM,
    FONT_CODE,
    MARGIN_MM,
    QR_SYMBOL_MM,
    badge_layout,
)
from eventapp.builders.badge_pdf import build_badge_pdf, build_badges_pdf
from eventapp.builders.qr import QUIET_ZONE
from tests.builders.badge_samples import TOKEN, decode_all, pdf_pages, pdf_text, sample


def test_badge_pdf_qr_decodes_from_the_rasterized_page():
    pages = pdf_pages(build_badge_pdf(sample()))

    assert len(pages) == 1
    assert decode_all(pages[0]) == [TOKEN]


def test_badge_pdf_has_the_hangul_name_as_text():
    text = pdf_text(build_badge_pdf(sample(name="Minji Kim", name_alt="김민지")))[0]

    lines = [line.strip() for line in text.splitlines()]
    assert "김민지" in lines
    assert "Minji Kim" in lines
    assert "연사" in lines
    assert "SPEAKER" in lines


def test_badge_pdf_page_is_a6():
    import pypdfium2

    document = pypdfium2.PdfDocument(build_badge_pdf(sample()))
    width, height = document[0].get_size()
    document.close()

    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (105, 148)


def test_batch_pdf_on_a4_puts_four_badges_per_sheet():
    tokens = [f"AEBQEAI2YMSA3DRS6RBMLXU4Q{c}" for c in "ABCDE"]
    badges = [sample(token=t, name=f"Person {i}") for i, t in enumerate(tokens)]
    seen: list[int] = []

    pdf = build_badges_pdf(badges, layout="a4", progress=seen.append)

    pages = pdf_pages(pdf)
    assert len(pages) == 2
    assert pages[0].size == (round(A4[0] * 200 / 72), round(A4[1] * 200 / 72))
    assert decode_all(pages[0]) == sorted(tokens[:4])
    assert decode_all(pages[1]) == [tokens[4]]
    assert seen == [1, 2, 3, 4, 5]


def test_batch_pdf_on_a6_has_one_page_per_badge():
    pdf = build_badges_pdf([sample(), sample(name="Someone Else")])

    texts = pdf_text(pdf)
    assert len(texts) == 2
    assert "Someone Else" in [line.strip() for line in texts[1].splitlines()]


def test_badge_layout_qr_is_at_least_25_mm_with_quiet_zone_clear_of_text():
    layout = badge_layout(sample())
    qr = layout.qr
    quiet = QUIET_ZONE * qr.module_mm

    assert qr.symbol.size * qr.module_mm == QR_SYMBOL_MM >= 25
    text_above = [line.y for line in layout.lines if line.y < qr.y]
    text_below = [line.y - line.size_pt * 25.4 / 72 for line in layout.lines if line.y > qr.y]
    assert max(text_above) < qr.y - quiet
    assert min(text_below) > qr.y + QR_SYMBOL_MM + quiet


def test_badge_layout_shrinks_or_wraps_long_names_to_the_badge_width():
    from eventapp.builders.badge_layout import text_width_mm

    long_name = "Maximilian Alexander Bartholomew von Hohenzollern-Sigmaringen"
    layout = badge_layout(sample(name=long_name))

    inner = A6_MM[0] - 2 * MARGIN_MM
    for line in layout.lines:
        assert text_width_mm(line.text, line.size_pt, bold=line.bold) <= inner + 0.01
    assert long_name in " ".join(line.text for line in layout.lines)


def test_badge_pdf_qr_decodes_with_zbar_from_the_rasterized_page(tmp_path):
    import io

    import pytest

    from tests.builders.badge_samples import decode_png_with_zbar

    buffer = io.BytesIO()
    pdf_pages(build_badge_pdf(sample()), scale=150 / 72)[0].save(buffer, format="PNG")

    decoded = decode_png_with_zbar(buffer.getvalue(), tmp_path)
    if decoded is None:
        pytest.skip("zbarimg is not installed")

    assert decoded == TOKEN


def test_badge_prints_the_code_in_groups_in_a_face_where_o_is_not_a_zero():
    layout = badge_layout(sample())
    pdf = build_badge_pdf(sample())

    code = next(line for line in layout.lines if line.text.replace("-", "") == TOKEN)
    assert code.text == "AEBQ-EAI2-YMSA-3DRS-6RBM-LXU4-QQ"
    assert code.font == FONT_CODE
    assert [line for line in layout.lines if line.font == FONT_CODE] == [code]
    assert code.text in [line.strip() for line in pdf_text(pdf)[0].splitlines()]
    assert f"+{FONT_CODE}".encode() in pdf  # embedded (as a subset)
