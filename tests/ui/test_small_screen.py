"""A school laptop (issue 12 point 2): the main window and every screen of the demo school work at
1280×720 (1920×1080 at 150 %) and at 1024×700 without scrolling or cut-off text, and the window's minimum
size allows both; the larger dialogs fit as well."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QAbstractButton, QDialog, QLabel, QScrollArea, QTabWidget, QWidget
from sqlmodel import select

from verzuimdesk.demo import create_demo_school
from verzuimdesk.model.db import Database
from verzuimdesk.ui.context import AppContext
from verzuimdesk.ui.main_window import PAGES, WORKS_AT, MainWindow
from verzuimdesk.ui.widgets import scrolled_widget

TODAY = dt.date(2026, 11, 23)


def _cut_off(page: QWidget) -> list[str]:
    """Visible labels and buttons narrower than their text (a word-wrapped label wraps instead)."""
    found = []
    for widget in page.findChildren(QWidget):
        if not widget.isVisibleTo(page) or not isinstance(widget, QLabel | QAbstractButton):
            continue
        if isinstance(widget, QLabel) and (widget.wordWrap() or not widget.text()):
            continue
        if isinstance(widget, QLabel):
            needed = widget.minimumSizeHint().width()
        else:  # the text and a little padding (a button's style adds a minimum width of its own)
            needed = widget.fontMetrics().horizontalAdvance(widget.text().replace("&", "")) + 8
        if widget.width() < needed:
            found.append(f"{type(widget).__name__} {widget.text()!r}: {widget.width()} < {needed}")
    return found


def test_every_screen_fits_a_school_laptop(qtbot, sqlite_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    create_demo_school(sqlite_db, today=TODAY)
    ctx = AppContext(sqlite_db)
    ctx.show_error = lambda _m: None
    window = MainWindow(ctx, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    problems: list[str] = []
    for width, height in WORKS_AT:
        window.resize(width, height)
        for label, _module, _cls in PAGES:
            if not window.allowed(label):  # Bestuur: only in a school of a board (tests/board/test_board_page.py)
                continue
            page = window.show_page(label)
            qtbot.waitUntil(lambda p=page: not getattr(p, "_pending", False))  # the inbox computes after showing
            qtbot.wait(20)
            assert window.size().toTuple() == (width, height), f"{label} widens the window"
            area = window.stack.currentWidget()
            assert isinstance(area, QScrollArea) and scrolled_widget(area) is page
            if area.horizontalScrollBar().isVisible() or area.verticalScrollBar().isVisible():
                problems.append(f"{width}×{height} {label}: scrolls, needs {page.minimumSizeHint().toTuple()} "
                                f"in {area.viewport().size().toTuple()}")
            problems += [f"{width}×{height} {label}: {p}" for p in _cut_off(page)]
            tabs = getattr(page, "tabs", None)
            for i in range(tabs.count() if isinstance(tabs, QTabWidget) else 0):
                tabs.setCurrentIndex(i)  # a tab that scrolls sideways hides half of a form
                qtbot.wait(10)
                tab = tabs.widget(i)
                if isinstance(tab, QScrollArea) and tab.horizontalScrollBar().isVisible():
                    problems.append(f"{width}×{height} {label}, tab {tabs.tabText(i)}: scrolls sideways")
                problems += [f"{width}×{height} {label}, tab {tabs.tabText(i)}: {p}" for p in _cut_off(page)]
            if isinstance(tabs, QTabWidget):
                tabs.setCurrentIndex(0)
    assert problems == []
    # After every screen was built, the window can still be made as small as the smallest laptop size.
    smallest = min(WORKS_AT)
    assert window.minimumSize().width() <= smallest[0] and window.minimumSize().height() <= smallest[1]
    assert window.minimumSizeHint().width() <= smallest[0] and window.minimumSizeHint().height() <= smallest[1]
    # Smaller still, a screen scrolls rather than hiding widgets off screen.
    window.resize(window.minimumSize())
    page = window.show_page("Kalender")
    qtbot.wait(20)
    area = window.stack.currentWidget()
    assert isinstance(area, QScrollArea)
    assert area.verticalScrollBar().isVisible() or area.horizontalScrollBar().isVisible()
    assert page.height() >= page.minimumSizeHint().height()


def _dialogs(ctx: AppContext, db: Database) -> dict[str, Callable[[], QDialog]]:
    """The larger dialogs, opened on demo data."""
    from verzuimdesk.model.law.signals import compute_signals
    from verzuimdesk.model.tables import Group, Pupil
    from verzuimdesk.model.tables.law import LeaveRequest
    from verzuimdesk.ui.leave.dialogs import LeaveDecisionDialog, LeaveRequestDialog
    from verzuimdesk.ui.meldingen.dialogs import NewMeldingDialog
    from verzuimdesk.ui.setup.deviation_dialog import DeviationDialog
    from verzuimdesk.ui.setup.pupil_dialog import PupilDialog
    from verzuimdesk.ui.setup.timetable_editor import TimetableEditor
    from verzuimdesk.ui.signals.dialogs import SignalMeldingDialog

    with db.session() as s:
        pupil = s.exec(select(Pupil.id)).first()
        group = s.exec(select(Group.id)).first()
        request = s.exec(select(LeaveRequest.id)).first()
        signal = compute_signals(s, TODAY)[0]
    assert pupil and group and request
    return {
        "verlofaanvraag": lambda: LeaveRequestDialog(ctx, TODAY),
        "verlofbesluit": lambda: LeaveDecisionDialog(ctx, request, TODAY),
        "melding uit signaal": lambda: SignalMeldingDialog(ctx, signal, "signaal", TODAY),
        "nieuwe melding": lambda: NewMeldingDialog(ctx, TODAY),
        "leerling": lambda: PupilDialog(ctx, pupil),
        "nieuwe leerling": lambda: PupilDialog(ctx, None),
        "rooster": lambda: TimetableEditor(ctx, group, "Groep"),
        "eigen rooster": lambda: DeviationDialog(ctx, pupil, TODAY),
    }


def test_the_larger_dialogs_fit_a_school_laptop(qtbot, sqlite_db) -> None:  # type: ignore[no-untyped-def]
    create_demo_school(sqlite_db, today=TODAY)
    ctx = AppContext(sqlite_db)
    ctx.show_error = lambda _m: None
    width, height = min(WORKS_AT)
    for name, make in _dialogs(ctx, sqlite_db).items():
        dialog = make()
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.wait(10)
        # the window frame and the taskbar take about 60 pixels of the height
        assert dialog.width() <= width and dialog.height() <= height - 60, name
        assert dialog.minimumSizeHint().height() <= height - 60, name
        assert _cut_off(dialog) == [], name
        dialog.close()
