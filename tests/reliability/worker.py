"""The process the crash harness kills (tests/reliability/test_crash.py); run as a script.

    python worker.py register DB RUN    set entries one transaction at a time, print "ok N" after each commit
    python worker.py import DB RUN DIR  import pupil files one at a time, print "ok N" after each import
    python worker.py upgrade DB         open (and so upgrade) the database, print "ok" when done

"ready" is printed once the program is loaded, so that the kills fall in the writing, not in Python's start.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path


def main(argv: list[str]) -> None:
    from verzuimdesk.model.db import open_database

    mode, path = argv[0], argv[1]
    if mode == "upgrade":
        print("ready", flush=True)
        open_database(path).close()
        print("ok", flush=True)
        return
    run = argv[2]
    db = open_database(path, exclusive=True)
    print("ready", flush=True)
    if mode == "register":
        from sqlmodel import select

        from verzuimdesk.model.register.entries import set_entry
        from verzuimdesk.model.tables import Pupil

        with db.session() as s:
            pupil_ids = [p.id for p in s.exec(select(Pupil)).all()]
        for i in range(100_000):
            day = dt.date(2025, 9, 1) + dt.timedelta(days=100 * int(run[1:]) + i // 600)  # each run its own days
            with db.transaction() as s:
                set_entry(s, pupil_ids[i % len(pupil_ids)], day, 480 + (i % 600), 481 + (i % 600), "O", by="harnas",
                          note=f"{run}-{i}")
            print(f"ok {i}", flush=True)
    elif mode == "import":
        from verzuimdesk.imports import run_import

        folder = Path(argv[3])
        for i in range(100_000):
            csv = folder / f"{run}-{i}.csv"
            lines = ["Leerlingnummer;Achternaam;Roepnaam;Groep"] + [
                f"{run}-{i}-{n};Harnas;Kind{n};Groep 5" for n in range(20)]
            csv.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
            run_import(db, "leerlingen", str(csv))
            print(f"ok {i}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
