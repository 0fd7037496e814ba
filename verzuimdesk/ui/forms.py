"""Small pieces shared by the administration screens: tables with search/sort, optional dates, times."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QDate, QSortFilterProxyModel, Qt, QTime
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLayout,
    QMessageBox,
    QTableView,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from verzuimdesk.ui.widgets import DateEdit, RowsModel, dialog_buttons

NO_DATE = QDate(1900, 1, 1)


def table_view(model: RowsModel[Any], *, stretch: int | None = None) -> tuple[QTableView, QSortFilterProxyModel]:
    """A read-only, sortable table over ``model`` through a proxy (searching: ``proxy.setFilter…``)."""
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(model)
    proxy.setSortRole(RowsModel.SORT_ROLE)
    proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    view = QTableView()
    view.setModel(proxy)
    view.setSortingEnabled(True)
    view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(24)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setHighlightSections(False)
    if stretch is not None:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    else:
        header.setStretchLastSection(True)
    return view, proxy


def selected_row(view: QTableView, proxy: QSortFilterProxyModel) -> Any | None:
    """The source row object of the current selection, or None."""
    rows = view.selectionModel().selectedRows()
    index = rows[0] if rows else view.currentIndex()
    if not index.isValid():
        return None
    model = proxy.sourceModel()
    assert isinstance(model, RowsModel)
    return model.row_at(proxy.mapToSource(index).row())


def fit_columns(view: QTableView, widths: list[int]) -> None:
    for column, width in enumerate(widths):
        view.setColumnWidth(column, width)


class OptionalDateEdit(DateEdit):
    """A date field that may be empty ("—"): the empty value is the minimum date."""

    def __init__(self, day: dt.date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(None, parent)
        self.setMinimumDate(NO_DATE)
        self.setSpecialValueText("—")
        self.set_optional(day)

    def set_optional(self, day: dt.date | None) -> None:
        if day is None:
            self.setDate(NO_DATE)
        else:
            self.set_date(day)

    def optional_value(self) -> dt.date | None:
        return None if self.date() == NO_DATE else self.date_value()


class TimeEdit(QTimeEdit):
    """A time of day as minutes since midnight (HH:mm)."""

    def __init__(self, minute: int = 510, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDisplayFormat("HH:mm")
        self.set_minutes(minute)

    def set_minutes(self, minute: int) -> None:
        self.setTime(QTime(minute // 60, minute % 60))

    def minutes(self) -> int:
        return self.time().hour() * 60 + self.time().minute()


def error_label() -> QLabel:
    """A red line in a dialog that repeats the last refused input (next to the message box)."""
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet("color: #B00020;")
    label.setVisible(False)
    return label


def show_inline(label: QLabel, message: str) -> None:
    label.setText(message)
    label.setVisible(bool(message))


def ask_text(parent: QWidget | None, title: str, question: str) -> str | None:
    """Ask for a text (e.g. why something changes); None when cancelled."""
    text, ok = QInputDialog.getMultiLineText(parent, title, question)
    return text if ok else None


def confirm(parent: QWidget | None, title: str, question: str) -> bool:
    answer = QMessageBox.question(parent, title, question)
    return answer == QMessageBox.StandardButton.Yes


def form_dialog_layout(dialog: QDialog, ctx: Any, form: QLayout, ok_text: str = "Opslaan") -> QLabel:
    """The standard edit dialog: the form, a red line for errors (also those the context reports while the
    dialog is open) and OK/Annuleren. Returns the error line."""
    error = error_label()
    layout = QVBoxLayout(dialog)
    layout.addLayout(form)
    layout.addWidget(error)
    layout.addWidget(dialog_buttons(dialog, ok_text))

    def inline(message: str) -> None:
        show_inline(error, message)

    ctx.error.connect(inline)
    dialog.finished.connect(lambda _r: ctx.error.disconnect(inline))
    return error


RELOADED = ("Opnieuw geladen: dit is wat nu is opgeslagen. Voer uw wijziging zo nodig opnieuw in en kies Opslaan.")


def reload_after_conflict(dialog: QDialog, ctx: Any, kind: str, reload: Callable[[], bool], error: QLabel) -> None:
    """After a conflict's "Opnieuw laden" (issue 14) about ``kind``, the open edit dialog shows the row as it is
    stored now and takes its new version (``reload`` returns False when the row is gone)."""
    def on_reload(kinds: frozenset[str]) -> None:
        if kind in kinds:
            show_inline(error, RELOADED if reload() else "Dit bestaat niet meer; sluit dit venster.")

    ctx.reloaded.connect(on_reload)
    dialog.finished.connect(lambda _r: ctx.reloaded.disconnect(on_reload))
