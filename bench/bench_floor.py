"""Speed measured against the data's own floor: each computation next to a hand-written SQL query that reads
the same data over the same period, and the ratio between them.

The floor is what any program must at least do: read the absence entries of the period from the file and
add them up. The program does more (each pupil's own timetable, the calendar, lateness policy, the rules),
so the ratio says how much more it costs; the targets (issue "Ship and scale", part 5) are:

- *alle signalen, schooljaar* ≤ 10× the floor "unauthorised minutes per pupil per week with a 4-week
  window" (``compute_signals`` for every pupil on the last day of the last complete school year, after the
  day's search for due meldingen, as the program runs it: model/law/signals/duties.py);
- *cijfers alle leerlingen, schooljaar* ≤ 8× the floor "minutes per pupil and category"
  (``FiguresEngine(...).pupils_period()``).

Both sides run in the same process on the same file, alternately, and the best of several runs is taken
(wall time and CPU time of the process; the verdict uses CPU time, see ``paired``), so a busy machine
disturbs the ratio least. ``run_all.py`` fails when a ratio is above its target.

    python bench/bench_floor.py [--db /tmp/bench.sqlite] [--runs 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sqlite3
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import synthetic_file  # noqa: E402

from verzuimdesk.model.db import Database, open_database  # noqa: E402
from verzuimdesk.model.law.signals import compute_signals, ensure_default_rules  # noqa: E402
from verzuimdesk.model.law.signals.duties import record_duties  # noqa: E402
from verzuimdesk.model.register.figures import FiguresEngine  # noqa: E402
from verzuimdesk.model.school.calendar import school_year_bounds, school_year_name_for  # noqa: E402

# Unauthorised minutes per pupil per calendar week, and the sum over each 4-week window.
SIGNALS_FLOOR = """
WITH weekly AS (
    SELECT e.pupil_id AS pupil_id, strftime('%Y-%W', e.date) AS week,
           SUM(e.end_minute - e.start_minute) AS minutes
    FROM absenceentry AS e JOIN reason AS r ON r.id = e.reason_id
    WHERE r.category = 'ongeoorloofd' AND e.date BETWEEN ? AND ?
    GROUP BY e.pupil_id, week
)
SELECT pupil_id, week,
       SUM(minutes) OVER (PARTITION BY pupil_id ORDER BY week ROWS BETWEEN 3 PRECEDING AND CURRENT ROW)
