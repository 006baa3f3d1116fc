"""Validate schedule exports against transcriptions of the c3voc XSD and JSON schema.

The two schema files beside this module are transcriptions (see their header comments),
not the upstream files; `format` keywords are checked here without optional packages.
"""

from __future__ import annotations

import json
import uuid
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree as ET

import xmlschema
from jsonschema import Draft7Validator, FormatChecker

HERE = Path(__file__).resolve().parent
XSD = xmlschema.XMLSchema10(str(HERE / "frab_schedule.xsd"))
JSON_SCHEMA = json.loads((HERE / "frab_schedule.schema.json").read_text(encoding="utf-8"))

FORMATS = FormatChecker(formats=())


@FORMATS.checks("date", raises=ValueError)
def _is_date(value: object) -> bool:
    return not isinstance(value, str) or bool(date.fromisoformat(value))


@FORMATS.checks("date-time", raises=ValueError)
def _is_datetime(value: object) -> bool:
    return not isinstance(value, str) or datetime.fromisoformat(value).tzinfo is not None


@FORMATS.checks("uuid", raises=ValueError)
def _is_uuid(value: object) -> bool:
    return not isinstance(value, str) or bool(uuid.UUID(value))


@FORMATS.checks("uri")
def _is_uri(value: object) -> bool:
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    return parts.scheme in {"http", "https"} and bool(parts.netloc)


VALIDATOR = Draft7Validator(JSON_SCHEMA, format_checker=FORMATS)


def validate_xml(document: bytes) -> None:
    """Raise `xmlschema.XMLSchemaValidationError` unless the XML fits the XSD."""
    XSD.validate(document.decode("utf-8"))


def json_errors(document: bytes) -> list[str]:
    """Every schema violation of the JSON document (empty when valid)."""
    data = json.loads(document)
    return [f"{list(e.absolute_path)}: {e.message}" for e in VALIDATOR.iter_errors(data)]


def parse_xml(document: bytes) -> ET.Element:
    """Parse our own export back (trusted: produced by the code under test)."""
    return ET.fromstring(document)  # noqa: S314
