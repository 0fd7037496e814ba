"""Run every benchmark and print measured against target.

1. builds the synthetic school (``bench/synthetic.py``: 1,000 pupils, 3 school years) in a temporary
   directory, unless ``--db`` names an existing one;
2. builds the demo school (``verzuimdesk.demo.builder``) on a fresh database (target: a few seconds, ≤ 5 s);
3. runs the figures benchmarks (``bench/bench_figures.py``) on the synthetic school, and the register
   screen also on the demo school;
4. measures all signals and all figures of a school year against the hand-written SQL floor
   (``bench/bench_floor.py``) and prints the ratios with their targets (≤ 10× and ≤ 8×);
5. measures the cold start to the main window on the synthetic school (``bench/bench_startup.py``, best of
   N new processes; target ≤ 0.6 s).

Exits with status 1 when any measurement with a target misses it, and names each one that did: a change that
makes the program slower than a target fails this script. The ratios are measured with the floor and the
program alternately in one process, best of N, and the cold start as the best of N runs, so that a machine
shared with other busy processes disturbs the verdict as little as possible.

    python bench/run_all.py [--pupils 1000] [--years 3] [--runs 5] [--db /tmp/bench.sqlite]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_figures import Measurement, measure, open_register, pick_cases, print_table, run
from bench_floor import measure as measure_floor
from bench_floor import print_ratios
from bench_startup import TARGET as STARTUP_TARGET
from bench_startup import measure_startup
from bench_startup import report as startup_report
from synthetic import build_synthetic

from verzuimdesk.demo import create_demo_school
from verzuimdesk.model.db import open_database


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Voer alle benchmarks uit.")
    parser.add_argument("--pupils", type=int, default=1000)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--today", type=dt.date.fromisoformat, default=None, help="vandaag, JJJJ-MM-DD")
    parser.add_argument("--db", default=None, help="bestaande synthetische database (anders wordt er een gemaakt)")
    args = parser.parse_args(argv)
    today = args.today or dt.date.today()
    results: list[Measurement] = []
    with tempfile.TemporaryDirectory() as tmp:
        if args.db:
            bench_path = args.db
        else:
            bench_path = str(Path(tmp) / "bench.sqlite")
            with open_database(bench_path, encrypt=False) as db:  # plain: see bench/README.md "Files"
                summary = build_synthetic(db, pupils=args.pupils, years=args.years, today=today)
            results.append(Measurement(
                "synthetische school bouwen", summary.seconds, None, 1,
                f"{summary.pupils} leerlingen, {summary.groups} groepen, {summary.absence_entries} registraties",
            ))  # fmt: skip

        demo_times, register = [], None
        for i in range(3):  # encrypted, as the program makes the demo school
            with open_database(str(Path(tmp) / f"demo{i}.sqlite")) as db:
                t0 = time.perf_counter()
                demo = create_demo_school(db, today=today)
                demo_times.append(time.perf_counter() - t0)
                if register is None:  # the register screen on the first, still open (its key is in hand)
                    group_id, day, _start, _end = pick_cases(db, today)
                    t, cells = measure(lambda d=db, g=group_id, on=day: open_register(d, g, on), max(args.runs, 10))
                    register = Measurement("register openen, demoschool (versleuteld)", t, 0.050,
                                           max(args.runs, 10), f"{day}, {cells} lescellen")
        results.append(Measurement("demoschool bouwen (versleuteld)", statistics.median(demo_times), 5.0, 3,
                                   f"{demo.pupils} leerlingen, {demo.absence_entries} registraties"))
        results.append(register)
        with open_database(bench_path) as db:
            results += run(db, args.runs, today)
            ratios = measure_floor(db, today, args.runs)
        startup = measure_startup(bench_path, max(args.runs, 5))
    print_table(results)
    print()
    print_ratios(ratios)
    print()
    print(startup_report(startup))
    missed = [r.name for r in results if r.ok is False]
    missed += [f"{r.name} ({r.ratio:.1f}× de SQL-vloer, doel ≤ {r.target:.0f}×)" for r in ratios if not r.ok]
    if min(startup) > STARTUP_TARGET:
        missed.append(f"koude start ({min(startup) * 1000:.0f} ms, doel ≤ {STARTUP_TARGET * 1000:.0f} ms)")
    print()
    if missed:
        print("Doel niet gehaald:")
        for name in missed:
            print(f"  - {name}")
        return 1
    print("Alle doelen gehaald.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
