"""The crash harness (issue 10 §6, §8): SIGKILL a process at random moments while it writes the register,
imports and upgrades, and check that nothing it confirmed is lost, that every import is all or nothing,
that an upgrade is all or nothing, that the audit trail stays intact and that the file always opens.

The figures of a run are printed (``-s``) and quoted in docs/reliability.md. The seed is fixed so that a
failure can be replayed; set VERZUIMDESK_CRASH_SEED to vary it.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlmodel import col, func, select

from tests.builders import build_small_school
from tests.conftest import FIXTURES
from verzuimdesk.model.audit import verify_trail
from verzuimdesk.model.db import current_revision, head_revision, open_database
from verzuimdesk.model.tables import AbsenceEntry, AuditLog, Pupil

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
WORKER = Path(__file__).with_name("worker.py")
SEED = int(os.environ.get("VERZUIMDESK_CRASH_SEED", "20261130"))


def _start(*args: str) -> subprocess.Popen[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.Popen([sys.executable, str(WORKER), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env, cwd=str(ROOT))


def _wait_ready(proc: subprocess.Popen[str]) -> None:
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if line.strip() != "ready":
        proc.kill()
        raise AssertionError(f"worker did not start: {line!r} {proc.stderr.read() if proc.stderr else ''}")


def _kill_after(proc: subprocess.Popen[str], delay: float) -> list[str]:
    """SIGKILL after ``delay`` seconds; the lines the worker had printed (its confirmations)."""
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    out, _err = proc.communicate(timeout=30)
    return [line for line in out.splitlines() if line.startswith("ok")]


def _opens_cleanly(path: Path) -> None:
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA quick_check").fetchall() == [("ok",)]
    con.close()


def test_register_writes_survive_kills_and_the_trail_stays_intact(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    path = tmp_path / "register.sqlite"
    db = open_database(str(path))
    build_small_school(db)
    db.close()
    confirmed: list[str] = []
    kills = 10
    for run in range(kills):
        proc = _start("register", str(path), f"r{run}")
        _wait_ready(proc)
        confirmed += [f"r{run}-{line.split()[1]}" for line in _kill_after(proc, rng.uniform(0.05, 0.6))]
        _opens_cleanly(path)
    with open_database(str(path)) as db, db.session() as s:
        notes = set(s.exec(select(AbsenceEntry.note).where(col(AbsenceEntry.note).like("r%"))).all())
        lines = s.exec(select(func.count()).select_from(AuditLog).where(AuditLog.by == "harnas")).one()
        check = verify_trail(s)
    lost = [c for c in confirmed if c not in notes]
    print(f"\nregister: {kills} kills, {len(confirmed)} confirmed writes, {len(lost)} lost, "
          f"{len(notes) - len(confirmed)} committed but not yet confirmed, {lines} trail lines, trail intact: "
          f"{check.intact}")
    assert confirmed and lost == []
    assert len(notes) - len(confirmed) <= kills  # at most the one commit per kill whose "ok" was not printed yet
    assert lines == len(notes)  # every committed write has its trail line, and no line without its write
    assert check.intact, check.problems


def test_imports_are_all_or_nothing_under_kills(tmp_path: Path) -> None:
    rng = random.Random(SEED + 1)
    path = tmp_path / "imports.sqlite"
    db = open_database(str(path))
    build_small_school(db)
    db.close()
    confirmed: list[str] = []
    kills = 8
    for run in range(kills):
        proc = _start("import", str(path), f"i{run}", str(tmp_path))
        _wait_ready(proc)
        confirmed += [f"i{run}-{line.split()[1]}" for line in _kill_after(proc, rng.uniform(0.05, 1.0))]
        _opens_cleanly(path)
    with open_database(str(path)) as db, db.session() as s:
        keys = s.exec(select(Pupil.key).where(col(Pupil.key).like("i%"))).all()
        check = verify_trail(s)
    batches: dict[str, int] = {}
    for key in keys:
        batch = key.rsplit("-", 1)[0]
        batches[batch] = batches.get(batch, 0) + 1
    print(f"\nimports: {kills} kills, {len(confirmed)} confirmed imports of 20 pupils, {len(batches)} committed, "
          f"partial: {[b for b, n in batches.items() if n != 20]}, trail intact: {check.intact}")
    assert all(n == 20 for n in batches.values())  # all or nothing
    assert set(confirmed) <= set(batches)  # nothing confirmed is lost
    assert check.intact, check.problems


def test_an_upgrade_killed_at_any_moment_leaves_a_database_that_opens(tmp_path: Path) -> None:
    rng = random.Random(SEED + 2)
    probe = tmp_path / "probe.sqlite"
    shutil.copy(FIXTURES / "schema-0001.sqlite", probe)
    proc = _start("upgrade", str(probe))
    _wait_ready(proc)
    started = time.monotonic()
    proc.communicate(timeout=120)
    duration = time.monotonic() - started
    outcomes = {"0001": 0, head_revision(): 0}
    kills = 8
    for run in range(kills):
        path = tmp_path / f"upgrade-{run}.sqlite"
        shutil.copy(FIXTURES / "schema-0001.sqlite", path)
        proc = _start("upgrade", str(path))
        _wait_ready(proc)
        _kill_after(proc, rng.uniform(0.0, duration * 1.1))
        _opens_cleanly(path)
        con = sqlite3.connect(path)
        version = con.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        con.close()
        assert version in outcomes  # never a state in between
        outcomes[version] += 1
        with open_database(str(path)) as db, db.session() as s:  # opens, and finishes the upgrade if needed
            assert current_revision(db.engine) == head_revision()
            assert s.exec(select(Pupil).where(Pupil.key == "1001")).first() is not None
    print(f"\nupgrade: {kills} kills within {duration:.2f} s of an upgrade; left at 0001: {outcomes['0001']}, "
          f"upgraded: {outcomes[head_revision()]}; every file opened")
