"""Organizations and speakers: the people and bodies that appear on an agenda."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventapp.models.base import Model, str_enum
from eventapp.names import NameOrder, display_name, sort_key

if TYPE_CHECKING:
    from eventapp.models.agenda import SessionSpeaker


class OrganizationKind(StrEnum):
    GOVERNMENT = "government"
    COMPANY = "company"
    ACADEMIA = "academia"
    NONPROFIT = "nonprofit"
    OTHER = "other"


class Organization(Model):
    __tablename__ = "organizations"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Stable key used by seed files to refer to the organization.
    key: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    name_ko: Mapped[str | None] = mapped_column(String(200))
    short_name: Mapped[str | None] = mapped_column(String(40))
    #: ISO 3166-1 alpha-2 code, e.g. "KR", "US".
    country: Mapped[str | None] = mapped_column(String(2))
    kind: Mapped[OrganizationKind] = mapped_column(
        str_enum(OrganizationKind), default=OrganizationKind.OTHER
    )
    website: Mapped[str | None] = mapped_column(String(300))
    #: Partnering profile (#16): a short description in either language, a logo file under
    #: the instance folder's `photos/`, and the registration that created it (may edit it).
    description: Mapped[str | None] = mapped_column(Text)
    description_ko: Mapped[str | None] = mapped_column(Text)
    logo: Mapped[str | None] = mapped_column(String(200))
    created_by_registration_id: Mapped[int | None] = mapped_column(
        ForeignKey("registrations.id", ondelete="SET NULL")
    )

    speakers: Mapped[list[Speaker]] = relationship(back_populates="organization")

    def __repr__(self) -> str:
        return f"<Organization {self.key}>"


class Speaker(Model):
    __tablename__ = "speakers"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Stable key used by seed files to refer to the speaker.
    key: Mapped[str] = mapped_column(String(80), unique=True)
    given_name: Mapped[str] = mapped_column(String(100))
    family_name: Mapped[str] = mapped_column(String(100), default="")
    #: The full name in a second script, as written there (e.g. 이종호, 마이클 C. 모건).
    name_alt: Mapped[str | None] = mapped_column(String(200))
    #: How the Latin-script name is written: given or family name first (#22).
    name_order: Mapped[NameOrder] = mapped_column(
        str_enum(NameOrder), default=NameOrder.GIVEN_FIRST, server_default="given_first"
    )
    position: Mapped[str | None] = mapped_column(String(300))
    position_ko: Mapped[str | None] = mapped_column(String(300))
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="SET NULL"), index=True
    )
    #: ISO 3166-1 alpha-2 code.
    country: Mapped[str | None] = mapped_column(String(2))
    bio: Mapped[str | None] = mapped_column(Text)
    bio_ko: Mapped[str | None] = mapped_column(Text)
    #: File name under the instance folder's `photos/` directory.
    photo: Mapped[str | None] = mapped_column(String(200))
    #: Private contact address; never shown on public pages.
    email: Mapped[str | None] = mapped_column(String(254))

    organization: Mapped[Organization | None] = relationship(back_populates="speakers")
    session_links: Mapped[list[SessionSpeaker]] = relationship(
        back_populates="speaker", cascade="all, delete-orphan"
    )

    @property
    def name(self) -> str:
        return display_name(self.given_name, self.family_name, self.name_order)

    @property
    def sort_key(self) -> tuple[str, str]:
        return sort_key(self.given_name, self.family_name)

    def __repr__(self) -> str:
        return f"<Speaker {self.key}>"
