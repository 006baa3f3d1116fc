"""Characters the badge fonts cannot set (emoji, scripts they lack) are left out cleanly,
and named, so that nobody learns it at the door (#22)."""

from eventapp.builders.badge_layout import badge_layout, printable, unprintable
from eventapp.builders.badge_pdf import build_badge_pdf
from tests.builders.badge_samples import pdf_text, sample


def test_unprintable_names_each_missing_character_once_and_skips_invisible_ones():
    assert unprintable("Minji 🚀 Kim 🚀", "김민지") == "🚀"
    assert unprintable("Ada ❤️ Lovelace") == "❤"  # the variation selector is not named
    assert unprintable("Kim Minji", "김민지", None, "ROK-U.S. Space Forum") == ""


def test_the_badge_prints_the_name_without_them_and_without_a_gap():
    data = sample(name="Minji 🚀 Kim", organization="Rocket 🚀🛰️ Lab")

    lines = [line.text for line in badge_layout(data).lines]
    text = " ".join(pdf_text(build_badge_pdf(data)))

    assert "Minji Kim" in lines
    assert "Rocket Lab" in lines
    assert "Minji Kim" in text
    assert "🚀" not in text
    assert printable("  🚀 Minji  ") == "Minji"
