"""The stored data of verzuimdesk: SQLModel tables.

Times of day are stored as minutes since midnight (``int``), so that minute arithmetic is exact and the
same on SQLite and PostgreSQL. Dates are ``datetime.date``. Attendance is stored sparsely: only what
happened (absence entries); presence is derived from the timetable and the calendar.

Glossary of Dutch terms used in identifiers: ``docs/glossary.md``.

Why this file is long: the core tables (school, calendar, groups, timetable, pupils, register, settings, audit)
reference each other and are read together; the law engine's, documents', letters' and security tables live in
their own modules.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import DateTime, Index, UniqueConstraint
from sqlalchemy.orm import declared_attr
from sqlmodel import Field, SQLModel


def _versioned(cls: Any) -> dict[str, Any]:
    """Mapper arguments of a table whose rows carry a version (issue 14 point 3, schema 0010): SQLAlchemy adds
    ``AND version = <loaded>`` to every UPDATE and DELETE and counts it up, so a row changed by another PC
    in the meantime is never overwritten (the save fails; :mod:`verzuimdesk.model.concurrency`)."""
    return {"version_id_col": cls.__table__.c.version}


# Use as ``__mapper_args__ = VERSIONED`` together with a ``version`` field made by :func:`version_field`.
VERSIONED: Any = declared_attr(_versioned)  # type: ignore[arg-type]


def version_field() -> Any:
    """The ``version`` column of a versioned table: 1 for a new row, counted up by every change."""
    return Field(default=1, sa_column_kwargs={"server_default": "1"})


class Sector(StrEnum):
    """School sector (domain.md §1, §12)."""

    PO = "po"
    SBO = "sbo"
    SO = "so"
    VSO = "vso"


class Region(StrEnum):
    """School holiday region (Regeling vaststelling schoolvakanties 2025-2030)."""

    NOORD = "noord"
    MIDDEN = "midden"
    ZUID = "zuid"


class Category(StrEnum):
    """Legal category of a reason (art. 11 Lpw; domain.md §4.1–4.2)."""

    PRESENT = "aanwezig"
    AUTHORISED = "geoorloofd"
    UNAUTHORISED = "ongeoorloofd"
    NOT_COUNTED = "niet_meegeteld"


class Source(StrEnum):
    """Where an absence entry came from (seed 001 §3.3: three sources, one register)."""

    PARENT = "ouder"
    TEACHER = "leerkracht"
    OFFICE = "administratie"
    IMPORT = "import"
    LEAVE = "verlof"


class DayOffKind(StrEnum):
    HOLIDAY = "vakantie"
    PUBLIC_HOLIDAY = "feestdag"
    STUDY_DAY = "studiedag"
    OTHER = "vrij"


# --------------------------------------------------------------------------------------------- school


class School(SQLModel, table=True):
    """The one school this database belongs to (domain.md §5)."""

    id: int | None = Field(default=None, primary_key=True)
    name: str
    brin: str = ""
    vestiging: str = "00"
    sector: str = Sector.PO.value
    region: str = Region.MIDDEN.value
    niet_bekostigd: bool = False
    address: str = ""
    postcode: str = ""
    city: str = ""
    phone: str = ""
    email: str = ""
    samenwerkingsverband: str = ""
    samenwerkingsverband_contact: str = ""
    director: str = ""
    logo_path: str = ""
    version: int = version_field()  # issue 14: counted up by every change (schema 0017)

    __mapper_args__ = VERSIONED


class Vestiging(SQLModel, table=True):
    """A location of the school (EDEXML ``vestiging``)."""

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(index=True, unique=True)
    name: str


class LeerplichtContact(SQLModel, table=True):
    """Leerplichtambtenaar (attendance officer) of one municipality (domain.md §5)."""

    id: int | None = Field(default=None, primary_key=True)
    gemeente: str = Field(index=True)
    name: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    version: int = version_field()  # issue 14: counted up by every change (schema 0017)

    __mapper_args__ = VERSIONED


class Setting(SQLModel, table=True):
    """A school setting as key/value text (rules as data, architecture.md §5)."""

    key: str = Field(primary_key=True)
    value: str
    version: int = version_field()

    __mapper_args__ = VERSIONED


# ------------------------------------------------------------------------------------------- calendar


class SchoolYear(SQLModel, table=True):
    """A school year, 1 Aug – 31 Jul (domain.md §3)."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)  # "2025-2026"
    start_date: dt.date
    end_date: dt.date


