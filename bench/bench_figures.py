"""Benchmarks of the figures: what the screens need, measured on a (synthetic) school.

Prints the median of several runs for each case, next to its target:

- *register van een groep openen*: the register screen for one group and one day — the group's pupils,
  their Schedule, a FiguresEngine for the day, the lesson outcomes and day figures per pupil, and which
  registers were taken (target ≤ 50 ms);
- *overzicht één leerling*: one pupil's figures and lesweken over a school year, the basis of the
  parent-conversation overview (target ≤ 100 ms, our own);
- *cijfers alle leerlingen, schooljaar*: ``FiguresEngine.pupils_period`` for every pupil over a whole
  school year, engine construction included (target ≤ 1 s);
- *cijfers alle groepen, schooljaar*: ``FiguresEngine.group_period`` for every group over the same year
  with one engine (target ≤ 1 s, our own: the same pupil-days as the previous case).

    python bench/bench_figures.py --db /tmp/bench.sqlite [--runs 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlmodel import select

from verzuimdesk.model.db import Database, open_database
from verzuimdesk.model.register.figures import FiguresEngine
from verzuimdesk.model.register.view import load_register_day
from verzuimdesk.model.school.calendar import SchoolCalendar
from verzuimdesk.model.tables import Group, GroupMembership, SchoolYear


@dataclass(frozen=True)
class Measurement:
    name: str
    median: float  # seconds
    target: float | None  # seconds; None = for information
    runs: int
    detail: str = ""

    @property
    def ok(self) -> bool | None:
        return None if self.target is None else self.median <= self.target


def measure(fn: Callable[[], object], runs: int) -> tuple[float, object]:
    """Median wall time of ``runs`` calls (after one warm-up call) and the last result."""
    result = fn()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def open_register(db: Database, group_id: int, day: dt.date) -> int:
    """What the register screen does to show one group on one day (the screen's own loader, tiers
    included); returns the number of cells."""
    with db.session() as s:
        view = load_register_day(s, group_id, day)
        return sum(len(row.cells) for row in view.rows)


def one_pupil(db: Database, pupil_id: int, start: dt.date, end: dt.date) -> int:
    """The parent-conversation overview of one pupil: period figures and figures per lesweek."""
    with db.session() as s:
        engine = FiguresEngine(s, start, end, [pupil_id])
        engine.pupil_period(pupil_id)
        return len(engine.pupil_weeks(pupil_id))


def all_pupils(db: Database, start: dt.date, end: dt.date) -> int:
    with db.session() as s:
        figures = FiguresEngine(s, start, end).pupils_period()
        return len(figures)


def all_groups(db: Database, start: dt.date, end: dt.date) -> int:
    with db.session() as s:
        engine = FiguresEngine(s, start, end)
        groups = s.exec(select(Group.id)).all()
        return sum(engine.group_period(gid).pupils for gid in groups)  # type: ignore[arg-type]


def pick_cases(db: Database, today: dt.date | None = None) -> tuple[int, dt.date, dt.date, dt.date]:
    """A group and the last school day up to ``today``; the last complete school year (else the last one)."""
    with db.session() as s:
        years = s.exec(select(SchoolYear).order_by(SchoolYear.start_date)).all()
        today = today or min(dt.date.today(), years[-1].end_date)
        complete = [y for y in years if y.end_date < today] or years
        year = complete[-1]
        cal = SchoolCalendar(s, years[0].start_date, years[-1].end_date)
        day = max(d for d in cal.school_days(years[0].start_date, today))
        group_id = s.exec(select(Group.id).order_by(Group.id)).first()
        assert group_id is not None
        return group_id, day, year.start_date, year.end_date


def run(db: Database, runs: int = 5, today: dt.date | None = None) -> list[Measurement]:
    group_id, day, start, end = pick_cases(db, today)
    out = []
    t, cells = measure(lambda: open_register(db, group_id, day), max(runs, 10))
    out.append(Measurement("register van een groep openen (1 dag)", t, 0.050, max(runs, 10),
                           f"groep {group_id}, {day}, {cells} lescellen"))
    with db.session() as s:
        pupil_id = s.exec(select(GroupMembership.pupil_id).where(GroupMembership.group_id == group_id)).first()
    assert pupil_id is not None
    t, n = measure(lambda: one_pupil(db, pupil_id, start, end), max(runs, 10))
    out.append(Measurement("overzicht één leerling, schooljaar", t, 0.100, max(runs, 10), f"{n} lesweken"))
    t, n = measure(lambda: all_pupils(db, start, end), runs)
    out.append(Measurement("cijfers alle leerlingen, schooljaar", t, 1.0, runs, f"{n} leerlingen, {start}–{end}"))
    t, n = measure(lambda: all_groups(db, start, end), runs)
    out.append(Measurement("cijfers alle groepen, schooljaar", t, 1.0, runs, f"{n} leerling-groepen, {start}–{end}"))
    return out


def print_table(results: list[Measurement]) -> None:
    print(f"{'meting':44} {'mediaan':>10} {'doel':>10}  {'':4} toelichting")
    for r in results:
        target = f"{r.target * 1000:.0f} ms" if r.target is not None else "—"
        verdict = {True: "ok", False: "TE TRAAG", None: ""}[r.ok]
        print(f"{r.name:44} {r.median * 1000:8.1f} ms {target:>10}  {verdict:4} {r.detail} (n={r.runs})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Meet de snelheid van de cijfers.")
    parser.add_argument("--db", required=True, help="SQLite-bestand, bijvoorbeeld van bench/synthetic.py")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--today", type=dt.date.fromisoformat, default=None)
    args = parser.parse_args(argv)
    with open_database(args.db) as db:
        print_table(run(db, args.runs, args.today))
    return 0


if __name__ == "__main__":
    sys.exit(main())
