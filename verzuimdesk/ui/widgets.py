"""Small shared widgets and a thin table model over plain rows (architecture.md §4)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QDate,
    QEvent,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    Qt,
)
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QDateEdit, QDialog, QDialogButtonBox, QScrollArea, QWidget

from verzuimdesk.model import dutch

R = TypeVar("R")
DUTCH = QLocale(QLocale.Language.Dutch, QLocale.Country.Netherlands)
_Index = QModelIndex | QPersistentModelIndex


class _Holder(QWidget):
    """Holds a screen inside a scroll area by its minimum size only. (A scroll area asks a layout with
    word-wrapped labels for its *preferred* height and would scroll a screen that fits.)"""

    def __init__(self, inner: QWidget) -> None:
        super().__init__()
        self.inner = inner
        inner.setParent(self)
        inner.installEventFilter(self)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return self.inner.minimumSizeHint().expandedTo(self.inner.minimumSize())

    def sizeHint(self) -> QSize:  # noqa: N802
        return self.inner.sizeHint()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        self.inner.setGeometry(0, 0, self.width(), self.height())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.inner and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()
            area = self.parentWidget().parentWidget() if self.parentWidget() else None
            if isinstance(area, QScrollArea):  # the screen's minimum size changed: scroll bars again
                QCoreApplication.postEvent(area, QEvent(QEvent.Type.LayoutRequest))
        return False


def scrolling(widget: QWidget) -> QScrollArea:
    """``widget`` in a frameless scroll area: it fills the room it gets and scrolls only when that room is
    smaller than its minimum size, so that nothing is ever off screen on a small laptop."""
    area = QScrollArea()
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    area.setWidgetResizable(True)
    area.setWidget(_Holder(widget))
    return area


def scrolled_widget(area: QScrollArea) -> QWidget | None:
    """The widget that :func:`scrolling` put in ``area``."""
    holder = area.widget()
    return holder.inner if isinstance(holder, _Holder) else holder


def to_qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def from_qdate(qdate: QDate) -> dt.date:
    return dt.date(qdate.year(), qdate.month(), qdate.day())


class DateEdit(QDateEdit):
    """A date field with a calendar popup and Dutch day/month names (dd-mm-jjjj)."""

    def __init__(self, day: dt.date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setCalendarPopup(True)
        self.setLocale(DUTCH)
        self.setDisplayFormat("ddd d-M-yyyy")
        self.set_date(day or dt.date.today())

    def date_value(self) -> dt.date:
        return from_qdate(self.date())

    def set_date(self, day: dt.date) -> None:
        self.setDate(to_qdate(day))


@dataclass(frozen=True)
class Column(Generic[R]):
    """A column of a :class:`RowsModel`: header, how to show a row, optional sort key and alignment."""

    header: str
    display: Callable[[R], Any]
    sort_key: Callable[[R], Any] | None = None
    align_right: bool = False
    tooltip: Callable[[R], str] | None = None
    background: Callable[[R], Any] | None = None


class RowsModel(QAbstractTableModel, Generic[R]):
    """A read-only table model over a list of rows; sorting is done with ``Qt.UserRole`` sort keys."""

    SORT_ROLE = Qt.ItemDataRole.UserRole + 1

    def __init__(self, columns: Sequence[Column[R]], parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self.rows: list[R] = []

    def set_rows(self, rows: Sequence[R]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> R:
        return self.rows[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].header
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        col = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            value = col.display(row)
            if isinstance(value, dt.date):
                return dutch.date_short(value)
            return "" if value is None else str(value)
        if role == self.SORT_ROLE:
            if col.sort_key is not None:
                return col.sort_key(row)
            value = col.display(row)
            return value.isoformat() if isinstance(value, dt.date) else value
        if role == Qt.ItemDataRole.TextAlignmentRole and col.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and col.tooltip is not None:
            return col.tooltip(row)
        if role == Qt.ItemDataRole.BackgroundRole and col.background is not None:
            return col.background(row)
        return None


def long_date(day: dt.date) -> str:
    return dutch.date_long(day, weekday=True)


def dialog_buttons(dialog: QDialog, ok_text: str = "Opslaan") -> QDialogButtonBox:
    """OK/Annuleren buttons with Dutch labels, connected to the dialog's accept and reject."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Annuleren")
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


def save_layout(settings: Any, parts: dict[str, Any]) -> None:
    """Remember the state of splitters and table headers (anything with saveState) under their keys."""
    for key, widget in parts.items():
        settings.setValue(key, widget.saveState())


def restore_layout(settings: Any, parts: dict[str, Any]) -> None:
    """Put back what :func:`save_layout` remembered; missing keys leave the defaults."""
    for key, widget in parts.items():
        state = settings.value(key)
        if state:
            widget.restoreState(state)
