"""The main window: every screen is there, keyboard navigation, remembered layout, import from the menu."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from sqlmodel import select

from tests.builders import build_small_school
from tests.conftest import EDEXML_SAMPLE
from verzuimdesk.model.tables import Group, Pupil
from verzuimdesk.ui.context import AppContext
from verzuimdesk.ui.main_window import PAGES, MainWindow


@pytest.fixture
def window(qtbot, sqlite_db, tmp_path: Path):
    build_small_school(sqlite_db)
    ctx = AppContext(sqlite_db)
    messages: list[str] = []
    ctx.show_error = messages.append
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    win = MainWindow(ctx, settings)
    qtbot.addWidget(win)
    win.messages = messages  # type: ignore[attr-defined]
    return win


def test_all_screens_and_keyboard_navigation(window, qtbot) -> None:
    items = [window.nav.item(i) for i in range(window.nav.count())]
    screens = [i.text() for i in items if i.flags() & Qt.ItemFlag.ItemIsSelectable]
    headings = [i.text() for i in items if not i.flags() & Qt.ItemFlag.ItemIsSelectable]
    assert screens == [p[0] for p in PAGES]
    hidden = [i.text() for i in items if i.isHidden()]
    assert hidden == ["Bestuur"]  # a school's own database: no board, so no Bestuur screen
    screens.remove("Bestuur")
    assert headings == ["Dagelijks", "Leerlingzaken", "Verantwoording", "Inrichting"]
    # Clicking a heading changes nothing; every screen can be built and shown.
    window.nav.setCurrentRow(0)
    assert window.current_page() is window.page("Register")
    for label in screens:
        assert window.show_page(label) is window.current_page()
    window.show()
    window.activateWindow()
    qtbot.waitActive(window)
    # Sent to the window as the system would, so that the shortcut map sees it.
    labels = [p[0] for p in PAGES]
    target = labels[2]  # Ctrl+3 opens the third screen, whichever it is
    QTest.keyClick(window.windowHandle(), Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page() is window.page(target)
    QTest.keyClick(window.windowHandle(), Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page() is window.page("Register")
    assert "De Proefschool" in window.windowTitle()


def test_size_and_screen_are_remembered(window, qtbot, sqlite_db, tmp_path: Path) -> None:
    window.show()
    window.resize(700, 500)
    window.splitter.setSizes([150, 600])
    window.show_page("Nabellen")
    qtbot.wait(50)  # let the layout settle: a screen may need more room than 700 pixels
    size, split = window.size(), window.splitter.sizes()
    window.close()
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    again = MainWindow(AppContext(sqlite_db), settings)
    qtbot.addWidget(again)
    assert again.current_page() is again.page("Nabellen")
    again.show()
    # The window restores its geometry when shown; on a busy machine the layout may take a moment to settle.
    qtbot.waitUntil(lambda: again.size() == size and again.splitter.sizes() == split, timeout=5000)
    assert again.size() == size
    assert again.splitter.sizes() == split


def _capture_reports(monkeypatch) -> list:
    from verzuimdesk.ui.imports import ImportReportDialog

    shown: list = []
    monkeypatch.setattr(ImportReportDialog, "exec", lambda self: shown.append(self) or 0)
    return shown


def test_import_from_the_menu_reads_the_edexml_sample(window, monkeypatch, sqlite_db) -> None:
    from PySide6.QtWidgets import QFileDialog, QInputDialog

    from verzuimdesk.ui import main_window as mw

    sample = EDEXML_SAMPLE
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: (mw.IMPORT_KINDS[0][0], True))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(sample), ""))
    shown = _capture_reports(monkeypatch)
    window.import_file()
    assert window.messages == [], window.messages
    assert len(shown) == 1 and shown[0].windowTitle() == "Importeren: gelukt"
    text = shown[0].body.toPlainText()
    assert "leerlingen 3 nieuw" in text
    # every warning is in the dialog, not only their number
    assert "133456785" in text and "laatste vier cijfers" in text
    with sqlite_db.session() as s:
        keys = {p.key for p in s.exec(select(Pupil)).all()}
        assert {"00001", "00002", "12345"} <= keys
        assert s.exec(select(Group).where(Group.key == "sg1")).one().composite


def test_a_refused_import_shows_the_dutch_reason_and_changes_nothing(window, monkeypatch, sqlite_db, tmp_path) -> None:
    from PySide6.QtWidgets import QFileDialog, QInputDialog

    from verzuimdesk.ui import main_window as mw

    bad = tmp_path / "kapot.xml"
    bad.write_text("<EDEX><school><brincode>99ZZ", encoding="utf-8")
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: (mw.IMPORT_KINDS[0][0], True))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(bad), ""))
    shown = _capture_reports(monkeypatch)
    with sqlite_db.session() as s:
        before = len(s.exec(select(Pupil)).all())
    window.import_file()
    assert len(shown) == 1 and shown[0].windowTitle() == "Importeren: niet ingelezen"
    assert "niets gewijzigd" in shown[0].body.toPlainText() and "onvolledig" in shown[0].body.toPlainText()
    with sqlite_db.session() as s:
        assert len(s.exec(select(Pupil)).all()) == before
