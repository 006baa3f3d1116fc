"""How people's names are written: East Asian names family-first with no space.

DESIGN.md, "Names": 김민지 but Minji Kim; sorting is by family name. A name in Latin
letters is given name first unless its owner chose family name first (#22: "Lee Jong-ho"
is how Korean government English writes it). `display_name` is the one place a full name
is put together, for pages, emails, badges, calendars, lists and exports alike.
"""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum

# Hangul syllables and jamo, CJK ideographs, Hiragana and Katakana.
_EAST_ASIAN_RANGES = (
    (0x1100, 0x11FF),
    (0x3040, 0x30FF),
    (0x3130, 0x318F),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xA960, 0xA97F),
    (0xAC00, 0xD7AF),
    (0xD7B0, 0xD7FF),
    (0xF900, 0xFAFF),
)
_HANGUL_RANGES = ((0x1100, 0x11FF), (0x3130, 0x318F), (0xAC00, 0xD7AF))


def _character_class(ranges: tuple[tuple[int, int], ...]) -> re.Pattern[str]:
    return re.compile("[" + "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in ranges) + "]")


# Searched with a regular expression: names are checked in every email and on every list.
_EAST_ASIAN = _character_class(_EAST_ASIAN_RANGES)
_HANGUL = _character_class(_HANGUL_RANGES)


def is_east_asian(text: str) -> bool:
    """True when the text contains Hangul, kana or CJK ideographs."""
    return _EAST_ASIAN.search(text) is not None


def has_hangul(text: str | None) -> bool:
    """True when the text contains a Hangul character."""
    return bool(text) and _HANGUL.search(text) is not None  # type: ignore[arg-type]


class NameOrder(StrEnum):
    """How a name in Latin letters is written; the person chooses (#22)."""

    #: Jong-ho Lee
    GIVEN_FIRST = "given_first"
    #: Lee Jong-ho
    FAMILY_FIRST = "family_first"


def default_order(name_alt: str | None, country: str | None) -> NameOrder:
    """The order for someone who did not choose one: family name first for a Korean (Korea
    as the country, or a Korean name in Hangul: one word, 이종호, where a foreign name
    written in Hangul has its spaces, 치라그 파리크), else given name first."""
    korean_name = bool(name_alt) and has_hangul(name_alt) and len(name_alt.split()) == 1  # type: ignore[union-attr]
    if korean_name or (country or "").upper() == "KR":
        return NameOrder.FAMILY_FIRST
    return NameOrder.GIVEN_FIRST


def display_name(given: str, family: str, order: NameOrder | str | None = None) -> str:
    """The full name as written: family-first without a space for East Asian scripts; in
    Latin letters in the person's `order` (given name first when None)."""
    given, family = given.strip(), family.strip()
    if not family:
        return given
    if not given:
        return family
    if is_east_asian(given + family):
        return f"{family}{given}"
    if order == NameOrder.FAMILY_FIRST:
        return f"{family} {given}"
    return f"{given} {family}"


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.strip())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def sort_key(given: str, family: str) -> tuple[str, str]:
    """Sort by family name, then given name, ignoring case and accents."""
    return (_fold(family), _fold(given))


def sort_key_in(
    given: str, family: str, name_alt: str | None, language: str
) -> tuple[int, str, str]:
    """Sort as the list is read in `language`. In Korean, names shown in Hangul come first,
    in 가나다 order of their family name (the first syllable of a Korean name, the last
    word of a transliterated one: 마이클 C. 모건 under ㅁ), then the others by `sort_key`."""
    if language == "ko" and name_alt and has_hangul(name_alt):
        words = name_alt.split()
        if len(words) > 1:  # a foreign name written in Hangul, given name first
            return (0, words[-1], " ".join(words[:-1]))
        return (0, name_alt, "")  # a Korean name: family name first, no space
    return (1, *sort_key(given, family))
