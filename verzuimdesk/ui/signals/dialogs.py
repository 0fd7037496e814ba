"""The dialogs of the Signalen screen: a melding (or signaal zorgelijk verzuim) drafted from a signal, a
conversation planned, a signal dismissed with a reason. Each records what the school did with the signal
(``handle_signal``) in the same transaction as what it made, so a melding never exists without the signal
being marked handled, or the other way round."""

from __future__ import annotations

import datetime as dt
import html

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)
from sqlmodel import Session

from verzuimdesk.model import dutch
from verzuimdesk.model.law.meldingen import KIND_LABELS, create_melding
from verzuimdesk.model.law.signals import handle_signal
from verzuimdesk.model.law.signals.inbox import Signal
from verzuimdesk.model.law.signals.views import MELDING_KINDS
from verzuimdesk.ui.context import DOSSIER, MELDINGEN, SIGNALS, AppContext
from verzuimdesk.ui.forms import OptionalDateEdit, error_label, show_inline
from verzuimdesk.ui.widgets import DateEdit, dialog_buttons

HANDLED = {SIGNALS, MELDINGEN, DOSSIER}
SIGNAAL_NOTE = ("Een signaal zorgelijk verzuim (soort O, overig verzuim) is vrijwillig: de school mag het alleen "
                "geven in de situaties die het verzuimbeleid in de schoolgids beschrijft.")  # fmt: skip


def _buttons(dialog: QDialog, ok_text: str) -> QDialogButtonBox:
    buttons = dialog_buttons(dialog, ok_text)
    return buttons


def _signal_heading(signal: Signal, label: str) -> QLabel:
    e = html.escape
    span = dutch.date_long(signal.begin) if signal.begin == signal.end else \
        f"{dutch.date_long(signal.begin)} t/m {dutch.date_long(signal.end)}"
    hours = f" · {dutch.hours(signal.minutes, trim=False)} uur ongeoorloofd" if signal.minutes else ""
    heading = QLabel(f"<b>{e(signal.pupil_name)}</b> ({e(signal.pupil_key)})<br>{e(label)}: {e(span)}{hours}")
    heading.setWordWrap(True)
    return heading


