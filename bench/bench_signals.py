"""Benchmarks of the signals (issue 3 part 13), on the synthetic school of ``bench/synthetic.py``.

- *alle signalen, schooljaar*: ``compute_signals`` for every pupil over a whole school year (the last
  complete one before today), everything included: engine, counting, rules, handling (target ≤ 1 s);
- *één leerling na één registratie*: one register entry for one pupil, then ``compute_signals`` for that
  pupil only, as the screens do after an edit (target ≤ 50 ms); the entry is rolled back after each run.

    python bench/bench_signals.py [--db /tmp/bench.sqlite] [--runs 5]

Besides the wall time the CPU time of this process is shown: on a shared machine the wall time also
measures the others. Without ``--db`` (or when the file does not exist yet) a 1,000-pupil, 3-school-year database is built first.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from sqlmodel import select

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import synthetic_file  # noqa: E402

from verzuimdesk.model.db import Database, open_database  # noqa: E402
from verzuimdesk.model.law.signals import compute_signals, ensure_default_rules  # noqa: E402
from verzuimdesk.model.register.entries import set_entry  # noqa: E402
from verzuimdesk.model.register.timetable import Schedule  # noqa: E402
from verzuimdesk.model.school.calendar import school_year_bounds, school_year_name_for  # noqa: E402
from verzuimdesk.model.tables import Pupil  # noqa: E402


def median_time(fn: Callable[[], object], runs: int) -> tuple[float, float, object]:
    """Median wall time and median CPU time of this process (the machine may be shared) of ``runs`` calls."""
    result = fn()  # warm-up
    wall, cpu = [], []
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        result = fn()
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return statistics.median(wall), statistics.median(cpu), result


def bench(db: Database, today: dt.date, runs: int) -> list[tuple[str, float, float, float, str]]:
    year = school_year_name_for(today)
    previous = f"{int(year[:4]) - 1}-{int(year[:4])}"
    on = school_year_bounds(previous)[1]
    with db.transaction() as s:
        ensure_default_rules(s)
    out = []
    with db.session() as s:
        full, full_cpu, signals = median_time(lambda: compute_signals(s, on), runs)
        kinds = Counter(sig.kind for sig in signals)  # type: ignore[attr-defined]
        out.append(("alle signalen, schooljaar", full, full_cpu, 1.0,
                    f"{len(signals)} signalen ({', '.join(f'{k} {n}' for k, n in sorted(kinds.items()))}), "  # type: ignore[arg-type]
                    f"tot {on:%d-%m-%Y}"))
        pupil_id = s.exec(select(Pupil.id).order_by(Pupil.id)).first()
    assert pupil_id is not None
    day = on - dt.timedelta(days=60)
    with db.session() as s:
        lessons = ()
        while not lessons:
            day -= dt.timedelta(days=1)
            lessons = Schedule(s, day, day, [pupil_id]).lessons_for(pupil_id, day)
    lesson = lessons[-1]
    times, cpu = [], []
    found = 0
    for i in range(runs + 1):
        with db.session() as s:
            t0, c0 = time.perf_counter(), time.process_time()
            set_entry(s, pupil_id, day, lesson.start, lesson.end, "O", by="bench", lesson_number=lesson.number)
            found = len(compute_signals(s, on, [pupil_id]))
            if i:
                times.append(time.perf_counter() - t0)
                cpu.append(time.process_time() - c0)
            s.rollback()
    out.append(("één leerling na één registratie", statistics.median(times), statistics.median(cpu), 0.05,
                f"leerling {pupil_id}, {day:%d-%m-%Y} les {lesson.number}: {found} signalen"))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Meet de signalen op een synthetische school.")
    parser.add_argument("--db", help="SQLite-bestand van bench/synthetic.py (wordt gemaakt als het ontbreekt)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--today", type=dt.date.fromisoformat, default=dt.date.today())
    args = parser.parse_args(argv)
    with open_database(synthetic_file(args.db, args.today)) as db:
        rows = bench(db, args.today, args.runs)
    print(f"{'meting':<36}{'mediaan':>12}{'cpu':>12}{'doel':>10}")
    for name, seconds, cpu, target, detail in rows:
        verdict = "ok" if seconds <= target else "TE TRAAG"
        print(f"{name:<36}{seconds * 1000:>9.1f} ms{cpu * 1000:>9.1f} ms{target * 1000:>7.0f} ms  {verdict:<8} {detail}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