FROM weekly
"""
# Minutes per pupil and legal category over the period.
FIGURES_FLOOR = """
SELECT e.pupil_id, r.category, SUM(e.end_minute - e.start_minute)
FROM absenceentry AS e JOIN reason AS r ON r.id = e.reason_id
WHERE e.date BETWEEN ? AND ?
GROUP BY e.pupil_id, r.category
"""
TARGETS = {"alle signalen, schooljaar": 10.0, "cijfers alle leerlingen, schooljaar": 8.0}


@dataclass
class Timing:
    """Best wall time and best CPU time of this process (seconds) of one side of a pair."""

    wall: float
    cpu: float


@dataclass
class Ratio:
    name: str
    program: Timing
    floor: Timing
    target: float
    detail: str

    @property
    def ratio(self) -> float:
        """Program / floor in CPU time of this process: what the verdict uses (see :func:`paired`)."""
        return self.program.cpu / self.floor.cpu if self.floor.cpu else float("inf")

    @property
    def wall_ratio(self) -> float:
        return self.program.wall / self.floor.wall if self.floor.wall else float("inf")

    @property
    def ok(self) -> bool:
        return self.ratio <= self.target


def paired(program: Callable[[], object], floor: Callable[[], object], runs: int) -> tuple[Timing, Timing]:
    """Best times of ``program`` and ``floor``, run alternately after one warm-up of each.

    Both the wall time and the CPU time of this process are taken, the best of N each: the floor runs in
    this process too (SQLite is a library), so the CPU time counts the same work on both sides. On a machine
    shared with other busy processes the wall time of a one-second computation is preempted far more often
    than that of a 30 ms query, which makes the wall ratio worse by the load alone; the CPU-time ratio is the
    one the verdict uses (on a quiet machine the two agree)."""
    program(), floor()
    a, b = [], []
    for _ in range(runs):
        for fn, out in ((program, a), (floor, b)):
            w0, c0 = time.perf_counter(), time.process_time()
            fn()
            out.append(Timing(time.perf_counter() - w0, time.process_time() - c0))
    return (Timing(min(t.wall for t in a), min(t.cpu for t in a)),
            Timing(min(t.wall for t in b), min(t.cpu for t in b)))


def sqlite_file(db: Database) -> str:
    path = db.engine.url.database
    if not path:
        raise SystemExit("De vloermeting leest een SQLite-bestand; geef --db een .sqlite-bestand.")
    return path


def measure(db: Database, today: dt.date, runs: int) -> list[Ratio]:
    year = school_year_name_for(today)
    previous = f"{int(year[:4]) - 1}-{int(year[:4])}"
    start, end = school_year_bounds(previous)
    with db.transaction() as s:
        ensure_default_rules(s)
        record_duties(s, end)  # what the program does once a day (ui/app.py): the everyday count follows the marks
    raw = sqlite3.connect(sqlite_file(db))
    params = (start.isoformat(), end.isoformat())

    def floor(sql: str) -> Callable[[], int]:
        return lambda: len(raw.execute(sql, params).fetchall())

    out = []
    with db.session() as s:
        signals = [0]

        def all_signals() -> None:
            signals[0] = len(compute_signals(s, end))

        prog, base = paired(all_signals, floor(SIGNALS_FLOOR), runs)
        out.append(Ratio("alle signalen, schooljaar", prog, base, TARGETS["alle signalen, schooljaar"],
                         f"{signals[0]} signalen; vloer: {floor(SIGNALS_FLOOR)()} leerling-weken"))
        # For information: the full search for due meldingen (duties.record_duties, once a day at the first start)
        # counts older open absence for every pupil; the everyday count above only for pupils with an open mark.
        full = [0]

        def full_search() -> None:
            full[0] = len(compute_signals(s, end, deep=True))

        deep_prog, _deep_floor = paired(full_search, lambda: None, 1)
        out[-1].detail += (f"; de volledige zoektocht naar meldplichten (eens per dag) kost {deep_prog.cpu * 1000:.0f} ms "
                           f"= {deep_prog.cpu / base.cpu:.1f}× de vloer")
        pupils = [0]

        def all_figures() -> None:
            pupils[0] = len(FiguresEngine(s, start, end).pupils_period())

        prog, base = paired(all_figures, floor(FIGURES_FLOOR), runs)
        out.append(Ratio("cijfers alle leerlingen, schooljaar", prog, base,
                         TARGETS["cijfers alle leerlingen, schooljaar"],
                         f"{pupils[0]} leerlingen; vloer: {floor(FIGURES_FLOOR)()} leerling-categorieën"))
    raw.close()
    return out


def print_ratios(rows: list[Ratio]) -> None:
    print(f"{'meting (CPU-tijd, beste van N)':38}{'programma':>12}{'SQL-vloer':>12}{'factor':>9}{'doel':>8}")
    for r in rows:
        verdict = "ok" if r.ok else "TE TRAAG"
        print(f"{r.name:38}{r.program.cpu * 1000:>9.1f} ms{r.floor.cpu * 1000:>9.1f} ms{r.ratio:>8.1f}×"
              f"{r.target:>7.0f}×  {verdict:<8} wandtijd {r.program.wall * 1000:.0f} / {r.floor.wall * 1000:.1f} ms "
              f"= {r.wall_ratio:.1f}×; {r.detail}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Meet signalen en cijfers tegen een handgeschreven SQL-vloer.")
    parser.add_argument("--db", help="SQLite-bestand van bench/synthetic.py (wordt gemaakt als het ontbreekt)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--today", type=dt.date.fromisoformat, default=dt.date.today())
    args = parser.parse_args(argv)
    with open_database(synthetic_file(args.db, args.today)) as db:
        rows = measure(db, args.today, args.runs)
    print_ratios(rows)
    return 0 if all(r.ok for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
