"""A pupil's individual timetables (roosterafwijkingen): the list, a new one, ending one."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from verzuimdesk.model import dutch
from verzuimdesk.model.register.timetable import add_deviation
from verzuimdesk.model.school.calendar import WEEKDAY_NAMES
from verzuimdesk.model.setup.pupils_groups import DEVIATION_KINDS, deviations_of, end_deviation
from verzuimdesk.ui.context import PUPILS, REGISTER, AppContext
from verzuimdesk.ui.forms import OptionalDateEdit, TimeEdit
from verzuimdesk.ui.widgets import DateEdit, dialog_buttons


class DeviationDialog(QDialog):
    """A new roosterafwijking: kind, period and per weekday the window in which the pupil attends."""

    def __init__(self, ctx: AppContext, pupil_id: int, today: dt.date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.pupil_id = ctx, pupil_id
        self.setWindowTitle("Nieuwe roosterafwijking")
        self.kind = QComboBox()
        for value, label in DEVIATION_KINDS.items():
            self.kind.addItem(label, value)
        self.date_from = DateEdit(today)
        self.date_to = OptionalDateEdit(None)
        self.description = QLineEdit()
        self.description.setPlaceholderText("bijvoorbeeld: afspraak met ouders en leerplichtambtenaar")
        form = QFormLayout()
        form.addRow("Soort:", self.kind)
        form.addRow("Vanaf:", self.date_from)
        form.addRow("Tot en met (leeg = open):", self.date_to)
        form.addRow("Omschrijving:", self.description)
        grid = QGridLayout()
        grid.addWidget(QLabel("<b>Aanwezig op</b>"), 0, 0)
        grid.addWidget(QLabel("<b>van</b>"), 0, 1)
        grid.addWidget(QLabel("<b>tot</b>"), 0, 2)
        self.days: list[tuple[QCheckBox, TimeEdit, TimeEdit]] = []
        for wd in range(5):
            check = QCheckBox(WEEKDAY_NAMES[wd])
            start, end = TimeEdit(510), TimeEdit(720)
            grid.addWidget(check, wd + 1, 0)
            grid.addWidget(start, wd + 1, 1)
            grid.addWidget(end, wd + 1, 2)
            self.days.append((check, start, end))
        buttons = dialog_buttons(self, "Opslaan")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel("De leerling heeft alleen les binnen deze tijden; een dag zonder vinkje is vrij."))
        layout.addLayout(grid)
        layout.addWidget(buttons)

    def windows(self) -> list[tuple[int, int, int]]:
        return [(wd, s.minutes(), e.minutes()) for wd, (c, s, e) in enumerate(self.days) if c.isChecked()]

    def accept(self) -> None:
        saved = self.ctx.run({PUPILS, REGISTER}, add_deviation, self.pupil_id, self.kind.currentData(),
                             self.date_from.date_value(), self.date_to.optional_value(), self.windows(),
                             self.description.text().strip())  # fmt: skip
        if saved is not None:
            super().accept()


class DeviationsTab(QWidget):
    """The list of a pupil's deviations with "Nieuwe afwijking…" and "Beëindigen per"."""

    def __init__(self, ctx: AppContext, pupil_id: int | None, today: dt.date) -> None:
        super().__init__()
        self.ctx, self.pupil_id, self.today = ctx, pupil_id, today
        layout = QVBoxLayout(self)
        if pupil_id is None:
            layout.addWidget(QLabel("Sla de leerling eerst op; daarna kunt u hier een opbouwrooster, deeltijdrooster "
                                    "of gedeeltelijke vrijstelling vastleggen."))  # fmt: skip
            layout.addStretch(1)
            return
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(["Soort", "Vanaf", "Tot en met", "Lestijden", "Omschrijving"])
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        new = QPushButton("&Nieuwe afwijking…")
        new.clicked.connect(self.new_deviation)
        self.end_date = DateEdit(today)
        end = QPushButton("&Beëindig per deze datum")
        end.clicked.connect(self.end_selected)
        bar = QHBoxLayout()
        bar.addWidget(new)
        bar.addStretch(1)
        bar.addWidget(QLabel("Laatste dag van de afwijking:"))
        bar.addWidget(self.end_date)
        bar.addWidget(end)
        layout.addWidget(QLabel("Tijdens een roosterafwijking telt alleen de eigen lestijd van de leerling mee."))
        layout.addWidget(self.table)
        layout.addLayout(bar)
        self.rows = []
        self.refresh()

    def refresh(self) -> None:
        assert self.pupil_id is not None
        self.rows = self.ctx.read(deviations_of, self.pupil_id)
        self.table.setRowCount(len(self.rows))
        for i, d in enumerate(self.rows):
            texts = [d.kind, f"{dutch.date_short(d.date_from)}", f"{dutch.date_short(d.date_to)}" if d.date_to else "(open)",
                     d.windows, d.description]
            for j, text in enumerate(texts):
                self.table.setItem(i, j, QTableWidgetItem(text))
        self.table.resizeColumnToContents(0)

    def new_deviation(self) -> None:
        assert self.pupil_id is not None
        if self.open_dialog(DeviationDialog(self.ctx, self.pupil_id, self.today, self)):
            self.refresh()

    def open_dialog(self, dialog: DeviationDialog) -> bool:
        return bool(dialog.exec())

    def end_selected(self) -> None:
        row = self.table.currentRow()
        if row < 0:
            self.ctx.report("Kies eerst de roosterafwijking die u wilt beëindigen.")
            return
        if self.ctx.run({PUPILS, REGISTER}, end_deviation, self.rows[row].id, self.end_date.date_value()) is not None:
            self.refresh()
