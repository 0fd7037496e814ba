"""The dialogs of the Meldingen screen: a new melding (pupil, kind, period) and a status change that
offers only the changes DUO allows (meldingen.TRANSITIONS)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from verzuimdesk.model.law.meldingen import CLOSING_REASONS, KIND_LABELS, TRANSITIONS, create_melding
from verzuimdesk.model.tables.law import MeldingStatusValue
from verzuimdesk.ui.context import MELDINGEN, AppContext
from verzuimdesk.ui.forms import OptionalDateEdit, error_label, show_inline
from verzuimdesk.ui.leave.widgets import PupilPicker
from verzuimdesk.ui.widgets import DateEdit, dialog_buttons

S = MeldingStatusValue
STATUS_HINTS = {
    S.REGISTERED.value: "DUO heeft de melding geregistreerd en een meldingsnummer gegeven.",
    S.IN_PROGRESS.value: "De leerplichtambtenaar heeft de melding in behandeling genomen.",
    S.CLOSED.value: "De gemeente heeft de melding afgesloten; kies de reden die de gemeente opgaf.",
    S.NOTED.value: "De gemeente heeft de melding ter kennisgeving aangenomen (geen verdere actie).",
    S.WITHDRAWN.value: "De school trekt de melding in (bijvoorbeeld omdat het verzuim toch geoorloofd bleek).",
}


def kind_items(combo: QComboBox) -> None:
    for code, label in KIND_LABELS.items():
        combo.addItem(f"{code} – {label}", code)


def _buttons(dialog: QDialog, ok_text: str) -> QDialogButtonBox:
    buttons = dialog_buttons(dialog, ok_text)
    return buttons


class NewMeldingDialog(QDialog):
    """Pupil, kind, begin and end: create_melding fills the rest from the school's and pupil's data."""

    def __init__(self, ctx: AppContext, today: dt.date, parent: QWidget | None = None,
                 pupil_id: int | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.today = today
        self.melding_id: int | None = None
        self.setWindowTitle("Nieuwe verzuimmelding")
        self.setMinimumWidth(600)
        self.pupil = PupilPicker(ctx, today)
        if pupil_id is not None:
            self.pupil.set_pupil(pupil_id)
        self.kind = QComboBox()
        kind_items(self.kind)
        self.begin = DateEdit(today - dt.timedelta(days=28))
        self.end = OptionalDateEdit(today)
        self.presumed_reason = QLineEdit()
        self.presumed_reason.setPlaceholderText("bijv. 'spijbelt om op een broertje te passen'")
        self.school_action = QLineEdit()
        self.school_action.setPlaceholderText("bijv. 'gesprek met moeder op 3 november, afspraken gemaakt'")
        self.error = error_label()
        hint = QLabel("De specificatie (per dag de lesuren met <b>ongeoorloofd</b> verzuim) en de gegevens van de "
                      "school en de ouders worden automatisch ingevuld; daarna kunt u alles nog aanvullen zolang de "
                      "melding een concept is. Ziekte komt nooit in een melding.")  # fmt: skip
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")
        form = QFormLayout()
        form.addRow("Leerling:", self.pupil)
        form.addRow("Soort melding:", self.kind)
        form.addRow("Begindatum:", self.begin)
        form.addRow("Einddatum:", self.end)
        form.addRow("Vermoedelijke reden:", self.presumed_reason)
        form.addRow("Actie van de school:", self.school_action)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.error)
        layout.addWidget(_buttons(self, "Melding opstellen"))

    def accept(self) -> None:
        pupil_id = self.pupil.pupil_id()
        if pupil_id is None:
            show_inline(self.error, "Kies een leerling.")
            return
        melding = self.ctx.run(
            {MELDINGEN}, create_melding, pupil_id, self.kind.currentData(), self.begin.date_value(),
            self.end.optional_value(), by=self.ctx.user, presumed_reason=self.presumed_reason.text(),
            school_action=self.school_action.text(), spec_until=self.today,
        )  # fmt: skip
        if melding is None:
            show_inline(self.error, "De melding is niet opgesteld; zie de melding hierboven.")
            return
        self.melding_id = melding.id
        super().accept()


class StatusDialog(QDialog):
    """A status change: only the statuses reachable from ``current`` (withdrawing has its own button)."""

    def __init__(self, current: str, has_duo_number: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Status van de melding wijzigen")
        self.setMinimumWidth(520)
        self.status = QComboBox()
        for status in allowed_statuses(current, has_duo_number):
            self.status.addItem(status, status)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #555;")
        self.reason = QComboBox()
        self.reason.addItem("(kies de reden)", "")
        for reason in CLOSING_REASONS:
            self.reason.addItem(reason, reason)
        self.reason_label = QLabel("Reden afsluiten:")
        self.note = QLineEdit()
        self.note.setPlaceholderText("optioneel, bijv. naam van de leerplichtambtenaar of datum van de brief")
        form = QFormLayout()
        form.addRow("Huidige status:", QLabel(f"<b>{current}</b>"))
        form.addRow("Nieuwe status:", self.status)
        form.addRow("", self.hint)
        form.addRow(self.reason_label, self.reason)
        form.addRow("Toelichting:", self.note)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(_buttons(self, "Status vastleggen"))
        self.status.currentIndexChanged.connect(self._status_changed)
        self._status_changed()

    def _status_changed(self, *_a: object) -> None:
        closing = self.status.currentData() == S.CLOSED.value
        self.reason.setVisible(closing)
        self.reason_label.setVisible(closing)
        self.hint.setText(STATUS_HINTS.get(self.status.currentData() or "", ""))

    def set_status(self, status: str, reason: str = "") -> bool:
        index = self.status.findData(status)
        if index < 0:
            return False
        self.status.setCurrentIndex(index)
        if reason:
            self.reason.setCurrentIndex(max(self.reason.findData(reason), 0))
        return True

    def value(self) -> tuple[str, str, str]:
        reason = self.reason.currentData() if self.status.currentData() == S.CLOSED.value else ""
        return self.status.currentData(), reason or "", self.note.text().strip()


def allowed_statuses(current: str, has_duo_number: bool) -> list[str]:
    """The statuses the Status wijzigen dialog offers: TRANSITIONS minus withdrawing (own button) and minus
    registering without a meldingsnummer (that goes through 'Meldingsnummer DUO vastleggen')."""
    order = [s.value for s in S]
    out = [s for s in order if s in TRANSITIONS.get(current, set()) and s != S.WITHDRAWN.value]
    if not has_duo_number:
        out = [s for s in out if s != S.REGISTERED.value]
    return out
