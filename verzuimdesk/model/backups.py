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

An encrypted database (model/keyfile.py) gives encrypted backups: the copy is made with SQLCipher under the same
data key, and the key slots in force are copied next to it (``<backup>.sqlite.sleutels``), so a backup opens with
the passwords and the herstelcode of the day it was made, also on another computer.

PostgreSQL is backed up by its administrator (pg_dump); these functions are for a SQLite file only.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlcipher3.dbapi2 as cipher

from verzuimdesk.model.errors import DatabaseError
from verzuimdesk.model.keyfile import is_encrypted, key_for, key_pragma, keyfile_path

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


_ERRORS = (sqlite3.Error, cipher.Error)


def connect(path: Path | str, key: bytes | None, *, read_only: bool = False) -> Any:
    """A DB-API connection to a SQLite file: plain (sqlite3), or SQLCipher with the raw ``key``."""
    target = f"file:{path}?mode=ro" if read_only else str(path)
    if key is None:
        return sqlite3.connect(target, uri=read_only)
    con = cipher.connect(target, uri=read_only)
    con.execute("PRAGMA cipher_log_level = NONE")
    con.execute(key_pragma(key))
    return con


def check_file(path: Path, key: bytes | None = None) -> str:
    """``"ok"``, or what ``PRAGMA integrity_check`` (or opening) says is wrong with the SQLite file. An encrypted
    file is checked with ``key`` (SQLCipher's HMAC per page also catches a changed byte)."""
    if not path.is_file() or path.stat().st_size == 0:
        return "leeg of niet gevonden"
    encrypted = is_encrypted(path)
    if encrypted and key is None:
        return "versleuteld; zonder de sleutel van deze database niet te controleren"
    try:
        con = connect(path, key if encrypted else None, read_only=True)
        try:
            rows = con.execute("PRAGMA integrity_check").fetchall()
            con.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            con.close()
    except _ERRORS as exc:
        return str(exc)
    return "ok" if rows == [("ok",)] else "; ".join(str(r[0]) for r in rows[:3])


def newest_good_backup(db_file: Path) -> Path | None:
    key = key_for(db_file)
    for backup in list_backups(db_file):
        if check_file(backup.path, key) == "ok":
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


def copy_database(source: Path, target: Path, key: bytes | None = None) -> None:
    """A consistent copy of the SQLite database ``source`` (with its WAL) into ``target`` via a temporary
    file, checked and flushed before it gets its name. Raises :class:`DatabaseError` in Dutch. An encrypted
    ``source`` is copied encrypted under the same key (``key``, else the key of the open database)."""
    key = (key or key_for(source)) if is_encrypted(source) else None
    if is_encrypted(source) and key is None:
        raise DatabaseError("Deze database is versleuteld; een reservekopie kan alleen worden gemaakt of teruggezet "
                            "als de database met een account is geopend. Er is niets gewijzigd.")
    tmp = target.with_name(target.name + ".tmp")
    tmp.unlink(missing_ok=True)
    try:
        # private to the user like the database itself (issue 11): a copy holds the same children's data
        os.close(os.open(tmp, os.O_CREAT | os.O_WRONLY, PRIVATE_FILE))
        if os.name != "nt":
            os.chmod(tmp, PRIVATE_FILE)
        src = connect(source, key, read_only=True)
        dst = connect(tmp, key)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")  # a backup is one self-contained file
        finally:
            dst.close()
            src.close()
    except _ERRORS as exc:
        tmp.unlink(missing_ok=True)
        raise DatabaseError(f"De reservekopie kon niet worden gemaakt ({exc}). Er is niets gewijzigd.") from exc
    verdict = check_file(tmp, key)
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
    slots = keyfile_path(db_file)
    if is_encrypted(target) and slots.exists():  # the slots of the day go with the backup (module docstring)
        _copy_private(slots, keyfile_path(target))
    if kind in AUTOMATIC:
        rotate(db_file, keep)
    return target


def rotate(db_file: Path, keep: int) -> list[Path]:
    """Remove automatic backups beyond the newest ``keep`` (at least one is always kept)."""
    automatic = [b for b in list_backups(db_file) if b.kind in AUTOMATIC]
    removed = [b.path for b in automatic[max(keep, 1):]]
    for path in removed:
        path.unlink(missing_ok=True)
        keyfile_path(path).unlink(missing_ok=True)
    return removed


def _copy_private(source: Path, target: Path) -> None:
    tmp = target.with_name(target.name + ".tmp")
    os.close(os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, PRIVATE_FILE))
    shutil.copyfile(source, tmp)
    if os.name != "nt":
        os.chmod(tmp, PRIVATE_FILE)
    os.replace(tmp, target)


def restore_slots(backup: Path, db_file: Path) -> None:
    """With a restored encrypted backup come the key slots saved with it (when there are any)."""
    saved = keyfile_path(backup)
    if is_encrypted(backup) and saved.exists():
        _copy_private(saved, keyfile_path(db_file))


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
