"""The leerplichtambtenaar's decision on a forwarded leave request (art. 14 lid 3 Lpw): granted or refused,
by whom, on which date, with the motivation. Granted days register the absence."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from verzuimdesk.model import dutch
from verzuimdesk.model.law.leave import kind_label, leave_school_days, record_lpa_decision
from verzuimdesk.model.school.names import display_name
from verzuimdesk.model.school.records import leerplicht_contact_for
from verzuimdesk.model.tables import Pupil
from verzuimdesk.model.tables.law import LeaveRequest, LeaveStatus
from verzuimdesk.ui.context import LEAVE, REGISTER, AppContext
from verzuimdesk.ui.forms import error_label, show_inline
from verzuimdesk.ui.leave.dialogs import follow_reloads
from verzuimdesk.ui.leave.widgets import dutch_days
from verzuimdesk.ui.widgets import DateEdit, dialog_buttons


class LpaDecisionDialog(QDialog):
    """Record what the leerplichtambtenaar decided; the head no longer decides a forwarded request."""

    def __init__(self, ctx: AppContext, request_id: int, today: dt.date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.request_id = request_id
        self.done_decision: str | None = None
        request, pupil, days, contact = ctx.read(self._load)
        self.version = request.version  # as the user sees it (issue 14)
        self.setWindowTitle(f"Besluit leerplichtambtenaar — {display_name(pupil)}")
        self.setMinimumWidth(680)
        intro = QLabel("Over verlof wegens gewichtige omstandigheden boven tien schooldagen per schooljaar beslist "
                       "de leerplichtambtenaar van de woongemeente, na de directeur gehoord te hebben (art. 14 lid 3 "
                       "Leerplichtwet). Leg hier het besluit vast zoals u het van de leerplichtambtenaar ontving. "
                       "Verleend verlof wordt in het register gezet en telt mee voor de tien dagen van latere "
                       "aanvragen.")  # fmt: skip
        intro.setWordWrap(True)
        intro.setStyleSheet("color: #555;")
        form = QFormLayout()
        form.addRow("Leerling:", QLabel(f"<b>{display_name(pupil)}</b> ({pupil.key})"))
        form.addRow("Soort verlof:", QLabel(kind_label(request.kind)))
        form.addRow("Periode:", QLabel(f"{dutch.date_long(request.date_from, weekday=True)} t/m "
                                       f"{dutch.date_long(request.date_to, weekday=True)} ({dutch_days(days)})"))
        forwarded = f"{dutch.date_long(request.decided_on)} door {request.decided_by}" if request.decided_on else "—"
        form.addRow("Doorgestuurd:", QLabel(forwarded))
        self.decision = QComboBox()
        self.decision.addItem("verleend (toegekend)", LeaveStatus.GRANTED.value)
        self.decision.addItem("geweigerd", LeaveStatus.REFUSED.value)
        self.lpa_name = QLineEdit(request.lpa_decided_by or contact)
        self.lpa_name.setPlaceholderText("naam van de leerplichtambtenaar")
        self.decided_on = DateEdit(request.lpa_decided_on or today)
        self.motivation = QPlainTextEdit(request.lpa_motivation)
        self.motivation.setPlaceholderText("Motivering van de leerplichtambtenaar (verplicht bij weigeren)")
        if request.lpa_decision:
            self.decision.setCurrentIndex(self.decision.findData(request.lpa_decision))
        form.addRow("Besluit:", self.decision)
        form.addRow("Genomen door:", self.lpa_name)
        form.addRow("Datum besluit:", self.decided_on)
        self.error = error_label()
        buttons = dialog_buttons(self, "Besluit vastleggen")
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(QLabel("Motivering:"))
        layout.addWidget(self.motivation, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.ctx.error.connect(self._show_error)
        self.finished.connect(lambda _r: self.ctx.error.disconnect(self._show_error))
        follow_reloads(self, ctx, self.reload)

    def reload(self) -> None:
        """Take the request's new version after a conflict (the user's input stays in the fields)."""
        self.version = self.ctx.read(self._load)[0].version
        show_inline(self.error, "Opnieuw geladen. Controleer het besluit en leg het zo nodig opnieuw vast.")

    def _show_error(self, message: str) -> None:
        show_inline(self.error, message)

    def _load(self, session):  # type: ignore[no-untyped-def]
        request = session.get(LeaveRequest, self.request_id)
        pupil = session.get(Pupil, request.pupil_id)
        days = len(leave_school_days(session, request))
        contact = leerplicht_contact_for(session, pupil.woongemeente) if pupil.woongemeente else None
        session.expunge(request)
        session.expunge(pupil)
        return request, pupil, days, contact.name if contact is not None and contact.name else ""

    def accept(self) -> None:
        decision = str(self.decision.currentData())
        done = self.ctx.run({LEAVE, REGISTER}, record_lpa_decision, self.request_id, decision,
                            lpa_name=self.lpa_name.text(), on=self.decided_on.date_value(), by=self.ctx.user,
                            motivation=self.motivation.toPlainText(), expected_version=self.version)  # fmt: skip
        if done is None:
            return
        self.done_decision = decision
        super().accept()
