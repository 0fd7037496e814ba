"""Figures as plain rows (dicts with Dutch keys) for the CLI, exports and tests: a view on
:mod:`verzuimdesk.model.register.figures`, which stays the only place numbers are computed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlmodel import Session, select

from verzuimdesk.model.errors import ValidationError
from verzuimdesk.model.register.figures import Figures, FiguresEngine, hours
from verzuimdesk.model.school.calendar import school_year_for
from verzuimdesk.model.school.names import sort_name
from verzuimdesk.model.tables import Group, Pupil


def figure_columns(fig: Figures) -> dict[str, Any]:
    return {
        "ingeroosterd_uur": hours(fig.net_scheduled),
        "aanwezig_uur": hours(fig.present),
        "geoorloofd_uur": hours(fig.authorised),
        "ongeoorloofd_uur": hours(fig.unauthorised),
        "niet_meegeteld_uur": hours(fig.not_counted),
        "afwezig_pct": round(fig.absent_pct, 1),
        "ongeoorloofd_pct": round(fig.unauthorised_pct, 1),
        "te_laat_keer": fig.late_count,
        "per_reden_min": dict(sorted(fig.by_reason.items())),
    }


def resolve_period(session: Session, start: dt.date | None, end: dt.date | None) -> tuple[dt.date, dt.date]:
    today = dt.date.today()
    end = end or today
    if start is None:
        year = school_year_for(session, end)
        start = year.start_date if year else dt.date(end.year if end.month >= 8 else end.year - 1, 8, 1)
    if end < start:
        raise ValidationError("De einddatum ligt vóór de begindatum.")
    return start, end


def figures_rows(
    session: Session,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    group: str | None = None,
    pupil: str | None = None,
    per: str = "leerling",
) -> list[dict[str, Any]]:
    start, end = resolve_period(session, start, end)
    groups = {g.id: g for g in session.exec(select(Group)).all() if g.id is not None}  # stored: id always set
    group_id: int | None = None
    if group:
        match = [g for g in groups.values() if group.lower() in (g.name.lower(), g.key.lower())]
        if not match:
            raise ValidationError(f"Onbekende groep '{group}'.")
        group_id = match[0].id
    pupils = {p.id: p for p in session.exec(select(Pupil)).all()}
    pupil_ids: list[int] | None = None
    if pupil:
        found = [p for p in pupils.values() if p.key == pupil]
        if not found:
            raise ValidationError(f"Onbekende leerling '{pupil}'.")
        found_id = found[0].id
        assert found_id is not None  # a stored row
        pupil_ids = [found_id]
    engine = FiguresEngine(session, start, end, pupil_ids)
    rows: list[dict[str, Any]] = []
    if per == "groep":
        for gid, g in sorted(groups.items(), key=lambda kv: kv[1].name):
            if g.composite or (group_id and gid != group_id):
                continue
            fig = engine.group_period(gid)
            rows.append({"groep": g.name, "leerlingen": fig.pupils, **figure_columns(fig)})
        return rows
    ids = pupil_ids or engine.pupil_ids
    for pid in sorted(ids, key=lambda i: sort_name(pupils[i]).lower()):
        if group_id is not None and not any(
            engine.schedule.group_of(pid, d) == group_id for d in engine.calendar.school_days()
        ):
            continue
        p = pupils[pid]
        if per == "week":
            for monday, fig in engine.pupil_weeks(pid).items():
                rows.append({"leerling": p.key, "naam": sort_name(p), "week": monday.isoformat(),
                             **figure_columns(fig)})
            continue
        fig = engine.pupil_period(pid)
        if not fig.scheduled:
            continue
        rows.append({"leerling": p.key, "naam": sort_name(p), **figure_columns(fig)})
    return rows
