"""The other signals: the school's own rules, care, the lateness
ladder (attendance tiers: :mod:`verzuimdesk.model.register.tiers`).

Decisions where the law or the sources leave room (also in the closing note of issue 3):

- LRV, RMC and luxe verzuim (the duties besides the 16 hours): :mod:`.mandatory`.
- LRV, L and the school's zorgelijk rules apply on days the pupil is leerplichtig or kwalificatieplichtig
  and under 18 (from 18 the RMC regime applies; the 16 hours give V4). Care rules apply to every pupil.
- "M lesweken" in a rule are the pupil's own lesweken (holiday weeks skipped), for every rule kind.
- **Sick reports** (MAZL): an episode is a run of the pupil's consecutive scheduled days with time covered
  by a sickness reason (``Reason.is_sickness``, partial days included); weekends and holidays do not break
  a run. "N sick reports in M school weeks" counts episodes by their first day.
- After a rule fires, it counts anew after the day it fired (as the 16 hours do), so each signal stands
  for its own absence.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial

from verzuimdesk.model import dutch
from verzuimdesk.model.law.signals.counting import CountedLesson, PupilDays
from verzuimdesk.model.law.signals.policy import LatenessPolicy, RuleSpec
from verzuimdesk.model.law.signals.sixteen_hours import find_windows
from verzuimdesk.model.school.calendar import WEEKDAY_NAMES, SchoolCalendar, daterange
from verzuimdesk.model.tables import DayOffKind
from verzuimdesk.model.tables.law import RuleKind, SignalRule


@dataclass
class Finding:
    """A signal found for one pupil before the inbox adds texts, urgency and handling."""

    pupil_id: int
    kind: str  # "V3" | "V4" | "LRV" | "RMC" | "L" | "luxe_controle" | "zorgelijk" | "zorg" | "te_laat_ladder"
    begin: dt.date
    end: dt.date  # the day the signal became due
    minutes: int = 0
    rule_id: int | None = None
    days: list[dt.date] = field(default_factory=list)
    weeks: list[tuple[dt.date, int]] = field(default_factory=list)
    lessons: list[CountedLesson] = field(default_factory=list)
    detail: str = ""  # Dutch: what exactly happened (the trigger)
    rule_kind: str = ""
    count: int = 0
    until: dt.date | None = None  # LRV/RMC: the last day of the run once it ended (the einddatum to fill in)
    repeat: int = 0  # V3/V4: the n-th repeat melding during continuous absence (1–4), 0 otherwise
    adjacent_only: bool = False  # L / luxe check: only because the absence lies next to a holiday


@dataclass(frozen=True)
class OffRun:
    """A run of days without lessons for the whole school: a school holiday or a long weekend."""

    first: dt.date
    last: dt.date
    kind: str  # "vakantie" | "lang weekend"
    name: str


def off_runs(calendar: SchoolCalendar, lo: dt.date, hi: dt.date, *, long_weekends: bool = True) -> list[OffRun]:
    """School holidays and long weekends between ``lo`` and ``hi`` (whole-school days off only)."""
    runs: list[OffRun] = []
    current: list[dt.date] = []
    for day in daterange(lo, hi + dt.timedelta(days=1)):
        if day <= hi and not calendar.is_school_day(day):
            current.append(day)
            continue
        if current:
            offs = [calendar.day_off(d) for d in current]
            holiday = next((o for o in offs if o is not None and o.kind == DayOffKind.HOLIDAY.value), None)
            weekday_off = next((o for d, o in zip(current, offs) if o is not None and d.weekday() < 5), None)
            weekend = any(d.weekday() >= 5 for d in current)
            if holiday is not None:
                runs.append(OffRun(current[0], current[-1], "vakantie", holiday.description or "schoolvakantie"))
            elif long_weekends and weekday_off is not None and weekend:
                runs.append(OffRun(current[0], current[-1], "lang weekend", weekday_off.description or "vrije dag"))
            current = []
    return runs


def sum_minutes(pupil: PupilDays, days: Iterable[dt.date]) -> int:
    return sum(pupil.events[d].unauthorised for d in days if d in pupil.events)


def lessons_of(pupil: PupilDays, days: Iterable[dt.date]) -> list[CountedLesson]:
    return [les for d in days if d in pupil.events for les in pupil.events[d].lessons]


# ----------------------------------------------------------------------------------------------- LRV


# ---------------------------------------------------------------------------------------------- luxe


def holiday_adjacent_days(pupil: PupilDays, runs: Sequence[OffRun]) -> list[tuple[dt.date, OffRun, bool]]:
    """(day, run, before) for the pupil's last scheduled day before and first one after each run."""
    key = ("adjacent", id(runs))  # the same runs object throughout one computation; ``shared``: the same days
    cached = pupil.shared.get(key)
    if cached is not None and cached[0] is runs:
        return cached[1]
    out: list[tuple[dt.date, OffRun, bool]] = []
    pupil.shared[key] = (runs, out)
    for run in runs:
        i = bisect_left(pupil.days, run.first)
        if i > 0:
            out.append((pupil.days[i - 1], run, True))
        j = bisect_right(pupil.days, run.last)
        if j < len(pupil.days) and i > 0:  # only when the pupil also had school before the run
            out.append((pupil.days[j], run, False))
    return out


