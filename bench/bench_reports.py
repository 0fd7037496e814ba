"""Benchmarks of the documents (issue 4 part 7), on a synthetic school of ``bench/synthetic.py``:

- *1.000 overzichten per leerling*: the per-pupil overview PDF of every pupil over the last complete school
  year, as one PDF written by the batch (``reports.batch.run_batch``; target ≤ 60 s in total);
- *schooljaar-werkmap*: the school-year XLSX (Leerlingen, Groepen, Per week, Per reden, Niet genomen
  registers) for all pupils (target ≤ 5 s).

    python bench/bench_reports.py [--pupils 1000] [--db /tmp/bench-reports.sqlite] [--out /tmp]
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import sys
import tempfile
import time
from pathlib import Path

from verzuimdesk.model.db import open_database
from verzuimdesk.model.school.calendar import school_year_name_for
from verzuimdesk.reports.data import school_year_period
from verzuimdesk.reports.overviews.batch import run_batch
from verzuimdesk.reports.overviews.xlsx import school_year_workbook

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import build_synthetic  # noqa: E402

TODAY = dt.date(2026, 11, 23)
TARGET_PDFS, TARGET_XLSX = 60.0, 5.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Meet de overzichten en de Excel-export.")
    parser.add_argument("--pupils", type=int, default=1000)
    parser.add_argument("--db", default="", help="bestaande synthetische database (anders wordt er een gemaakt)")
    parser.add_argument("--out", default="", help="map voor de uitvoer (standaard een tijdelijke map)")
    args = parser.parse_args(argv)
    out = Path(args.out or tempfile.mkdtemp(prefix="verzuimdesk-bench-"))
    out.mkdir(parents=True, exist_ok=True)
    db_path = Path(args.db) if args.db else out / "bench.sqlite"
    fresh = not db_path.exists()
    with open_database(str(db_path), encrypt=False) as db:  # plain: see bench/README.md "Files"
        if fresh:
            summary = build_synthetic(db, pupils=args.pupils, years=2, today=TODAY)
            print(f"synthetische school: {summary.pupils} leerlingen, {summary.absence_entries} registraties "
                  f"({summary.seconds:.1f} s)")
        year = school_year_name_for(TODAY - dt.timedelta(days=365))
        period = school_year_period(year)

        started = time.perf_counter()
        target = out / "overzichten.pdf"
        count = 0
        for progress in run_batch(db, period, target, today=TODAY):
            count = progress.done
        pdf_seconds = time.perf_counter() - started
        size = target.stat().st_size / 1e6

        with db.session() as s:
            started = time.perf_counter()
            school_year_workbook(s, year, out / "schooljaar.xlsx", today=TODAY)
            xlsx_seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{count} overzichten per leerling ({year}, één PDF van {size:.0f} MB): {pdf_seconds:.1f} s "
          f"(doel ≤ {TARGET_PDFS:.0f} s) {'OK' if pdf_seconds <= TARGET_PDFS else 'TE TRAAG'}")
    print(f"schooljaar-werkmap {year}: {xlsx_seconds:.2f} s (doel ≤ {TARGET_XLSX:.0f} s) "
          f"{'OK' if xlsx_seconds <= TARGET_XLSX else 'TE TRAAG'}")
    print(f"piekgeheugen van het proces: {peak:.0f} MB; uitvoer in {out}")
    return 0 if pdf_seconds <= TARGET_PDFS and xlsx_seconds <= TARGET_XLSX else 1


if __name__ == "__main__":
    sys.exit(main())
