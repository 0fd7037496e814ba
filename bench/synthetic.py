"""A synthetic school for benchmarks: N pupils, G groups, Y school years of absence, written fast.

The data go through the real schema (a file made by ``open_database``, school years and holidays by
``setup_school``), but rows are written with bulk ``insert`` statements instead of the validated
one-by-one operations, so that 1,000 pupils × 3 years build in seconds.

    python bench/synthetic.py --pupils 1000 --years 3 --out /tmp/bench.sqlite
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import insert

from verzuimdesk.demo import KLOKUREN, generate_bsn
from verzuimdesk.model.db import Database, open_database
from verzuimdesk.model.school.calendar import SchoolCalendar, school_year_bounds, school_year_name_for
from verzuimdesk.model.school.records import setup_school
from verzuimdesk.model.tables import (
    AbsenceEntry,
    Group,
    GroupMembership,
    Lesson,
    Pupil,
    RegisterTaken,
    Source,
    TimetableDeviation,
)

SEASON = {8: 0.6, 9: 0.8, 10: 1.0, 11: 1.1, 12: 1.9, 1: 2.2, 2: 2.0, 3: 1.6, 4: 0.9, 5: 0.8, 6: 0.7, 7: 0.6}


@dataclass(frozen=True)
class SyntheticSummary:
    pupils: int
    groups: int
    school_years: tuple[str, ...]
    absence_entries: int
    registers_taken: int
    seconds: float


def _lessons(group_id: int, jaargroep: int) -> list[dict[str, object]]:
    rows = []
    for weekday in range(5):
        short = weekday == 2 or (weekday == 4 and jaargroep <= 4)
        for number, start, end in KLOKUREN:
            if not (short and number > 4):
                rows.append({"group_id": group_id, "weekday": weekday, "number": number, "start_minute": start,
                             "end_minute": end, "label": "", "valid_from": None, "valid_to": None})
    return rows


def build_synthetic(
    db: Database, *, pupils: int = 1000, groups: int | None = None, years: int = 3,
    today: dt.date | None = None, seed: int = 1,
) -> SyntheticSummary:
    """Fill an empty database with a synthetic school; absence up to ``today`` (default: the real today)."""
    started = time.perf_counter()
    today = today or dt.date.today()
    groups = groups or max(8, round(pupils / 25))
    rng = random.Random(seed)
    first = int(school_year_name_for(today)[:4]) - years + 1
    year_names = [f"{y}-{y + 1}" for y in range(first, first + years)]
    data_start = school_year_bounds(year_names[0])[0]
    with db.transaction() as s:
        setup_school(s, "Synthetische school (benchmark)", brin="99ZZ", region="midden", school_years=year_names)
        conn = s.connection()
        conn.execute(insert(Group), [
            {"key": f"g{i + 1}", "name": f"Groep {i % 8 + 1}{chr(97 + i // 8)}", "jaargroep": str(i % 8 + 1),
             "composite": False, "uitstroomprofiel": "", "department": "", "active": True,
             "registers_per": "klokuur"}
            for i in range(groups)
        ])  # fmt: skip
        group_ids = [gid for (gid,) in conn.exec_driver_sql("SELECT id FROM \"group\" ORDER BY id")]
        lessons = [row for i, gid in enumerate(group_ids) for row in _lessons(gid, i % 8 + 1)]
        conn.execute(insert(Lesson), lessons)
        per_group_day: dict[tuple[int, int], list[tuple[int, int, int]]] = {}
        for row in lessons:
            per_group_day.setdefault((row["group_id"], row["weekday"]), []).append(  # type: ignore[arg-type]
                (row["number"], row["start_minute"], row["end_minute"])  # type: ignore[arg-type]
            )

        bsns: set[str] = set()
        conn.execute(insert(Pupil), [
            {"key": str(100000 + i), "achternaam": f"Leerling{i:05d}", "voorvoegsel": "", "voornamen": "Test",
             "roepnaam": "Test", "birth_date": dt.date(2014 + i % 8, 1 + i % 12, 1 + i % 28), "gender": "",
             "bsn": generate_bsn(rng, bsns), "onderwijsnummer": "", "bsn_last4": "", "woongemeente": "Houten",
             "address": "", "postcode": "", "city": "", "enrolled_on": data_start, "left_on": None, "notes": ""}
            for i in range(pupils)
        ])  # fmt: skip
        pupil_ids = [pid for (pid,) in conn.exec_driver_sql("SELECT id FROM pupil ORDER BY id")]

        # Every school year a pupil is in another group (moving up); 2 % change group half-way the year.
        memberships: list[dict[str, object]] = []
        group_by_day: dict[int, list[tuple[dt.date, dt.date, int]]] = {}
        for i, pid in enumerate(pupil_ids):
            spans = []
            for y, name in enumerate(year_names):
                lo, hi = school_year_bounds(name)
                gid = group_ids[(i + y) % groups]
                if rng.random() < 0.02:
                    mid = dt.date(lo.year + 1, 1, 15)
                    spans += [(lo, mid - dt.timedelta(days=1), gid), (mid, hi, group_ids[(i + y + 1) % groups])]
                else:
                    spans.append((lo, hi, gid))
            for lo, hi, gid in spans:
                memberships.append({"pupil_id": pid, "group_id": gid, "date_from": lo, "date_to": hi})
            group_by_day[pid] = spans
        conn.execute(insert(GroupMembership), memberships)
        # A few opbouwroosters (mornings only), so that Schedule meets deviations too.
        for pid in pupil_ids[:: max(1, pupils // 10)]:
            conn.execute(insert(TimetableDeviation), [{"pupil_id": pid, "kind": "opbouwrooster",
                                                       "date_from": data_start, "date_to": None, "description": ""}])
            dev_id = conn.exec_driver_sql("SELECT max(id) FROM timetabledeviation").scalar()
            conn.exec_driver_sql(
                "INSERT INTO deviationwindow (deviation_id, weekday, start_minute, end_minute) VALUES "
                + ",".join(f"({dev_id}, {wd}, 510, 750)" for wd in range(5))
            )

        s.flush()
        calendar = SchoolCalendar(s, data_start, today)
        days = calendar.school_days()
        reason_ids = {code: rid for rid, code in conn.exec_driver_sql("SELECT id, code FROM reason")}
        entries: list[dict[str, object]] = []
        for pid in pupil_ids:
            episode = 0
            rate = 0.012 * rng.uniform(0.3, 2.0)
            spans = group_by_day[pid]
            for day in days:
                gid = next(g for lo, hi, g in spans if lo <= day <= hi)
                lessons = per_group_day[(gid, day.weekday())]
                r = rng.random()
                code, chosen, late = "", lessons, 0
                if episode > 0:
                    episode -= 1
                    code = "Z"
                elif r < rate * SEASON[day.month]:
                    episode = (rng.random() < 0.5) + (rng.random() < 0.3)
                    code = "Z"
                elif r < 0.06:
                    code, chosen = "M", [lessons[rng.randrange(len(lessons))]]
                elif r < 0.075:
                    code, chosen, late = "T", lessons[:1], rng.randint(2, 20)
                elif r < 0.078:
                    code = "O"
                if not code:
                    continue
                stamp = dt.datetime.combine(day, dt.time(8, 15))
                for number, start, end in chosen:
                    entries.append({
                        "pupil_id": pid, "date": day, "lesson_number": number, "start_minute": start,
                        "end_minute": end, "reason_id": reason_ids[code], "minutes_late": late,
                        "source": Source.OFFICE.value, "note": "", "created_by": "bench", "created_at": stamp,
                        "updated_at": None,
                    })  # fmt: skip
        conn.execute(insert(AbsenceEntry), entries)
        registers = [
            {"group_id": gid, "date": day, "lesson_number": number, "taken_by": "bench",
             "taken_at": dt.datetime.combine(day, dt.time(start // 60, start % 60))}
            for gid in group_ids for day in days for number, start, _end in per_group_day[(gid, day.weekday())]
        ]  # fmt: skip
        conn.execute(insert(RegisterTaken), registers)
    return SyntheticSummary(pupils, groups, tuple(year_names), len(entries), len(registers),
                            time.perf_counter() - started)



def synthetic_file(db: str | None, today: dt.date) -> str:
    """The benchmark database: ``db`` when given, built there (1,000 pupils, 3 school years) when it does not
    exist yet; without ``db`` a new one in a temporary folder."""
    path = Path(db) if db else Path(tempfile.mkdtemp()) / "bench.sqlite"
    if not path.exists():
        with open_database(str(path), encrypt=False) as database:  # plain: see bench/README.md "Files"
            print(build_synthetic(database, pupils=1000, years=3, today=today))
    return str(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Maak een synthetische school voor benchmarks.")
    parser.add_argument("--pupils", type=int, default=1000, help="aantal leerlingen (standaard 1000)")
    parser.add_argument("--groups", type=int, default=None, help="aantal groepen (standaard leerlingen / 25)")
    parser.add_argument("--years", type=int, default=3, help="aantal schooljaren (standaard 3)")
    parser.add_argument("--today", type=dt.date.fromisoformat, default=None, help="vandaag, JJJJ-MM-DD")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", required=True, help="pad van het nieuwe SQLite-bestand")
    args = parser.parse_args(argv)
    out = Path(args.out)
    if out.exists():
        print(f"{out} bestaat al; kies een ander pad of verwijder het eerst.", file=sys.stderr)
        return 1
    with open_database(str(out), encrypt=False) as db:  # plain: see bench/README.md "Files"
        summary = build_synthetic(db, pupils=args.pupils, groups=args.groups, years=args.years,
                                  today=args.today, seed=args.seed)
    print(summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
