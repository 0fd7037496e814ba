"""Verzuimmeldingen: drafting a melding with its specification, its DUO status history, and its checks.

A melding carries every field of the Besluit Verzuimmelding (annex; domain.md §7.5). Its specification is
a snapshot, per day, of the lessons with **unauthorised** minutes only, computed by the one figures
implementation (:meth:`FiguresEngine.lesson_outcomes`): sickness and other authorised absence never enter a
melding (AVG, domain.md §11). The school records DUO's meldingsnummer and status changes by hand (§7.6).

One count for detector and melding (issue 9 point 7; domain.md §7.2): the specification counts each lesson
as the signal detector does (:class:`~verzuimdesk.model.law.signals.counting.Counter`: the school's lateness
policy, the unit klokuren/lesuren), and for V3/V4 only the days of that kind
(:func:`~verzuimdesk.model.law.leerplicht.sixteen_hour_kind`: V3 before the 18th birthday, V4 from it). The
16-hour validation recounts the period the same way, so a melding the detector calls due always passes it.

Einddatum (Besluit Verzuimmelding: "einddatum, indien bekend"): required for V3/V4 (the day the 16 hours were
reached) and RMC (DUO); an LRV melding may leave it open and get it later, when the pupil returns or leaves,
also after the melding was registered at DUO (:func:`set_melding_end_date`; the status history records it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session, col, select

from verzuimdesk.model import dutch
from verzuimdesk.model.audit import audit
from verzuimdesk.model.concurrency import check_version
from verzuimdesk.model.errors import ValidationError
from verzuimdesk.model.law.leerplicht import sixteen_hour_kind
from verzuimdesk.model.law.signals.counting import Counter, profile_on
from verzuimdesk.model.law.signals.policy import get_lateness_policy, get_melding_policy
from verzuimdesk.model.register.figures import FiguresEngine
from verzuimdesk.model.school.calendar import daterange
from verzuimdesk.model.school.names import display_name
from verzuimdesk.model.school.records import get_school
from verzuimdesk.model.store import get_setting
from verzuimdesk.model.tables import Group, GroupMembership, Guardian, Pupil, Vestiging
from verzuimdesk.model.tables.law import Melding, MeldingDay, MeldingKind, MeldingStatus, MeldingStatusValue

S = MeldingStatusValue
KIND_LABELS = {
    MeldingKind.V3.value: "16 uur ongeoorloofd verzuim in 4 opeenvolgende lesweken (jonger dan 18)",
    MeldingKind.V4.value: "16 uur ongeoorloofd verzuim in 4 opeenvolgende lesweken (18 jaar of ouder)",
    MeldingKind.LRV.value: "langdurig relatief verzuim (langer dan 4 weken ongeoorloofd afwezig)",
    MeldingKind.L.value: "luxe verzuim",
    MeldingKind.RMC.value: "RMC-verzuim (niet meer leerplichtig, jonger dan 23)",
    MeldingKind.O.value: "overig verzuim / signaal zorgelijk verzuim",
}
# DUO: an einddatum is mandatory for 16 uur and RMC (duo.nl, "Verzuim: hoe het werkt"); LRV may stay open
# ("einddatum, indien bekend", Besluit Verzuimmelding) until the pupil returns or leaves (issue 9 point 3).
END_DATE_REQUIRED = {MeldingKind.V3.value, MeldingKind.V4.value, MeldingKind.RMC.value}
OPEN_END_KINDS = {MeldingKind.LRV.value}
SIXTEEN_HOURS = 16 * 60  # art. 21a Lpw

# Besluit Verzuimmelding, data supplied by the municipality: "reden afgesloten" (7 values).
CLOSING_REASONS = (
    "terug naar school",
    "inschrijving beëindigd: andere opleiding",
    "inschrijving beëindigd: werk",
    "inschrijving beëindigd: overige redenen",
    "inschrijving beëindigd: leerling overleden",
    "geen verzuim: langdurig ziek",
    "geen verzuim: legitiem afwezig",
)

# Allowed status changes (DUO statuses; the school registers and withdraws, the municipality handles).
TRANSITIONS: dict[str, set[str]] = {
    S.DRAFT.value: {S.REGISTERED.value, S.WITHDRAWN.value},
    S.REGISTERED.value: {S.IN_PROGRESS.value, S.CLOSED.value, S.NOTED.value, S.WITHDRAWN.value},
    S.IN_PROGRESS.value: {S.CLOSED.value, S.NOTED.value, S.WITHDRAWN.value},
    S.NOTED.value: {S.WITHDRAWN.value},
    S.CLOSED.value: set(),
    S.WITHDRAWN.value: set(),
}


@dataclass(frozen=True)
class SpecDay:
    """One day of a melding's specification (unauthorised absence only)."""

    date: dt.date
    lessons: tuple[int, ...]
    minutes: int
    whole_day: bool


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind)