# ------------------------------------------------------------------------------------ the school's rules


def _window_findings(pupil: PupilDays, rule: SignalRule | RuleSpec, kind: str, values: dict[dt.date, int], threshold: int,
                     detail: Callable[[], str]) -> list[Finding]:
    """``detail()``: the Dutch text with ``{n}`` for the count (made only when the rule fires)."""
    out = []
    if sum(values.values()) < threshold:
        return []
    text = detail()
    for hit in find_windows(pupil.lesweken, values, threshold=threshold, window=rule.weeks, index=pupil.week_index):
        if kind == "zorg":  # health data stay out of the signal (AVG): days only, no minutes or lessons
            out.append(Finding(pupil.pupil_id, kind, hit.begin, hit.end, 0, rule_id=rule.id, days=list(hit.days),
                               detail=text.format(n=hit.total), rule_kind=rule.kind, count=hit.total))
            continue
        out.append(Finding(
            pupil.pupil_id, kind, hit.begin, hit.end, sum_minutes(pupil, hit.days), rule_id=rule.id,
            days=list(hit.days), weeks=_week_minutes(pupil, hit.days, [w for w, _v in hit.weeks]),
            lessons=lessons_of(pupil, hit.days), detail=text.format(n=hit.total), rule_kind=rule.kind, count=hit.total,
        ))  # fmt: skip
    return out


def _week_minutes(pupil: PupilDays, days: Iterable[dt.date], weeks: list[dt.date]) -> list[tuple[dt.date, int]]:
    """Counted unauthorised minutes of ``days`` per leswee of ``weeks`` (every week listed, 0 included)."""
    per = dict.fromkeys(weeks, 0)
    for d in days:
        ev = pupil.events.get(d)
        monday = d - dt.timedelta(days=d.weekday())
        if ev is not None and monday in per:
            per[monday] += ev.unauthorised
    return list(per.items())


def _weekday_text(weekday: int, weeks: int) -> str:
    return "{n} keer ongeoorloofd afwezig op " + f"{WEEKDAY_NAMES[weekday]} in {dutch.plural(weeks, 'lesweek', 'lesweken')}"


