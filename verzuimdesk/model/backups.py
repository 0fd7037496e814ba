"""Backups of a SQLite database file (issue 10 §7, docs/reliability.md).

A backup is made with SQLite's online backup API (a consistent copy, also while the program has the
file open in WAL mode), written under a temporary name, checked with ``PRAGMA integrity_check``, flushed
to disk and only then given its final name, so that a crash never leaves a half backup that looks whole.

Backups live next to the database, in the folder ``<name>-reservekopieen``. Their names say when and why:
``<name>-20261130-081502-dagelijks.sqlite``. Kinds:
- ``dagelijks`` (first start of the day) and ``afsluiten`` (on exit) are automatic and rotate: the
  newest N are kept (setting ``reservekopieen_bewaren``, default 10);
- ``handmatig`` (the screen or ``verzuimdesk backup``), ``voor-upgrade`` and ``voor-herstel`` (the file a
  restore replaced) are never removed by the program.

PostgreSQL is backed up by its administrator (pg_dump); these functions are for a SQLite file only.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from verzuimdesk.model.errors import DatabaseError

KEEP_KEY = "reservekopieen_bewaren"
DEFAULT_KEEP = 10
AUTOMATIC = ("dagelijks", "afsluiten")
KINDS = {"dagelijks": "dagelijks (eerste start)", "afsluiten": "bij afsluiten", "handmatig": "handmatig",
         "voor-upgrade": "vóór bijwerken", "voor-herstel": "vóór terugzetten"}  # fmt: skip
_NAME = re.compile(r"-(\d{8}-\d{6})(?:-(\d{6}))?-([a-z-]+)\.sqlite$")

PRIVATE_FILE, PRIVATE_DIR = 0o600, 0o700  # backups are as private as the database (docs/security.md)


@dataclass(frozen=True)
class BackupFile:
    path: Path
    made: dt.datetime
    kind: str
    size: int

    @property
    def kind_label(self) -> str:
        return KINDS.get(self.kind, self.kind)


def backup_dir(db_file: Path) -> Path:
    return db_file.parent / f"{db_file.stem}-reservekopieen"


def list_backups(db_file: Path) -> list[BackupFile]:
    """The backups of ``db_file``, newest first."""
    folder = backup_dir(db_file)
    out: list[BackupFile] = []
    if not folder.is_dir():
        return out
    for path in folder.glob(f"{db_file.stem}-*.sqlite"):
        m = _NAME.search(path.name)
        if not m:
            continue
        made = dt.datetime.strptime(m.group(1) + (m.group(2) or "000000"), "%Y%m%d-%H%M%S%f")
        out.append(BackupFile(path, made, m.group(3), path.stat().st_size))
    return sorted(out, key=lambda b: b.made, reverse=True)


def check_file(path: Path) -> str:
    """``"ok"``, or what ``PRAGMA integrity_check`` (or opening) says is wrong with the SQLite file."""
    if not path.is_file() or path.stat().st_size == 0:
        return "leeg of niet gevonden"
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = con.execute("PRAGMA integrity_check").fetchall()
            con.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            con.close()
    except sqlite3.Error as exc:
        return str(exc)
    return "ok" if rows == [("ok",)] else "; ".join(str(r[0]) for r in rows[:3])


def newest_good_backup(db_file: Path) -> Path | None:
    for backup in list_backups(db_file):
        if check_file(backup.path) == "ok":
            return backup.path
    return None


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(folder: Path) -> None:
    if os.name != "nt":  # directories cannot be opened for fsync on Windows
        _fsync(folder)


def copy_database(source: Path, target: Path) -> None:
    """A consistent copy of the SQLite database ``source`` (with its WAL) into ``target`` via a temporary
    file, checked and flushed before it gets its name. Raises :class:`DatabaseError` in Dutch."""
    tmp = target.with_name(target.name + ".tmp")
    tmp.unlink(missing_ok=True)
    try:
        # private to the user like the database itself (issue 11): a copy holds the same children's data
        os.close(os.open(tmp, os.O_CREAT | os.O_WRONLY, PRIVATE_FILE))
        if os.name != "nt":
            os.chmod(tmp, PRIVATE_FILE)
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        dst = sqlite3.connect(tmp)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")  # a backup is one self-contained file
        finally:
            dst.close()
            src.close()
    except sqlite3.Error as exc:
        tmp.unlink(missing_ok=True)
        raise DatabaseError(f"De reservekopie kon niet worden gemaakt ({exc}). Er is niets gewijzigd.") from exc
    verdict = check_file(tmp)
    if verdict != "ok":
        tmp.unlink(missing_ok=True)
        raise DatabaseError(f"De reservekopie is niet goed bevonden ({verdict}) en is weggegooid.")
    _fsync(tmp)
    os.replace(tmp, target)
    _fsync_dir(target.parent)


def make_backup(db_file: Path, kind: str, *, keep: int = DEFAULT_KEEP, now: dt.datetime | None = None) -> Path:
    """Make a verified backup of ``db_file``; automatic kinds are then rotated to the newest ``keep``."""
    if kind not in KINDS:
        raise ValueError(kind)
    folder = backup_dir(db_file)
    folder.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    if os.name != "nt":
        os.chmod(folder, PRIVATE_DIR)
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S-%f")
    target = folder / f"{db_file.stem}-{stamp}-{kind}.sqlite"
    copy_database(db_file, target)
    if kind in AUTOMATIC:
        rotate(db_file, keep)
    return target


def rotate(db_file: Path, keep: int) -> list[Path]:
    """Remove automatic backups beyond the newest ``keep`` (at least one is always kept)."""
    automatic = [b for b in list_backups(db_file) if b.kind in AUTOMATIC]
    removed = [b.path for b in automatic[max(keep, 1):]]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def daily_backup_due(db_file: Path, today: dt.date | None = None) -> bool:
    """No automatic backup made today yet (the first start of the day makes one)."""
    today = today or dt.date.today()
    return not any(b.made.date() == today for b in list_backups(db_file) if b.kind in AUTOMATIC)


def keep_count(text: str) -> int:
    """The setting ``reservekopieen_bewaren`` as a number (a bad value falls back to the default)."""
    try:
        return max(int(text), 1)
    except ValueError:
        return DEFAULT_KEEP
