"""One record per child, their family members, and case assignments."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from voice_app.accounts.models import Team, User
from voice_app.core.db import Base, UTCDateTime, str_enum, utcnow
from voice_app.core.working_days import Nation


class DevelopmentalBand(StrEnum):
    """The three age-adapted interfaces a child can be given."""

    EARLY = "early"  # about 4-7: no reading needed
    MIDDLE = "middle"  # about 8-12: short words with pictures
    TEEN = "teen"  # 13 and over: text first


class Relationship(StrEnum):
    MOTHER = "mother"
    FATHER = "father"
    STEP_PARENT = "step_parent"
    GRANDPARENT = "grandparent"
    SIBLING = "sibling"
    AUNT_UNCLE = "aunt_uncle"
    FOSTER_CARER = "foster_carer"
    SPECIAL_GUARDIAN = "special_guardian"
    OTHER = "other"


class AssignmentRole(StrEnum):
    LEAD = "lead"
    PRACTITIONER = "practitioner"
    INTERPRETER = "interpreter"


def band_for_age(years: int) -> DevelopmentalBand:
    """The band a child's age suggests; a practitioner may override it."""
    if years <= 7:
        return DevelopmentalBand.EARLY
    if years <= 12:
        return DevelopmentalBand.MIDDLE
    return DevelopmentalBand.TEEN


def age_on(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def band_in_use(override: DevelopmentalBand | None, years: int) -> DevelopmentalBand:
    """The band in use: the practitioner's override if any, else the one for the age."""
    return override or band_for_age(years)


class Child(Base):
    __tablename__ = "children"
    __table_args__ = (
        Index("ix_children_team_id_full_name", "team_id", "full_name"),
        # A practitioner's case list: the live children they lead, paged in the index's
        # order (name, then id) with no sort of them all, and counted from it alone.
        # Partial, with purged_at last: PostgreSQL orders by the columns that follow an
        # equality only, and SQLite reads purged_at from the index to count.
        Index(
            "ix_children_lead_practitioner_id_full_name_live",
            "lead_practitioner_id",
            "full_name",
            "id",
            "purged_at",
            sqlite_where=text("purged_at IS NULL"),
            postgresql_where=text("purged_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The local authority's case reference, shown on every page about the child.
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    #: What the child likes to be called; used in everything the child sees.
    preferred_name: Mapped[str | None] = mapped_column(String(100))
    date_of_birth: Mapped[date] = mapped_column(Date)
    gender: Mapped[str | None] = mapped_column(String(100))
    ethnicity: Mapped[str | None] = mapped_column(String(200))
    religion: Mapped[str | None] = mapped_column(String(200))
    address: Mapped[str | None] = mapped_column(Text)
    #: Interface language for the child's own space (a code from voice_app.i18n.LANGUAGES).
    preferred_language: Mapped[str] = mapped_column(String(10), default="en")
    communication_needs: Mapped[str | None] = mapped_column(Text)
    #: Symbols mode in the child's space (pictures first, words small, prompts read out):
    #: None follows the band (on for the early band); True or False is chosen for the child.
    uses_symbols: Mapped[bool | None] = mapped_column()
    #: The UK nation whose bank holidays count in the child's working-day deadlines.
    nation: Mapped[Nation] = mapped_column(
        str_enum(Nation, 20), default=Nation.ENGLAND_AND_WALES, server_default="england_wales"
    )
    band_override: Mapped[DevelopmentalBand | None] = mapped_column(str_enum(DevelopmentalBand, 10))
    band_override_reason: Mapped[str | None] = mapped_column(Text)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    lead_practitioner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: Closure: a case is closed with a summary, which sets the date its record is destroyed.
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    closing_summary: Mapped[str | None] = mapped_column(Text)
    destroy_on: Mapped[date | None] = mapped_column(Date, index=True)
    #: Set when the retention purge removed the record's content; the row stays as a tombstone.
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: A new random token whenever anything in the case is written (``core.case_revisions``);
    #: deferred: only the pages kept until the case changes read it.
    case_revision: Mapped[str | None] = mapped_column(String(32), deferred=True)

    team: Mapped[Team] = relationship()
    lead_practitioner: Mapped[User | None] = relationship(foreign_keys=[lead_practitioner_id])
    family_members: Mapped[list[FamilyMember]] = relationship(
        back_populates="child", order_by="FamilyMember.id"
    )
    assignments: Mapped[list[CaseAssignment]] = relationship(
        back_populates="child", order_by="CaseAssignment.id"
    )

    @property
    def display_name(self) -> str:
        return self.preferred_name or self.full_name

    def age(self, today: date) -> int:
        return age_on(self.date_of_birth, today)

    def band(self, today: date) -> DevelopmentalBand:
        """The band in use: the practitioner's override if any, else the one for the age."""
        return band_in_use(self.band_override, self.age(today))

    def symbols_mode(self, today: date) -> bool:
        """Whether the child's space shows pictures first: their setting, else their band's."""
        if self.uses_symbols is not None:
            return self.uses_symbols
        return self.band(today) is DevelopmentalBand.EARLY


class FamilyMember(Base):
    __tablename__ = "family_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    relationship_to_child: Mapped[Relationship] = mapped_column(str_enum(Relationship, 20))
    parental_responsibility: Mapped[bool] = mapped_column(default=False)
    preferred_language: Mapped[str] = mapped_column(String(10), default="en")
    interpreter_needed: Mapped[bool] = mapped_column(default=False)
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    child: Mapped[Child] = relationship(back_populates="family_members")


class CaseAssignment(Base):
    """Who works with a child, and for interpreters, for how long."""

    __tablename__ = "case_assignments"
    __table_args__ = (Index("ix_case_assignments_user_id_child_id", "user_id", "child_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    role_on_case: Mapped[AssignmentRole] = mapped_column(str_enum(AssignmentRole, 20))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: None means until ended; interpreters are always given an end.
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    child: Mapped[Child] = relationship(back_populates="assignments")
    user: Mapped[User] = relationship(foreign_keys=[user_id])

    def active_at(self, moment: datetime) -> bool:
        return self.starts_at <= moment and (self.ends_at is None or moment < self.ends_at)
