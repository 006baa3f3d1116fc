"""Interface names of the domain's enumerations, in one place (pages, feeds, imports).

Lazy strings: they are translated when shown, in the language of that moment.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from eventapp.models import HostRole, SessionKind, SpeakerRole

#: Interface names of the enumerations (glossary-ko.md terms).
KIND_LABELS = {
    SessionKind.REMARKS: _l("Remarks"),
    SessionKind.KEYNOTE: _l("Keynote"),
    SessionKind.BRIEFING: _l("Policy briefing"),
    SessionKind.TALK: _l("Talk"),
    SessionKind.PANEL: _l("Panel discussion"),
    SessionKind.WORKSHOP: _l("Workshop"),
    SessionKind.BREAK: _l("Break"),
    SessionKind.NETWORKING: _l("Networking"),
    SessionKind.OTHER: _l("Other"),
}
SPEAKER_ROLE_LABELS = {
    SpeakerRole.SPEAKER: _l("Speaker"),
    SpeakerRole.MODERATOR: _l("Moderator"),
    SpeakerRole.PANELIST: _l("Panelist"),
    SpeakerRole.PRESENTER: _l("Presenter"),
}
HOST_ROLE_LABELS = {
    HostRole.HOST: _l("Host"),
    HostRole.CO_ORGANIZER: _l("Co-organizer"),
    HostRole.SPONSOR: _l("Sponsor"),
    HostRole.PARTNER: _l("Partner"),
}
