"""Pieces shared by the Verlof, Meldingen and Dossier screens: a searchable pupil picker, coloured
explanations of the Lpw checks, and small icons per kind."""

from __future__ import annotations

import datetime as dt
import html

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QComboBox, QCompleter, QWidget

from verzuimdesk.model import dutch
from verzuimdesk.model.law.leave import LeaveViolation, Severity
from verzuimdesk.model.school.names import name_matches
from verzuimdesk.model.setup.pupils_groups import pupil_rows
from verzuimdesk.ui.context import AppContext

RED, AMBER, BLUE, GREEN, GREY = "#B00020", "#A15C00", "#1F5FAF", "#2E7D32", "#666666"
SEVERITY_COLORS = {Severity.VIOLATION.value: RED, Severity.WARNING.value: AMBER, Severity.FORWARD.value: BLUE}
SEVERITY_HEADINGS = {
    Severity.VIOLATION.value: "Mag niet worden toegekend",
    Severity.FORWARD.value: "Moet worden doorgestuurd naar de leerplichtambtenaar",
    Severity.WARNING.value: "Let op",
}


class _NameFilter(QSortFilterProxyModel):
    """The picker's entries that match what was typed, words in any order ("Femke Boer")."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.text = ""

    def set_text(self, text: str) -> None:
        self.beginFilterChange()
        self.text = text
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        return name_matches(self.text, str(self.sourceModel().index(source_row, 0, source_parent).data()))


class PupilPicker(QComboBox):
    """Type part of a name, leerlingnummer or group; the list narrows as you type. ``pupil_id()``."""

    pupil_changed = Signal(object)  # int | None

    def __init__(self, ctx: AppContext, today: dt.date, parent: QWidget | None = None, *,
                 include_left: bool = False) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setMinimumWidth(280)
        self.lineEdit().setPlaceholderText("Zoek een leerling op naam, nummer of groep…")
        self.matches = _NameFilter(self)
        self.matches.setSourceModel(self.model())
        completer = QCompleter(self.matches, self)
        completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)  # filtered by matches
        self.setCompleter(completer)
        self.lineEdit().textEdited.connect(self._typed)
        self.reload(ctx, today, include_left=include_left)
        self.currentIndexChanged.connect(lambda _i: self.pupil_changed.emit(self.pupil_id()))

    def _typed(self, text: str) -> None:
        self.matches.set_text(text)
        if text.strip() and self.matches.rowCount():
            self.completer().complete()

    def reload(self, ctx: AppContext, today: dt.date, *, include_left: bool = False) -> None:
        current = self.pupil_id()
        self.blockSignals(True)
        self.clear()
        for row in ctx.read(pupil_rows, today):
            if row.has_left(today) and not include_left:
                continue
            group = row.group or "geen groep"
            self.addItem(f"{row.name} ({group}, {row.key})", row.id)
        self.setCurrentIndex(-1)
        self.blockSignals(False)
        if current is not None:
            self.set_pupil(current)

    def pupil_id(self) -> int | None:
        if self.currentIndex() < 0 or self.currentText() != self.itemText(self.currentIndex()):
            return None
        return self.currentData()

    def set_pupil(self, pupil_id: int) -> bool:
        index = self.findData(pupil_id)
        if index >= 0:
            self.setCurrentIndex(index)
        return index >= 0


def violations_html(violations: list[LeaveViolation], *, ok_text: str = "") -> str:
    """The check result as rich text: violations red, the duty to forward blue, warnings amber."""
    if not violations:
        return f"<span style='color:{GREEN}'>✔ {html.escape(ok_text)}</span>" if ok_text else ""
    parts = []
    for severity in (Severity.VIOLATION.value, Severity.FORWARD.value, Severity.WARNING.value):
        items = [v for v in violations if v.severity == severity]
        if not items:
            continue
        color = SEVERITY_COLORS[severity]
        lines = "".join(f"<li>{html.escape(v.message)} <i>({html.escape(v.article)})</i></li>" for v in items)
        parts.append(f"<div style='color:{color}'><b>{SEVERITY_HEADINGS[severity]}:</b>"
                     f"<ul style='margin-top:2px; margin-bottom:4px'>{lines}</ul></div>")  # fmt: skip
    return "".join(parts)


def dot_icon(color: str, size: int = 12) -> QIcon:
    """A filled circle: the 'icon' of a kind in lists (fonts without emoji render it everywhere)."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QColor(color))
    painter.setPen(QColor(color).darker(130))
    painter.drawEllipse(1, 1, size - 2, size - 2)
    painter.end()
    return QIcon(pixmap)


def dutch_days(n: int) -> str:
    return dutch.plural(n, "schooldag", "schooldagen")