def pupil_profiles(session: Session, pupil_id: int) -> list[tuple[dt.date, dt.date | None, str]]:
    """(from, to, uitstroomprofiel) of the pupil's group memberships (art. 4a lid 2 Lpw)."""
    q = select(col(GroupMembership.date_from), col(GroupMembership.date_to), col(Group.uitstroomprofiel)).join(
        Group, col(Group.id) == col(GroupMembership.group_id)).where(GroupMembership.pupil_id == pupil_id)  # fmt: skip
    return [(lo, hi, profile) for lo, hi, profile in session.exec(q).all() if profile]


@dataclass(frozen=True)
class CountedSpec:
    """A specification with what it counts toward 16 hours (units: minutes, or lesuur-units ×60)."""

    days: list[SpecDay]
    units: int


def counted_specification(session: Session, pupil_id: int, begin: dt.date, end: dt.date, kind: str = "",
                          engine: FiguresEngine | None = None) -> CountedSpec:
    """Per day in ``[begin, end]`` the lessons with unauthorised minutes, counted as the signal detector counts
    them (lateness policy, unit); for V3/V4 only the days of that kind (sixteen_hour_kind). Authorised absence
    (sickness!) is left out (AVG)."""
    if end < begin:
        return CountedSpec([], 0)
    engine = engine or FiguresEngine(session, begin, end, [pupil_id])
    counter = Counter(engine, get_lateness_policy(session), get_melding_policy(session).unit)
    pupil = session.get(Pupil, pupil_id)
    birth = pupil.birth_date if pupil is not None else None
    profiles = pupil_profiles(session, pupil_id)
    out: list[SpecDay] = []
    units = 0
    for day in daterange(begin, end):
        if kind in ("V3", "V4") and sixteen_hour_kind(birth, day, profile_on(profiles, day)) != kind:
            continue
        ev = counter.day(pupil_id, day)
        if ev is None:
            continue
        lessons = [les for les in ev.lessons if les.minutes]
        if not lessons:
            continue
        out.append(SpecDay(day, tuple(sorted({les.lesson_number for les in lessons})),
                           sum(les.minutes for les in lessons), ev.whole_day_unauthorised))
        units += sum(les.counted_units for les in lessons)
    return CountedSpec(out, units)


def specification(session: Session, pupil_id: int, begin: dt.date, end: dt.date,
                  engine: FiguresEngine | None = None, kind: str = "") -> list[SpecDay]:
    """Per day in ``[begin, end]`` the lessons with unauthorised minutes (art. 21a Lpw; Besluit
    Verzuimmelding "verzuimspecificatie"), counted as the detector counts them (:func:`counted_specification`)."""
    return counted_specification(session, pupil_id, begin, end, kind, engine).days


def _parent_phone(session: Session, pupil_id: int) -> str:
    for guardian in session.exec(select(Guardian).where(Guardian.pupil_id == pupil_id).order_by(col(Guardian.id))).all():
        if guardian.phone.strip():
            return guardian.phone.strip()
    return ""


def _location(session: Session, pupil: Pupil) -> str:
    if pupil.vestiging_id is not None:
        vestiging = session.get(Vestiging, pupil.vestiging_id)
        if vestiging is not None and vestiging.name:
            return vestiging.name
    school = get_school(session)
    return school.name if school else ""


