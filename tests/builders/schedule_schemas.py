"""Validate schedule exports against the upstream c3voc schemas (XSD and JSON schema).

The schemas are the files of the public voc/schedule repository, kept at `../shared/frab/`
beside the project (or where `FRAB_SCHEMAS` points): they are not copied into this tree,
so the suite checks exports against what schedule consumers really validate with. A run
without them fails and says where it looked, rather than passing unvalidated. `format`
keywords are checked here without optional packages.
"""

from __future__ import annotations

import json
import os
import re
import uuid
from datetime import date, datetime
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree as ET

import pytest
import xmlschema
from jsonschema import Draft6Validator, FormatChecker

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = Path(os.environ.get("FRAB_SCHEMAS") or ROOT.parent / "shared" / "frab")
XSD_FILE = SCHEMAS / "schedule.xml.xsd"
JSON_FILE = SCHEMAS / "schema.json"


def _schema_file(path: Path) -> Path:
    if not path.is_file():
        pytest.fail(
            f"the upstream c3voc schema {path.name} is not at {path.parent}: schedule exports "
            "cannot be validated (set FRAB_SCHEMAS to the folder holding schedule.xml.xsd "
            "and schema.json)",
            pytrace=False,
        )
    return path


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


@FORMATS.checks("color")
def _is_color(value: object) -> bool:
    return not isinstance(value, str) or bool(re.fullmatch(r"#[0-9a-fA-F]{6}", value))


@FORMATS.checks("uri")
def _is_uri(value: object) -> bool:
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    return parts.scheme in {"http", "https"} and bool(parts.netloc)


@cache
def _xsd() -> xmlschema.XMLSchema10:
    return xmlschema.XMLSchema10(str(_schema_file(XSD_FILE)))


@cache
def _json_validator() -> Draft6Validator:
    schema = json.loads(_schema_file(JSON_FILE).read_text(encoding="utf-8"))
    Draft6Validator.check_schema(schema)
    return Draft6Validator(schema, format_checker=FORMATS)


def validate_xml(document: bytes) -> None:
    """Raise `xmlschema.XMLSchemaValidationError` unless the XML fits the upstream XSD."""
    _xsd().validate(document.decode("utf-8"))


def json_errors(document: bytes) -> list[str]:
    """Every schema violation of the JSON document (empty when valid)."""
    data = json.loads(document)
    errors = _json_validator().iter_errors(data)
    return [f"{list(e.absolute_path)}: {e.message}" for e in errors]


def parse_xml(document: bytes) -> ET.Element:
    """Parse our own export back (trusted: produced by the code under test)."""
    return ET.fromstring(document)  # noqa: S314