def _hint(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet("color: #555;")
    return label


def melding_from_signal(
    session: Session, signal: Signal, kind: str, begin: dt.date, end: dt.date | None, *, by: str, action: str,
    presumed_reason: str = "", school_action: str = "", spec_until: dt.date | None = None,
) -> int:
    """Create the melding and record the signal as handled by it, in one transaction; the melding's id."""
    melding = create_melding(session, signal.pupil_id, kind, begin, end, by=by, presumed_reason=presumed_reason,
                             school_action=school_action, spec_until=spec_until)  # fmt: skip
    assert melding.id is not None
    handle_signal(session, signal, action, presumed_reason if action == "signaal" else "", by=by,
                  melding_id=melding.id)  # fmt: skip
    return melding.id


class SignalMeldingDialog(QDialog):
    """A melding drafted from a signal: kind, begin and end from the signal, presumed reason and the school's
    action typed in. ``zorgelijk=True`` drafts a signaal zorgelijk verzuim (kind O) instead."""

    def __init__(self, ctx: AppContext, signal: Signal, label: str, today: dt.date, parent: QWidget | None = None,
                 *, zorgelijk: bool = False) -> None:  # fmt: skip
        super().__init__(parent)
        self.ctx, self.signal, self.today, self.zorgelijk = ctx, signal, today, zorgelijk
        self.melding_id: int | None = None
        self.setWindowTitle("Signaal zorgelijk verzuim opstellen" if zorgelijk else "Verzuimmelding opstellen")
        self.setMinimumWidth(620)
        self.kind = QComboBox()
        if zorgelijk:
            self.kind.addItem(f"O – {KIND_LABELS['O']}", "O")
        else:
            for code in ("V3", "V4", "LRV", "L", "RMC"):
                self.kind.addItem(f"{code} – {KIND_LABELS[code]}", code)
            self.kind.setCurrentIndex(max(self.kind.findData(MELDING_KINDS.get(signal.kind, "V3")), 0))
        self.begin = DateEdit(signal.begin)
        # LRV/RMC: the einddatum stays open while the pupil is away (Besluit Verzuimmelding: "indien bekend").
        self.end = OptionalDateEdit(signal.until if signal.kind in ("LRV", "RMC") else signal.end)
        self.presumed_reason = QLineEdit()
        self.presumed_reason.setPlaceholderText("bijv. 'spijbelt om op een broertje te passen'")
        self.school_action = QLineEdit()
        self.school_action.setPlaceholderText("bijv. 'gesprek met moeder op 3 november, afspraken gemaakt'")
        self.error = error_label()
        form = QFormLayout()
        form.addRow("Soort melding:", self.kind)
        form.addRow("Begindatum:", self.begin)
        form.addRow("Einddatum:", self.end)
        form.addRow("Vermoedelijke reden:", self.presumed_reason)
        form.addRow("Actie van de school:", self.school_action)
        layout = QVBoxLayout(self)
        layout.addWidget(_signal_heading(signal, label))
        layout.addLayout(form)
        if zorgelijk:
            note = _hint(SIGNAAL_NOTE)
            note.setStyleSheet("color: #8A5A00;")
            layout.addWidget(note)
        layout.addWidget(_hint("De specificatie (per dag de lesuren met ongeoorloofd verzuim) en de gegevens van "
                               "de school en de ouders worden automatisch ingevuld; de melding blijft een concept "
                               "tot u het meldingsnummer van DUO vastlegt (scherm Meldingen). Ziekte komt nooit in "
                               "een melding."))  # fmt: skip
        layout.addWidget(self.error)
        layout.addWidget(_buttons(self, "Signaal opstellen" if zorgelijk else "Melding opstellen"))

    def accept(self) -> None:
        show_inline(self.error, "")
        if self.zorgelijk and not self.presumed_reason.text().strip():
            show_inline(self.error, "Geef de vermoedelijke reden op: bij een signaal zorgelijk verzuim moet blijken "
                                    "welke situatie uit de schoolgids zich voordoet.")  # fmt: skip
            return
        melding_id = self.ctx.run(
            HANDLED, melding_from_signal, self.signal, self.kind.currentData(), self.begin.date_value(),
            self.end.optional_value(), by=self.ctx.user, action="signaal" if self.zorgelijk else "melding",
            presumed_reason=self.presumed_reason.text(), school_action=self.school_action.text(),
            spec_until=self.today,
        )  # fmt: skip
        if melding_id is None:
            show_inline(self.error, "Niet opgesteld; zie de melding.")
            return
        self.melding_id = melding_id
        super().accept()


class PlanConversationDialog(QDialog):
    """Plan a conversation about the signal (a planned contact in the pupil's dossier)."""

    def __init__(self, ctx: AppContext, signal: Signal, label: str, today: dt.date,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.ctx, self.signal = ctx, signal
        self.done_ok = False
        self.setWindowTitle("Gesprek plannen")
        self.setMinimumWidth(520)
        self.date = DateEdit(today)
        self.with_whom = QComboBox()
        self.with_whom.setEditable(True)
        for who in ("ouders/verzorgers", "leerling en ouders/verzorgers", "leerling", "intern begeleider",
                    "jeugdarts", "leerplichtambtenaar"):
            self.with_whom.addItem(who)
        if signal.kind == "zorg":
            self.with_whom.setCurrentText("ouders/verzorgers en jeugdarts")
        self.note = QLineEdit()
        self.note.setPlaceholderText("waarover, wie er verder bij is (optioneel)")
        self.error = error_label()
        form = QFormLayout()
        form.addRow("Datum:", self.date)
        form.addRow("Met wie:", self.with_whom)
        form.addRow("Toelichting:", self.note)
        layout = QVBoxLayout(self)
        layout.addWidget(_signal_heading(signal, label))
        layout.addLayout(form)
        layout.addWidget(_hint("Het gesprek komt als gepland contact in het dossier van de leerling; het signaal "
                               "verdwijnt uit de lijst tot er nieuw verzuim bij komt."))  # fmt: skip
        layout.addWidget(self.error)
        layout.addWidget(_buttons(self, "Gesprek plannen"))

    def accept(self) -> None:
        who = self.with_whom.currentText().strip()
        if not who:
            show_inline(self.error, "Vul in met wie het gesprek is.")
            return
        row = self.ctx.run(HANDLED, handle_signal, self.signal, "gesprek", self.note.text(), by=self.ctx.user,
                           planned_on=self.date.date_value(), with_whom=who)  # fmt: skip
        if row is None:
            show_inline(self.error, "Niet gepland; zie de melding.")
            return
        self.done_ok = True
        super().accept()


class DismissDialog(QDialog):
    """Dismiss a signal: the reason is required and kept (the signal returns only with new absence)."""

    def __init__(self, ctx: AppContext, signal: Signal, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.signal = ctx, signal
        self.done_ok = False
        self.setWindowTitle("Signaal afwijzen")
        self.setMinimumWidth(520)
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText("bijv. 'verzuim was achteraf geoorloofd: ouders hebben een verklaring "
                                       "gegeven, register aangepast'")  # fmt: skip
        self.reason.setFixedHeight(90)
        self.error = error_label()
        layout = QVBoxLayout(self)
        layout.addWidget(_signal_heading(signal, label))
        if signal.mandatory:
            warn = _hint("Let op: dit is een verplichte melding (art. 21a Leerplichtwet). Wijs het signaal alleen "
                         "af als het verzuim niet (meer) ongeoorloofd is of al gemeld is.")  # fmt: skip
            warn.setStyleSheet("color: #B00020;")
            layout.addWidget(warn)
        layout.addWidget(QLabel("Reden van afwijzen (wordt bewaard):"))
        layout.addWidget(self.reason)
        layout.addWidget(self.error)
        layout.addWidget(_buttons(self, "Afwijzen"))

    def accept(self) -> None:
        reason = self.reason.toPlainText().strip()
        if not reason:
            show_inline(self.error, "Geef een reden op waarom dit signaal wordt afgewezen; die reden wordt bewaard.")
            return
        row = self.ctx.run(HANDLED, handle_signal, self.signal, "afgewezen", reason, by=self.ctx.user)
        if row is None:
            show_inline(self.error, "Niet afgewezen; zie de melding.")
            return
        self.done_ok = True
        super().accept()