def create_melding(
    session: Session, pupil_id: int, kind: str, begin: dt.date, end: dt.date | None, *, by: str,
    presumed_reason: str = "", school_action: str = "", municipality_action_wanted: bool = True,
    municipality_action_why_not: str = "", deviating_address: str = "", spec_until: dt.date | None = None,
    now: dt.datetime | None = None,
) -> Melding:  # fmt: skip
    """A concept melding, filled from the school's and the pupil's data, with its specification.

    Without an einddatum the specification runs to ``spec_until`` (default: today)."""
    if kind not in KIND_LABELS:
        raise ValidationError(f"Onbekende soort melding '{kind}'. Kies uit: {', '.join(KIND_LABELS)}.")
    pupil = session.get(Pupil, pupil_id)
    if pupil is None:
        raise ValidationError("Deze leerling bestaat niet (meer).")
    if end is not None and end < begin:
        raise ValidationError("De einddatum van de melding ligt vóór de begindatum.")
    stamp = now or dt.datetime.now()
    spec_end = end or spec_until or stamp.date()
    engine = FiguresEngine(session, begin, max(begin, spec_end), [pupil_id])
    days = specification(session, pupil_id, begin, spec_end, engine, kind)
    scheduled_days = sum(1 for day in daterange(begin, spec_end) if engine.schedule.lessons_for(pupil_id, day))
    melding = Melding(
        pupil_id=pupil_id, kind=kind, begin_date=begin, end_date=end,
        minutes_unauthorised=sum(d.minutes for d in days), absence_days=len(days),
        presumed_reason=presumed_reason.strip(), school_action=school_action.strip(),
        all_lessons_missed=bool(days) and len(days) == scheduled_days and all(d.whole_day for d in days),
        municipality_action_wanted=municipality_action_wanted,
        municipality_action_why_not=municipality_action_why_not.strip(),
        location_name=_location(session, pupil), reporter_name=by,
        reporter_function=get_setting(session, "melder_functie"),
        reporter_phone=get_setting(session, "melder_telefoon"),
        reporter_email=get_setting(session, "melder_email"), parent_phone=_parent_phone(session, pupil_id),
        deviating_address=deviating_address.strip(), gemeente=pupil.woongemeente, created_by=by, created_at=stamp,
    )  # fmt: skip
    session.add(melding)
    session.flush()
    assert melding.id is not None  # assigned by the flush
    for d in days:
        session.add(MeldingDay(melding_id=melding.id, date=d.date, lessons=",".join(map(str, d.lessons)),
                               minutes=d.minutes, whole_day=d.whole_day))
    session.add(MeldingStatus(melding_id=melding.id, status=S.DRAFT.value, set_by=by, set_at=stamp,
                              note="Melding opgesteld"))
    session.flush()
    audit(session, "melding opgesteld", f"{kind} voor {pupil.key}, {begin} t/m {end or '…'}", by=by)
    return melding


def melding_days(session: Session, melding_id: int) -> list[MeldingDay]:
    q = select(MeldingDay).where(MeldingDay.melding_id == melding_id).order_by(col(MeldingDay.date))
    return list(session.exec(q).all())


def melding_history(session: Session, melding_id: int) -> list[MeldingStatus]:
    return list(session.exec(
        select(MeldingStatus).where(MeldingStatus.melding_id == melding_id)
        .order_by(col(MeldingStatus.set_at), col(MeldingStatus.id))
    ).all())  # fmt: skip


def _get(session: Session, melding_id: int) -> Melding:
    melding = session.get(Melding, melding_id)
    if melding is None:
        raise ValidationError("Deze melding bestaat niet (meer).")
    return melding


def set_duo_number(session: Session, melding_id: int, number: str, *, by: str) -> Melding:
    """Record the meldingsnummer DUO returned (a number; Topicus IbgVerzuimmelding.meldingsnummer)."""
    melding = _get(session, melding_id)
    value = number.strip().replace(" ", "")
    if not value.isdigit():
        raise ValidationError(f"'{number}' is geen meldingsnummer: DUO geeft een nummer van alleen cijfers.")
    melding.duo_number = value
    session.add(melding)
    session.flush()
    audit(session, "meldingsnummer", f"melding {melding_id}: {value}", by=by)
    return melding


