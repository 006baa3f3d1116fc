"""Countries: the one list of ISO 3166-1 alpha-2 codes and their names in either language.

The names are Babel's (CLDR) territory names. CLDR also names regions that are not
countries (the EU, the UN, reserved and exceptional codes): they are left out everywhere,
so a code the registration form offers is one a seed file accepts and a badge prints.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from functools import cache

from babel import Locale

_NOT_COUNTRIES = frozenset("AC CP CQ DG EA EU EZ IC QO TA UN XA XB XK ZZ".split())  # noqa: SIM905


@cache
def country_choices(language: str) -> tuple[tuple[str, str], ...]:
    """Every country as (code, name in `language`), sorted by name as a reader expects."""
    territories = Locale.parse(language).territories
    countries = [(code, territories[code]) for code in country_codes()]
    return tuple(
        sorted(countries, key=lambda item: unicodedata.normalize("NFKD", item[1]).casefold())
    )


@cache
def country_codes() -> frozenset[str]:
    """The ISO 3166-1 alpha-2 codes of every country, in capitals."""
    territories: Mapping[str, str] = Locale("en").territories
    return frozenset(
        code
        for code in territories
        if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES
    )


def country_name(code: str | None, language: str) -> str:
    """The country's name in `language` (KR → 대한민국 in Korean); an unknown code as given,
    nothing for none."""
    if not code:
        return ""
    return Locale.parse(language).territories.get(code.upper(), code.upper())
