"""Forms of the outcomes pages: key points, a recommendation, rapporteurs, follow-up."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, EmailField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from eventapp.labels import choices
from eventapp.models import (
    AgendaSession,
    FollowUp,
    Organization,
    PartneringTag,
    Recommendation,
    Speaker,
)
from eventapp.models.outcomes import KEY_POINTS_MAX, NOTE_MAX, RECOMMENDATION_MAX
from eventapp.services.outcomes.recording import RecommendationData
from eventapp.web.forms.admin import AdminForm
from eventapp.web.forms.registration import SessionChoiceField, strip
from eventapp.web.templating import localized

_TEXT_HINT = _l("Plain text: a blank line starts a paragraph, lines starting “- ” make a list.")


class KeyPointsForm(AdminForm):
    key_points = TextAreaField(
        _l("Key points (English)"),
        validators=[Optional(), Length(max=KEY_POINTS_MAX)],
        render_kw={"rows": 10, "lang": "en"},
    )
    key_points_ko = TextAreaField(
        _l("Key points (Korean)"),
        validators=[Optional(), Length(max=KEY_POINTS_MAX)],
        render_kw={"rows": 10, "lang": "ko"},
    )


def _organization_label(organization: Organization) -> str:
    name = organization.name
    if organization.short_name and organization.short_name != name:
        name += f" ({organization.short_name})"
    return f"{name} · {organization.name_ko}" if organization.name_ko else name


class RecommendationForm(AdminForm):
    text_en = TextAreaField(
        _l("Recommendation (English)"),
        validators=[Length(max=RECOMMENDATION_MAX)],
        render_kw={"rows": 4, "lang": "en"},
    )
    text_ko = TextAreaField(
        _l("Recommendation (Korean)"),
        validators=[Length(max=RECOMMENDATION_MAX)],
        render_kw={"rows": 4, "lang": "ko"},
    )
    #: Unknown ids reach the service, which names them (`validate_choice=False`).
    owner_ids = SessionChoiceField(_l("Owners"), coerce=int, choices=[], validate_choice=False)
    speaker_ids = SessionChoiceField(
        _l("Made by (speakers)"), coerce=int, choices=[], validate_choice=False
    )
    organization_ids = SessionChoiceField(
        _l("Made by (organizations)"), coerce=int, choices=[], validate_choice=False
    )
    #: Free tags, where the event has no partnering tags ...
    tags = StringField(
        _l("Tags (separated by commas)"), validators=[Optional(), Length(max=600)], filters=[strip]
    )
    #: ... else the partnering tags, as check boxes (the service refuses any other).
    tag_keys = SessionChoiceField(_l("Tags"), choices=[], validate_choice=False)
    follow_up = SelectField(_l("Follow-up"), default=FollowUp.OPEN.value)
    due_on = DateField(_l("Due date"), validators=[Optional()])
    note = TextAreaField(
        _l("Follow-up note"), validators=[Optional(), Length(max=NOTE_MAX)], render_kw={"rows": 2}
    )

    def __init__(
        self,
        owners: Sequence[Organization],
        speakers: Sequence[Speaker],
        organizations: Sequence[Organization],
        tags: Mapping[str, PartneringTag] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.tag_keys.choices = [(key, localized(tag, "name")) for key, tag in (tags or {}).items()]
        self.owner_ids.choices = [(o.id, _organization_label(o)) for o in owners]
        self.speaker_ids.choices = [
            (
                s.id,
                s.name + (f" · {s.name_alt}" if s.name_alt else ""),
            )
            for s in speakers
        ]
        self.organization_ids.choices = [(o.id, _organization_label(o)) for o in organizations]
        self.follow_up.choices = choices(FollowUp)

    def load(self, recommendation: Recommendation) -> None:
        self.text_en.data = recommendation.text_en
        self.text_ko.data = recommendation.text_ko
        self.owner_ids.data = [o.id for o in recommendation.owners]
        self.speaker_ids.data = [s.id for s in recommendation.speakers]
        self.organization_ids.data = [o.id for o in recommendation.organizations]
        self.tags.data = ", ".join(tag.name for tag in recommendation.tags)
        self.tag_keys.data = [tag.name for tag in recommendation.tags]
        self.follow_up.data = recommendation.follow_up.value
        self.due_on.data = recommendation.due_on
        self.note.data = recommendation.note

    def to_data(self) -> RecommendationData:
        follow_up = self.follow_up.data
        return RecommendationData(
            text_en=self.text_en.data or "",
            text_ko=self.text_ko.data or "",
            owner_ids=tuple(self.owner_ids.data or ()),
            speaker_ids=tuple(self.speaker_ids.data or ()),
            organization_ids=tuple(self.organization_ids.data or ()),
            tags=tuple(self.tag_keys.data or ())
            if self.uses_partnering_tags
            else tuple((self.tags.data or "").split(",")),
            follow_up=FollowUp(follow_up) if follow_up in set(FollowUp) else FollowUp.OPEN,
            due_on=self.due_on.data,
            note=self.note.data or "",
        )

    @property
    def uses_partnering_tags(self) -> bool:
        return bool(self.tag_keys.choices)

    def validate_follow_up(self, field: Any) -> None:
        if field.data not in {member.value for member in FollowUp}:
            from wtforms.validators import ValidationError

            raise ValidationError(_l("Choose one of the listed states."))


class PublishForm(AdminForm):
    published = HiddenField(default="yes")

    @property
    def wants_published(self) -> bool:
        return self.published.data != "no"


class RapporteurForm(AdminForm):
    email = EmailField(
        _l("Rapporteur's email"),
        validators=[InputRequired(), Length(max=254)],
        filters=[strip],
    )
    session_id = SelectField(_l("Outcomes of"), coerce=int, default=0)

    def __init__(self, sessions: Sequence[AgendaSession], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.session_id.choices = [(0, str(_l("The whole event")))] + [
            (s.id, s.title) for s in sessions
        ]


class FollowUpFilterForm(FlaskForm):
    """The filters of the follow-up list (GET: no CSRF token, nothing changes)."""

    class Meta:
        csrf = False

    owner = SelectField(_l("Owner"), coerce=int, default=0, validate_choice=False)
    state = SelectField(_l("Follow-up"), default="")
    due_by = DateField(_l("Due by"), validators=[Optional()])

    def __init__(self, owners: Sequence[Organization], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.owner.choices = [(0, str(_l("Every owner")))] + [
            (o.id, _organization_label(o)) for o in owners
        ]
        self.state.choices = [("", str(_l("Every state"))), *choices(FollowUp)]


class SendListForm(AdminForm):
    owner_id = SelectField(_l("Owner"), coerce=int, validate_choice=False)
    contact_name = StringField(
        _l("Contact's name"), validators=[InputRequired(), Length(max=200)], filters=[strip]
    )
    contact_email = EmailField(
        _l("Contact's email"), validators=[InputRequired(), Length(max=254)], filters=[strip]
    )
    note = TextAreaField(
        _l("Note"), validators=[Optional(), Length(max=2000)], render_kw={"rows": 3}
    )

    def __init__(self, owners: Sequence[Organization], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.owner_id.choices = [(o.id, _organization_label(o)) for o in owners]