def set_melding_status(
    session: Session, melding_id: int, status: str, *, by: str, reason: str = "", note: str = "",
    now: dt.datetime | None = None, expected_version: int | None = None,
) -> MeldingStatus:  # fmt: skip
    """Record a status change, after checking it is allowed and has what it needs. ``expected_version``: the
    melding's version as the screen showed it; changed meanwhile on another PC, nothing is stored (issue 14)."""
    melding = _get(session, melding_id)
    if expected_version is not None:
        pupil = session.get(Pupil, melding.pupil_id)
        attempted = f"Nieuwe status: {status}" + "".join(f" — {t.strip()}" for t in (reason, note) if t.strip())
        checked = check_version(session, Melding, melding_id, expected_version,
                                f"De melding van {display_name(pupil) if pupil else 'deze leerling'} "
                                f"({melding.kind}, vanaf {dutch.date_long(melding.begin_date)})", (attempted,))
        assert checked is not None
        melding = checked
    status = str(status)
    if status not in TRANSITIONS:
        raise ValidationError(f"Onbekende status '{status}'.")
    if status not in TRANSITIONS[melding.status]:
        allowed = ", ".join(sorted(TRANSITIONS[melding.status])) or "geen"
        raise ValidationError(f"Een melding met status '{melding.status}' kan niet naar '{status}' "
                              f"(mogelijk: {allowed}).")  # fmt: skip
    # DUO returns a meldingsnummer when the melding is registered in the ROD (duo.nl, "Melding doorgeven").
    if status == S.REGISTERED.value and not melding.duo_number:
        raise ValidationError("Vul eerst het meldingsnummer van DUO in; dat bewijst dat de melding is geregistreerd.")
    if status == S.CLOSED.value and reason.strip() not in CLOSING_REASONS:
        # Besluit Verzuimmelding: the municipality closes with one of seven reasons.
        raise ValidationError("Kies de reden van afsluiten die de gemeente opgaf: " + "; ".join(CLOSING_REASONS) + ".")
    if status == S.WITHDRAWN.value and not (reason.strip() or note.strip()):
        raise ValidationError("Geef aan waarom de melding wordt ingetrokken.")
    row = MeldingStatus(melding_id=melding_id, status=status, reason=reason.strip(), note=note.strip(), set_by=by,
                        set_at=now or dt.datetime.now())  # fmt: skip
    melding.status = status
    session.add(melding)
    session.add(row)
    session.flush()
    audit(session, "meldingstatus", f"melding {melding_id}: {status} {reason}".strip(), by=by)
    return row


def validate_melding(session: Session, melding: Melding) -> list[str]:
    """What is missing or wrong before the melding can go to DUO (Dutch, one line each)."""
    out: list[str] = []
    pupil = session.get(Pupil, melding.pupil_id)
    if pupil is None:
        return ["De leerling van deze melding bestaat niet meer."]
    name = display_name(pupil)
    if melding.kind not in KIND_LABELS:
        out.append(f"Onbekende soort melding '{melding.kind}'.")
    # Besluit Verzuimmelding: "persoonsgebonden nummer" = BSN or onderwijsnummer (art. 2 Lpw).
    if not (pupil.bsn or pupil.onderwijsnummer):
        out.append(f"Het BSN of onderwijsnummer van {name} ontbreekt.")
    if not pupil.woongemeente:
        out.append(f"De woongemeente van {name} ontbreekt; de melding gaat naar de leerplichtambtenaar daarvan.")
    if melding.kind in END_DATE_REQUIRED and melding.end_date is None:
        out.append(f"Een melding '{kind_label(melding.kind)}' heeft een einddatum nodig (DUO): de laatste "
                   "verzuimdag of de dag waarop de 16 uur zijn bereikt.")  # fmt: skip
    if melding.end_date is not None and melding.end_date < melding.begin_date:
        out.append("De einddatum ligt vóór de begindatum.")
    if melding.id is None or not melding_days(session, melding.id):
        out.append("De specificatie bevat geen dagen met ongeoorloofd verzuim.")
    if melding.kind in (MeldingKind.V3.value, MeldingKind.V4.value):
        out += _sixteen_hours_problems(session, melding, name)
    for value, label in (
        (melding.presumed_reason, "de vermoedelijke reden van het verzuim"),
        (melding.school_action, "de actie die de school al heeft ondernomen"),
        (melding.location_name, "de naam van de leslocatie"),
        (melding.reporter_name, "de naam van de melder"),
        (melding.reporter_function, "de functie van de melder (instelling 'melder_functie')"),
        (melding.reporter_phone, "het telefoonnummer van de melder (instelling 'melder_telefoon')"),
        (melding.reporter_email, "het e-mailadres van de melder (instelling 'melder_email')"),
        (melding.parent_phone, "het telefoonnummer van een ouder of de leerling"),
    ):
        if not value.strip():
            out.append(f"Vul {label} in.")
    if not melding.municipality_action_wanted and not melding.municipality_action_why_not.strip():
        out.append("Licht toe waarom geen actie van de gemeente gewenst is.")
    return out


