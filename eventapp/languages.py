"""The two languages of the content, and how a piece of content is chosen in one of them.

Content has an English field and, where it has one, a Korean twin named `<field>_ko`
(DESIGN.md, "Bilingual content"). People have a name and, optionally, the same name in
another script (`name_alt`): in Korean, a Hangul one is used.
"""

from __future__ import annotations

from typing import Any

from eventapp.names import has_hangul

#: The languages of the interface and the content; the first is the default.
LANGUAGES = ("en", "ko")


def normalize_language(language: str | None) -> str:
    """'ko' or 'en' from a code such as 'ko-KR' or 'en_US' (anything else: English)."""
    code = (language or "").split("-")[0].split("_")[0].lower()
    return code if code in LANGUAGES else LANGUAGES[0]


def pick(obj: Any, field: str, language: str) -> tuple[str, str]:
    """(text, its language): `obj.<field>_ko` in Korean when it is filled, else the English
    field ("" when that is empty too)."""
    if language == "ko":
        value = getattr(obj, f"{field}_ko", None)
        if value:
            return value, "ko"
    return getattr(obj, field) or "", "en"


def in_language(obj: Any, field: str, language: str) -> str:
    """`obj.<field>` in `language`: the Korean twin where filled, else the English text."""
    return pick(obj, field, language)[0]


def name_in(name: str, name_alt: str | None, language: str) -> str:
    """A person's name in `language`: in Korean, their name in Hangul where they gave one."""
    if language == "ko" and name_alt and has_hangul(name_alt):
        return name_alt
    return name
