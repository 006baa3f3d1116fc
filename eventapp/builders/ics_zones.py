"""The time zones of one calendar file: its own VTIMEZONEs, IANA, Windows and Outlook names.

icalendar keeps the VTIMEZONE definitions it parses in one cache for the whole process, and
the first definition of a TZID wins: two Outlook files that both define "Customized Time
Zone" (+09:00 in one, -05:00 in the other) would read the second in the first one's zone,
depending on which file this worker read before. So a file's TZIDs are resolved again here
with a provider of its own (icalendar's public `TZP`), which knows this file's definitions
and nothing else, exactly as a fresh process would read the file.
"""

from __future__ import annotations

import re
import warnings
from datetime import UTC, date, datetime, time, tzinfo

import icalendar
from icalendar.error import GloballyUniqueTZIDGuessed
from icalendar.timezone import TZP

#: Outlook writes a Windows zone's display name as TZID when it leaves the VTIMEZONE out.
#: Display name → Windows zone ID; icalendar's CLDR windowsZones table gives the IANA zone.
#: Taken from node-ical's build/windowsZonesOld.json (Apache-2.0), keys normalized by
#: `_display_key` ("(GMT" is read as "(UTC", "and" as "&").
OUTLOOK_DISPLAY_NAMES = {
    "(UTC-12:00) International Date Line West": "Dateline Standard Time",
    "(UTC-11:00) Midway Island, Samoa": "Samoa Standard Time",
    "(UTC-10:00) Hawaii": "Hawaiian Standard Time",
    "(UTC-09:00) Alaska": "Alaskan Standard Time",
    "(UTC-08:00) Pacific Time (US & Canada); Tijuana": "Pacific Standard Time",
    "(UTC-08:00) Pacific Time (US & Canada)": "Pacific Standard Time",
    "(UTC-08:00) Tijuana, Baja California": "Pacific Standard Time (Mexico)",
    "(UTC-07:00) Mountain Time (US & Canada)": "Mountain Standard Time",
    "(UTC-07:00) Chihuahua, La Paz, Mazatlan": "Mountain Standard Time (Mexico)",
    "(UTC-07:00) Chihuahua, La Paz, Mazatlan - New": "Mountain Standard Time (Mexico)",
    "(UTC-07:00) Arizona": "US Mountain Standard Time",
    "(UTC-06:00) Central Time (US & Canada)": "Central Standard Time",
    "(UTC-06:00) Saskatchewan": "Canada Central Standard Time",
    "(UTC-06:00) Guadalajara, Mexico City, Monterrey": "Central Standard Time (Mexico)",
    "(UTC-06:00) Guadalajara, Mexico City, Monterrey - New": "Central Standard Time (Mexico)",
    "(UTC-06:00) Central America": "Central America Standard Time",
    "(UTC-05:00) Eastern Time (US & Canada)": "Eastern Standard Time",
    "(UTC-05:00) Indiana (East)": "US Eastern Standard Time",
    "(UTC-05:00) Bogota, Lima, Quito": "SA Pacific Standard Time",
    "(UTC-04:30) Caracas": "Venezuela Standard Time",
    "(UTC-04:00) Atlantic Time (Canada)": "Atlantic Standard Time",
    "(UTC-04:00) Georgetown, La Paz, San Juan": "SA Western Standard Time",
    "(UTC-04:00) Santiago": "Pacific SA Standard Time",
    "(UTC-04:00) Manaus": "Central Brazilian Standard Time",
    "(UTC-04:00) Asuncion": "Paraguay Standard Time",
    "(UTC-03:30) Newfoundland": "Newfoundland Standard Time",
    "(UTC-03:00) Brasilia": "E. South America Standard Time",
    "(UTC-03:00) Georgetown": "SA Eastern Standard Time",
    "(UTC-03:00) Greenland": "Greenland Standard Time",
    "(UTC-03:00) Montevideo": "Montevideo Standard Time",
    "(UTC-03:00) Buenos Aires": "Argentina Standard Time",
    "(UTC-02:00) Mid-Atlantic": "UTC-02",
    "(UTC-01:00) Azores": "Azores Standard Time",
    "(UTC-01:00) Cape Verde Islands": "Cape Verde Standard Time",
    "(UTC) Greenwich Mean Time: Dublin, Edinburgh, Lisbon, London": "GMT Standard Time",
    "(UTC) Monrovia, Reykjavik": "Greenwich Standard Time",
    "(UTC) Casablanca": "Morocco Standard Time",
    "(UTC) Coordinated Universal Time": "UTC",
    "(UTC+01:00) Belgrade, Bratislava, Budapest, Ljubljana, Prague": "Central Europe Standard Time",
    "(UTC+01:00) Sarajevo, Skopje, Warsaw, Zagreb": "Central European Standard Time",
    "(UTC+01:00) Brussels, Copenhagen, Madrid, Paris": "Romance Standard Time",
    "(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna": "W. Europe Standard Time",
    "(UTC+01:00) West Central Africa": "W. Central Africa Standard Time",
    "(UTC+02:00) Minsk": "E. Europe Standard Time",
    "(UTC+02:00) Cairo": "Egypt Standard Time",
    "(UTC+02:00) Helsinki, Kiev, Riga, Sofia, Tallinn, Vilnius": "FLE Standard Time",
    "(UTC+02:00) Athens, Bucharest, Istanbul": "GTB Standard Time",
    "(UTC+02:00) Jerusalem": "Israel Standard Time",
    "(UTC+02:00) Harare, Pretoria": "South Africa Standard Time",
    "(UTC+02:00) Beirut": "Middle East Standard Time",
    "(UTC+02:00) Amman": "Jordan Standard Time",
    "(UTC+02:00) Windhoek": "Namibia Standard Time",
    "(UTC+03:00) Moscow, St. Petersburg, Volgograd": "Russian Standard Time",
    "(UTC+03:00) Kuwait, Riyadh": "Arab Standard Time",
    "(UTC+03:00) Nairobi": "E. Africa Standard Time",
    "(UTC+03:00) Baghdad": "Arabic Standard Time",
    "(UTC+03:00) Tbilisi": "Georgian Standard Time",
    "(UTC+03:30) Tehran": "Iran Standard Time",
    "(UTC+04:00) Abu Dhabi, Muscat": "Arabian Standard Time",
    "(UTC+04:00) Baku, Tbilisi, Yerevan": "Caucasus Standard Time",
    "(UTC+04:00) Baku": "Azerbaijan Standard Time",
    "(UTC+04:00) Yerevan": "Caucasus Standard Time",
    "(UTC+04:00) Port Louis": "Mauritius Standard Time",
    "(UTC+04:30) Kabul": "Afghanistan Standard Time",
    "(UTC+05:00) Ekaterinburg": "Ekaterinburg Standard Time",
    "(UTC+05:00) Tashkent": "West Asia Standard Time",
    "(UTC+05:00) Islamabad, Karachi": "Pakistan Standard Time",
    "(UTC+05:30) Chennai, Kolkata, Mumbai, New Delhi": "India Standard Time",
    "(UTC+05:45) Kathmandu": "Nepal Standard Time",
    "(UTC+06:00) Astana, Dhaka": "Central Asia Standard Time",
    "(UTC+06:00) Sri Jayawardenepura": "Sri Lanka Standard Time",
    "(UTC+06:00) Almaty, Novosibirsk": "N. Central Asia Standard Time",
    "(UTC+06:30) Yangon (Rangoon)": "Myanmar Standard Time",
    "(UTC+07:00) Bangkok, Hanoi, Jakarta": "SE Asia Standard Time",
    "(UTC+07:00) Krasnoyarsk": "North Asia Standard Time",
    "(UTC+08:00) Beijing, Chongqing, Hong Kong, Urumqi": "China Standard Time",
    "(UTC+08:00) Kuala Lumpur, Singapore": "Singapore Standard Time",
    "(UTC+08:00) Taipei": "Taipei Standard Time",
    "(UTC+08:00) Perth": "W. Australia Standard Time",
    "(UTC+08:00) Irkutsk, Ulaanbaatar": "North Asia East Standard Time",
    "(UTC+09:00) Seoul": "Korea Standard Time",
    "(UTC+09:00) Osaka, Sapporo, Tokyo": "Tokyo Standard Time",
    "(UTC+09:00) Yakutsk": "Yakutsk Standard Time",
    "(UTC+09:30) Darwin": "AUS Central Standard Time",
    "(UTC+09:30) Adelaide": "Cen. Australia Standard Time",
    "(UTC+10:00) Canberra, Melbourne, Sydney": "AUS Eastern Standard Time",
    "(UTC+10:00) Brisbane": "E. Australia Standard Time",
    "(UTC+10:00) Hobart": "Tasmania Standard Time",
    "(UTC+10:00) Vladivostok": "Vladivostok Standard Time",
    "(UTC+10:00) Guam, Port Moresby": "West Pacific Standard Time",
    "(UTC+11:00) Magadan, Solomon Islands, New Caledonia": "Central Pacific Standard Time",
    "(UTC+12:00) Fiji, Kamchatka, Marshall Is.": "Fiji Standard Time",
    "(UTC+12:00) Auckland, Wellington": "New Zealand Standard Time",
    "(UTC+12:00) Petropavlovsk-Kamchatsky": "Russia Time Zone 11",
    "(UTC+13:00) Nuku'alofa": "Tonga Standard Time",
}

