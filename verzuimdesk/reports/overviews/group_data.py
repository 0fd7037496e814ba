"""Gathers a :class:`~verzuimdesk.reports.data.GroupOverview` for a group or the whole school (issue 4 part 2).

Per pupil and per group the engine's figures; registers not taken and unresolved absences from
:mod:`verzuimdesk.model.register.entries`; patterns (weekday, lesson, reason, around holidays) and the trend are
sums of the engine's day and period figures.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import replace

from sqlmodel import Session, select

from verzuimdesk.model.register.entries import registers_not_taken, unexplained_absences
from verzuimdesk.model.register.figures import Figures
from verzuimdesk.model.school.names import sort_name
from verzuimdesk.model.tables import Pupil
from verzuimdesk.reports.data import (
    GroupOverview,
    GroupRow,
    NotTakenLine,
    Period,
    PupilRow,
    TrendPoint,
    WeekdayLine,
    tier_for,
)
from verzuimdesk.reports.overviews.pupil_data import reason_lines
from verzuimdesk.reports.source import ReportSource, walk_days


def build_group_overview(
    session: Session,
    period: Period,
    group_id: int | None = None,
    *,
    today: dt.date | None = None,
    include_names: bool = True,
    patterns: bool = True,  # False: leave out the patterns and the trend (the school-year workbook)
    source: ReportSource | None = None,
) -> GroupOverview:
    """``group_id`` None: the whole school."""
    today = today or dt.date.today()
    period = period.clipped(today)
    source = source or ReportSource(session, period)
    engine, schedule = source.engine, source.schedule
    groups = {gid: g for gid, g in schedule.groups.items() if not g.composite}
    group_ids = [group_id] if group_id is not None else sorted(groups, key=lambda g: _group_order(groups[g]))
    pupils = {p.id: p for p in session.exec(select(Pupil)).all()}

    # pupils and their figures (for a group: only the days in the group)
    members: dict[int, Figures] = {}
    pupil_group: dict[int, str] = {}
    spans_of: dict[int, list[tuple[dt.date, dt.date]]] = {}
    for gid in group_ids:
        for pid, spans in schedule.member_spans(gid).items():
            for lo, hi in spans:
                a, b = max(lo, period.start), min(hi or period.end, period.end)
                if a <= b:
                    spans_of.setdefault(pid, []).append((a, b))
                    pupil_group[pid] = groups[gid].name
    for pid, own_spans in spans_of.items():
        if group_id is None:  # the school: the whole period, whatever the group
            fig = engine.pupil_period(pid, period.start, period.end)
            main_gid = source.group_of_range(pid, period.start, period.end)
            pupil_group[pid] = groups[main_gid].name if main_gid in groups else pupil_group.get(pid, "")
        else:
            fig = Figures()
            for a, b in own_spans:
                fig.add(engine.pupil_period(pid, a, b))
        if fig.scheduled:
            fig.pupils = 1
            members[pid] = fig

    unexplained = unexplained_absences(session, period.start, min(period.end, today))
    open_days = Counter(u.pupil.id for u in unexplained)
    open_by_group = Counter(u.group.id for u in unexplained if u.group is not None)

    rows = [
        PupilRow(pid, pupils[pid].key, sort_name(pupils[pid]), pupil_group.get(pid, ""), fig, tier_for(fig, source.tier_bounds),
                 open_days.get(pid, 0))
        for pid, fig in members.items()
    ]  # fmt: skip
    rows.sort(key=lambda r: (r.group, r.name.lower()) if group_id is None else r.name.lower())
    if not include_names:
        rows = anonymous_rows(rows)

    not_taken: list[NotTakenLine] = []
    group_rows: list[GroupRow] = []
    for gid in group_ids:
        gfig = source.group_figures(gid, period.start, period.end)
        if not gfig.scheduled:
            continue
        missing = registers_not_taken(session, gid, period.start, period.end, until=min(period.end, today))
        not_taken += [NotTakenLine(day, groups[gid].name, lesson) for day, lesson in missing]
        group_rows.append(GroupRow(gid, groups[gid].name, gfig, len(missing), open_by_group.get(gid, 0)))
    total = engine.total(members.values()) if group_id is None else source.group_figures(group_id, period.start,
                                                                                           period.end)

    weekdays: dict[int, WeekdayLine] = {}
    numbers: set[int] = set()
    around, other = Figures(), Figures()
    if patterns:
        for pid, own_spans in spans_of.items():
            for a, b in own_spans if group_id is not None else [(period.start, period.end)]:
                walk = walk_days(source, pid, a, b, cells=False)
                numbers |= walk.lesson_numbers
                around.add(walk.around_holidays)
                other.add(walk.other_days)
                for wd, line in walk.weekdays.items():
                    target = weekdays.setdefault(wd, WeekdayLine(wd, Figures()))
                    target.figures.add(line.figures)
                    for n, k in line.lessons.items():
                        target.lessons[n] = target.lessons.get(n, 0) + k
                    for n, k in line.lessons_unauthorised.items():
                        target.lessons_unauthorised[n] = target.lessons_unauthorised.get(n, 0) + k

    trend: list[TrendPoint] = []
    for label, lo, hi in source.buckets if patterns else []:
        if group_id is None:
            fig = engine.total(engine.pupil_period(pid, lo, hi) for pid in members)
            cmp = None
        else:
            fig = source.group_figures(group_id, lo, hi)
            cmp = engine.total(engine.pupil_period(pid, lo, hi) for pid in engine.pupil_ids)
        trend.append(TrendPoint(label, lo, hi, fig.absent_pct if fig.net_scheduled else None,
                                cmp.absent_pct if cmp is not None and cmp.net_scheduled else None))

    title = groups[group_id].name if group_id is not None else source.school.name
    return GroupOverview(
        school=source.school, title=title, is_school=group_id is None, period=period, printed_on=today,
        total=total, pupils=rows, groups=group_rows,
        tier_counts=dict(Counter(r.tier.level for r in rows)),
        weekdays=[weekdays[wd] for wd in sorted(weekdays)], lesson_numbers=sorted(numbers),
        reasons=reason_lines(source, total, True), around_holidays=around, other_days=other, trend=trend,
        not_taken=not_taken, include_names=include_names,
    )  # fmt: skip


def _group_order(group: object) -> tuple[str, str]:
    jaargroep = getattr(group, "jaargroep", "") or ""
    return (jaargroep.zfill(2) if jaargroep.isdigit() else jaargroep, getattr(group, "name", ""))


def anonymous_rows(rows: list[PupilRow]) -> list[PupilRow]:
    """Rows for readers who must not know who is who (the MR; AVG art. 5 sub 1c, minimal data; issue 11 point 5):
    no name and no pupil number, numbered "leerling 1, 2, …" per group in order of absence (most first), so that
    neither the number nor the order points to a pupil (an alphabetical or number order would)."""
    ordered = sorted(rows, key=lambda r: (r.group, -r.figures.absent_pct, -r.figures.unauthorised, r.pupil_id))
    return [replace(r, key="", name=f"leerling {n}") for n, r in enumerate(ordered, start=1)]
