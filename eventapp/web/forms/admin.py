"""Back-office forms for events, rooms and tracks, and the pieces every admin form shares.

Times are typed in the event's zone; `to_local`/`to_aware` convert at this edge.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    EmailField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional, ValidationError

from eventapp import countries
from eventapp.labels import choices
from eventapp.models import (
    AdmissionMode,
    Event,
    EventHost,
    HostRole,
    Organization,
    Room,
    Track,
    Venue,
)
from eventapp.services.setup.events import EventData, RoomData, TrackData
from eventapp.services.setup.hosts import HostData
from eventapp.services.setup.venues import VenueData
from eventapp.web.forms.registration import strip
from eventapp.web.templating import current_language

KO = {"lang": "ko"}
MAX_COUNT = 1_000_000


def reasonable_year(form: Any, field: Any) -> None:
    """Keep times in a range every database and time zone conversion handles."""
    if field.data is not None and not 2000 <= field.data.year <= 2100:
        raise ValidationError(_l("Enter a date between 2000 and 2100."))


def to_aware(value: datetime | None, zone: str) -> datetime | None:
    """A wall-clock time typed in `zone` as an aware datetime."""
    return value.replace(tzinfo=ZoneInfo(zone)) if value is not None else None


def to_local(value: datetime | None, zone: str) -> datetime | None:
    """An aware datetime as the wall-clock time in `zone`, for a datetime-local input."""
    return value.astimezone(ZoneInfo(zone)).replace(tzinfo=None) if value is not None else None


def blank(value: str | None) -> str | None:
    """Stripped text, or None when empty."""
    value = (value or "").strip()
    return value or None


def options(pairs: Iterable[tuple[Any, Any]]) -> list[SelectChoice]:
    """(value, label) pairs as WTForms 3.3 wants choices declared."""
    return [SelectChoice(value=value, label=label) for value, label in pairs]


def optional_id(value: Any) -> int | None:
    """Coerce a select's value to an id; the empty choice means None."""
    if value in (None, "", "None"):
        return None
    return int(value)


def local_time_field(label: Any, *, required: bool = True) -> DateTimeLocalField:
    first = DataRequired() if required else Optional()
    return DateTimeLocalField(label, validators=[first, reasonable_year], format="%Y-%m-%dT%H:%M")


def count_field(label: Any) -> IntegerField:
    return IntegerField(label, validators=[Optional(), NumberRange(min=0, max=MAX_COUNT)])


def country_choices() -> list[tuple[str, str]]:
    """The countries as the back office offers them: "name (code)" in the interface language."""
    names = countries.country_choices(current_language())
    return [("", "—"), *((code, f"{name} ({code})") for code, name in names)]


def _without_nul(value: Any) -> Any:
    # PostgreSQL text cannot hold NUL; nobody types one on purpose.
    return value.replace("\x00", "") if isinstance(value, str) else value


class AdminForm(FlaskForm):
    """Every back-office form: text arrives without NUL characters, choices stripped."""

    class Meta:
        def bind_field(self, form: Any, unbound_field: Any, options: dict[str, Any]) -> Any:
            filters = [*unbound_field.kwargs.get("filters", ()), _without_nul]
            # Optional() takes " \t " as empty and stops the checks: unstripped, it would
            # reach the database as a country or a status.
            if issubclass(unbound_field.field_class, SelectField):
                filters.append(strip)
            return unbound_field.bind(form=form, filters=filters, **options)


class ConfirmForm(AdminForm):
    """A POST button with nothing but the CSRF token (delete, cancel, resend…)."""


