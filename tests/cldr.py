"""Words that Babel's CLDR data owns (zone, date and country names), derived for assertions.

Tests assert the exact text a page shows, but a zone's or a country's name in a language is
CLDR's to choose and changes between Babel releases (Asia/Seoul was "대한민국 표준시" and is now
"한국 표준시"). These helpers make the same calls the app makes, so a test pins what the project
writes around them, not what a dependency chose to call Seoul this year.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, get_timezone_name

SEOUL = ZoneInfo("Asia/Seoul")
#: The seeded test events' day: Wednesday, 8 November 2023.
EVENT_DAY = date(2023, 11, 8)


def zone_name(language: str, zone: ZoneInfo = SEOUL, day: date = EVENT_DAY) -> str:
    """The long name of `zone` on `day` in `language` ('Korean Standard Time')."""
    return get_timezone_name(
        datetime(day.year, day.month, day.day, 12, tzinfo=zone), "long", locale=language
    )


def full_date(language: str, day: date = EVENT_DAY) -> str:
    """`day` in CLDR's full date format ('Wednesday, November 8, 2023')."""
    return format_date(day, "full", locale=language)


def country(code: str, language: str = "en") -> str:
    """CLDR's name of a country in `language` ('South Korea', '대한민국')."""
    return Locale.parse(language).territories[code]
