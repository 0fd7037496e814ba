"""Stored data of the law engine: signal rules, handled signals, meldingen, leave, the pupil dossier.

Schema version 0002. Rules are data (architecture.md §5): the detector and the schoolgids text read the
same rows. Glossary of Dutch terms: ``docs/glossary.md``.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import DateTime, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from verzuimdesk.model.tables import VERSIONED, version_field


class RuleKind(StrEnum):
    """Shapes of school-defined rules (domain.md §7.3 zorgelijk verzuim; §7.4 care signals)."""

    HOURS_UNAUTHORISED = "uren_ongeoorloofd"  # ≥ N hours unauthorised in M lesweken
    TIMES_LATE = "keer_te_laat"  # ≥ N times late in M lesweken
    SAME_WEEKDAY = "zelfde_weekdag"  # ≥ N unauthorised absences on the same weekday in M weeks
    SAME_FIRST_LESSON = "zelfde_eerste_les"  # ≥ N unauthorised absences in the first lesson in M weeks
    AROUND_HOLIDAY = "rond_vakantie"  # unauthorised absence directly before or after a holiday
    SICK_REPORTS = "ziekmeldingen"  # care: ≥ N sick reports in M school weeks (MAZL)
    SICK_CONSECUTIVE = "ziek_aaneengesloten"  # care: the N-th consecutive school day sick (MAZL)


class RulePurpose(StrEnum):
    WORRYING = "zorgelijk"  # signaal zorgelijk verzuim (to the leerplichtambtenaar, voluntary)
    CARE = "zorg"  # a to-do for the intern begeleider / jeugdarts, never a melding


class SignalRule(SQLModel, table=True):
    """A school-defined signal rule with the Dutch description the schoolgids quotes."""

    id: int | None = Field(default=None, primary_key=True)
    kind: str
    purpose: str = RulePurpose.WORRYING.value
    threshold: int  # N: hours, times, absences, sick reports or consecutive days
    weeks: int = 4  # M: lesweken (school weeks)
    description: str = ""
    active: bool = True
    sort_order: int = 0


class SignalHandling(SQLModel, table=True):
    """What the school did with a signal. A handled signal only returns when new absence arises:
    ``fingerprint`` records the absence the signal was computed from at the time of handling."""

    __table_args__ = (Index("ix_signalhandling_pupil_kind", "pupil_id", "kind"),)

    id: int | None = Field(default=None, primary_key=True)
    pupil_id: int = Field(foreign_key="pupil.id")
    kind: str  # signal kind, e.g. "V3", "LRV", "L", "zorgelijk", "zorg"
    rule_id: int | None = Field(default=None, foreign_key="signalrule.id")
    begin_date: dt.date
    end_date: dt.date
    action: str  # "melding" | "signaal" | "gesprek" | "afgewezen"
    reason: str = ""
    fingerprint: str = ""
    melding_id: int | None = Field(default=None, foreign_key="melding.id")
    handled_by: str
    handled_at: dt.datetime = Field(sa_type=DateTime)


class DutyMark(SQLModel, table=True):
    """A melding duty (or an offered V4) the program found due, kept until a melding or a dismissal closes it
    (issue 9 point 1: a due melding never disappears, across 1 August and any look-back limit). Derived from the
    register, which is audited itself; written by :func:`verzuimdesk.model.law.signals.duties.record_duties`."""

    __table_args__ = (UniqueConstraint("pupil_id", "kind", "begin_date", name="uq_dutymark"),)

    id: int | None = Field(default=None, primary_key=True)
    pupil_id: int = Field(foreign_key="pupil.id", index=True)
    kind: str  # a melding signal: V3, V4, LRV, L, RMC
    begin_date: dt.date
    end_date: dt.date
    recorded_on: dt.date


class DutyScan(SQLModel, table=True):
    """The day of the latest full search for due duties (one row): from then on the marks are complete for every
    duty that arose before it, so the signals may count older absence only for pupils with an open mark."""

    id: int | None = Field(default=None, primary_key=True)
    scanned_on: dt.date


class MeldingKind(StrEnum):
    """DUO verzuimsoort codes (domain.md §7.1; Topicus EduArte IbgEnums.Verzuimsoort)."""

    V3 = "V3"  # 16 uur in 4 opeenvolgende lesweken, under 18 (art. 21a Lpw)
    V4 = "V4"  # the same, 18+
    LRV = "LRV"  # langdurig relatief verzuim: more than 4 consecutive weeks
    L = "L"  # luxe verzuim
    RMC = "RMC"  # no longer leerplichtig, under 23
    O = "O"  # noqa: E741  overig verzuim / signaal zorgelijk verzuim (voluntary)


class MeldingStatusValue(StrEnum):
    """Statuses in DUO's register (DUO news 2020; Besluit Verzuimmelding)."""

    DRAFT = "concept"
    REGISTERED = "geregistreerd"
    IN_PROGRESS = "in behandeling"
    CLOSED = "afgesloten"
    NOTED = "ter kennisgeving aangenomen"
    WITHDRAWN = "ingetrokken"