#: The date-time properties of an event that can carry a TZID (RFC 5545 §3.2.19).
ZONED_PROPERTIES = ("DTSTART", "DTEND", "RECURRENCE-ID", "EXDATE", "RDATE")


def _display_key(name: str) -> str:
    key = re.sub(r"\s+", " ", name).strip().casefold()
    return key.replace("(gmt", "(utc").replace(" and ", " & ")


_DISPLAY_KEYS = {_display_key(name): windows for name, windows in OUTLOOK_DISPLAY_NAMES.items()}


class FileZones:
    """Resolve TZIDs with one file's own VTIMEZONE definitions, then IANA and Windows names."""

    def __init__(self, calendar: icalendar.Calendar, aliases: dict[str, str]) -> None:
        self._provider = TZP()
        self._aliases = aliases
        self._resolved: dict[str, tzinfo | None] = {}
        #: TZIDs of VTIMEZONE definitions that cannot be read.
        self.unreadable: list[str] = []
        for component in calendar.walk("VTIMEZONE"):
            try:
                self._provider.cache_timezone_component(component)
            except Exception:  # dateutil and icalendar raise many types for broken rules
                self.unreadable.append(str(component.get("TZID", "")))

    def resolve(self, tzid: str) -> tzinfo | None:
        """The zone this file means by `tzid`, or None when nothing names it."""
        if tzid not in self._resolved:
            zone = self._lookup(tzid)
            if zone is None and tzid in self._aliases:  # a second TZID of one VTIMEZONE
                zone = self._lookup(self._aliases[tzid])
            self._resolved[tzid] = zone
        return self._resolved[tzid]

    def _lookup(self, tzid: str) -> tzinfo | None:
        with warnings.catch_warnings():
            # "/vendor/Europe/Berlin" is read as Europe/Berlin, with a warning we do not need.
            warnings.simplefilter("ignore", GloballyUniqueTZIDGuessed)
            try:
                zone = self._provider.timezone(tzid)
                windows = _DISPLAY_KEYS.get(_display_key(tzid))
                if zone is None and windows is not None:
                    zone = self._provider.timezone(windows)
            except Exception:  # a TZID icalendar cannot even look up is an unknown one
                return None
        return zone

    def localize(self, component: icalendar.cal.Component) -> set[str]:
        """Give each zoned date-time of `component` this file's zone; return unknown TZIDs."""
        unknown: set[str] = set()
        for name in ZONED_PROPERTIES:
            raw = component.get(name)
            for prop in raw if isinstance(raw, list) else [] if raw is None else [raw]:
                tzid = prop.params.get("TZID") if hasattr(prop, "params") else None
                if not isinstance(tzid, str):
                    continue
                zone = self.resolve(tzid)
                for value in getattr(prop, "dts", [prop]):
                    if not isinstance(getattr(value, "dt", None), datetime):
                        continue  # a date, or a period (rare in RDATE): no zone to give
                    if zone is None:
                        unknown.add(tzid)
                    else:
                        value.dt = self._provider.localize(value.dt.replace(tzinfo=None), zone)
        return unknown


def to_utc(value: date | datetime, zone: tzinfo) -> datetime:
    """`value` in UTC; a date is its midnight in `zone`, a floating time is read in `zone`."""
    if not isinstance(value, datetime):
        value = datetime.combine(value, time(0), tzinfo=zone)
    elif value.tzinfo is None:  # floating time: the event's own zone
        value = value.replace(tzinfo=zone)
    return value.astimezone(UTC)
