"""Benchmarks of a board on PostgreSQL (issue 14 points 4 and 5): a synthetic board of 10 schools × 500 pupils ×
3 school years, then

- *inbox van één school*: ``compute_signals`` of one school on the date asked, as the Signalen screen opens
  (target ≤ 1 s);
- *bestuursoverzicht*: ``overview_for`` over every school of the board (per school: pupils, absence, tiers, open
  mandatory meldingen, deliveries), as the Bestuur screen and ``verzuimdesk bestuur overzicht`` compute it
  (target ≤ 5 s).

    python bench/bench_board.py --database postgresql+psycopg://…/verzuimdesk_bench [--runs 3] [--opnieuw]

The board is built once (schools through ``add_school``, their data with the bulk generator of
``bench/synthetic.py``) and reused while it has the expected schools; ``--opnieuw`` empties the database
(EVERY schema in it) and builds again. Without ``--database`` ``$VERZUIMDESK_BENCH_PG_URL`` is used.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import statistics
import sys
import time
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import build_synthetic  # noqa: E402

from verzuimdesk.model.board.overview import default_workers, overview_for  # noqa: E402
from verzuimdesk.model.board.registry import add_school, create_board, open_board, open_school, schools_of  # noqa: E402
from verzuimdesk.model.law.signals import compute_signals, ensure_default_rules  # noqa: E402
from verzuimdesk.model.law.signals.duties import record_duties  # noqa: E402
from verzuimdesk.model.school.records import get_school  # noqa: E402

USER, PASSWORD = "bench", "bench-wachtwoord"
BRINS = [f"{10 + i:02d}BB" for i in range(10)]


def _empty(url: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        names = conn.execute(sa.text("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'school\\_%' "
                                     "OR nspname IN ('bestuur', 'public')")).scalars().all()
        for name in names:
            conn.exec_driver_sql(f'DROP SCHEMA "{name}" CASCADE')
        conn.exec_driver_sql("CREATE SCHEMA public")
    engine.dispose()


def ready(url: str, schools: int) -> bool:
    try:
        with open_board(url) as board:
            return len(schools_of(board, USER)) == schools
    except Exception:  # noqa: BLE001 - no board (yet), or another one: build it
        return False


def build_board(url: str, *, schools: int, pupils: int, years: int, today: dt.date) -> float:
    started = time.perf_counter()
    _empty(url)
    create_board(url, USER, PASSWORD)
    for i, brin in enumerate(BRINS[:schools]):
        t0 = time.perf_counter()
        school = add_school(url, brin, "00", f"Synthetische school {i + 1}", set_up=False)
        with open_school(url, school.code) as db:
            summary = build_synthetic(db, pupils=pupils, years=years, today=today, seed=i + 1)
            with db.transaction() as s:
                row = get_school(s)
                assert row is not None
                row.name, row.brin, row.vestiging = school.name, brin, "00"
                s.add(row)
                ensure_default_rules(s)
        print(f"  {school.code}: {summary.pupils} leerlingen, {summary.absence_entries} registraties "
              f"({time.perf_counter() - t0:.0f} s)", flush=True)
    with sa.create_engine(url).begin() as conn:
        conn.exec_driver_sql("ANALYZE")
    return time.perf_counter() - started


def cpu_seconds() -> float:
    """CPU time of this process (and of finished child processes; the overview's workers are children of the
    forkserver, not of this process, so their CPU time is not seen: the serial overview shows it)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def timed(fn: object, runs: int) -> tuple[float, float, object]:
    """Median wall time and median CPU time (workers included) of ``runs`` calls after a warm-up; on a shared
    machine the wall time also measures the others, the CPU time does not."""
    assert callable(fn)
    result = fn()  # warm-up
    wall, cpu = [], []
    for _ in range(runs):
        t0, c0 = time.perf_counter(), cpu_seconds()
        result = fn()
        wall.append(time.perf_counter() - t0)
        cpu.append(cpu_seconds() - c0)
    return statistics.median(wall), statistics.median(cpu), result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Meet een synthetisch bestuur op PostgreSQL.")
    parser.add_argument("--database", default=os.environ.get("VERZUIMDESK_BENCH_PG_URL", ""),
                        help="PostgreSQL-URL (wordt helemaal leeggemaakt als er opnieuw gebouwd wordt)")
    parser.add_argument("--schools", type=int, default=10)
    parser.add_argument("--pupils", type=int, default=500)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--today", type=dt.date.fromisoformat, default=dt.date.today())
    parser.add_argument("--opnieuw", action="store_true", help="bouw het bestuur opnieuw")
    args = parser.parse_args(argv)
    if not args.database:
        print("Geef een PostgreSQL-database op met --database of VERZUIMDESK_BENCH_PG_URL.", file=sys.stderr)
        return 2
    if args.opnieuw or not ready(args.database, args.schools):
        print(f"Bestuur bouwen: {args.schools} scholen × {args.pupils} leerlingen × {args.years} schooljaren …")
        print(f"  klaar in {build_board(args.database, schools=args.schools, pupils=args.pupils, years=args.years, today=args.today):.0f} s")
    searched = 0.0  # each school's program searches for due meldingen once a day at its first start (ui/app.py)
    for brin in BRINS[:args.schools]:
        with open_school(args.database, f"{brin}00") as db, db.transaction() as s:
            t0 = time.perf_counter()
            record_duties(s, args.today)
            searched = max(searched, time.perf_counter() - t0)
    print(f"zoektocht naar meldplichten (eens per dag per school): hoogstens {searched:.2f} s per school")
    first = f"{BRINS[0]}00"
    with open_school(args.database, first) as db, db.session() as s:
        inbox, inbox_cpu, signals = timed(lambda: compute_signals(s, args.today), args.runs)
    overview, _cpu, rows = timed(lambda: overview_for(args.database, USER, args.today), args.runs)
    serial, serial_cpu, _rows = timed(lambda: overview_for(args.database, USER, args.today, workers=1), args.runs)
    workers = default_workers(len(rows))  # type: ignore[arg-type]
    detail = f"{len(rows)} scholen, {sum(r.pupils for r in rows)} leerlingen"  # type: ignore[attr-defined]
    print(f"{'meting':<38}{'mediaan':>10}{'cpu':>10}{'doel':>8}   (belasting van de machine: "
          f"{os.getloadavg()[0]:.1f} op {os.cpu_count()} kernen)")
    for name, wall, cpu, target, text in (
        ("inbox van één school", inbox, inbox_cpu, 1.0, f"{first}: {len(signals)} signalen"),  # type: ignore[arg-type]
        (f"bestuursoverzicht ({workers} naast elkaar)", overview, None, 5.0, detail),
        ("bestuursoverzicht (na elkaar)", serial, serial_cpu, None, detail + "; ter vergelijking"),
    ):
        verdict = "" if target is None else ("ok" if wall <= target else "TE TRAAG")
        goal = f"{target:>6.0f} s" if target is not None else f"{'—':>8}"
        used = f"{cpu:>8.2f} s" if cpu is not None else f"{'—':>10}"
        print(f"{name:<38}{wall:>8.2f} s{used}{goal}  {verdict:<8} {text}")
    return 0 if inbox <= 1.0 and overview <= 5.0 else 1


if __name__ == "__main__":
    sys.exit(main())
