"""The register screen's side parts: the legend of codes, the minutes-late form, the parents' report form."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtCore import QPoint, Qt, QTime
from PySide6.QtGui import QBrush, QColor, QIcon, QPainter, QPixmap, QPolygon
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QRadioButton,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from verzuimdesk.model.tables import Reason
from verzuimdesk.ui.register.grid import GREY_HATCH
from verzuimdesk.ui.widgets import DateEdit, dialog_buttons


def swatch(color: QColor | QBrush, size: int = 16) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor("white"))
    painter = QPainter(pixmap)
    painter.fillRect(0, 0, size, size, color)
    painter.setPen(QColor("#606060"))
    painter.drawRect(0, 0, size - 1, size - 1)
    painter.end()
    return QIcon(pixmap)


def parent_marker_icon() -> QIcon:
    """The legend's picture of a parents' report: the blue corner of a cell."""
    pixmap = QPixmap(16, 16)
    pixmap.fill(QColor("white"))
    painter = QPainter(pixmap)
    painter.setPen(QColor("#606060"))
    painter.drawRect(0, 0, 15, 15)
    painter.setBrush(QColor("#1565C0"))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawPolygon(QPolygon([QPoint(7, 0), QPoint(16, 0), QPoint(16, 9)]))
    painter.end()
    return QIcon(pixmap)


class ReasonLegend(QWidget):
    """The active reason codes with name and colour, the grid's markers, and the keys to use."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list = QListWidget()
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.list.setWordWrap(True)
        keys = QLabel(
            "Typ een code in een cel (ook voor een hele rij tegelijk). Spatie of Delete = aanwezig. "
            "Enter = volgende leerling. Ctrl+Z = ongedaan maken. Rechtermuisknop = kies een reden."
        )
        keys.setWordWrap(True)
        keys.setStyleSheet("color:#444;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("<b>Codes</b>"))
        layout.addWidget(self.list, 1)
        layout.addWidget(keys)

    def set_reasons(self, reasons: list[Reason]) -> None:
        self.list.clear()
        for r in reasons:
            item = QListWidgetItem(swatch(QColor(r.color)), f"{r.code}  {r.name}")
            item.setToolTip(f"{r.code}: {r.name}")
            self.list.addItem(item)
        self.list.addItem(QListWidgetItem(swatch(GREY_HATCH), "geen les volgens eigen rooster"))
        self.list.addItem(QListWidgetItem(parent_marker_icon(), "gemeld door ouder (cursief)"))


class MinutesDialog(QDialog):
    """ "Hoeveel minuten te laat?": a spin box, Enter confirms."""

    def __init__(self, code: str, default: int, maximum: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Te laat")
        self.spin = QSpinBox()
        self.spin.setRange(1, max(1, maximum))
        self.spin.setValue(min(default, max(1, maximum)))
        self.spin.setSuffix(" minuten")
        buttons = dialog_buttons(self, "OK")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"Code {code}: hoeveel minuten te laat?"))
        layout.addWidget(self.spin)
        layout.addWidget(buttons)
        self.spin.selectAll()
        self.spin.setFocus()


@dataclass(frozen=True)
class ParentReport:
    reason_code: str
    date_from: dt.date
    date_to: dt.date
    start: int | None
    end: int | None
    note: str


class ParentReportDialog(QDialog):
    """A parents' report (melding afwezigheid): reason, dates, whole days or a time span, note."""

    def __init__(
        self, pupil_name: str, day: dt.date, reasons: list[Reason], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Melding van ouder")
        self.reason = QComboBox()
        for r in reasons:
            if not r.is_lateness and r.code != "A":
                self.reason.addItem(swatch(QColor(r.color)), f"{r.code} – {r.name}", r.code)
        self.date_from, self.date_to = DateEdit(day), DateEdit(day)
        self.whole_days = QRadioButton("Hele dagen")
        self.part_of_day = QRadioButton("Alleen van")
        self.whole_days.setChecked(True)
        self.time_from, self.time_to = QTimeEdit(QTime(8, 30)), QTimeEdit(QTime(12, 0))
        for edit in (self.time_from, self.time_to):
            edit.setDisplayFormat("HH:mm")
            edit.setEnabled(False)
        self.part_of_day.toggled.connect(self.time_from.setEnabled)
        self.part_of_day.toggled.connect(self.time_to.setEnabled)
        times = QHBoxLayout()
        for w in (self.whole_days, self.part_of_day, self.time_from, QLabel("tot"), self.time_to):
            times.addWidget(w)
        times.addStretch(1)
        self.note = QLineEdit()
        self.note.setPlaceholderText("bijv. 'moeder belde 8:05, koorts'")
        buttons = dialog_buttons(self, "Vastleggen")
        form = QFormLayout(self)
        form.addRow("Leerling:", QLabel(f"<b>{pupil_name}</b>"))
        form.addRow("Reden:", self.reason)
        form.addRow("Van:", self.date_from)
        form.addRow("Tot en met:", self.date_to)
        form.addRow("Tijd:", times)
        form.addRow("Toelichting:", self.note)
        form.addRow(buttons)

    def set_reason(self, code: str) -> None:
        self.reason.setCurrentIndex(self.reason.findData(code))

    def value(self) -> ParentReport:
        start = end = None
        if self.part_of_day.isChecked():
            t1, t2 = self.time_from.time(), self.time_to.time()
            start, end = t1.hour() * 60 + t1.minute(), t2.hour() * 60 + t2.minute()
        return ParentReport(
            self.reason.currentData(),
            self.date_from.date_value(),
            self.date_to.date_value(),
            start,
            end,
            self.note.text().strip(),
        )