class Melding(SQLModel, table=True):
    """A verzuimmelding with every field of the Besluit Verzuimmelding (annex; domain.md §7.5)."""

    id: int | None = Field(default=None, primary_key=True)
    pupil_id: int = Field(foreign_key="pupil.id", index=True)
    kind: str
    begin_date: dt.date
    end_date: dt.date | None = None
    minutes_unauthorised: int = 0
    absence_days: int = 0
    presumed_reason: str = ""
    all_lessons_missed: bool = False
    school_action: str = ""
    municipality_action_wanted: bool = True
    municipality_action_why_not: str = ""
    location_name: str = ""
    reporter_name: str = ""
    reporter_function: str = ""
    reporter_phone: str = ""
    reporter_email: str = ""
    parent_phone: str = ""
    deviating_address: str = ""
    gemeente: str = ""
    duo_number: str = ""
    status: str = MeldingStatusValue.DRAFT.value
    created_by: str = ""
    created_at: dt.datetime = Field(sa_type=DateTime)
    version: int = version_field()  # issue 14: counted up by every change (schema 0010)

    __mapper_args__ = VERSIONED


class MeldingDay(SQLModel, table=True):
    """The specification of a melding: per day, which lessons were missed and how many minutes
    (unauthorised only; a snapshot taken when the melding was made)."""

    id: int | None = Field(default=None, primary_key=True)
    melding_id: int = Field(foreign_key="melding.id", index=True, ondelete="CASCADE")
    date: dt.date
    lessons: str = ""  # "1,2,3"
    minutes: int = 0
    whole_day: bool = False


class MeldingStatus(SQLModel, table=True):
    """The status history of a melding (who set which status when, with the closing reason)."""

    id: int | None = Field(default=None, primary_key=True)
    melding_id: int = Field(foreign_key="melding.id", index=True, ondelete="CASCADE")
    status: str
    reason: str = ""
    note: str = ""
    set_by: str
    set_at: dt.datetime = Field(sa_type=DateTime)


class LeaveKind(StrEnum):
    HOLIDAY = "vakantieverlof"  # art. 11 onder f, art. 13a Lpw
    IMPORTANT = "gewichtige_omstandigheden"  # art. 11 onder g, art. 14 Lpw
    RELIGIOUS = "religieus"  # art. 11 onder e, art. 13 Lpw


class LeaveStatus(StrEnum):
    RECEIVED = "ingediend"
    GRANTED = "toegekend"
    REFUSED = "geweigerd"
    FORWARDED = "doorgestuurd"  # to the leerplichtambtenaar (art. 14(3): more than 10 school days)
    WITHDRAWN = "ingetrokken"


class LeaveRequest(SQLModel, table=True):
    """A leave request and its decision (domain.md §6)."""

    id: int | None = Field(default=None, primary_key=True)
    pupil_id: int = Field(foreign_key="pupil.id", index=True)
    kind: str
    date_from: dt.date
    date_to: dt.date
    start_minute: int | None = None  # part of a day only
    end_minute: int | None = None
    reason_text: str = ""
    requested_by: str = ""
    received_on: dt.date
    attachments: str = ""  # e.g. "werkgeversverklaring"
    status: str = LeaveStatus.RECEIVED.value
    decided_on: dt.date | None = None
    decided_by: str = ""
    motivation: str = ""
    created_at: dt.datetime = Field(sa_type=DateTime)
    # Art. 14 lid 3 Lpw: the leerplichtambtenaar's decision on a forwarded request (schema 0006).
    lpa_decision: str = ""  # "" | LeaveStatus.GRANTED | LeaveStatus.REFUSED
    lpa_decided_by: str = ""  # the leerplichtambtenaar's name
    lpa_decided_on: dt.date | None = None
    lpa_motivation: str = ""
    version: int = version_field()  # issue 14: counted up by every change (schema 0010)

    __mapper_args__ = VERSIONED


class ContactMoment(SQLModel, table=True):
    """A contact with parents or partners in the pupil dossier (domain.md §10)."""

    id: int | None = Field(default=None, primary_key=True)
    pupil_id: int = Field(foreign_key="pupil.id", index=True)
    date: dt.date
    kind: str = "gesprek"  # gesprek | telefoon | e-mail | huisbezoek | overleg
    with_whom: str = ""
    summary: str = ""
    agreements: str = ""
    planned: bool = False  # a planned conversation not yet held
    created_by: str = ""
    created_at: dt.datetime = Field(sa_type=DateTime)
    version: int = version_field()  # issue 14: counted up by every change (schema 0017)

    __mapper_args__ = VERSIONED


class Intervention(SQLModel, table=True):
    """An intervention or plan van aanpak with its evaluation (seed 004 L367; domain.md §10)."""

    id: int | None = Field(default=None, primary_key=True)
    pupil_id: int = Field(foreign_key="pupil.id", index=True)
    title: str
    description: str = ""
    start_date: dt.date
    evaluation_date: dt.date | None = None
    evaluated_on: dt.date | None = None
    outcome: str = ""
    effective: bool | None = None
    created_by: str = ""
    created_at: dt.datetime = Field(sa_type=DateTime)
    version: int = version_field()  # issue 14: counted up by every change (schema 0017)

    __mapper_args__ = VERSIONED