class DayOff(SQLModel, table=True):
    """A period without lessons: school holiday, public holiday, studiedag, or a group's free time.

    ``group_id`` empty means the whole school. ``start_minute``/``end_minute`` empty means whole days;
    set, they free only that part of each day (e.g. a Friday afternoon off for one date range).
    ``weekday`` (0 = Monday) set limits the period to that weekday.
    """

    id: int | None = Field(default=None, primary_key=True)
    school_year_id: int | None = Field(default=None, foreign_key="schoolyear.id", index=True)
    date_from: dt.date = Field(index=True)
    date_to: dt.date
    kind: str = DayOffKind.OTHER.value
    description: str = ""
    group_id: int | None = Field(default=None, foreign_key="group.id", index=True)
    weekday: int | None = None
    start_minute: int | None = None
    end_minute: int | None = None
    from_region_table: bool = False
    version: int = version_field()  # issue 14: counted up by every change (schema 0017)

    __mapper_args__ = VERSIONED


# ----------------------------------------------------------------------------------- groups, timetable


class Group(SQLModel, table=True):
    """A class group (stamgroep) or a samengestelde groep (domain.md §5; EDEXML)."""

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(index=True, unique=True)
    name: str
    jaargroep: str = ""  # "1".."8", "S", "V", ...
    composite: bool = False  # samengestelde groep: no own timetable
    vestiging_id: int | None = Field(default=None, foreign_key="vestiging.id")
    uitstroomprofiel: str = ""
    department: str = ""
    active: bool = True
    registers_per: str = "les"  # "les" | "klokuur" | "dagdeel": how the register is shown
    version: int = version_field()  # issue 14: counted up by every change (schema 0017)

    __mapper_args__ = VERSIONED


class Lesson(SQLModel, table=True):
    """One lesson of a group's timetable on a weekday, valid for a date range (open ends allowed)."""

    __table_args__ = (Index("ix_lesson_group_weekday", "group_id", "weekday"),)

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="group.id")
    weekday: int  # 0 = Monday … 4 = Friday (5, 6 allowed)
    number: int  # 1-based lesson number within the day
    start_minute: int
    end_minute: int
    label: str = ""
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None


# --------------------------------------------------------------------------------------------- pupils


class Pupil(SQLModel, table=True):
    """A pupil (domain.md §5; Lpw art. 2: name, birth date, BSN or onderwijsnummer)."""

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(index=True, unique=True)
    achternaam: str = ""
    voorvoegsel: str = ""
    voornamen: str = ""
    roepnaam: str = ""
    birth_date: dt.date | None = None
    gender: str = ""
    bsn: str = Field(default="", index=True)
    onderwijsnummer: str = ""
    bsn_last4: str = ""
    woongemeente: str = ""
    address: str = ""
    postcode: str = ""
    city: str = ""
    enrolled_on: dt.date | None = None
    left_on: dt.date | None = None
    vestiging_id: int | None = Field(default=None, foreign_key="vestiging.id")
    notes: str = ""
    version: int = version_field()  # issue 14: counted up by every change (schema 0017)

    __mapper_args__ = VERSIONED


class Guardian(SQLModel, table=True):
    """A parent or carer of a pupil and how to reach them."""

    id: int | None = Field(default=None, primary_key=True)
    pupil_id: int = Field(foreign_key="pupil.id", index=True)
    name: str = ""
    relation: str = ""
    phone: str = ""
    email: str = ""
    # Own postal address (schema 0007), for a parent who does not live with the pupil (separated parents get
    # a letter each); empty: the pupil's address.
    address: str = ""
    postcode: str = ""
    city: str = ""


class GroupMembership(SQLModel, table=True):
    """A pupil's membership of a group over time (``date_to`` empty = still a member)."""

    __table_args__ = (Index("ix_membership_group_dates", "group_id", "date_from"),)

    id: int | None = Field(default=None, primary_key=True)
    pupil_id: int = Field(foreign_key="pupil.id", index=True)
    group_id: int = Field(foreign_key="group.id")
    date_from: dt.date
    date_to: dt.date | None = None


class TimetableDeviation(SQLModel, table=True):
    """An individual timetable for a date range: opbouwrooster, part-time, partial exemption (§3).

    During the range the pupil is scheduled only inside the windows of :class:`DeviationWindow`
    (intersected with the group timetable); a weekday without windows has no lessons.
    """

    id: int | None = Field(default=None, primary_key=True)
    pupil_id: int = Field(foreign_key="pupil.id", index=True)
    kind: str = "opbouwrooster"  # opbouwrooster | deeltijd | gedeeltelijke_vrijstelling
    date_from: dt.date
    date_to: dt.date | None = None
    description: str = ""


