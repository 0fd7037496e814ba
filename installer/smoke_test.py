"""Smoke test of a built (frozen) verzuimdesk: does the bundle work without Python next to it?

    python installer/smoke_test.py dist/verzuimdesk [--max-mb 400]

Runs the bundle's own executables, never the source: creates a demo school in a fresh database, makes one PDF
(a pupil overview), one XLSX (the school overview), one DUO file (the aggregated figures of a finished
quarter, XML), starts the program offscreen (it opens at the log-in screen) and lets it quit by itself, and
checks the bundle's size
against a stated limit. Prints one line per step; exit status 0 when everything passed. Used by `.ci/run`
(Linux) and by the Windows workflow (after installing with the Inno Setup installer).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

# The Linux one-folder build is about 270 MB (Qt's libraries are most of it); 400 MB leaves room for growth
# but catches an accidental bundle of a large library (a second Qt, numpy, a test framework).
DEFAULT_MAX_MB = 400


def executable(bundle: Path, name: str) -> Path:
    exe = bundle / (name + (".exe" if os.name == "nt" else ""))
    if not exe.exists():
        raise SystemExit(f"FOUT: {exe} ontbreekt in de bundel")
    return exe


def run(cmd: list[str], env: dict[str, str], timeout: int = 300) -> subprocess.CompletedProcess[str]:
    started = time.monotonic()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout)
    took = time.monotonic() - started
    words = " ".join([Path(cmd[0]).name, *cmd[3:]])  # without "--database PAD"
    print(f"  {words[:100]} -> {proc.returncode} ({took:.1f} s)")
    if proc.returncode != 0:
        print(proc.stdout[-2000:], proc.stderr[-2000:], sep="\n")
        raise SystemExit(f"FOUT: '{words}' mislukte")
    return proc


def finished_quarter(today: dt.date) -> str:
    """The last quarter of the previous school year: a period that has ended, so it may be delivered."""
    start = today.year if today.month >= 8 else today.year - 1
    return f"{start - 1}-{start}/4"


def bundle_size(bundle: Path) -> int:
    return sum(p.stat().st_size for p in bundle.rglob("*") if p.is_file() and not p.is_symlink())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bundle", type=Path, help="the one-folder build (dist/verzuimdesk)")
    parser.add_argument("--max-mb", type=int, default=DEFAULT_MAX_MB, help="largest allowed bundle size in MB")
    args = parser.parse_args(argv)
    cli, gui = executable(args.bundle, "verzuimdesk-cli"), executable(args.bundle, "verzuimdesk")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env["QT_QPA_PLATFORM"] = "offscreen"
    # The demo school's beheerder (the demo brings its accounts); the window itself asks for the password and
    # quits by itself from the log-in screen (--sluit-na).
    env["VERZUIMDESK_GEBRUIKER"], env["VERZUIMDESK_WACHTWOORD"] = "beheerder", "wilgenhoek"

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        db = ["--database", str(tmp / "school.sqlite")]
        print("verzuimdesk rooktest van", args.bundle)
        run([str(cli), *db, "demo"], env, timeout=600)
        pdf, xlsx, xml = tmp / "leerling.pdf", tmp / "school.xlsx", tmp / "levering.xml"
        run([str(cli), *db, "overzicht", "leerling", "1001", "--pdf", str(pdf)], env)
        run([str(cli), *db, "overzicht", "school", "--xlsx", str(xlsx)], env)
        run([str(cli), *db, "duo", "aggregaat", "--periode", finished_quarter(dt.date.today()), "--xml", str(xml)],
            env)
        if not pdf.read_bytes().startswith(b"%PDF"):
            raise SystemExit("FOUT: het overzicht is geen PDF")
        with zipfile.ZipFile(xlsx) as book:
            if "xl/workbook.xml" not in book.namelist():
                raise SystemExit("FOUT: het schooloverzicht is geen Excel-bestand")
        if b"<?xml" not in xml.read_bytes()[:100]:
            raise SystemExit("FOUT: het DUO-bestand is geen XML")
        print(f"  PDF {pdf.stat().st_size:,} B, XLSX {xlsx.stat().st_size:,} B, XML {xml.stat().st_size:,} B")
        run([str(gui), *db, "gui", "--sluit-na", "3"], env, timeout=120)

    size_mb = bundle_size(args.bundle) / 1_000_000
    print(f"  bundelgrootte: {size_mb:.0f} MB (grens {args.max_mb} MB)")
    if size_mb > args.max_mb:
        raise SystemExit(f"FOUT: de bundel is {size_mb:.0f} MB, meer dan {args.max_mb} MB")
    print("rooktest geslaagd")
    return 0


if __name__ == "__main__":
    sys.exit(main())
