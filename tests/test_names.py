"""Names: which scripts are East Asian or Hangul, checked character by character."""

from __future__ import annotations

import pytest

from eventapp.names import (
    _EAST_ASIAN_RANGES,
    _HANGUL_RANGES,
    NameOrder,
    default_order,
    display_name,
    has_hangul,
    is_east_asian,
)


def _in(ranges: tuple[tuple[int, int], ...], code: int) -> bool:
    return any(lo <= code <= hi for lo, hi in ranges)


def test_every_character_of_the_basic_plane_and_beyond_is_classified_by_its_range() -> None:
    codes = [*range(0x10000), 0x1F600, 0x20000, 0x10FFFF]
    wrong = [
        hex(code)
        for code in codes
        if not 0xD800 <= code <= 0xDFFF  # lone surrogates are not text
        and (
            is_east_asian(f"a{chr(code)}b") != _in(_EAST_ASIAN_RANGES, code)
            or has_hangul(f"a{chr(code)}b") != _in(_HANGUL_RANGES, code)
        )
    ]
    assert wrong == []


@pytest.mark.parametrize(
    ("given", "family", "expected"),
    [
        ("민지", "김", "김민지"),
        ("Minji", "Kim", "Minji Kim"),
        ("はな", "山田", "山田はな"),
        ("José", "Peña", "José Peña"),
        ("Minji", "", "Minji"),
    ],
)
def test_display_name_puts_east_asian_family_names_first(
    given: str, family: str, expected: str
) -> None:
    assert display_name(given, family) == expected


def test_has_hangul_is_false_for_nothing() -> None:
    assert not has_hangul(None)
    assert not has_hangul("")


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        (None, "Jong-ho Lee"),
        (NameOrder.GIVEN_FIRST, "Jong-ho Lee"),
        (NameOrder.FAMILY_FIRST, "Lee Jong-ho"),
        ("family_first", "Lee Jong-ho"),  # as a row read without the ORM gives it
    ],
)
def test_display_name_follows_the_chosen_order_in_latin_letters(order, expected) -> None:
    assert display_name(" Jong-ho ", "Lee ", order) == expected


def test_display_name_writes_hangul_family_first_whatever_the_order() -> None:
    assert display_name("종호", "이", NameOrder.GIVEN_FIRST) == "이종호"
    assert display_name("Jong-ho", "", NameOrder.FAMILY_FIRST) == "Jong-ho"


@pytest.mark.parametrize(
    ("name_alt", "country", "expected"),
    [
        ("이종호", None, NameOrder.FAMILY_FIRST),
        (None, "KR", NameOrder.FAMILY_FIRST),
        (None, "kr", NameOrder.FAMILY_FIRST),
        ("치라그 파리크", "US", NameOrder.GIVEN_FIRST),  # a foreign name written in Hangul
        ("山田太郎", "JP", NameOrder.GIVEN_FIRST),
        (None, None, NameOrder.GIVEN_FIRST),
    ],
)
def test_default_order_is_family_first_for_a_korean(name_alt, country, expected) -> None:
    assert default_order(name_alt, country) is expected
