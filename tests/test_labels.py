import re
from pathlib import Path

import pytest
from flask_babel import force_locale

from eventapp.labels import ALL_LABELS, MAIL_KIND_LABELS, choices
from eventapp.models import (
    Category,
    FollowUp,
    HostRole,
    OrganizationKind,
    OutboxStatus,
    OutcomeStatus,
    RegistrationStatus,
    Role,
    SessionKind,
    SpeakerRole,
)

ENUMS = [
    Category,
    FollowUp,
    OutcomeStatus,
    HostRole,
    OrganizationKind,
    OutboxStatus,
    RegistrationStatus,
    Role,
    SessionKind,
    SpeakerRole,
]


@pytest.mark.parametrize("enum_class", ENUMS)
def test_every_member_of_a_shown_enumeration_has_a_label(enum_class):
    table = next(t for t in ALL_LABELS if next(iter(t)).__class__ is enum_class)

    assert set(table) == set(enum_class)


def test_choices_are_translated_in_the_interface_language(ctx):
    with force_locale("ko"):
        korean = dict(choices(Role))
    with force_locale("en"):
        english = dict(choices(Role))

    assert english == {
        "admin": "Administrator",
        "organizer": "Organizer",
        "checkin": "Check-in staff",
        "rapporteur": "Rapporteur",
    }
    assert korean["admin"] == "관리자"
    assert set(korean) == set(english)


def test_every_kind_of_email_the_code_queues_has_a_label():
    sources = "".join(p.read_text() for p in Path("eventapp").rglob("*.py"))
    kinds = set(re.findall(r'kind="([a-z_]+)"', sources))
    kinds |= set(re.findall(r'_queue\(\s*"([a-z_]+)"', sources))
    kinds |= set(re.findall(r'_compose\(\s*"([a-z_]+)"', sources))
    assert kinds >= {"confirmation", "announcement", "update"}
    assert kinds <= set(MAIL_KIND_LABELS)
