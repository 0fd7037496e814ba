"""The dialogs of the Dossier screen: a contact (planned or held), an intervention, its evaluation."""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from verzuimdesk.model.law.dossier import CONTACT_KINDS
from verzuimdesk.model.tables.law import ContactMoment, Intervention
from verzuimdesk.ui.forms import OptionalDateEdit
from verzuimdesk.ui.widgets import DateEdit, dialog_buttons


def _buttons(dialog: QDialog, ok_text: str) -> QDialogButtonBox:
    buttons = dialog_buttons(dialog, ok_text)
    return buttons


def _text(height: int, placeholder: str) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setFixedHeight(height)
    edit.setPlaceholderText(placeholder)
    return edit


class ContactDialog(QDialog):
    """A contact with the parents or a partner. ``held=True``: a planned conversation that took place."""

    def __init__(self, today: dt.date, guardians: list[str], parent: QWidget | None = None, *,
                 contact: ContactMoment | None = None, held: bool = False) -> None:
        super().__init__(parent)
        title = "Gesprek gehouden" if held else ("Contact bewerken" if contact else "Nieuw contact")
        self.setWindowTitle(title)
        self.setMinimumWidth(520)
        self.date = DateEdit(today)
        self.kind = QComboBox()
        self.kind.addItems(list(CONTACT_KINDS))
        self.with_whom = QComboBox()
        self.with_whom.setEditable(True)
        self.with_whom.addItems(guardians + ["intern begeleider", "leerplichtambtenaar", "jeugdarts", "leerling"])
        self.with_whom.setCurrentText("")
        self.planned = QCheckBox("gepland (het gesprek moet nog plaatsvinden)")
        self.summary = _text(80, "Wat is er besproken?")
        self.agreements = _text(60, "Welke afspraken zijn gemaakt (wie doet wat, wanneer)?")
        if contact is not None:
            self.date.set_date(today if held else contact.date)
            self.kind.setCurrentText(contact.kind)
            self.with_whom.setCurrentText(contact.with_whom)
            self.planned.setChecked(contact.planned and not held)
            self.summary.setPlainText(contact.summary)
            self.agreements.setPlainText(contact.agreements)
        if held:
            for widget in (self.kind, self.with_whom, self.planned):
                widget.setEnabled(False)
        form = QFormLayout(self)
        form.addRow("Datum:", self.date)
        form.addRow("Soort:", self.kind)
        form.addRow("Met wie:", self.with_whom)
        form.addRow("", self.planned)
        form.addRow("Samenvatting:", self.summary)
        form.addRow("Afspraken:", self.agreements)
        form.addRow(_buttons(self, "Vastleggen"))

    def value(self) -> dict[str, Any]:
        return {"date": self.date.date_value(), "kind": self.kind.currentText(),
                "with_whom": self.with_whom.currentText().strip(), "summary": self.summary.toPlainText().strip(),
                "agreements": self.agreements.toPlainText().strip(), "planned": self.planned.isChecked()}  # fmt: skip


class InterventionDialog(QDialog):
    """An intervention / plan van aanpak with the date on which it is evaluated."""

    def __init__(self, today: dt.date, parent: QWidget | None = None, *, item: Intervention | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Interventie bewerken" if item else "Nieuwe interventie / plan van aanpak")
        self.setMinimumWidth(520)
        self.title = QLineEdit()
        self.title.setPlaceholderText("bijv. 'Dagelijks ochtendgesprek met de intern begeleider'")
        self.description = _text(90, "Wat houdt de aanpak in, wie is betrokken, wat is het doel?")
        self.start_date = DateEdit(today)
        self.evaluation_date = OptionalDateEdit(today + dt.timedelta(weeks=6))
        if item is not None:
            self.title.setText(item.title)
            self.description.setPlainText(item.description)
            self.start_date.set_date(item.start_date)
            self.evaluation_date.set_optional(item.evaluation_date)
        form = QFormLayout(self)
        form.addRow("Titel:", self.title)
        form.addRow("Omschrijving:", self.description)
        form.addRow("Start:", self.start_date)
        form.addRow("Evalueren op:", self.evaluation_date)
        form.addRow(_buttons(self, "Vastleggen"))

    def value(self) -> dict[str, Any]:
        return {"title": self.title.text().strip(), "description": self.description.toPlainText().strip(),
                "start_date": self.start_date.date_value(),
                "evaluation_date": self.evaluation_date.optional_value()}  # fmt: skip


class EvaluationDialog(QDialog):
    """The evaluation: what came of it, and was it effective (seed 004: timely and effective?)."""

    def __init__(self, today: dt.date, item: Intervention, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Interventie evalueren")
        self.setMinimumWidth(520)
        self.on = DateEdit(today)
        self.outcome = _text(100, "Wat is het resultaat? Is het verzuim afgenomen? Wat is het vervolg?")
        self.yes, self.no, self.unknown = QRadioButton("ja"), QRadioButton("nee"), QRadioButton("nog niet te zeggen")
        group = QButtonGroup(self)
        row = QHBoxLayout()
        for button in (self.yes, self.no, self.unknown):
            group.addButton(button)
            row.addWidget(button)
        row.addStretch(1)
        if item.evaluated_on is not None:
            self.on.set_date(item.evaluated_on)
            self.outcome.setPlainText(item.outcome)
        {True: self.yes, False: self.no, None: self.unknown}[item.effective].setChecked(True)
        form = QFormLayout(self)
        form.addRow("Interventie:", QLabel(f"<b>{html.escape(item.title)}</b>"))
        form.addRow("Geëvalueerd op:", self.on)
        form.addRow("Uitkomst:", self.outcome)
        form.addRow("Effectief:", row)
        layout = QVBoxLayout()
        layout.addWidget(_buttons(self, "Evaluatie vastleggen"))
        form.addRow(layout)

    def value(self) -> dict[str, Any]:
        effective = True if self.yes.isChecked() else False if self.no.isChecked() else None
        return {"on": self.on.date_value(), "outcome": self.outcome.toPlainText().strip(), "effective": effective}
