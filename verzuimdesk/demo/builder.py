"""A fictional demo school: "Basisschool De Wilgenhoek" with two school years of register.

:func:`create_demo_school` fills an empty database with a realistic po school (8 groups, about 200
pupils, guardians, timetables, studiedagen) and an absence register from the start of the previous school
year up to ``today``: sickness with a winter peak, medical visits, a few chronic absentees, habitual
late-comers, a luxe-verzuim case, an opbouwrooster, unauthorised absence, unexplained absence on
``today`` (the nabellen list), registers taken for nearly every past lesson, and a few parents' reports
for the coming days. The same ``seed`` and ``today`` give the same school.

Everything is fictional: BSN's pass the 11-check but are random, phone numbers are 06-1234xxxx,
e-mail addresses are on example.nl.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

import holidays
from sqlalchemy import insert
from sqlmodel import Session, func, select
from stdnum.nl import bsn as stdnum_bsn

from verzuimdesk.demo.law import add_law_events
from verzuimdesk.demo.names import (
    BACKGROUND_WEIGHTS,
    BACKGROUNDS,
    DUTCH_BOYS,
    DUTCH_GIRLS,
    DUTCH_SURNAMES,
    FORMAL_NAMES,
    GEMEENTEN,
    MEDICAL_NOTES,
    PARENT_MEN,
    PARENT_WOMEN,
    SECOND_BOY,
    SECOND_GIRL,
    SICK_NOTES,
    STREETS,
)
from verzuimdesk.model.school.calendar import SchoolCalendar, add_day_off, school_year_bounds, school_year_name_for
from verzuimdesk.model.db import Database
from verzuimdesk.model.law.leerplicht import add_years
from verzuimdesk.model.school.reasons import reasons_by_code
from verzuimdesk.model.register.entries import record_call, report_absence
from verzuimdesk.model.school.records import (
    get_school,
    place_in_group,
    save_group,
    save_pupil,
    set_setting,
    setup_school,
)
from verzuimdesk.model.tables import (
    AbsenceEntry,
    CallRecord,
    DayOff,
    DayOffKind,
    Group,
    GroupMembership,
    Guardian,
    LeerplichtContact,
    Pupil,
    RegisterTaken,
    Source,
)
from verzuimdesk.model.register.timetable import Schedule, ScheduledLesson, add_deviation, set_group_timetable

SCHOOL_NAME = "Basisschool De Wilgenhoek"
ADMINISTRATOR = "M. Hoogland"

# --------------------------------------------------------------------------------------------- names

KLOKUREN = [(1, 510, 570), (2, 570, 630), (3, 630, 690), (4, 690, 750), (5, 780, 840), (6, 840, 900)]
"""Klokuren 08:30–12:30 and 13:00–15:00 (lunch 12:30–13:00 is not lesson time)."""


def _timetable(friday_afternoon_free: bool) -> list[tuple[int, int, int, int]]:
    rows: list[tuple[int, int, int, int]] = []
    for weekday in range(5):
        morning_only = weekday == 2 or (weekday == 4 and friday_afternoon_free)
        for number, start, end in KLOKUREN:
            if morning_only and number > 4:
                continue
            rows.append((weekday, number, start, end))
    return rows


GROUPS: list[tuple[str, str, str, str]] = [
    # key, name, jaargroep, teacher (taken_by of the registers)
    ("1/2a", "Groep 1/2a", "1", "A. Verbeek"),
    ("1/2b", "Groep 1/2b", "1", "S. El Khattabi"),
    ("3", "Groep 3", "3", "R. de Wit"),
    ("4", "Groep 4", "4", "L. Janssen"),
    ("5", "Groep 5", "5", "P. van Dam"),
    ("6", "Groep 6", "6", "K. Bulut"),
    ("7", "Groep 7", "7", "J. Hoekstra"),
    ("8", "Groep 8", "8", "E. van der Laan"),
]


@dataclass(frozen=True)
class DemoSummary:
    """What :func:`create_demo_school` made (counts for tests and the status bar)."""

    school_name: str
    today: dt.date
    school_years: tuple[str, ...]
    groups: int
    pupils: int  # every pupil record, leavers included
    pupils_enrolled: int  # enrolled on ``today``
    guardians: int
    absence_entries: int
    registers_taken: int
    registers_missing: int  # past group lessons whose register was not taken
    unexplained_today: int  # pupils with "reden onbekend" on ``today``
    advance_reports: int  # parents' reports for days after ``today``
    deviations: int

    def __str__(self) -> str:
        return (
            f"{self.school_name}: {self.groups} groepen, {self.pupils_enrolled} leerlingen ingeschreven "
            f"({self.pupils} in totaal, vertrokken leerlingen meegeteld), {self.guardians} ouders/verzorgers, "
            f"{self.absence_entries} registraties in de schooljaren {' en '.join(self.school_years)}, "
            f"{self.registers_taken} lessen met afgenomen absentie ({self.registers_missing} niet afgenomen), "
            f"{self.unexplained_today} leerlingen na te bellen op {self.today:%d-%m-%Y}."
        )


@dataclass(frozen=True)
class _Family:
    prefix: str
    last: str
    gemeente: str
    address: str
    postcode: str
    guardians: list[tuple[str, str, str, str]]  # name, relation, phone, e-mail
    muslim: bool
    births: list[dt.date] = field(default_factory=list)  # of the children at this school

    def may_have_child_born(self, born: dt.date) -> bool:
        """Brothers and sisters are at least eleven months apart."""
        return all(abs((born - other).days) >= 335 for other in self.births)


@dataclass
class _Kid:
    pupil_id: int
    cohort: int  # birth cohort: born 1 Oct (cohort − 1) … 30 Sep (cohort)
    kleuter_group: str  # "1/2a" or "1/2b"
    muslim: bool
    sick_rate: float = 0.012  # chance per school day that a sickness starts
    late_rate: float = 0.004
    medical_rate: float = 0.005
    truant_rate: float = 0.0
    therapy_weekday: int | None = None


# --------------------------------------------------------------------------------------- generators


def generate_bsn(rng: random.Random, taken: set[str]) -> str:
    """A random 9-digit number that passes the BSN 11-check (fictional)."""
    while True:
        digits = [rng.randint(1, 9)] + [rng.randint(0, 9) for _ in range(7)]
        total = sum(d * w for d, w in zip(digits, range(9, 1, -1)))
        last = total % 11
        if last == 10:
            continue
        value = "".join(map(str, digits)) + str(last)
        if value not in taken and not value.startswith("10") and stdnum_bsn.is_valid(value):
            taken.add(value)
            return value


def _ascii(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).replace("ı", "i")
    return "".join(c for c in text if c.isalnum() and ord(c) < 128).lower()


def _email(first: str, prefix: str, last: str) -> str:
    return f"{_ascii(first)}.{_ascii(prefix + last)}@example.nl"


def _cohort_of(birth: dt.date) -> int:
    return birth.year + 1 if birth.month >= 10 else birth.year


def _random_birth(rng: random.Random, cohort: int) -> dt.date:
    first = dt.date(cohort - 1, 10, 1)
    return first + dt.timedelta(days=rng.randrange((dt.date(cohort, 9, 30) - first).days + 1))


def _jaargroep(cohort: int, year_start: int) -> int:
    """Jaargroep in the school year starting in ``year_start`` (born Oct 2019–Sep 2020 → group 3 in 2026)."""
    return year_start - cohort - 3


def _group_key(kid: _Kid, year_start: int) -> str | None:
    g = _jaargroep(kid.cohort, year_start)
    if g > 8:
        return None
    return kid.kleuter_group if g <= 2 else str(g)


def _first_school_day_on_or_after(cal: SchoolCalendar, day: dt.date, weekday: int | None = None) -> dt.date:
    while not cal.is_school_day(day) or (weekday is not None and day.weekday() != weekday):
        day += dt.timedelta(days=1)
    return day


# -------------------------------------------------------------------------------------------- build


def ensure_demo(db: Database, *, today: dt.date | None = None, seed: int = 2026) -> DemoSummary | None:
    """Create the demo school when the database has no school yet; otherwise do nothing (None)."""
    with db.session() as s:
        if get_school(s) is not None:
            return None
    return create_demo_school(db, today=today, seed=seed)


def create_demo_school(db: Database, *, today: dt.date | None = None, seed: int = 2026) -> DemoSummary:
    """Fill an empty database with the fictional demo school (one transaction; deterministic per seed)."""
    today = today or dt.date.today()
    with db.transaction() as s:
        return _Builder(s, today, seed).build()


class _Builder:
    def __init__(self, session: Session, today: dt.date, seed: int) -> None:
        self.s = session
        self.today = today
        self.rng = random.Random(seed)
        self.seed = seed
        self.current_year = school_year_name_for(today)
        self.cur_start, self.cur_end = school_year_bounds(self.current_year)
        self.prev_year = f"{self.cur_start.year - 1}-{self.cur_start.year}"
        self.prev_start, self.prev_end = school_year_bounds(self.prev_year)
        self.groups: dict[str, Group] = {}
        self.kids: list[_Kid] = []
        self.bsns: set[str] = set()
        self.guardian_of: dict[int, str] = {}

    # ------------------------------------------------------------------------------------------ build
    def build(self) -> DemoSummary:
        s = self.s
        school = setup_school(s, SCHOOL_NAME, brin="99XA", region="midden", sector="po",
                              school_years=[self.prev_year, self.current_year], today=self.today)
        school.address, school.postcode, school.city = "Wilgenhoek 1", "3991 ZX", "Houten"
        school.phone, school.email = "030-123 45 67", "info@wilgenhoek.example.nl"
        school.director = "Marieke Hoogendoorn"
        school.samenwerkingsverband = "SWV Passend Primair Onderwijs Kromme Rijn (fictief)"
        school.samenwerkingsverband_contact = "Loket passend onderwijs, 030-123 45 99, loket@swv-krommerijn.example.nl"
        s.add(school)
        s.add(LeerplichtContact(gemeente="Houten", name="Jeroen Smulders", phone="030-123 45 10",
                                email="leerplicht.houten@example.nl", address="Postbus 30, 3990 DA Houten"))
        s.add(LeerplichtContact(gemeente="Bunnik", name="Selin Aydın", phone="030-123 45 20",
                                email="leerplicht.bunnik@example.nl", address="Postbus 5, 3980 CA Bunnik"))
        set_setting(s, "demo", "ja")
        set_setting(s, "gebruiker", ADMINISTRATOR)
        # The reporter of meldingen (Besluit Verzuimmelding: naam, functie, telefoon, e-mail van de melder).
        set_setting(s, "melder_functie", "administratief medewerker / verzuimcoördinator")
        set_setting(s, "melder_telefoon", "030-123 45 68")
        set_setting(s, "melder_email", "verzuim@wilgenhoek.example.nl")
        self.reasons = reasons_by_code(s)
        self._studiedagen()
        self._groups()
        self.calendar = SchoolCalendar(s, self.prev_start, self.cur_end)
        self._pupils()
        self._special_events()
        s.flush()

        horizon = min(self.today + dt.timedelta(days=21), self.cur_end)
        self.schedule = Schedule(s, self.prev_start, horizon, calendar=SchoolCalendar(s, self.prev_start, horizon))
        entries, calls = self._absence()
        if entries:
            s.connection().execute(insert(AbsenceEntry), entries)
        if calls:
            s.connection().execute(insert(CallRecord), calls)
        registers, missing = self._registers()
        s.connection().execute(insert(RegisterTaken), registers)
        advance = self._advance_reports()
        self._call_without_answer()
        s.flush()
        others = [k.pupil_id for k in self.kids if k not in self.chronic
                  and k.pupil_id not in (self.luxe_kid.pupil_id, self.leave_kid.pupil_id)
                  and self.schedule.group_of(k.pupil_id, self.today) is not None]
        add_law_events(
            s, today=self.today, calendar=self.calendar, administrator=ADMINISTRATOR,
            luxe_pupil=self.luxe_kid.pupil_id, leave_pupil=self.leave_kid.pupil_id,
            chronic_pupils=[k.pupil_id for k in self.chronic], other_pupils=others[3::17],
            prev_year=self.prev_year, prev_start=self.prev_start, cur_start=self.cur_start, seed=self.seed,
        )  # fmt: skip

        enrolled = [k for k in self.kids if self.schedule.group_of(k.pupil_id, self.today) is not None]
        unexplained = {e["pupil_id"] for e in entries
                       if e["date"] == self.today and e["reason_id"] == self.reasons["X"].id}
        return DemoSummary(
            school_name=SCHOOL_NAME, today=self.today, school_years=(self.prev_year, self.current_year),
            groups=len(self.groups), pupils=len(self.kids), pupils_enrolled=len(enrolled),
            guardians=s.exec(select(func.count()).select_from(Guardian)).one(),
            absence_entries=s.exec(select(func.count()).select_from(AbsenceEntry)).one(),
            registers_taken=len(registers), registers_missing=missing, unexplained_today=len(unexplained),
            advance_reports=advance, deviations=1,
        )  # fmt: skip

    # --------------------------------------------------------------------------------- calendar, groups
    def _studiedagen(self) -> None:
        cal = SchoolCalendar(self.s, self.prev_start, self.cur_end)
        for start in (self.prev_start, self.cur_start):
            y = start.year
            for wish, weekday in ((dt.date(y, 10, 1), 0), (dt.date(y + 1, 3, 10), 2)):
                day = _first_school_day_on_or_after(cal, wish, weekday)
                if day == self.today:
                    day = _first_school_day_on_or_after(cal, day + dt.timedelta(days=1), weekday)
                add_day_off(self.s, day, day, "Studiedag team", DayOffKind.STUDY_DAY.value)

    def _groups(self) -> None:
        for key, name, jaargroep, _teacher in GROUPS:
            group = save_group(self.s, Group(key=key, name=name, jaargroep=jaargroep, registers_per="klokuur"))
            assert group.id is not None
            self.groups[key] = group
            # Groups 1–4 have Friday afternoon off (domain.md §3); Wednesday afternoon is free for all.
            set_group_timetable(self.s, group.id, _timetable(friday_afternoon_free=jaargroep in "1234"))

    # ------------------------------------------------------------------------------------------ pupils
    def _pupils(self) -> None:
        rng = self.rng
        y = self.cur_start.year
        number = 1000
        births: list[tuple[dt.date, int]] = []
        for cohort in range(y - 12, y - 2):  # last year's group 8 … this year's instroom
            size = rng.randint(22, 27)
            for _ in range(size):
                births.append((_random_birth(rng, cohort), cohort))
        # The opbouwrooster pupil: turned four a few weeks ago (domain.md §3, art. 11a).
        self.newcomer_birth = add_years(self.today - dt.timedelta(days=25), -4)
        births.append((self.newcomer_birth, _cohort_of(self.newcomer_birth)))
        families: list[_Family] = []
        used_names: set[tuple[str, str]] = set()
        for index, (born, cohort) in enumerate(births):
            fourth = add_years(born, 4)
            if fourth > self.today:
                continue
            number += 1
            boy = rng.random() < 0.5
            background = rng.choices(BACKGROUNDS, BACKGROUND_WEIGHTS)[0] if rng.random() < 0.2 else None
            sibling = families[rng.randrange(len(families))] if families and rng.random() < 0.2 else None
            if sibling is not None and not sibling.may_have_child_born(born):
                sibling = None
            if sibling is not None:  # brother or sister of an earlier pupil: same family, same parents
                family = sibling
            else:
                family = self._new_family(background)
                families.append(family)
            # Draw the first name until the full name is new in the school: two pupils with the same name
            # would be indistinguishable in a register.
            for _attempt in range(50):
                if background is not None:
                    first = rng.choice(background[0] if boy else background[1])
                else:
                    first = rng.choice(DUTCH_BOYS if boy else DUTCH_GIRLS)
                if (first, family.last) not in used_names:
                    break
            used_names.add((first, family.last))
            muslim = family.muslim if sibling is not None else (background[3] if background is not None else False)
            formal = FORMAL_NAMES.get(first, first)
            second = rng.choice(SECOND_BOY if boy else SECOND_GIRL) if background is None and rng.random() < 0.6 else ""
            family.births.append(born)
            prefix, last = family.prefix, family.last
            pupil = save_pupil(
                self.s,
                Pupil(
                    key=str(number), achternaam=last, voorvoegsel=prefix, voornamen=f"{formal} {second}".strip(),
                    roepnaam=first, birth_date=born, gender="m" if boy else "v", bsn=generate_bsn(rng, self.bsns),
                    woongemeente=family.gemeente, address=family.address, postcode=family.postcode,
                    city=family.gemeente,
                    enrolled_on=fourth, left_on=self._last_school_day(self.prev_end) if cohort == y - 12 else None,
                ),
            )  # fmt: skip
            assert pupil.id is not None
            for full, relation, phone, email in family.guardians:
                self.s.add(Guardian(pupil_id=pupil.id, name=full, relation=relation, phone=phone, email=email))
            self.guardian_of[pupil.id] = family.guardians[0][0]
            kid = _Kid(pupil.id, cohort, "1/2a" if index % 2 == 0 else "1/2b", muslim)
            if index == len(births) - 1:
                self.newcomer = kid  # the four-year-old of the opbouwrooster
            kid.sick_rate = 0.012 * rng.uniform(0.3, 1.7)
            self.kids.append(kid)
            for year_start in (self.prev_start, self.cur_start):
                key = _group_key(kid, year_start.year)
                if key is None:
                    continue
                end = self.prev_end if year_start == self.prev_start else self.cur_end
                date_from = max(year_start, pupil.enrolled_on or year_start)
                if date_from <= end and (pupil.left_on is None or date_from <= pupil.left_on):
                    place_in_group(self.s, pupil.id, self.groups[key].id, date_from)  # type: ignore[arg-type]
            if pupil.left_on is not None:
                self._end_membership(pupil.id, pupil.left_on)
        self.s.flush()

    def _new_family(self, background: tuple[list[str], list[str], list[tuple[str, str]], bool] | None) -> _Family:
        rng = self.rng
        if background is not None:
            prefix, last = rng.choice(background[2])
            mother, father = rng.choice(background[1]), rng.choice(background[0])
        else:
            prefix, last = rng.choice(DUTCH_SURNAMES)
            mother, father = rng.choice(PARENT_WOMEN), rng.choice(PARENT_MEN)
        gemeente, pc, _weight = rng.choices(GEMEENTEN, [g[2] for g in GEMEENTEN])[0]
        guardians: list[tuple[str, str, str, str]] = []
        for relation, name in (("moeder", mother), ("vader", father)):
            if relation == "vader" and rng.random() < 0.25:
                continue  # one guardian on file
            full = " ".join(p for p in (name, prefix, last) if p)
            guardians.append((full, relation, f"06-1234{rng.randrange(10000):04d}", _email(name, prefix, last)))
        return _Family(
            prefix=prefix, last=last, gemeente=gemeente,
            address=f"{rng.choice(STREETS)} {rng.randint(1, 140)}",
            postcode=f"{pc} {chr(65 + rng.randrange(26))}{chr(65 + rng.randrange(26))}",
            guardians=guardians, muslim=background[3] if background else False,
        )  # fmt: skip

    def _last_school_day(self, before: dt.date) -> dt.date:
        day = before
        while not self.calendar.is_school_day(day):
            day -= dt.timedelta(days=1)
        return day

    def _end_membership(self, pupil_id: int, last_day: dt.date) -> None:
        for m in self.s.exec(select(GroupMembership).where(GroupMembership.pupil_id == pupil_id)).all():
            if m.date_from > last_day:
                self.s.delete(m)
            elif m.date_to is None or m.date_to > last_day:
                m.date_to = last_day
                self.s.add(m)
        self.s.flush()

    # ----------------------------------------------------------------------------- events, profiles
    def _event_days(self) -> list[dt.date]:
        """School days in which this year's changes happen (last year's second half if this year is young)."""
        yesterday = self.today - dt.timedelta(days=1)
        pool = self.calendar.school_days(self.cur_start, yesterday) if yesterday >= self.cur_start else []
        if len(pool) < 30:
            pool = self.calendar.school_days(dt.date(self.prev_start.year + 1, 1, 5), min(yesterday, self.prev_end))
        return pool

    def _current_kids(self, day: dt.date, groups: Sequence[str]) -> list[_Kid]:
        schedule = Schedule(self.s, day, day, calendar=self.calendar)
        ids = {self.groups[k].id: k for k in groups}
        return [k for k in self.kids if schedule.group_of(k.pupil_id, day) in ids]

    def _special_events(self) -> None:
        rng = self.rng
        pool = self._event_days()
        left_day, joined_day, change_day = (pool[int(len(pool) * f)] for f in (0.45, 0.6, 0.7))
        self.s.flush()

        # One pupil left during the year (moved away).
        leaver = rng.choice(self._current_kids(left_day, ["4"]))
        pupil = self.s.get(Pupil, leaver.pupil_id)
        assert pupil is not None
        pupil.left_on = left_day
        pupil.notes = "Verhuisd naar Zwolle; uitgeschreven, onderwijskundig rapport verstuurd."
        save_pupil(self.s, pupil)
        self._end_membership(pupil.id, left_day)  # type: ignore[arg-type]

        # One pupil joined mid-year (zij-instromer).
        cohort = joined_day.year - (1 if joined_day.month < 8 else 0) - 6 - 3
        born = _random_birth(rng, cohort)
        joiner = save_pupil(
            self.s,
            Pupil(key="1900", achternaam="Kuijpers", voornamen="Fleur Johanna", roepnaam="Fleur",
                  birth_date=born, gender="v", bsn=generate_bsn(rng, self.bsns), woongemeente="Houten",
                  address="Berkenhof 17", postcode="3991 KP", city="Houten", enrolled_on=joined_day,
                  notes="Zij-instromer, verhuisd uit Amersfoort."),
        )  # fmt: skip
        assert joiner.id is not None
        self.s.add(Guardian(pupil_id=joiner.id, name="Iris Kuijpers", relation="moeder", phone="06-12349876",
                            email="iris.kuijpers@example.nl"))
        self.guardian_of[joiner.id] = "Iris Kuijpers"
        place_in_group(self.s, joiner.id, self.groups["6"].id, joined_day)  # type: ignore[arg-type]
        self.kids.append(_Kid(joiner.id, cohort, "1/2a", False))

        # One group change: a kleuter moves from 1/2a to 1/2b (the groups are rebalanced).
        newcomer = self.newcomer
        movers = [k for k in self._current_kids(change_day, ["1/2a"]) if k is not newcomer]
        mover = rng.choice(movers)
        place_in_group(self.s, mover.pupil_id, self.groups["1/2b"].id, change_day)  # type: ignore[arg-type]

        # The opbouwrooster: the four-year-old attends mornings only for the first ten weeks.
        start = add_years(self.newcomer_birth, 4)
        add_deviation(self.s, newcomer.pupil_id, "opbouwrooster", start, start + dt.timedelta(weeks=10),
                      [(weekday, 510, 750) for weekday in range(5)],
                      "Opbouwrooster: de eerste tien weken alleen 's ochtends (08:30–12:30).")

        # Absence profiles.
        today_pupils = self._current_kids(self.today if self.calendar.is_school_day(self.today) else pool[-1],
                                          ["3", "4", "5", "6", "7", "8"])
        picks = rng.sample(today_pupils, 16)
        self.chronic = picks[:4]
        for kid in picks[:4]:  # chronic absence (≥ 10 %), mostly sickness
            kid.sick_rate = 0.065
        picks[3].truant_rate = 0.04  # … and one who also stays away without a reason
        for kid in picks[4:10]:  # habitual late-comers
            kid.late_rate = 0.22
        for kid in picks[10:13]:  # weekly therapy during school hours
            kid.therapy_weekday = rng.randrange(5)
        self.luxe_kid, self.leave_kid = picks[13], picks[14]
        self.advance_kids = picks[13:16]

    # ----------------------------------------------------------------------------------------- absence
    def _absence(self) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
        rng = self.rng
        reasons = {code: r.id for code, r in self.reasons.items()}
        days = self.calendar.school_days(self.prev_start, self.today)
        season = {8: 0.6, 9: 0.8, 10: 1.0, 11: 1.1, 12: 1.9, 1: 2.2, 2: 2.0, 3: 1.6, 4: 0.9, 5: 0.8, 6: 0.7, 7: 0.6}
        by_day: dict[tuple[int, dt.date], list[dict[str, object]]] = {}
        calls: list[dict[str, object]] = []

        def entry(pid: int, day: dt.date, lesson: ScheduledLesson, code: str, *, source: str, by: str,
                  at: dt.time, note: str = "", late: int = 0) -> dict[str, object]:
            return {
                "pupil_id": pid, "date": day, "lesson_number": lesson.number, "start_minute": lesson.start,
                "end_minute": lesson.end, "reason_id": reasons[code], "minutes_late": late, "source": source,
                "note": note, "created_by": by, "created_at": dt.datetime.combine(day, at), "updated_at": None,
            }  # fmt: skip

        def whole(pid: int, day: dt.date, lessons: Sequence[ScheduledLesson], code: str, source: str,
                  note: str = "", by: str = ADMINISTRATOR) -> list[dict[str, object]]:
            at = dt.time(8, rng.randrange(30))
            return [entry(pid, day, les, code, source=source, by=by, at=at, note=note) for les in lessons]

        teacher_of = {self.groups[key].id: teacher for key, _n, _j, teacher in GROUPS}
        for kid in self.kids:
            pid = kid.pupil_id
            episode = 0
            for day in days:
                lessons = self.schedule.lessons_for(pid, day)
                if not lessons:
                    continue
                teacher = teacher_of[self.schedule.group_of(pid, day)]  # type: ignore[index]
                factor = season[day.month]
                rows: list[dict[str, object]] = []
                if episode > 0:
                    episode -= 1
                    rows = whole(pid, day, lessons, "Z", Source.PARENT.value)
                elif rng.random() < kid.sick_rate * factor:
                    episode = (rng.random() < 0.55) + (rng.random() < 0.35) + 2 * (rng.random() < 0.12)
                    if kid.sick_rate > 0.05:
                        episode += rng.randrange(3)
                    if rng.random() < 0.05 and day < self.today:  # no report: called home, then resolved
                        rows = whole(pid, day, lessons, "Z", Source.OFFICE.value, f"Nagebeld door {ADMINISTRATOR}.")
                        calls.append({
                            "pupil_id": pid, "date": day, "called_at": dt.datetime.combine(day, dt.time(9, 15)),
                            "called_by": ADMINISTRATOR, "reached": True, "contact": self.guardian_of.get(pid, ""),
                            "outcome_reason_id": reasons["Z"], "note": "Ouder vergat de ziekmelding door te geven.",
                        })  # fmt: skip
                    else:
                        rows = whole(pid, day, lessons, "Z", Source.PARENT.value, rng.choice(SICK_NOTES),
                                     by=self.guardian_of.get(pid, "ouder"))
                elif rng.random() < 0.003 * factor and len(lessons) > 2:  # went home ill
                    rows = whole(pid, day, lessons[len(lessons) // 2:], "Z", Source.OFFICE.value, "Ziek naar huis")
                elif kid.therapy_weekday == day.weekday():
                    rows = [entry(pid, day, lessons[1], "M", source=Source.PARENT.value, by=ADMINISTRATOR,
                                  at=dt.time(8, 10), note="Fysiotherapie (vaste afspraak)")]
                elif rng.random() < kid.medical_rate:
                    lesson = lessons[rng.randrange(len(lessons))]
                    rows = [entry(pid, day, lesson, "M", source=Source.PARENT.value, by=ADMINISTRATOR,
                                  at=dt.time(8, 5), note=rng.choice(MEDICAL_NOTES))]
                elif rng.random() < kid.late_rate:
                    code = "TG" if rng.random() < 0.2 else "T"
                    rows = [entry(pid, day, lessons[0], code, source=Source.TEACHER.value, by=teacher,
                                  at=dt.time(8, 45), late=rng.randint(3, 25),
                                  note="Trein had vertraging" if code == "TG" else "")]
                elif rng.random() < kid.truant_rate:
                    part = lessons if rng.random() < 0.5 else lessons[len(lessons) // 2:]
                    rows = whole(pid, day, part, "O", Source.OFFICE.value, "Niet op school; ouders wisten van niets.")
                if rows:
                    by_day[(pid, day)] = rows

        self._special_absence(by_day, whole, days)
        self._unexplained_today(by_day, entry)
        return [row for key in sorted(by_day, key=lambda k: (k[1], k[0])) for row in by_day[key]], calls

    def _special_absence(self, by_day: dict[tuple[int, dt.date], list[dict[str, object]]], whole, days: list[dt.date]) -> None:  # type: ignore[no-untyped-def]
        def school_days_before(start: dt.date, count: int) -> list[dt.date]:
            before = [d for d in days if d < start]
            return before[-count:]

        holidays_rows = self.s.exec(select(DayOff).where(DayOff.kind == DayOffKind.HOLIDAY.value)).all()
        starts = {(h.description, h.date_from.year): h.date_from for h in holidays_rows}
        # Luxe verzuim: away on the school days just before the May holiday and the autumn holiday.
        luxe = school_days_before(starts.get(("Meivakantie", self.cur_start.year), dt.date.max), 2)
        luxe += school_days_before(starts.get(("Herfstvakantie", self.cur_start.year), dt.date.max), 1)
        for day in luxe:
            lessons = self.schedule.lessons_for(self.luxe_kid.pupil_id, day)
            if lessons and day < self.today:
                by_day[(self.luxe_kid.pupil_id, day)] = whole(
                    self.luxe_kid.pupil_id, day, lessons, "L", Source.OFFICE.value,
                    "Op vakantie zonder verlof (vliegtickets gezien); melding luxe verzuim bij leerplicht.")
        # Granted holiday leave for a parent's occupation (art. 13a): the days before Christmas.
        xmas = starts.get(("Kerstvakantie", self.prev_start.year), dt.date.max)
        for day in school_days_before(xmas, 3):
            lessons = self.schedule.lessons_for(self.leave_kid.pupil_id, day)
            if lessons:
                by_day[(self.leave_kid.pupil_id, day)] = whole(
                    self.leave_kid.pupil_id, day, lessons, "V", Source.LEAVE.value,
                    "Verlof toegekend door de directeur: seizoensgebonden beroep ouders (art. 13a).")
        # Religious obligation: Suikerfeest (first day), for some Muslim pupils.
        eid = [d for d, name in holidays.country_holidays("TR", years=[self.prev_end.year, self.cur_end.year]).items()
               if name == "Eid al-Fitr" and (d - dt.timedelta(days=1)) not in
               holidays.country_holidays("TR", years=[d.year])]  # fmt: skip
        for day in eid:
            if not (self.prev_start <= day < self.today) or not self.calendar.is_school_day(day):
                continue
            for kid in self.kids:
                lessons = self.schedule.lessons_for(kid.pupil_id, day)
                if kid.muslim and lessons and self.rng.random() < 0.6:
                    by_day[(kid.pupil_id, day)] = whole(kid.pupil_id, day, lessons, "R", Source.PARENT.value,
                                                        "Suikerfeest")
        # Lesuitval: group 5 sent home one afternoon (no substitute teacher); not counted against pupils.
        gid = self.groups["5"].id
        day = _first_school_day_on_or_after(self.calendar, dt.date(self.prev_start.year + 1, 2, 2), 0)
        for kid in self.kids:
            if self.schedule.group_of(kid.pupil_id, day) != gid:
                continue
            lessons = [les for les in self.schedule.lessons_for(kid.pupil_id, day) if les.number >= 5]
            rows = [r for r in by_day.get((kid.pupil_id, day), []) if r["lesson_number"] < 5]  # type: ignore[operator]
            by_day[(kid.pupil_id, day)] = rows + whole(kid.pupil_id, day, lessons, "LU", Source.OFFICE.value,
                                                       "Geen invaller: groep 5 's middags vrij.")

    def _unexplained_today(self, by_day: dict[tuple[int, dt.date], list[dict[str, object]]], entry) -> None:  # type: ignore[no-untyped-def]
        """A handful of pupils missing today without a report: the nabellen list."""
        candidates = [k for k in self.kids
                      if self.schedule.lessons_for(k.pupil_id, self.today) and (k.pupil_id, self.today) not in by_day]
        self.unexplained = self.rng.sample(candidates, min(5, len(candidates)))
        teacher_of = {self.groups[key].id: teacher for key, _n, _j, teacher in GROUPS}
        for kid in self.unexplained:
            teacher = teacher_of[self.schedule.group_of(kid.pupil_id, self.today)]  # type: ignore[index]
            by_day[(kid.pupil_id, self.today)] = [
                entry(kid.pupil_id, self.today, les, "X", source=Source.TEACHER.value, by=teacher, at=dt.time(8, 40))
                for les in self.schedule.lessons_for(kid.pupil_id, self.today)
            ]

    # --------------------------------------------------------------------------------------- registers
    def _registers(self) -> tuple[list[dict[str, object]], int]:
        """Registers taken for every past lesson but a few; today only the first lesson (and not in group 7)."""
        days = self.calendar.school_days(self.prev_start, self.today)
        recent = [d for d in days if d < self.today][-10:]
        skipped: set[tuple[int, dt.date, int]] = set()
        for _ in range(6):
            key = self.rng.choice(sorted(self.groups))
            gid = self.groups[key].id
            day = self.rng.choice(recent)
            numbers = [les.number for les in self.schedule.group_lessons(gid, day)]  # type: ignore[arg-type]
            if numbers:
                skipped.add((gid, day, self.rng.choice(numbers)))  # type: ignore[arg-type]
        rows: list[dict[str, object]] = []
        for key, _name, _jaargroep, teacher in GROUPS:
            gid = self.groups[key].id
            for day in days:
                for les in self.schedule.group_lessons(gid, day):  # type: ignore[arg-type]
                    if day == self.today and (les.number > 1 or key == "7"):
                        continue
                    if (gid, day, les.number) in skipped:
                        continue
                    rows.append({
                        "group_id": gid, "date": day, "lesson_number": les.number, "taken_by": teacher,
                        "taken_at": dt.datetime.combine(day, dt.time(les.start // 60, les.start % 60 + 3)),
                    })  # fmt: skip
        return rows, len(skipped)

    # --------------------------------------------------------------------------------- reports ahead
    def _advance_reports(self) -> int:
        """Parents' reports for the coming school days (through the real register operation)."""
        from verzuimdesk.model.errors import ValidationError

        ahead = self.calendar.school_days(self.today + dt.timedelta(days=1), self.cur_end)[:6]
        plans = [
            (0, 630, 690, "M", "Tandarts"),
            (2, 510, 750, "M", "Controle in het ziekenhuis"),
            (4, None, None, "G", "Verlof toegekend door de directeur: huwelijk van een familielid."),
        ]
        made = 0
        for (day_index, start, end, code, note), kid in zip(plans, self.advance_kids):
            if day_index >= len(ahead):
                continue
            day = ahead[day_index]
            last = ahead[min(day_index + 1, len(ahead) - 1)] if code == "G" else day
            try:
                report_absence(self.s, kid.pupil_id, day, last, code, by=self.guardian_of.get(kid.pupil_id, "ouder"),
                               start=start, end=end, source=Source.PARENT.value, note=note)
            except ValidationError:
                continue
            made += 1
        return made

    def _call_without_answer(self) -> None:
        if self.unexplained:
            pid = self.unexplained[0].pupil_id
            record_call(self.s, pid, self.today, by=ADMINISTRATOR, reached=False,
                        contact=self.guardian_of.get(pid, ""), note="Geen gehoor; voicemail ingesproken.",
                        now=dt.datetime.combine(self.today, dt.time(9, 5)))
