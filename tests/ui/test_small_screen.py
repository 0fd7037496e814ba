"""A school laptop (issue 12 point 2): the main window and every screen of the demo school work at
1280×720 (1920×1080 at 150 %) and at 1024×700 without scrolling or cut-off text, and the window's minimum
size allows both."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QAbstractButton, QLabel, QScrollArea, QWidget

from verzuimdesk.demo import create_demo_school
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
