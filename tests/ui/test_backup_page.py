"""Issue 10 on screen: Reservekopieën, the Dossier's Logboek tab, the register asking a reason for an old
registration, the automatic backups and the offer to restore a damaged database."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel
from sqlmodel import select

from tests.builders import build_small_school
from verzuimdesk.model.backups import list_backups, make_backup
from verzuimdesk.model.db import Database, open_database
from verzuimdesk.model.register.changes import reason_days
from verzuimdesk.model.register.entries import set_entry
from verzuimdesk.model.setup.backups import automatic_backup
from verzuimdesk.model.tables import Pupil
from verzuimdesk.ui.app import open_or_offer_restore
from verzuimdesk.ui.backup.page import BackupPage
from verzuimdesk.ui.dossier.page import DossierPage


def test_backup_screen_makes_lists_restores_and_saves_the_settings(small_school_page, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ctx, screen, _school, messages = small_school_page(BackupPage, dt.date(2025, 11, 3), confirm=lambda _q: True)
    screen.resize(1280, 720)
    screen.make_now()
    assert screen.model.rowCount() == 1 and "gecontroleerd" in screen.status.text()
    with ctx.db.transaction() as s:
        s.add(Pupil(key="9999", achternaam="Na de kopie"))
    screen.view.selectionModel().select(screen.view.model().index(0, 0),
                                        QItemSelectionModel.SelectionFlag.ClearAndSelect
                                        | QItemSelectionModel.SelectionFlag.Rows)
    screen.restore_selected()
    assert "bewaard als" in screen.status.text() and messages == []
    with ctx.db.session() as s:  # the reopened database is the backup's
        assert s.exec(select(Pupil).where(Pupil.key == "9999")).first() is None
    screen.days.setValue(3)
    screen.keep.setValue(7)
    screen.save_settings()
    assert ctx.read(reason_days) == 3 and screen.keep.value() == 7
    screen.check_trail()
    assert screen.status.text().startswith("Het logboek is ongeschonden")
    assert screen.trail.model.rowCount() > 0 and screen.trail.model.rows[0].action.startswith("instelling")
    screen.show()
    screen.grab().save(str(tmp_path / "reservekopieen.png"))
    ctx.db.close()


def test_the_dossier_shows_the_pupils_part_of_the_trail(small_school_page) -> None:  # type: ignore[no-untyped-def]
    ctx, screen, school, _messages = small_school_page(DossierPage, dt.date(2025, 11, 3), load=None)
    with ctx.db.transaction() as s:
        set_entry(s, school.pupils["1001"], dt.date(2025, 11, 3), 510, 570, "Z", by="juf Anne")
    screen.show_pupil(school.pupils["1001"])
    rows = screen.trail.model.rows
    assert rows[0].action == "registratie" and rows[0].by == "juf Anne"
    assert {r.pupil_id for r in rows} == {school.pupils["1001"]}


def test_automatic_backups_once_a_day_and_on_exit(sqlite_db: Database) -> None:
    build_small_school(sqlite_db)
    assert automatic_backup(sqlite_db, "dagelijks") is not None
    assert automatic_backup(sqlite_db, "dagelijks") is None  # the first start of the day only
    assert automatic_backup(sqlite_db, "afsluiten") is not None
    from verzuimdesk.model.db import sqlite_path

    path = sqlite_path(sqlite_db.url)
    assert path is not None and [b.kind for b in list_backups(path)] == ["afsluiten", "dagelijks"]


def test_a_damaged_database_is_restored_only_when_the_user_agrees(tmp_path: Path) -> None:
    path = tmp_path / "school.sqlite"
    db = open_database(str(path))
    build_small_school(db)
    db.close()
    make_backup(path, "dagelijks")
    path.write_bytes(b"")
    questions: list[str] = []
    assert open_or_offer_restore(str(path), ask=lambda q: questions.append(q) is not None) is None
    assert path.read_bytes() == b"" and "is beschadigd" in questions[0]
    db = open_or_offer_restore(str(path), ask=lambda q: True)
    assert db is not None
    with db.session() as s:
        assert s.exec(select(Pupil).where(Pupil.key == "1001")).first() is not None
    db.close()
