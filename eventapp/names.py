"""How people's names are written: East Asian names family-first with no space.

DESIGN.md, "Names": 김민지 but Minji Kim; sorting is by family name.
"""

from __future__ import annotations

import re
import unicodedata

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


def display_name(given: str, family: str) -> str:
    """The full name as written: family-first without a space for East Asian scripts."""
    given, family = given.strip(), family.strip()
    if not family:
        return given
    if not given:
        return family
    if is_east_asian(given + family):
        return f"{family}{given}"
    return f"{given} {family}"


def sort_key(given: str, family: str) -> tuple[str, str]:
    """Sort by family name, then given name, ignoring case and accents."""

    def fold(text: str) -> str:
        decomposed = unicodedata.normalize("NFKD", text.strip())
        return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()

    return (fold(family), fold(given))
