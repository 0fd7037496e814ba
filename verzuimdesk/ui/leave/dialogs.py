"""The dialogs of the Verlof screen: a new request, checked against the Leerplichtwet while it is typed,
and the head's decision (Toekennen / Weigeren / Doorsturen)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from verzuimdesk.model import dutch
from verzuimdesk.model.law.leave import (
    KIND_LABELS,
    STATUS_LABELS,
    LeaveViolation,
    Severity,
    blocking,
    check_leave_request,
    decide_leave_request,
    kind_label,
    leave_school_days,
    submit_leave_request,
)
from verzuimdesk.model.school.names import display_name
from verzuimdesk.model.tables import Pupil
from verzuimdesk.model.tables.law import LeaveKind, LeaveRequest, LeaveStatus
from verzuimdesk.ui.context import LEAVE, REGISTER, AppContext
from verzuimdesk.ui.forms import TimeEdit, error_label, show_inline
from verzuimdesk.ui.leave.widgets import PupilPicker, dutch_days, violations_html
from verzuimdesk.ui.widgets import DateEdit

KIND_HINTS = {
    LeaveKind.HOLIDAY.value: "Alleen als het beroep van een ouder vakantie in de schoolvakanties onmogelijk maakt; "
                             "één keer per schooljaar, ten hoogste 10 schooldagen, niet in de eerste twee lesweken.",
    LeaveKind.IMPORTANT.value: "Bijvoorbeeld een huwelijk, begrafenis, ernstige ziekte in de familie of verhuizing. "
                               "Tot 10 schooldagen per schooljaar beslist de directeur, daarboven de "
                               "leerplichtambtenaar.",
    LeaveKind.RELIGIOUS.value: "Een melding van de ouders, uiterlijk twee dagen van tevoren; de directeur hoeft niet "
                               "te beslissen.",
}  # fmt: skip


def _buttons(ok_text: str) -> QDialogButtonBox:
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Annuleren")
    return buttons


def follow_reloads(dialog: QDialog, ctx: AppContext, reload: Callable[[], None]) -> None:
    """After a conflict's "Opnieuw laden" (issue 14), the open dialog takes the request's new version and state."""
    def on_reload(kinds: frozenset[str]) -> None:
        if LEAVE in kinds:
            reload()

    ctx.reloaded.connect(on_reload)
    dialog.finished.connect(lambda _r: ctx.reloaded.disconnect(on_reload))


def _inline_errors(dialog: QDialog, ctx: AppContext) -> None:
    """Repeat a refused operation's message in the dialog's red line while it is open."""
    def show(message: str) -> None:
        show_inline(dialog.error, message)  # type: ignore[attr-defined]

    ctx.error.connect(show)
    dialog.finished.connect(lambda _r: ctx.error.disconnect(show))


class LeaveRequestDialog(QDialog):
    """A new leave request. The check result below the form follows every change (no Lpw knowledge needed)."""

    def __init__(self, ctx: AppContext, today: dt.date, parent: QWidget | None = None,
                 pupil_id: int | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.today = today
        self.request_id: int | None = None
        self.violations: list[LeaveViolation] = []
        self.setWindowTitle("Nieuwe verlofaanvraag")
        self.setMinimumWidth(640)
        self.pupil = PupilPicker(ctx, today)
        if pupil_id is not None:
            self.pupil.set_pupil(pupil_id)
        self.kind = QComboBox()
        for value, label in KIND_LABELS.items():
            self.kind.addItem(label[0].upper() + label[1:], value)
        self.kind_hint = QLabel()
        self.kind_hint.setWordWrap(True)
        self.kind_hint.setStyleSheet("color: #555;")
        self.date_from, self.date_to = DateEdit(today), DateEdit(today)
        dates = QHBoxLayout()
        dates.addWidget(self.date_from)
        dates.addWidget(QLabel("t/m"))
        dates.addWidget(self.date_to)
        dates.addStretch(1)
        self.part_of_day = QCheckBox("alleen een deel van de dag, van")
        self.start_time, self.end_time = TimeEdit(510), TimeEdit(720)
        times = QHBoxLayout()
        times.addWidget(self.part_of_day)
        times.addWidget(self.start_time)
        times.addWidget(QLabel("tot"))
        times.addWidget(self.end_time)
        times.addStretch(1)
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText("De reden die de ouders opgeven, bijv. 'huwelijk van een oom in Turkije'")
        self.reason.setFixedHeight(60)
        self.requested_by = QLineEdit()
        self.requested_by.setPlaceholderText("bijv. 'moeder, A. Jansen'")
        self.received_on = DateEdit(today)
        self.attachments = QLineEdit()
        self.attachments.setPlaceholderText("bijv. 'werkgeversverklaring', 'trouwkaart'")
        self.days_label = QLabel()
        self.check_label = QLabel()
        self.check_label.setWordWrap(True)
        self.check_label.setMinimumHeight(60)
        check_box = QGroupBox("Toets aan de Leerplichtwet")
        box_layout = QVBoxLayout(check_box)
        box_layout.addWidget(self.days_label)
        box_layout.addWidget(self.check_label)
        self.error = error_label()
        buttons = _buttons("Aanvraag vastleggen")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        form = QFormLayout()
        form.addRow("Leerling:", self.pupil)
        kind_box = QVBoxLayout()
        kind_box.setSpacing(2)
        kind_box.addWidget(self.kind)
        kind_box.addWidget(self.kind_hint)
        form.addRow("Soort verlof:", kind_box)
        form.addRow("Periode:", dates)
        form.addRow("", times)
        form.addRow("Reden:", self.reason)
        form.addRow("Aangevraagd door:", self.requested_by)
        form.addRow("Ontvangen op:", self.received_on)
        form.addRow("Bijlagen:", self.attachments)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(check_box, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        for signal in (self.pupil.pupil_changed, self.kind.currentIndexChanged, self.date_from.dateChanged,
                       self.date_to.dateChanged, self.part_of_day.toggled, self.start_time.timeChanged,
                       self.end_time.timeChanged, self.received_on.dateChanged, self.attachments.textChanged):
            signal.connect(self.update_check)  # fmt: skip
        self.date_from.dateChanged.connect(self._keep_range)
        self.part_of_day.toggled.connect(self._times_enabled)
        self._times_enabled(False)
        self.update_check()
        _inline_errors(self, ctx)

    def _keep_range(self) -> None:
        if self.date_to.date() < self.date_from.date():
            self.date_to.setDate(self.date_from.date())

    def _times_enabled(self, on: bool) -> None:
        self.start_time.setEnabled(on)
        self.end_time.setEnabled(on)

    def draft(self) -> LeaveRequest | None:
        pupil_id = self.pupil.pupil_id()
        if pupil_id is None:
            return None
        part = self.part_of_day.isChecked()
        return LeaveRequest(
            pupil_id=pupil_id, kind=self.kind.currentData(), date_from=self.date_from.date_value(),
            date_to=self.date_to.date_value(), start_minute=self.start_time.minutes() if part else None,
            end_minute=self.end_time.minutes() if part else None, received_on=self.received_on.date_value(),
            attachments=self.attachments.text().strip(), reason_text=self.reason.toPlainText().strip(),
            requested_by=self.requested_by.text().strip(), created_at=dt.datetime.now(),
        )  # fmt: skip

    def update_check(self, *_args: object) -> None:
        self.kind_hint.setText(KIND_HINTS.get(self.kind.currentData(), ""))
        request = self.draft()
        if request is None:
            self.violations = []
            self.days_label.setText("")
            self.check_label.setText("<span style='color:#666'>Kies eerst een leerling; dan toetst het programma "
                                     "de aanvraag direct aan de Leerplichtwet.</span>")  # fmt: skip
            return
        days = self.ctx.read(lambda s: len(leave_school_days(s, request)))
        self.violations = self.ctx.read(check_leave_request, request)
        self.days_label.setText(f"De aanvraag omvat <b>{dutch_days(days)}</b> met lessen op het rooster van de "
                                "leerling.")  # fmt: skip
        self.check_label.setText(violations_html(self.violations, ok_text="Geen bezwaren gevonden: de directeur "
                                                 "kan dit verlof toekennen."))  # fmt: skip

    def accept(self) -> None:
        request = self.draft()
        if request is None:
            show_inline(self.error, "Kies een leerling.")
            return
        created = self.ctx.run(
            {LEAVE}, submit_leave_request, request.pupil_id, request.kind, request.date_from, request.date_to,
            received_on=request.received_on, by=self.ctx.user, requested_by=request.requested_by,
            reason_text=request.reason_text, attachments=request.attachments, start_minute=request.start_minute,
            end_minute=request.end_minute,
        )  # fmt: skip
        if created is None:
            return
        self.request_id = created.id
        super().accept()


class LeaveDecisionDialog(QDialog):
    """The head's decision with motivation. Toekennen is disabled (with the reason) when the law forbids it."""

    def __init__(self, ctx: AppContext, request_id: int, today: dt.date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.request_id = request_id
        self.decision: str | None = None
        request, pupil, days, violations = ctx.read(self._load)
        self.violations = violations
        self.version = request.version  # as the user sees it; a decision taken meanwhile elsewhere is a conflict
        self.setWindowTitle(f"Besluit op verlofaanvraag van {display_name(pupil)}")
        self.setMinimumWidth(620)
        period = f"{dutch.date_long(request.date_from, weekday=True)} t/m {dutch.date_long(request.date_to, weekday=True)}"
        if request.start_minute is not None and request.end_minute is not None:
            period += f", {dutch.clock(request.start_minute)}–{dutch.clock(request.end_minute)}"
        form = QFormLayout()
        form.addRow("Leerling:", QLabel(f"<b>{display_name(pupil)}</b> ({pupil.key})"))
        form.addRow("Soort verlof:", QLabel(kind_label(request.kind)))
        form.addRow("Periode:", QLabel(f"{period} ({dutch_days(days)})"))
        for label, value in (("Reden:", request.reason_text), ("Aangevraagd door:", request.requested_by),
                             ("Bijlagen:", request.attachments or "geen")):
            if value:
                text = QLabel(value)
                text.setWordWrap(True)
                form.addRow(label, text)  # fmt: skip
        form.addRow("Ontvangen op:", QLabel(dutch.date_long(request.received_on)))
        self.decided_on = DateEdit(today)
        form.addRow("Datum besluit:", self.decided_on)
        self.check_label = QLabel(violations_html(violations, ok_text="Geen bezwaren gevonden: toekennen mag."))
        self.check_label.setWordWrap(True)
        self.motivation = QPlainTextEdit()
        self.motivation.setPlaceholderText("Motivering (komt in de brief aan de ouders; verplicht bij weigeren)")
        blocked = blocking(violations)
        if blocked:
            self.motivation.setPlainText("\n".join(v.message for v in blocked))
        self.grant_button = QPushButton("Toekennen")
        self.refuse_button = QPushButton("Weigeren")
        self.forward_button = QPushButton("Doorsturen naar leerplichtambtenaar")
        cancel = QPushButton("Annuleren")
        self.grant_button.setEnabled(not blocked)
        self.explanation = QLabel()
        self.explanation.setWordWrap(True)
        self.explanation.setStyleSheet("color: #B00020;")
        forward = any(v.severity == Severity.FORWARD.value for v in violations)
        if blocked:
            self.explanation.setText("Toekennen kan niet: de directeur mag dit verlof volgens de Leerplichtwet niet "
                                     "verlenen (zie hierboven)." + (" Stuur de aanvraag door naar de "
                                     "leerplichtambtenaar." if forward else " Weiger de aanvraag."))  # fmt: skip
            self.grant_button.setToolTip(self.explanation.text())
        self.explanation.setVisible(bool(blocked))
        self.forward_button.setEnabled(forward)
        if not forward:
            self.forward_button.setToolTip("Doorsturen kan alleen bij gewichtige omstandigheden boven 10 schooldagen "
                                           "per schooljaar (art. 14 lid 3 Leerplichtwet).")  # fmt: skip
        if request.kind == LeaveKind.RELIGIOUS.value:  # art. 13 Lpw: a notice, confirmed or late; never refused
            late = any(v.code == "te_laat_gemeld" for v in violations)
            self.grant_button.setText("Melding bevestigen")
            self.refuse_button.setText("Vastleggen: te laat gemeld")
            self.refuse_button.setEnabled(late)
            if not late:
                self.refuse_button.setToolTip("Een tijdige melding geeft vrijstelling van rechtswege (art. 13 "
                                              "Leerplichtwet); de directeur kan haar niet weigeren.")  # fmt: skip
            self.forward_button.setVisible(False)
            self.explanation.setText("De melding kwam te laat (zie hierboven): leg dat vast." if late else "")
            self.motivation.setPlaceholderText("Toelichting (komt in de brief aan de ouders)")
        self.grant_button.clicked.connect(lambda: self.choose(LeaveStatus.GRANTED.value))
        self.refuse_button.clicked.connect(lambda: self.choose(LeaveStatus.REFUSED.value))
        self.forward_button.clicked.connect(lambda: self.choose(LeaveStatus.FORWARDED.value))
        cancel.clicked.connect(self.reject)
        row = QHBoxLayout()
        for button in (self.grant_button, self.refuse_button, self.forward_button):
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(cancel)
        self.error = error_label()
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.check_label)
        layout.addWidget(QLabel("Motivering:"))
        layout.addWidget(self.motivation, 1)
        layout.addWidget(self.explanation)
        layout.addWidget(self.error)
        layout.addLayout(row)
        _inline_errors(self, ctx)
        follow_reloads(self, ctx, self.reload)

    def reload(self) -> None:
        """Take the request as it is now stored (after a conflict): its version, and say its new state."""
        request, _pupil, _days, self.violations = self.ctx.read(self._load)
        self.version = request.version
        show_inline(self.error, "Opnieuw geladen: de aanvraag heeft nu de status ‘"
                    f"{STATUS_LABELS.get(request.status, request.status)}’. Kies opnieuw of sluit dit venster.")

    def _load(self, session):  # type: ignore[no-untyped-def]
        request = session.get(LeaveRequest, self.request_id)
        pupil = session.get(Pupil, request.pupil_id)
        days = len(leave_school_days(session, request))
        violations = check_leave_request(session, request)
        session.expunge(request)
        session.expunge(pupil)
        return request, pupil, days, violations

    def choose(self, decision: str) -> bool:
        """Record ``decision`` (toegekend, geweigerd, doorgestuurd); True and the dialog closes on success."""
        done = self.ctx.run({LEAVE, REGISTER}, decide_leave_request, self.request_id, decision, by=self.ctx.user,
                            motivation=self.motivation.toPlainText(), on=self.decided_on.date_value(),
                            expected_version=self.version)  # fmt: skip
        if done is None:
            return False
        self.decision = decision
        self.accept()
        return True
