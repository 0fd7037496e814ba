"""Upgrades all or nothing, backups that restore, damaged files refused, durability and one writer
(issue 10 §6–8). SQLite only: these are promises about the file."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlmodel import select

from tests.builders import build_small_school
from tests.conftest import FIXTURES
from verzuimdesk.model.backups import check_file, daily_backup_due, list_backups, make_backup
from verzuimdesk.model.db import current_revision, open_database, restore_database
from verzuimdesk.model.errors import DatabaseDamagedError, DatabaseError, DatabaseInUseError
from verzuimdesk.model.tables import Pupil


def _school(path: Path) -> None:
    db = open_database(str(path))
    build_small_school(db)
    db.close()


def test_every_connection_writes_durably(tmp_path: Path) -> None:
    db = open_database(str(tmp_path / "a.sqlite"))
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL: fsync at every commit
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    db.close()


def test_the_lock_cannot_be_bypassed_through_a_symlink_or_a_hard_link(tmp_path: Path) -> None:
    path = tmp_path / "school.sqlite"
    _school(path)
    (tmp_path / "elders").mkdir()
    symlink, hardlink = tmp_path / "elders" / "snelkoppeling.sqlite", tmp_path / "elders" / "kopie.sqlite"
    symlink.symlink_to(path)
    os.link(path, hardlink)
    gui = open_database(str(path), exclusive=True)
    try:
        for other in (symlink, hardlink):
            with pytest.raises(DatabaseInUseError, match="al geopend"):
                open_database(str(other), exclusive=True)
        reader = open_database(str(hardlink))  # reading keeps working
        with reader.session() as s:
            assert s.exec(select(Pupil)).first() is not None
        reader.close()
    finally:
        gui.close()


def test_a_failed_upgrade_leaves_the_old_schema_and_names_the_backup(tmp_path: Path, monkeypatch) -> None:
    from alembic import command

    path = tmp_path / "old.sqlite"
    shutil.copy(FIXTURES / "schema-0001.sqlite", path)
    real = command.upgrade

    def upgrade_then_fail(config, revision):  # type: ignore[no-untyped-def]
        real(config, revision)  # every migration ran …
        raise RuntimeError("stroom weg")  # … and then something fails before the commit

    monkeypatch.setattr(command, "upgrade", upgrade_then_fail)
    with pytest.raises(DatabaseError, match="reservekopie gemaakt: .*voor-upgrade.sqlite") as info:
        open_database(str(path))
    assert "teruggezet zoals hij was" in str(info.value)
    con = sqlite3.connect(path)
    assert con.execute("SELECT version_num FROM alembic_version").fetchall() == [("0001",)]
    assert con.execute("SELECT count(*) FROM sqlite_master WHERE name = 'melding'").fetchone() == (0,)
    con.close()
    monkeypatch.setattr(command, "upgrade", real)
    db = open_database(str(path))  # the next start upgrades
    assert current_revision(db.engine) != "0001"
    db.close()


@pytest.mark.parametrize("damage", ["leeg", "onzin", "kapotte pagina"])
def test_a_damaged_or_empty_file_is_refused_untouched_and_the_newest_good_backup_offered(
        tmp_path: Path, damage: str) -> None:
    path = tmp_path / "school.sqlite"
    _school(path)
    good = make_backup(path, "dagelijks")
    if damage == "leeg":
        path.write_bytes(b"")
    elif damage == "onzin":
        path.write_bytes(b"dit is geen database" * 100)
    else:
        data = bytearray(path.read_bytes())
        page = 4096
        data[2 * page:3 * page] = b"\xff" * page  # a b-tree page overwritten
        path.write_bytes(bytes(data))
    before = path.read_bytes()
    with pytest.raises(DatabaseDamagedError, match="is beschadigd") as info:
        open_database(str(path), exclusive=True)
    assert info.value.backup == good and f"verzuimdesk herstel {good}" in str(info.value)
    assert path.read_bytes() == before  # never written to, never replaced
    kept = restore_database(path, good)
    assert kept is None if damage == "leeg" else kept is not None and kept.read_bytes() == before
    with open_database(str(path)) as db, db.session() as s:
        assert s.exec(select(Pupil).where(Pupil.key == "1001")).first() is not None


def test_backups_are_verified_rotated_and_a_restore_keeps_what_it_replaces(tmp_path: Path) -> None:
    path = tmp_path / "school.sqlite"
    _school(path)
    day = dt.datetime(2026, 11, 30, 8, 0)
    assert daily_backup_due(path, day.date())
    first = make_backup(path, "dagelijks", keep=3, now=day)
    assert not daily_backup_due(path, day.date()) and daily_backup_due(path, day.date() + dt.timedelta(days=1))
    for n in range(1, 5):
        make_backup(path, "afsluiten", keep=3, now=day + dt.timedelta(hours=n))
    manual = make_backup(path, "handmatig", keep=3, now=day + dt.timedelta(hours=6))
    backups = list_backups(path)
    assert [b.kind for b in backups] == ["handmatig", "afsluiten", "afsluiten", "afsluiten"]  # newest 3 automatic
    assert not first.exists() and all(check_file(b.path) == "ok" for b in backups)
    db = open_database(str(path))
    with db.transaction() as s:
        s.add(Pupil(key="9999", achternaam="Na de kopie"))
    with pytest.raises(DatabaseInUseError):  # not while the program has the file
        held = open_database(str(path), exclusive=True)
        try:
            restore_database(path, manual)
        finally:
            held.close()
    db.close()
    kept = restore_database(path, manual)
    assert kept is not None and kept.name.endswith("voor-herstel.sqlite")
    with open_database(str(path)) as db, db.session() as s:
        assert s.exec(select(Pupil).where(Pupil.key == "9999")).first() is None
    con = sqlite3.connect(kept)  # what the restore replaced is still there
    assert con.execute("SELECT count(*) FROM pupil WHERE key = '9999'").fetchone() == (1,)
    con.close()


def test_a_damaged_backup_is_not_restored(tmp_path: Path) -> None:
    path = tmp_path / "school.sqlite"
    _school(path)
    bad = tmp_path / "kapot.sqlite"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    before = path.read_bytes()
    with pytest.raises(DatabaseError, match="niet goed"):
        restore_database(path, bad)
    assert path.read_bytes() == before


def test_backups_are_as_private_as_the_database(tmp_path: Path) -> None:
    """Issue 11: a backup holds the same children's data, so it and its folder are readable by the user only
    (POSIX file modes; on Windows the user's own data folder and its ACL do this)."""
    path = tmp_path / "school.sqlite"
    _school(path)
    os.umask(0o022)  # a usual umask would leave a new file readable by everyone
    backup = make_backup(path, "handmatig")
    assert backup.stat().st_mode & 0o777 == 0o600
    assert backup.parent.stat().st_mode & 0o777 == 0o700