def rule_findings(pupil: PupilDays, rule: SignalRule | RuleSpec, runs: Sequence[OffRun]) -> list[Finding]:
    """Findings of one school-defined rule (zorgelijk verzuim, domain.md §7.3; care, §7.4 MAZL)."""
    kind = rule.kind  # a RuleKind value (StrEnum: compared as text, without making the member per call)
    if kind not in _KINDS:
        raise ValueError(f"{kind!r} is not a valid RuleKind")
    ev = pupil.events
    if kind == RuleKind.HOURS_UNAUTHORISED:  # seed 004 L503: ongeoorloofd verzuim onder de 16 uur
        values = {d: e.unauthorised for d, e in ev.items() if e.lpw and e.unauthorised}
        found = _window_findings(pupil, rule, "zorgelijk", values, rule.threshold * 60, lambda: "")
        for f in found:
            f.detail = f"{dutch.hours(f.minutes)} uur ongeoorloofd in {dutch.plural(rule.weeks, 'lesweek', 'lesweken')}"
        return found
    if kind == RuleKind.TIMES_LATE:  # domain.md §4.4, seed 004 L508
        values = {d: e.late for d, e in ev.items() if e.lpw and e.late}
        return _window_findings(pupil, rule, "zorgelijk", values, rule.threshold, lambda: (
            "{n} keer ongeoorloofd te laat in " + f"{dutch.plural(rule.weeks, 'lesweek', 'lesweken')}"))
    if kind == RuleKind.SAME_WEEKDAY:  # domain.md §7.3: patroon op dezelfde weekdag
        out = []
        per_weekday: dict[int, dict[dt.date, int]] = {}
        absent = pupil.lpw_absent()
        if len(absent) < rule.threshold:
            return []  # no weekday can reach the threshold
        for d in absent:
            per_weekday.setdefault(d.weekday(), {})[d] = 1
        for weekday, values in sorted(per_weekday.items()):
            if len(values) >= rule.threshold:
                out += _window_findings(pupil, rule, "zorgelijk", values, rule.threshold,
                                        partial(_weekday_text, weekday, rule.weeks))
        return sorted(out, key=lambda f: f.end)
    if kind == RuleKind.SAME_FIRST_LESSON:  # seed 004 L508: "altijd het eerste uur te laat"
        values = {d: 1 for d, e in ev.items() if e.lpw and e.first_lesson_unauthorised}
        return _window_findings(pupil, rule, "zorgelijk", values, rule.threshold, lambda: (
            "{n} keer ongeoorloofd (deels) afwezig in het eerste lesuur in " + f"{dutch.plural(rule.weeks, 'lesweek', 'lesweken')}"))
    if kind == RuleKind.AROUND_HOLIDAY:  # domain.md §7.3, §10: verzuim rond vakanties (absence, not lateness)
        values = {}
        absent = pupil.lpw_absent()
        for day, run, _before in holiday_adjacent_days(pupil, runs) if absent else ():
            if run.kind == "vakantie" and day in absent:
                values[day] = 1
        return _window_findings(pupil, rule, "zorgelijk", values, rule.threshold,
                                lambda: "{n} keer ongeoorloofd afwezig direct voor of na een schoolvakantie")
    if kind == RuleKind.SICK_REPORTS:  # MAZL (NCJ): vier ziekmeldingen in twaalf schoolweken
        starts = {start: 1 for start, _episode in sick_episodes(pupil)}
        return _window_findings(pupil, rule, "zorg", starts, rule.threshold,
                                lambda: "{n} ziekmeldingen in " + f"{rule.weeks} schoolweken")
    out = []  # RuleKind.SICK_CONSECUTIVE, MAZL (NCJ): de zevende schooldag aaneengesloten ziek
    for start, episode in sick_episodes(pupil):
        if len(episode) >= rule.threshold:
            out.append(Finding(pupil.pupil_id, "zorg", start, episode[rule.threshold - 1], rule_id=rule.id,
                               days=episode[:rule.threshold], rule_kind=rule.kind, count=rule.threshold,
                               detail=f"{dutch.plural(rule.threshold, 'schooldag', 'schooldagen')} aaneengesloten ziek"))
    return out


_KINDS = frozenset(RuleKind)


def sick_episodes(pupil: PupilDays) -> list[tuple[dt.date, list[dt.date]]]:
    """Runs of consecutive scheduled days with sickness (MAZL "ziekmelding"), as (first day, days)."""
    cached = pupil.memo.get("sick_episodes")
    if cached is not None:
        return cached
    out: list[tuple[dt.date, list[dt.date]]] = []
    pupil.memo["sick_episodes"] = out
    last_idx = -2
    for day, ev in pupil.events.items():
        if not ev.sick:
            continue
        idx = ev.idx  # = pupil.day_index(day): a day with entries is a scheduled day
        if idx == last_idx + 1 and out:
            out[-1][1].append(day)
        else:
            out.append((day, [day]))
        last_idx = idx
    return out


def ladder_findings(pupil: PupilDays, policy: LatenessPolicy, year_start: dt.date) -> list[Finding]:
    """The school's lateness ladder (domain.md §4.4): a to-do each time a step is reached in the school year."""
    if not policy.ladder_enabled or not policy.ladder:
        return []
    out = []
    steps = list(policy.ladder)
    count = 0
    since: dt.date | None = None
    days: list[dt.date] = []
    for day, ev in pupil.events.items():
        if day < year_start or not (ev.lpw and ev.late):
            continue
        since = since or day
        days.append(day)
        count += ev.late
        while steps and count >= steps[0].times:
            step = steps.pop(0)
            # Two steps reached on one day (several late lessons): the next step begins that day.
            out.append(Finding(pupil.pupil_id, "te_laat_ladder", since or day, day, sum_minutes(pupil, days),
                               days=list(days), lessons=[les for les in lessons_of(pupil, days) if les.lateness],
                               detail=f"{step.times} keer te laat dit schooljaar: {step.action}", count=step.times))
            since, days = None, []
    return out
