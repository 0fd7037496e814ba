"""School, groups and pupils: validated create/update operations (domain.md §5; Lpw art. 2)."""

from __future__ import annotations

import datetime as dt
import re

from sqlmodel import Session, col, or_, select
from stdnum.nl import bsn as stdnum_bsn
from stdnum.nl import onderwijsnummer as stdnum_onderwijsnummer

from verzuimdesk.model import dutch
from verzuimdesk.model.errors import ValidationError
from verzuimdesk.model.school.calendar import create_school_year, school_year_name_for
from verzuimdesk.model.school.names import sort_name
from verzuimdesk.model.school.reasons import ensure_default_reasons
from verzuimdesk.model.store import attach
from verzuimdesk.model.tables import (
    Group,
    GroupMembership,
    Guardian,
    LeerplichtContact,
    Pupil,
    Region,
    School,
    SchoolYear,
    Sector,
    Vestiging,
)

BRIN_RE = re.compile(r"^\d{2}[A-Z]{2}$")


def get_school(session: Session) -> School | None:
    return session.exec(select(School).order_by(col(School.id))).first()


def check_brin(brin: str) -> str:
    """BRIN code: two digits and two capitals, e.g. 99ZZ (EDEXML EDEXBrincodeType)."""
    value = brin.strip().upper()
    if value and not BRIN_RE.match(value):
        raise ValidationError(f"'{brin}' is geen geldige BRIN-code: twee cijfers en twee letters, bijvoorbeeld 99ZZ.")
    return value


def save_school(session: Session, school: School) -> School:
    if not school.name.strip():
        raise ValidationError("Geef de naam van de school op.")
    school.brin = check_brin(school.brin)
    if school.vestiging and not re.fullmatch(r"\d{2}", school.vestiging):
        raise ValidationError("Het vestigingsnummer bestaat uit twee cijfers, bijvoorbeeld 00 of 01.")
    if school.sector not in {s.value for s in Sector}:
        raise ValidationError("Kies als sector po, sbo, so of vso.")
    if school.region not in {r.value for r in Region}:
        raise ValidationError("Kies als regio noord, midden of zuid.")
    return attach(session, school)


def setup_school(session: Session, name: str, *, brin: str = "", region: str = "midden", sector: str = "po",
                 school_years: list[str] | None = None, today: dt.date | None = None) -> School:
    """A new school: school row, default reasons, and the current school year with its holidays."""
    if get_school(session) is not None:
        raise ValidationError("Deze database heeft al een school.")
    school = save_school(session, School(name=name, brin=brin, region=region, sector=sector))
    ensure_default_reasons(session)
    for year in school_years or [school_year_name_for(today or dt.date.today())]:
        create_school_year(session, year, region)
    return school


def school_years(session: Session) -> list[SchoolYear]:
    return list(session.exec(select(SchoolYear).order_by(col(SchoolYear.start_date))).all())


# -------------------------------------------------------------------------------------- identifiers


def normalise_bsn(value: str) -> str:
    return re.sub(r"[\s.\-]", "", value or "")


def check_bsn(value: str) -> str:
    """BSN: 9 digits with the 11-check (``stdnum.nl.bsn``). Returns the compact form."""
    compact = normalise_bsn(value)
    if not compact:
        return ""
    if len(compact) == 8 and compact.isdigit():
        compact = "0" + compact
    if not stdnum_bsn.is_valid(compact):
        raise ValidationError(f"'{value}' is geen geldig BSN: het moet uit 9 cijfers bestaan en de elfproef doorstaan.")
    return compact


def check_onderwijsnummer(value: str) -> str:
    """Onderwijsnummer: 9 digits starting with 10, with its own 11-check (``stdnum.nl.onderwijsnummer``)."""
    compact = normalise_bsn(value)
    if not compact:
        return ""
    if not stdnum_onderwijsnummer.is_valid(compact):
        raise ValidationError(
            f"'{value}' is geen geldig onderwijsnummer: 9 cijfers, beginnend met 10, die de elfproef doorstaan."
        )
    return compact


# ------------------------------------------------------------------------------------------- groups


def save_group(session: Session, group: Group) -> Group:
    group.key = (group.key or "").strip() or group.name.strip()
    if not group.name.strip():
        raise ValidationError("Geef de groep een naam.")
    with session.no_autoflush:
        clash = session.exec(select(Group).where(Group.key == group.key)).first()
    if clash is not None and clash.id != group.id:
        raise ValidationError(f"Er is al een groep met de sleutel '{group.key}' ({clash.name}).")
    return attach(session, group)


def active_groups(session: Session, *, include_composite: bool = False) -> list[Group]:
    q = select(Group).where(Group.active == True)  # noqa: E712
    if not include_composite:
        q = q.where(Group.composite == False)  # noqa: E712
    groups = list(session.exec(q).all())
    return sorted(groups, key=lambda g: (jaargroep_order(g.jaargroep), g.name.lower()))


def jaargroep_order(jaargroep: str) -> tuple[int, str]:
    """Sort key: groups 1–8 in number order, then S, V and other letters."""
    return (int(jaargroep), "") if jaargroep.isdigit() else (99, jaargroep)


