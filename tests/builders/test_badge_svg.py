from xml.etree import ElementTree

from eventapp.builders.badge_layout import FONT_CODE
from eventapp.builders.badge_svg import build_badge_svg
from tests.builders.badge_samples import TOKEN, sample

SVG = "{http://www.w3.org/2000/svg}"


def test_badge_svg_is_a6_with_names_as_text():
    root = ElementTree.fromstring(build_badge_svg(sample()))  # noqa: S314 - our own output

    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert (root.get("width"), root.get("height")) == ("105mm", "148mm")
    assert "Jong-ho Lee" in texts
    assert "이종호" in texts
    hangul = next(t for t in root.iter(f"{SVG}text") if t.text == "이종호")
    assert hangul.get("{http://www.w3.org/XML/1998/namespace}lang") == "ko"


def test_badge_svg_links_the_shipped_font_when_given():
    svg = build_badge_svg(
        sample(), font_url="/static/fonts/R.ttf", bold_font_url="/static/fonts/B.ttf"
    )

    style = ElementTree.fromstring(svg).find(f"{SVG}style")  # noqa: S314
    assert style is not None
    assert 'url("/static/fonts/R.ttf")' in style.text


def test_badge_svg_escapes_markup_in_names():
    root = ElementTree.fromstring(build_badge_svg(sample(name="<b>A & B</b>")))  # noqa: S314

    assert "<b>A & B</b>" in [t.text for t in root.iter(f"{SVG}text")]


def test_badge_svg_sets_the_code_in_the_code_face():
    svg = build_badge_svg(
        sample(token=TOKEN),
        font_url="/static/fonts/R.ttf",
        bold_font_url="/static/fonts/B.ttf",
        code_font_url="/static/fonts/C.ttf",
    )

    root = ElementTree.fromstring(svg)  # noqa: S314 - our own output
    code = next(t for t in root.iter(f"{SVG}text") if t.text == "AEBQ-EAI2-YMSA-3DRS-6RBM-LXU4-QQ")
    assert code.get("font-family").startswith(FONT_CODE)
    assert 'url("/static/fonts/C.ttf")' in root.find(f"{SVG}style").text
