"""Benchmark: import a generated spreadsheet of N pupils (default 1,000) and print the seconds.

Target (issue "Imports"): 1,000 pupils in at most 3 seconds. Standalone:

    python bench/bench_import.py [--pupils 1000] [--database URL]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import tempfile
import time
from pathlib import Path

import openpyxl

from verzuimdesk.imports.spreadsheet import import_pupils
from verzuimdesk.model.db import open_database
from verzuimdesk.model.school.records import save_group, setup_school
from verzuimdesk.model.tables import Group

GROUPS = [f"Groep {n}" for n in range(1, 9)]


def make_xlsx(path: Path, count: int, seed: int = 1) -> Path:
    rnd = random.Random(seed)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Leerlingen"
    ws.append(["Leerlingnummer", "Achternaam", "Tussenvoegsel", "Roepnaam", "Geboortedatum", "Groep",
               "Woonplaats", "Datum inschrijving", "Ouder 1 naam", "Ouder 1 telefoon"])
    for i in range(count):
        jaargroep = i % 8 + 1
        born = dt.date(2026 - 4 - jaargroep, 1, 1) + dt.timedelta(days=rnd.randrange(365))
        ws.append([str(10000 + i), rnd.choice(["Jansen", "de Vries", "Bakker", "Yılmaz", "Visser", "Smit"]),
                   rnd.choice(["", "", "van", "de"]), rnd.choice(["Sem", "Emma", "Noah", "Julia", "Mila", "Lucas"]),
                   dt.datetime.combine(born, dt.time()), GROUPS[jaargroep - 1],
                   rnd.choice(["Utrecht", "Houten", "Zeist"]), "01-08-2026", "Ouder", "06-12345678"])
    wb.save(path)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pupils", type=int, default=1000)
    parser.add_argument("--database", default="", help="SQLAlchemy URL (default: a temporary SQLite file)")
    parser.add_argument("--target", type=float, default=3.0, help="seconds allowed (exit 1 when slower)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(args.database or str(Path(tmp) / "bench.sqlite"), encrypt=False)
        with db.transaction() as s:
            setup_school(s, "Benchmarkschool", brin="99ZZ", school_years=["2026-2027"])
            for n, name in enumerate(GROUPS, start=1):
                save_group(s, Group(key=f"g{n}", name=name, jaargroep=str(n)))
        t0 = time.perf_counter()
        path = make_xlsx(Path(tmp) / "leerlingen.xlsx", args.pupils)
        made = time.perf_counter() - t0
        t0 = time.perf_counter()
        result = import_pupils(db, path, today=dt.date(2026, 11, 23))
        first = time.perf_counter() - t0
        t0 = time.perf_counter()
        again = import_pupils(db, path, today=dt.date(2026, 11, 23))
        second = time.perf_counter() - t0
        db.close()
    print(f"bestand maken ({args.pupils} leerlingen): {made:.2f} s")
    print(f"eerste import: {first:.2f} s  ({result.summary()})")
    print(f"opnieuw importeren: {second:.2f} s  ({again.summary()})")
    print(f"doel: ≤ {args.target:.1f} s per import: {'gehaald' if max(first, second) <= args.target else 'NIET gehaald'}")
    return 0 if max(first, second) <= args.target else 1


if __name__ == "__main__":
    sys.exit(main())