def _sixteen_hours_problems(session: Session, melding: Melding, name: str) -> list[str]:
    """Art. 21a Lpw: at least 16 hours (or 16 lesuren) of the melding's own kind in its period, counted as the
    detector counts (sixteen_hour_kind: V3 before the 18th birthday, V4 from it)."""
    end = melding.end_date or melding.begin_date
    kind = melding.kind
    own = counted_specification(session, melding.pupil_id, melding.begin_date, max(end, melding.begin_date), kind)
    if own.units >= SIXTEEN_HOURS:
        return []
    other = "V4" if kind == "V3" else "V3"
    unit = "lesuren" if get_melding_policy(session).unit == "lesuren" else "uur"
    out = [f"De melding bevat {dutch.hours(own.units)} {unit} ongeoorloofd verzuim dat voor {kind} telt, minder "
           f"dan de 16 {unit} van art. 21a Leerplichtwet; kies eventueel 'overig verzuim' (O)."]
    if kind == "V3":
        out[0] += " Alleen verzuim vóór de 18e verjaardag telt voor V3."
    else:
        out[0] += " Alleen verzuim vanaf de 18e verjaardag telt voor V4."
    theirs = counted_specification(session, melding.pupil_id, melding.begin_date, max(end, melding.begin_date), other)
    if theirs.units > own.units:
        age = "jonger dan 18" if other == "V3" else "18 jaar of ouder"
        out.append(f"{name} was in deze periode {age}: kies {other} in plaats van {kind}.")
    return out


def set_melding_end_date(session: Session, melding_id: int, end: dt.date, *, by: str, note: str = "",
                         now: dt.datetime | None = None) -> Melding:
    """Fill in the einddatum of a melding that was made without one (LRV: "indien bekend", Besluit
    Verzuimmelding), also after it was registered at DUO; the status history records it. The specification
    gets the unauthorised days up to the einddatum, and loses the days after it."""
    melding = _get(session, melding_id)
    if melding.end_date is not None:
        raise ValidationError(f"Deze melding heeft al een einddatum ({dutch.date_long(melding.end_date)}).")
    if melding.status in (S.CLOSED.value, S.WITHDRAWN.value):
        raise ValidationError(f"Een melding met status '{melding.status}' kan niet meer worden gewijzigd.")
    if end < melding.begin_date:
        raise ValidationError("De einddatum van de melding ligt vóór de begindatum.")
    stamp = now or dt.datetime.now()
    old = {d.date: d for d in melding_days(session, melding_id)}
    for day, row in old.items():
        if day > end:
            session.delete(row)
    last = max(old, default=melding.begin_date - dt.timedelta(days=1))
    if end > last:
        for d in specification(session, melding.pupil_id, last + dt.timedelta(days=1), end, kind=melding.kind):
            session.add(MeldingDay(melding_id=melding_id, date=d.date, lessons=",".join(map(str, d.lessons)),
                                   minutes=d.minutes, whole_day=d.whole_day))
    session.flush()
    days = melding_days(session, melding_id)
    melding.end_date = end
    melding.minutes_unauthorised = sum(d.minutes for d in days)
    melding.absence_days = len(days)
    session.add(melding)
    session.add(MeldingStatus(melding_id=melding_id, status=melding.status, set_by=by, set_at=stamp,
                              note=(f"Einddatum ingevuld: {dutch.date_long(end)}" + (f". {note.strip()}" if note.strip()
                                                                                   else ""))))  # fmt: skip
    session.flush()
    audit(session, "einddatum melding", f"melding {melding_id}: {end}", by=by)
    return melding


def describe_melding(melding: Melding) -> str:
    """One Dutch line: kind, period, hours (for lists and the dossier)."""
    period = dutch.date_long(melding.begin_date) + (f" t/m {dutch.date_long(melding.end_date)}" if melding.end_date else "")
    return (f"Melding {melding.kind} ({kind_label(melding.kind)}), {period}: "
            f"{dutch.hours(melding.minutes_unauthorised)} uur ongeoorloofd op {dutch.plural(melding.absence_days, 'dag', 'dagen')}")