# ------------------------------------------------------------------------------------------- pupils


def save_pupil(session: Session, pupil: Pupil) -> Pupil:
    """Validate and store a pupil (names, birth date, BSN/onderwijsnummer, dates)."""
    pupil.key = (pupil.key or "").strip()
    if not pupil.key:
        raise ValidationError("Elke leerling heeft een leerlingnummer (sleutel) nodig.")
    for attr in ("achternaam", "voorvoegsel", "voornamen", "roepnaam", "woongemeente"):
        setattr(pupil, attr, (getattr(pupil, attr) or "").strip())
    if not (pupil.achternaam or pupil.roepnaam or pupil.voornamen):
        raise ValidationError(f"Leerling {pupil.key}: geef ten minste een achternaam of roepnaam op.")
    pupil.bsn = check_bsn(pupil.bsn)
    pupil.onderwijsnummer = check_onderwijsnummer(pupil.onderwijsnummer)
    if pupil.bsn_last4 and not re.fullmatch(r"\d{4}", pupil.bsn_last4):
        raise ValidationError("De laatste vier cijfers van het BSN zijn vier cijfers.")
    today = dt.date.today()
    if pupil.birth_date is not None and not (dt.date(1990, 1, 1) <= pupil.birth_date <= today):
        raise ValidationError(f"Leerling {pupil.key}: de geboortedatum {dutch.date_short(pupil.birth_date)} kan niet kloppen.")
    if pupil.enrolled_on and pupil.left_on and pupil.left_on < pupil.enrolled_on:
        raise ValidationError(f"Leerling {pupil.key}: de datum van uitschrijving ligt vóór de inschrijving.")
    with session.no_autoflush:
        clash = session.exec(select(Pupil).where(Pupil.key == pupil.key)).first()
        same = session.exec(select(Pupil).where(Pupil.bsn == pupil.bsn)).first() if pupil.bsn else None
    if clash is not None and clash.id != pupil.id:
        raise ValidationError(f"Er is al een leerling met leerlingnummer '{pupil.key}'.")
    if same is not None and same.id != pupil.id:
        raise ValidationError(f"Het BSN {pupil.bsn} hoort al bij leerling {same.key}.")
    return attach(session, pupil)


def place_in_group(session: Session, pupil_id: int, group_id: int, from_date: dt.date) -> GroupMembership:
    """The pupil belongs to ``group_id`` from ``from_date``: a current stamgroep membership ends the day
    before (group change during the year keeps the history)."""
    group = session.get(Group, group_id)
    if group is None:
        raise ValidationError("Deze groep bestaat niet.")
    memberships = session.exec(
        select(GroupMembership)
        .join(Group, col(Group.id) == col(GroupMembership.group_id))
        .where(GroupMembership.pupil_id == pupil_id, Group.composite == group.composite,
               or_(col(GroupMembership.date_to).is_(None), col(GroupMembership.date_to) >= from_date))
    ).all()  # fmt: skip
    for m in memberships:
        if group.composite and m.group_id != group_id:
            continue  # a pupil may be in several samengestelde groepen at once
        if m.group_id == group_id and m.date_from <= from_date:
            return m
        if m.date_from >= from_date:
            session.delete(m)
        else:
            m.date_to = from_date - dt.timedelta(days=1)
            session.add(m)
    session.flush()
    membership = GroupMembership(pupil_id=pupil_id, group_id=group_id, date_from=from_date)
    session.add(membership)
    session.flush()
    return membership


def group_on(session: Session, pupil_id: int, day: dt.date) -> Group | None:
    return session.exec(
        select(Group)
        .join(GroupMembership, col(Group.id) == col(GroupMembership.group_id))
        .where(GroupMembership.pupil_id == pupil_id, Group.composite == False,  # noqa: E712
               GroupMembership.date_from <= day,
               or_(col(GroupMembership.date_to).is_(None), col(GroupMembership.date_to) >= day))
    ).first()  # fmt: skip


def leerplicht_contact_for(session: Session, gemeente: str) -> LeerplichtContact | None:
    return session.exec(select(LeerplichtContact).where(LeerplichtContact.gemeente == gemeente)).first()


# ------------------------------------------------------------------------------------ read helpers
# Screens read through these instead of writing queries themselves (architecture.md §3).


def pupil_choices(session: Session) -> list[tuple[int, str]]:
    """(id, "Achternaam, Roepnaam (leerlingnummer)") for every pupil, sorted for a picker."""
    rows = [(p.id, f"{sort_name(p)} ({p.key})") for p in session.exec(select(Pupil)).all() if p.id is not None]
    return sorted(rows, key=lambda t: t[1].lower())


def guardians_of(session: Session, pupil_id: int) -> list[Guardian]:
    return list(session.exec(select(Guardian).where(Guardian.pupil_id == pupil_id).order_by(col(Guardian.id))).all())


def vestigingen(session: Session) -> list[Vestiging]:
    return list(session.exec(select(Vestiging).order_by(Vestiging.key)).all())


def leerplicht_contacts(session: Session) -> list[LeerplichtContact]:
    return list(session.exec(select(LeerplichtContact).order_by(LeerplichtContact.gemeente)).all())
