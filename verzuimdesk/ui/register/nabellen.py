"""Nabellen: the day's unexplained absences ("reden onbekend") and the calls home (domain.md §4.2–4.3).

Select a pupil, press Enter or "Gesprek vastleggen…", record whether someone was reached, who, and the
outcome: a reason replaces the pupil's X entries of that day and the pupil leaves the list; without an
outcome the attempt is recorded and the pupil stays on the list with the attempt shown.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtCore import QItemSelectionModel, QSettings, Qt
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from verzuimdesk.model import dutch
from verzuimdesk.model.register.entries import record_call
from verzuimdesk.model.register.view import CallListRow, active_reasons, call_list
from verzuimdesk.model.tables import Reason
from verzuimdesk.ui.context import GROUPS, PUPILS, REASONS, REGISTER, AppContext
from verzuimdesk.ui.register.dialogs import swatch
from verzuimdesk.ui.widgets import Column, DateEdit, RowsModel, dialog_buttons

REFRESH_ON = frozenset({REGISTER, PUPILS, GROUPS, REASONS})
SHORT_WEEKDAYS = ["ma", "di", "wo", "do", "vr", "za", "zo"]


@dataclass(frozen=True)
class CallResult:
    reached: bool
    contact: str
    outcome_code: str | None
    note: str


class CallDialog(QDialog):
    """The form of one call: reached yes/no, with whom, outcome (a reason), note."""

    def __init__(self, row: CallListRow, reasons: list[Reason], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Gesprek vastleggen")
        self.setMinimumWidth(460)
        self.reached_yes, self.reached_no = QRadioButton("Ja"), QRadioButton("Nee, niemand bereikt")
        self.reached_yes.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.reached_yes)
        group.addButton(self.reached_no)
        reached = QHBoxLayout()
        reached.addWidget(self.reached_yes)
        reached.addWidget(self.reached_no)
        reached.addStretch(1)
        self.contact = QComboBox()
        self.contact.setEditable(True)
        for g in row.guardians:
            self.contact.addItem(f"{g.name} ({g.relation})" if g.relation else g.name)
        self.contact.setCurrentText(self.contact.itemText(0) if row.guardians else "")
        self.outcome = QComboBox()
        self.outcome.addItem("(nog geen reden: blijft op de lijst)", None)
        for r in reasons:
            if not (r.is_lateness or r.is_unresolved or r.code == "A"):
                self.outcome.addItem(swatch(QColor(r.color)), f"{r.code} – {r.name}", r.code)
        self.note = QLineEdit()
        self.note.setPlaceholderText("bijv. 'moeder: koorts sinds vannacht'")
        self.reached_no.toggled.connect(self._not_reached)
        buttons = dialog_buttons(self, "Vastleggen")
        form = QFormLayout(self)
        item = row.item
        form.addRow(
            "Leerling:", QLabel(f"<b>{row.name}</b> ({item.group.name if item.group else 'geen groep'})")
        )
        form.addRow("Afwezig:", QLabel(f"{dutch.date_long(item.day, weekday=True)}, les {row.lessons_text}"))
        if row.phones:
            form.addRow("Telefoon:", QLabel(row.phones))
        form.addRow("Bereikt:", reached)
        form.addRow("Met wie:", self.contact)
        form.addRow("Uitkomst:", self.outcome)
        form.addRow("Toelichting:", self.note)
        form.addRow(buttons)

    def _not_reached(self, checked: bool) -> None:
        if checked:
            self.outcome.setCurrentIndex(0)
            self.contact.setCurrentText("")

    def set_outcome(self, code: str | None) -> None:
        self.outcome.setCurrentIndex(self.outcome.findData(code) if code else 0)

    def value(self) -> CallResult:
        return CallResult(
            self.reached_yes.isChecked(),
            self.contact.currentText().strip(),
            self.outcome.currentData(),
            self.note.text().strip(),
        )


def _short_date(day: dt.date) -> str:
    return f"{SHORT_WEEKDAYS[day.weekday()]} {day.day}-{day.month}"


class NabellenPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.reasons: list[Reason] = []
        self.date_edit = DateEdit()
        self.today_button = QPushButton("Vandaag")
        self.whole_week = QCheckBox("ook eerdere dagen van deze week")
        self.count_label = QLabel()
        top = QHBoxLayout()
        top.addWidget(QLabel("Datum:"))
        top.addWidget(self.date_edit)
        top.addWidget(self.today_button)
        top.addSpacing(16)
        top.addWidget(self.whole_week)
        top.addStretch(1)
        top.addWidget(self.count_label)

        self.model: RowsModel[CallListRow] = RowsModel([
            Column("Datum", lambda r: _short_date(r.item.day)),
            Column("Groep", lambda r: r.item.group.name if r.item.group else ""),
            Column("Leerling", lambda r: r.name),
            Column("Lessen", lambda r: r.lessons_text),
            Column("Minuten", lambda r: r.item.minutes, align_right=True),
            Column("Telefoon ouders", lambda r: r.phones or "(geen nummer bekend)", tooltip=lambda r: r.phones),
            Column("Eerdere pogingen", lambda r: r.attempts or "–", tooltip=lambda r: r.attempts),
        ], self)  # fmt: skip
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setAlternatingRowColors(True)
        self.empty_label = QLabel()
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setStyleSheet("font-size:15px; color:#2E7D32;")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty_label)

        self.call_button = QPushButton("Gesprek vastleggen… (Enter)")
        self.message = QLabel()
        bottom = QHBoxLayout()
        bottom.addWidget(self.call_button)
        bottom.addSpacing(12)
        bottom.addWidget(self.message, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.stack, 1)
        layout.addLayout(bottom)

        self.date_edit.dateChanged.connect(self.refresh)
        self.whole_week.toggled.connect(self.refresh)
        self.today_button.clicked.connect(lambda: self.date_edit.set_date(dt.date.today()))
        self.call_button.clicked.connect(self.record_selected_call)
        self.table.doubleClicked.connect(lambda _i: self.record_selected_call())
        for key in ("Return", "Enter"):
            shortcut = QShortcut(QKeySequence(key), self.table)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(self.record_selected_call)
        ctx.changed.connect(self._on_changed)
        self._load_reasons()
        self.refresh()

    def _load_reasons(self) -> None:
        self.reasons = self.ctx.read(active_reasons)

    def _on_changed(self, kinds: frozenset[str]) -> None:
        if kinds & REFRESH_ON:
            if REASONS in kinds:
                self._load_reasons()
            self.refresh()

    def on_shown(self) -> None:
        self.refresh()
        self.table.setFocus()

    @property
    def day(self) -> dt.date:
        return self.date_edit.date_value()

    def refresh(self) -> None:
        selected = self.selected_row()
        key = (selected.item.pupil.id, selected.item.day) if selected else None
        rows = self.ctx.read(call_list, self.day, whole_week=self.whole_week.isChecked())
        self.model.set_rows(rows)
        self.table.resizeColumnsToContents()
        if not rows:
            when = dutch.date_long(self.day, weekday=True)
            extra = " of eerder in deze week" if self.whole_week.isChecked() else ""
            self.empty_label.setText(
                f"Geen onverklaarde afwezigheid op {when}{extra}. Niemand hoeft nagebeld te worden."
            )
            self.stack.setCurrentWidget(self.empty_label)
            self.count_label.setText("")
            self.call_button.setEnabled(False)
            return
        self.stack.setCurrentWidget(self.table)
        self.call_button.setEnabled(True)
        self.count_label.setText(f"{dutch.plural(len(rows), 'leerling', 'leerlingen')} na te bellen")
        keys = [(r.item.pupil.id, r.item.day) for r in rows]
        row = keys.index(key) if key in keys else 0
        self.table.selectionModel().setCurrentIndex(
            self.model.index(row, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
        )

    def selected_row(self) -> CallListRow | None:
        index = self.table.currentIndex()
        if not index.isValid() or index.row() >= len(self.model.rows):
            return None
        return self.model.row_at(index.row())

    def exec_dialog(self, dialog: QDialog) -> bool:
        """Show a modal form (tests replace this to fill it in)."""
        return dialog.exec() == QDialog.DialogCode.Accepted

    def record_selected_call(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        dialog = CallDialog(row, self.reasons, self)
        if not self.exec_dialog(dialog):
            return
        result = dialog.value()
        call = self.ctx.run(
            {REGISTER},
            record_call,
            row.item.pupil.id,
            row.item.day,
            by=self.ctx.user,
            reached=result.reached,
            contact=result.contact,
            outcome_code=result.outcome_code,
            note=result.note,
        )
        if call is None:
            return
        if result.outcome_code:
            self.message.setText(f"{row.name}: afwezigheid is nu '{result.outcome_code}'.")
        else:
            self.message.setText(f"{row.name}: poging vastgelegd; blijft op de lijst.")

    def save_state(self, settings: QSettings) -> None:
        settings.setValue("nabellen/whole_week", self.whole_week.isChecked())

    def restore_state(self, settings: QSettings) -> None:
        self.whole_week.setChecked(str(settings.value("nabellen/whole_week", "false")).lower() == "true")
