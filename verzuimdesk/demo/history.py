"""The demo school's register history: two school years of absence, late arrivals, advance reports, registers
taken and calls home, with a few pupils whose absence the law engine must notice (:class:`RegisterHistory`, a
part of the demo builder)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence

import holidays
from sqlmodel import Session, select

from verzuimdesk.demo.names import (
    MEDICAL_NOTES,
    SICK_NOTES,
)
from verzuimdesk.demo.people import (
    ADMINISTRATOR,
    GROUPS,
    _first_school_day_on_or_after,
    _Kid,
    _random_birth,
    generate_bsn,
)
from verzuimdesk.model.audit import history_time
from verzuimdesk.model.law.leerplicht import add_years
from verzuimdesk.model.register.entries import record_call, report_absence
from verzuimdesk.model.register.timetable import Schedule, ScheduledLesson, add_deviation
from verzuimdesk.model.school.calendar import SchoolCalendar
from verzuimdesk.model.school.records import place_in_group, save_pupil
from verzuimdesk.model.tables import (
    DayOff,
    DayOffKind,
    Group,
    GroupMembership,
    Guardian,
    Pupil,
    Reason,
    Source,
)


class RegisterHistory:
    """The register-history half of the demo builder (state lives on the builder: session, calendar, kids)."""

    s: Session
    today: dt.date
    rng: random.Random
    calendar: SchoolCalendar
    schedule: Schedule
    reasons: dict[str, Reason]
    groups: dict[str, Group]
    kids: list[_Kid]
    bsns: set[str]
    guardian_of: dict[int, str]
    cur_start: dt.date
    cur_end: dt.date
    prev_start: dt.date
    prev_end: dt.date
    newcomer: _Kid | None
    newcomer_birth: dt.date

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
        with history_time(self.s, dt.datetime.combine(left_day, dt.time(10, 0))):
            pupil.left_on = left_day
            pupil.notes = "Verhuisd naar Zwolle; uitgeschreven, onderwijskundig rapport verstuurd."
            save_pupil(self.s, pupil)
            self._end_membership(pupil.id, left_day)  # type: ignore[arg-type]

        # One pupil joined mid-year (zij-instromer).
        cohort = joined_day.year - (1 if joined_day.month < 8 else 0) - 6 - 3
        born = _random_birth(rng, cohort)
        with history_time(self.s, dt.datetime.combine(joined_day, dt.time(8, 30))):
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
        with history_time(self.s, dt.datetime.combine(change_day, dt.time(8, 15))):
            place_in_group(self.s, mover.pupil_id, self.groups["1/2b"].id, change_day)  # type: ignore[arg-type]

        # The opbouwrooster: the four-year-old attends mornings only for the first ten weeks.
        start = add_years(self.newcomer_birth, 4)
        with history_time(self.s, dt.datetime.combine(start - dt.timedelta(days=7), dt.time(14, 0))):
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
        # A thuiszitter (issue 9): the first pupil of group 7 today not picked above (no draw from rng, so the
        # rest of the demo stays as it was).
        self.thuiszitter = next(k for k in self._current_kids(self.today if self.calendar.is_school_day(self.today)
                                                              else pool[-1], ["7"]) if k not in picks)

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
        self._thuiszitter(by_day, whole, days)
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

    def _thuiszitter(self, by_day: dict[tuple[int, dt.date], list[dict[str, object]]], whole,  # type: ignore[no-untyped-def]
                     days: list[dt.date]) -> None:
        """Wholly away without a reason since the same weekday 4 lesweken before the school day 3 school days
        ago: the V3 and its weekly repeats were reported, the one LRV (einddatum open) is due since 3 school
        days (demo law.py)."""
        done = [d for d in days if d <= self.today]
        if len(done) < 4:
            return
        due = done[-4]
        mondays = sorted({d - dt.timedelta(days=d.weekday()) for d in done})
        k = mondays.index(due - dt.timedelta(days=due.weekday()))
        if k < 4:
            return
        start = mondays[k - 4] + dt.timedelta(days=due.weekday())
        pid = self.thuiszitter.pupil_id
        for day in (d for d in done if d >= start):
            lessons = self.schedule.lessons_for(pid, day)
            if lessons:
                by_day[(pid, day)] = whole(pid, day, lessons, "O", Source.OFFICE.value,
                                           "Niet op school; thuiszitter, ouders zeggen geen grip te hebben.")

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