class DeviationWindow(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    deviation_id: int = Field(foreign_key="timetabledeviation.id", index=True, ondelete="CASCADE")
    weekday: int
    start_minute: int
    end_minute: int


# -------------------------------------------------------------------------------------------- reasons


class Reason(SQLModel, table=True):
    """A school-defined absence reason mapped to one legal category (domain.md §4.2)."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(index=True, unique=True)
    name: str
    category: str  # Category value
    legal_ground: str = ""  # art. 11 ground "a".."g", or "" (unauthorised, present, school)
    is_lateness: bool = False
    is_unresolved: bool = False  # "reden onbekend": to be resolved by calling home
    is_sickness: bool = False  # health data: shown only where chosen (AVG)
    sick_report: bool = False  # counts as a ziekmelding for the MAZL care signal (schema 0002)
    art11a: str = ""  # art. 11a Lpw (five-year-olds): "melding" (lid 1), "toestemming" (lid 2), or "" (0006)
    needs_afwijking: bool = False  # present only with an approved afwijking onderwijstijd (AO; schema 0006)
    color: str = "#999999"
    active: bool = True
    sort_order: int = 0
    version: int = version_field()  # issue 14: counted up by every change (schema 0017)

    __mapper_args__ = VERSIONED


class ReasonMappingChange(SQLModel, table=True):
    """Audit of a change to a reason's legal mapping (who, when, why)."""

    id: int | None = Field(default=None, primary_key=True)
    reason_id: int = Field(foreign_key="reason.id", index=True)
    old_category: str
    old_legal_ground: str
    new_category: str
    new_legal_ground: str
    changed_by: str
    changed_at: dt.datetime = Field(sa_type=DateTime)
    why: str


# ----------------------------------------------------------------------------------------- register


class AbsenceEntry(SQLModel, table=True):
    """What happened to a pupil in one time span on one date (usually one lesson).

    Invariant kept by :mod:`verzuimdesk.model.register.entries`: entries of one pupil on one date do not
    overlap. A lateness entry covers its lesson and carries ``minutes_late``.
    """

    __table_args__ = (Index("ix_absence_pupil_date", "pupil_id", "date"), Index("ix_absence_date", "date"))

    id: int | None = Field(default=None, primary_key=True)
    pupil_id: int = Field(foreign_key="pupil.id")
    date: dt.date
    lesson_number: int | None = None
    start_minute: int
    end_minute: int
    reason_id: int = Field(foreign_key="reason.id", index=True)
    minutes_late: int = 0
    source: str = Source.OFFICE.value
    note: str = ""
    created_by: str = ""
    created_at: dt.datetime = Field(sa_type=DateTime)
    updated_at: dt.datetime | None = Field(default=None, sa_type=DateTime)
    leave_request_id: int | None = Field(default=None, foreign_key="leaverequest.id", index=True)
    version: int = version_field()

    __mapper_args__ = VERSIONED


class RegisterTaken(SQLModel, table=True):
    """The register of a group for one lesson was taken, by whom and when (seed 001 §3.3)."""

    __table_args__ = (UniqueConstraint("group_id", "date", "lesson_number", name="uq_register_taken"),)

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="group.id", index=True)
    date: dt.date = Field(index=True)
    lesson_number: int
    taken_by: str
    taken_at: dt.datetime = Field(sa_type=DateTime)


class CallRecord(SQLModel, table=True):
    """A call home (nabellen) about an unexplained absence and its outcome (domain.md §4.3)."""

    id: int | None = Field(default=None, primary_key=True)
    pupil_id: int = Field(foreign_key="pupil.id", index=True)
    date: dt.date
    called_at: dt.datetime = Field(sa_type=DateTime)
    called_by: str
    reached: bool
    contact: str = ""
    outcome_reason_id: int | None = Field(default=None, foreign_key="reason.id")
    note: str = ""


class AuditLog(SQLModel, table=True):
    """A line per change (register, leave, meldingen, pupils, groups, timetables, reasons, settings, imports):
    who, when, what, old → new and why. Append-only (database triggers refuse UPDATE and DELETE) and
    tamper-evident: ``hash`` is SHA-256 over ``prev_hash``, the line's metadata and ``content_digest`` (a digest of
    its content), so the content of a removed pupil's lines can be erased (``redacted``) without breaking the
    chain (:mod:`verzuimdesk.model.audit`).

    ``pupil_id`` is a plain number, not a foreign key: the trail outlives the pupil's record."""

    __table_args__ = (Index("ix_auditlog_pupil", "pupil_id"), Index("ix_auditlog_at", "at"))

    id: int | None = Field(default=None, primary_key=True)
    at: dt.datetime = Field(sa_type=DateTime)
    by: str
    action: str
    detail: str = ""
    pupil_id: int | None = None
    old_value: str = ""
    new_value: str = ""
    reason: str = ""
    prev_hash: str = ""
    hash: str = ""
    content_digest: str = ""
    redacted: bool = False


# The law engine's tables (schema 0002) live in their own module; importing it here puts them on the same
# metadata, so that foreign keys such as AbsenceEntry.leave_request_id resolve wherever tables are used.
from verzuimdesk.model.tables import documents as _documents  # noqa: E402,F401
from verzuimdesk.model.tables import law as _law  # noqa: E402,F401
from verzuimdesk.model.tables import letters as _letters  # noqa: E402,F401
from verzuimdesk.model.tables import security as _security  # noqa: E402,F401
