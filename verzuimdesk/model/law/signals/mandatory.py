"""The duties besides the 16 hours (domain.md §7.1): langdurig relatief verzuim, RMC and luxe verzuim, and the
luxe-verzuim check. No Qt.

Decisions where the law or the sources leave room (also in docs/law.md):

- **LRV** (seed 004 L496, "na 4 weken aaneengesloten verzuim opnieuw melden"; DUO verzuimsoort LRV): a run
  of the pupil's consecutive scheduled days, each wholly absent with an unauthorised reason. It is due **once**
  per run, on the first day of the run that lies on or after the same weekday 4 lesweken after its first day
  (the run then lasted 4 full lesweken and goes on: "more than 4 weeks"; holiday weeks are skipped as for the
  16 hours). Its einddatum stays open while the run goes on (Besluit Verzuimmelding: "einddatum, indien
  bekend"); the signal says the last day of the run once the pupil is back (the einddatum to fill in).
- **RMC** (Wet RMC; DUO verzuimsoort RMC): a pupil who is no longer leerplichtig or kwalificatieplichtig and
  younger than 23 (leerplicht.rmc_applies) who has not followed education for a month: a run of wholly
  unauthorised absent scheduled days from its first day to the same date a calendar month later (the first
  scheduled day on or after it). Due once per run; mandatory.
- **Luxe verzuim** (art. 13a Lpw; DUO verzuimsoort L). A *duty* ("melding verplicht") only for what the law
  means by it: (nearly) whole days of unauthorised absence — at least three quarters of the day's net
  scheduled time, lateness excluded — on the pupil's last school day(s) before or first school day(s) after a
  school holiday (DayOff "vakantie"), walking on over further such days; absence registered with reason
  code L; unauthorised absence inside a refused leave request. A part of a day (a skipped lesson) next to a
  holiday is a *check* (kind "luxe_controle", "controleren"): the school looks into it, it is no melding.
  Long weekends (a whole-school day off next to a weekend) count only when the school opts in
  (MeldingPolicy.luxe_long_weekend). Reported absence of sickness in such a period is not used (it is
  authorised and health data, AVG). Group-only days off do not make a long weekend. Clusters of such days
  next to each other in the pupil's timetable make one signal. Absence next to a holiday that is part of a
  16-hour melding, an LRV or RMC run (due or stored) is not called luxe verzuim as well: a thuiszitter's
  absence does not become a holiday because a holiday falls in it (inbox.py); code L and refused leave are.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace

from verzuimdesk.model.law.signals.counting import CountedLesson, PupilDays
from verzuimdesk.model.law.signals.other import (
    Finding,
    OffRun,
    holiday_adjacent_days,
    lessons_of,
    sum_minutes,
)
from verzuimdesk.model.law.signals.policy import MeldingPolicy
from verzuimdesk.model.law.signals.sixteen_hours import add_month, weeks_later


def absence_runs(pupil: PupilDays, regime: str) -> list[list[dt.date]]:
    """Runs of the pupil's consecutive scheduled days, each wholly absent without authorisation, on days of
    ``regime`` ("lpw": leerplichtig/kwalificatieplichtig under 18; "rmc": Wet RMC)."""
    runs: list[list[dt.date]] = []
    run: list[dt.date] = []
    last_idx = -2
    lpw = regime == "lpw"
    for day, ev in pupil.events.items():
        if not ev.whole_day_unauthorised:
            if run:  # speed: the usual day; the run ends here
                runs.append(run)
                run = []
            last_idx = ev.idx
            continue
        idx = ev.idx  # = pupil.day_index(day): a day with entries is a scheduled day
        qualifies = ev.lpw if lpw else ev.rmc
        if qualifies and idx == last_idx + 1 and run:
            run.append(day)
        else:
            if run:
                runs.append(run)
            run = [day] if qualifies else []
        last_idx = idx
    if run:
        runs.append(run)
    return runs


def _run_until(pupil: PupilDays, run: list[dt.date]) -> dt.date | None:
    """The run's last day when the pupil's next scheduled day (in the data) is not part of it."""
    idx = pupil.day_index(run[-1])
    return run[-1] if idx is not None and idx + 1 < len(pupil.days) else None


def lrv(pupil: PupilDays, weeks: int = 4) -> list[Finding]:
    """Langdurig relatief verzuim: wholly unauthorised absent for more than ``weeks`` lesweken (seed 004
    L496; DUO LRV): one melding per run, with an open einddatum while the run goes on."""
    out: list[Finding] = []
    for run in absence_runs(pupil, "lpw"):
        due = weeks_later(pupil, run[0], run, weeks)
        if due is None:
            continue
        period = [d for d in run if d <= due]
        until = _run_until(pupil, run)
        still = (f"tot en met {run[-1]:%d-%m-%Y} (einddatum)" if until else "en nog steeds (einddatum open)")
        out.append(Finding(
            pupil.pupil_id, "LRV", run[0], due, sum_minutes(pupil, period), days=period,
            lessons=_registered(lessons_of(pupil, period)), count=1, until=until,
            detail=f"aaneengesloten ongeoorloofd afwezig sinds {run[0]:%d-%m-%Y} {still}, meer dan {weeks} lesweken",
        ))  # fmt: skip
    return out


def rmc(pupil: PupilDays) -> list[Finding]:
    """RMC (Wet RMC; DUO verzuimsoort RMC): a month without following education, 18–23 or not
    kwalificatieplichtig (art. 4a lid 2 Lpw); once per run, mandatory."""
    out: list[Finding] = []
    for run in absence_runs(pupil, "rmc"):
        month = add_month(run[0])
        due = next((day for day in run if day >= month), None)
        if due is None:
            continue
        period = [d for d in run if d <= due]
        until = _run_until(pupil, run)
        # The minutes as registered: on days outside the Lpw's counting (art. 4a lid 2) ``unauthorised`` is 0.
        per_week: dict[dt.date, int] = {}
        for d in period:
            monday = d - dt.timedelta(days=d.weekday())
            per_week[monday] = per_week.get(monday, 0) + pupil.events[d].absence_unauthorised
        out.append(Finding(
            pupil.pupil_id, "RMC", run[0], due, sum(per_week.values()), days=period, weeks=sorted(per_week.items()),
            lessons=_registered(lessons_of(pupil, period)), count=1, until=until,
            detail=(f"niet meer leerplichtig of kwalificatieplichtig, jonger dan 23, en sinds {run[0]:%d-%m-%Y} "
                    "een maand of langer ongeoorloofd niet op school"),
        ))  # fmt: skip
    return out


def _registered(lessons: list[CountedLesson]) -> list[CountedLesson]:
    """The lessons of an RMC run with their minutes as registered: on days outside the Lpw's 16-hour counting
    (art. 4a lid 2) the counted minutes are 0, but an RMC melding reports the whole lessons the pupil missed."""
    return [les if les.minutes else replace(les, minutes=les.end - les.start, units=-1) for les in lessons]


NEARLY_WHOLE = (3, 4)  # "whole days (or nearly)": at least 3/4 of the day's net scheduled time (issue 9 choice)


def _qualifies(pupil: PupilDays, day: dt.date) -> bool:
    ev = pupil.events.get(day)
    return ev is not None and ev.lpw and ev.absence_unauthorised > 0


def _nearly_whole(pupil: PupilDays, day: dt.date) -> bool:
    ev = pupil.events.get(day)
    if ev is None or not ev.lpw or ev.absence_unauthorised <= 0:
        return False
    return ev.whole_day_unauthorised or ev.absence_unauthorised * NEARLY_WHOLE[1] >= ev.net * NEARLY_WHOLE[0] > 0


def luxe(
    pupil: PupilDays,
    runs: Sequence[OffRun],
    refused: Sequence[tuple[dt.date, dt.date]] = (),
    policy: MeldingPolicy | None = None,
) -> list[Finding]:
    """Luxe verzuim (art. 13a Lpw; DUO L): duties (kind "L") and checks (kind "luxe_controle"); see the
    module docstring."""
    policy = policy or MeldingPolicy()
    absent = pupil.lpw_absent()  # every day below qualifies only when it is one of these (_qualifies, _nearly_whole)
    coded = [day for day, ev in pupil.events.items() if ev.luxe_code and ev.lpw]
    if not absent and not coded:
        return []
    why: dict[dt.date, set[str]] = {}
    check: dict[dt.date, set[str]] = {}
    for day, run, before in holiday_adjacent_days(pupil, runs) if absent else ():
        if (run.kind != "vakantie" and not policy.luxe_long_weekend) or day not in absent:
            continue
        step = -1 if before else 1
        idx = pupil.day_index(day)
        label = f"{'vóór' if before else 'na'} {'de ' + run.name.lower() if run.kind == 'vakantie' else 'een lang weekend'}"
        if not _nearly_whole(pupil, day):
            if _qualifies(pupil, day):
                check.setdefault(day, set()).add(f"deel van de dag afwezig {label}")
            continue
        while idx is not None and 0 <= idx < len(pupil.days) and _nearly_whole(pupil, pupil.days[idx]):
            why.setdefault(pupil.days[idx], set()).add(f"(bijna) hele dag afwezig {label}")
            idx += step
    for day in coded:
        why.setdefault(day, set()).add("geregistreerd als luxe verzuim")
    if policy.luxe_refused_leave and absent:
        for lo, hi in refused:
            for day in pupil.days_between(lo, hi):
                if _qualifies(pupil, day):
                    why.setdefault(day, set()).add("verlof was geweigerd")
    out = _clusters(pupil, why, "L")
    out += _clusters(pupil, {d: r for d, r in check.items() if d not in why}, "luxe_controle")
    return out


def _clusters(pupil: PupilDays, why: dict[dt.date, set[str]], kind: str) -> list[Finding]:
    out: list[Finding] = []

    def close(cluster: list[dt.date]) -> None:
        reasons = sorted({r for d in cluster for r in why[d]})
        adjacent = all(r.startswith(("(bijna) hele dag", "deel van de dag")) for r in reasons)
        out.append(Finding(pupil.pupil_id, kind, cluster[0], cluster[-1], sum_minutes(pupil, cluster),
                           days=list(cluster), lessons=lessons_of(pupil, cluster), detail="; ".join(reasons),
                           adjacent_only=adjacent))

    cluster: list[dt.date] = []
    for day in sorted(why):
        if cluster and pupil.day_index(day) == (pupil.day_index(cluster[-1]) or 0) + 1:
            cluster.append(day)
            continue
        if cluster:
            close(cluster)
        cluster = [day]
    if cluster:
        close(cluster)
    return out
