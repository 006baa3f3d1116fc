"""Agenda editor forms: a session, and a speaker's part in it."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from eventapp.labels import choices
from eventapp.models import AgendaSession, Event, SessionKind, Speaker, SpeakerRole
from eventapp.services.agenda.sessions import SessionData
from eventapp.web.forms.admin import (
    KO,
    AdminForm,
    blank,
    count_field,
    local_time_field,
    optional_id,
    options,
    to_aware,
    to_local,
)

LANGUAGES = options([("en", "English"), ("ko", "한국어"), ("en,ko", "English + 한국어")])


class SessionForm(AdminForm):
    title = StringField(_l("Title (English)"), validators=[DataRequired(), Length(max=300)])
    title_ko = StringField(
        _l("Title (Korean)"), validators=[Optional(), Length(max=300)], render_kw=KO
    )
    subtitle = StringField(_l("Subtitle (English)"), validators=[Optional(), Length(max=300)])
    subtitle_ko = StringField(
        _l("Subtitle (Korean)"), validators=[Optional(), Length(max=300)], render_kw=KO
    )
    description = TextAreaField(_l("Description (English)"), validators=[Length(max=10000)])
    description_ko = TextAreaField(
        _l("Description (Korean)"), validators=[Length(max=10000)], render_kw=KO
    )
    kind = SelectField(_l("Kind"), default=SessionKind.TALK.value)
    language = SelectField(_l("Spoken language"), choices=LANGUAGES, default="en")
    starts_at = local_time_field(_l("Starts"))
    ends_at = local_time_field(_l("Ends"))
    room_id = SelectField(_l("Room"), coerce=optional_id, validate_choice=True)
    track_id = SelectField(_l("Track"), coerce=optional_id, validate_choice=True)
    capacity = count_field(_l("Seats needing sign-up (empty: open to all)"))
    is_published = BooleanField(_l("Published"), default=True)
    #: Shown only after conflicts were found: the organizer saves anyway, knowingly.
    save_anyway = BooleanField(_l("I have seen the conflicts above: save anyway"))

    def __init__(self, event: Event, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.zone = event.timezone
        self.kind.choices = choices(SessionKind)
        none = [(None, "—")]
        self.room_id.choices = none + [(r.id, r.name) for r in event.rooms]
        self.track_id.choices = none + [(t.id, t.name) for t in event.tracks]

    def load(self, session: AgendaSession) -> None:
        self.process(obj=session)
        self.kind.data = session.kind.value
        self.starts_at.data = to_local(session.starts_at, self.zone)
        self.ends_at.data = to_local(session.ends_at, self.zone)

    def to_data(self) -> SessionData:
        return SessionData(
            title=self.title.data.strip(),
            title_ko=blank(self.title_ko.data),
            subtitle=blank(self.subtitle.data),
            subtitle_ko=blank(self.subtitle_ko.data),
            description=blank(self.description.data),
            description_ko=blank(self.description_ko.data),
            kind=SessionKind(self.kind.data),
            language=self.language.data,
            starts_at=to_aware(self.starts_at.data, self.zone),  # type: ignore[arg-type]
            ends_at=to_aware(self.ends_at.data, self.zone),  # type: ignore[arg-type]
            room_id=self.room_id.data,
            track_id=self.track_id.data,
            capacity=self.capacity.data,
            is_published=bool(self.is_published.data),
        )


class SpeakerLinkForm(AdminForm):
    speaker_id = SelectField(_l("Speaker"), coerce=optional_id, validators=[DataRequired()])
    role = SelectField(_l("Role"), default=SpeakerRole.SPEAKER.value)

    def __init__(self, speakers: list[Speaker], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.speaker_id.choices = [(s.id, s.name) for s in speakers]
        self.role.choices = choices(SpeakerRole)