class EventForm(AdminForm):
    slug = StringField(_l("Address name (slug)"), validators=[DataRequired(), Length(max=80)])
    acronym = StringField(_l("Short name"), validators=[DataRequired(), Length(max=80)])
    title = StringField(_l("Title (English)"), validators=[DataRequired(), Length(max=300)])
    title_ko = StringField(
        _l("Title (Korean)"), validators=[Optional(), Length(max=300)], render_kw=KO
    )
    summary = TextAreaField(_l("Summary (English)"), validators=[Length(max=5000)])
    summary_ko = TextAreaField(_l("Summary (Korean)"), validators=[Length(max=5000)], render_kw=KO)
    timezone = SelectField(_l("Time zone"), default="Asia/Seoul", validators=[DataRequired()])
    starts_at = local_time_field(_l("Starts"))
    ends_at = local_time_field(_l("Ends"))
    registration_opens_at = local_time_field(_l("Registration opens"), required=False)
    registration_closes_at = local_time_field(_l("Registration closes"), required=False)
    capacity = count_field(_l("Capacity (empty: unlimited)"))
    show_seats_left = BooleanField(_l("Show the seats left on the public pages"))
    admission_mode = SelectField(_l("Who may register"), default=AdmissionMode.OPEN.value)
    contact_email = EmailField(
        _l("Contact email"), validators=[Optional(), Email(), Length(max=254)]
    )
    venue_id = SelectField(_l("Venue"), coerce=optional_id)
    privacy_controller = StringField(
        _l("Responsible for the registrants' data (English)"),
        description=_l("Shown in the privacy notice, e.g. the host ministry's division."),
        validators=[Optional(), Length(max=300)],
    )
    privacy_controller_ko = StringField(
        _l("Responsible for the registrants' data (Korean)"),
        validators=[Optional(), Length(max=300)],
        render_kw=KO,
    )
    retention_days = count_field(_l("Days after the event until the data is deleted"))
    is_published = BooleanField(_l("Published"))

    def __init__(self, venues: list[Venue], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.timezone.choices = [(z, z) for z in sorted(available_timezones())]
        self.venue_id.choices = [(None, "—")] + [(v.id, v.name) for v in venues]
        self.admission_mode.choices = choices(AdmissionMode)

    def load(self, event: Event) -> None:
        """Fill the form from an event, times in its zone."""
        self.process(obj=event)
        for name in ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at"):
            getattr(self, name).data = to_local(getattr(event, name), event.timezone)

    def to_data(self) -> EventData:
        zone = self.timezone.data
        return EventData(
            slug=self.slug.data.strip(),
            acronym=self.acronym.data.strip(),
            title=self.title.data.strip(),
            title_ko=blank(self.title_ko.data),
            summary=blank(self.summary.data),
            summary_ko=blank(self.summary_ko.data),
            timezone=zone,
            starts_at=to_aware(self.starts_at.data, zone),  # type: ignore[arg-type]
            ends_at=to_aware(self.ends_at.data, zone),  # type: ignore[arg-type]
            registration_opens_at=to_aware(self.registration_opens_at.data, zone),
            registration_closes_at=to_aware(self.registration_closes_at.data, zone),
            capacity=self.capacity.data,
            show_seats_left=bool(self.show_seats_left.data),
            admission_mode=AdmissionMode(self.admission_mode.data),
            contact_email=blank(self.contact_email.data),
            privacy_controller=blank(self.privacy_controller.data),
            privacy_controller_ko=blank(self.privacy_controller_ko.data),
            retention_days=self.retention_days.data,
            is_published=bool(self.is_published.data),
            venue_id=self.venue_id.data,
        )


class RoomForm(AdminForm):
    name = StringField(_l("Name (English)"), validators=[DataRequired(), Length(max=120)])
    name_ko = StringField(
        _l("Name (Korean)"), validators=[Optional(), Length(max=120)], render_kw=KO
    )
    capacity = count_field(_l("Seats"))
    position = IntegerField(
        _l("Order"), default=0, validators=[Optional(), NumberRange(min=0, max=1000)]
    )

    def load(self, room: Room) -> None:
        self.process(obj=room)

    def to_data(self) -> RoomData:
        return RoomData(
            name=self.name.data.strip(),
            name_ko=blank(self.name_ko.data),
            capacity=self.capacity.data,
            position=self.position.data or 0,
        )


class TrackForm(AdminForm):
    name = StringField(_l("Name (English)"), validators=[DataRequired(), Length(max=120)])
    name_ko = StringField(
        _l("Name (Korean)"), validators=[Optional(), Length(max=120)], render_kw=KO
    )
    color = StringField(
        _l("Colour (#rrggbb)"), validators=[Optional(), Length(max=7)], render_kw={"type": "color"}
    )
    position = IntegerField(
        _l("Order"), default=0, validators=[Optional(), NumberRange(min=0, max=1000)]
    )

    def load(self, track: Track) -> None:
        self.process(obj=track)

    def to_data(self) -> TrackData:
        return TrackData(
            name=self.name.data.strip(),
            name_ko=blank(self.name_ko.data),
            color=blank(self.color.data),
            position=self.position.data or 0,
        )


class VenueForm(AdminForm):
    name = StringField(_l("Name (English)"), validators=[DataRequired(), Length(max=200)])
    name_ko = StringField(
        _l("Name (Korean)"), validators=[Optional(), Length(max=200)], render_kw=KO
    )
    address = StringField(_l("Address (English)"), validators=[Optional(), Length(max=300)])
    address_ko = StringField(
        _l("Address (Korean)"), validators=[Optional(), Length(max=300)], render_kw=KO
    )
    city = StringField(_l("City"), validators=[Optional(), Length(max=100)])
    country = SelectField(_l("Country"), validators=[Optional()])
    key = StringField(_l("Key (for seed files)"), validators=[Optional(), Length(max=80)])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.country.choices = country_choices()

    def load(self, venue: Venue) -> None:
        self.process(obj=venue)

    def to_data(self) -> VenueData:
        return VenueData(
            name=self.name.data.strip(),
            key=(self.key.data or "").strip(),
            name_ko=blank(self.name_ko.data),
            address=blank(self.address.data),
            address_ko=blank(self.address_ko.data),
            city=blank(self.city.data),
            country=blank(self.country.data),
        )


class HostForm(AdminForm):
    organization_id = SelectField(_l("Organization"), coerce=optional_id)
    role = SelectField(_l("Role"), default=HostRole.HOST.value)
    position = IntegerField(
        _l("Order"), default=0, validators=[Optional(), NumberRange(min=0, max=1000)]
    )

    def __init__(self, organizations: list[Organization], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organization_id.choices = [(None, "—")] + [(o.id, o.name) for o in organizations]
        self.role.choices = choices(HostRole)

    def validate_organization_id(self, field: Any) -> None:
        if field.data is None:
            raise ValidationError(_l("Choose an organization."))

    def load(self, host: EventHost) -> None:
        self.process(obj=host)
        self.role.data = host.role.value

    def to_data(self) -> HostData:
        return HostData(
            organization_id=self.organization_id.data,
            role=HostRole(self.role.data),
            position=self.position.data or 0,
        )
