"""Verlof: the leave requests of a school year, new requests checked live against the Leerplichtwet
(art. 11, 13, 13a, 14), the head's decision, the decision letter for the parents, and per pupil the
leave used this school year (domain.md §6)."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSettings, QSortFilterProxyModel, Qt, QUrl
from PySide6.QtGui import QColor, QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from verzuimdesk.model import dutch
from verzuimdesk.model.errors import VerzuimdeskError
from verzuimdesk.model.law.leave import (
    STATUS_LABELS,
    art11a_findings,
    kind_label,
    leave_summary,
    withdraw_leave_request,
)
from verzuimdesk.model.law.views import LeaveRow, leave_rows
from verzuimdesk.model.school.calendar import school_year_bounds, school_year_name_for
from verzuimdesk.model.school.names import name_matches
from verzuimdesk.model.school.records import school_years
from verzuimdesk.model.tables.law import LeaveKind, LeaveStatus
from verzuimdesk.reports.letters.leave import leave_letter_pdf
from verzuimdesk.ui.context import PUPILS, REGISTER, AppContext
from verzuimdesk.ui.forms import ask_text, confirm, fit_columns, selected_row, table_view
from verzuimdesk.ui.leave.dialogs import LEAVE, LeaveDecisionDialog, LeaveRequestDialog
from verzuimdesk.ui.leave.lpa import LpaDecisionDialog
from verzuimdesk.ui.leave.widgets import dutch_days
from verzuimdesk.ui.widgets import Column, RowsModel, restore_layout, save_layout

DECIDED = {LeaveStatus.GRANTED.value, LeaveStatus.REFUSED.value, LeaveStatus.FORWARDED.value}
STATUS_COLORS = {LeaveStatus.RECEIVED.value: "#FFF4D6", LeaveStatus.GRANTED.value: "#E3F2E1",
                 LeaveStatus.REFUSED.value: "#FBE3E4", LeaveStatus.FORWARDED.value: "#E1ECF8"}  # fmt: skip


SHORT_KINDS = {LeaveKind.HOLIDAY.value: "vakantieverlof", LeaveKind.IMPORTANT.value: "gewichtige omstandigheden",
               LeaveKind.RELIGIOUS.value: "religieuze verplichting"}  # fmt: skip
SHORT_STATUS = {LeaveStatus.FORWARDED.value: "doorgestuurd naar LPA"}


def _period(r: LeaveRow) -> str:
    q = r.request
    if q.date_from == q.date_to:
        return dutch.date_short(q.date_from)
    return f"{dutch.date_short(q.date_from)} t/m {dutch.date_short(q.date_to)}"


def _status_color(r: LeaveRow) -> QColor | None:
    color = STATUS_COLORS.get(r.request.status)
    return QColor(color) if color else None


def _decided_on(r: LeaveRow) -> dt.date | None:
    """The date of the decision: the leerplichtambtenaar's for a forwarded request he decided."""
    return r.request.lpa_decided_on if r.request.lpa_decision else r.request.decided_on


COLUMNS: list[Column[LeaveRow]] = [
    Column("Leerling", lambda r: r.pupil_name, sort_key=lambda r: r.pupil_name.lower()),
    Column("Groep", lambda r: r.group),
    Column("Soort", lambda r: SHORT_KINDS.get(r.request.kind, r.kind_text), tooltip=lambda r: r.kind_text),
    Column("Periode", _period, sort_key=lambda r: r.request.date_from.isoformat()),
    Column("Schooldagen", lambda r: r.school_days, align_right=True),
    Column("Ontvangen", lambda r: r.request.received_on, sort_key=lambda r: r.request.received_on.isoformat()),
    Column("Status", lambda r: f"{STATUS_LABELS[r.request.status]} (LPA)" if r.request.lpa_decision else
           SHORT_STATUS.get(r.request.status, r.status_text), background=_status_color,
           tooltip=lambda r: r.status_text),
    Column("Besloten door", lambda r: r.request.lpa_decided_by if r.request.lpa_decision else r.request.decided_by,
           tooltip=lambda r: f"doorgestuurd door {r.request.decided_by}" if r.request.lpa_decision else ""),
    Column("Besloten op", _decided_on, sort_key=lambda r: d.isoformat() if (d := _decided_on(r)) else ""),
]


class LeaveFilter(QSortFilterProxyModel):
    def __init__(self) -> None:
        super().__init__()
        self.text = ""

    def set_text(self, text: str) -> None:
        self.beginFilterChange()
        self.text = text.strip().lower()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        model = self.sourceModel()
        assert isinstance(model, RowsModel)
        row: LeaveRow = model.row_at(source_row)
        return name_matches(self.text, row.pupil_name, row.group)


class LeavePage(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.today: Callable[[], dt.date] = dt.date.today
        # The folder of the last decision letter, kept in the window's settings (restore_state); a screen
        # on its own (tests) keeps it only while it lives and writes no settings file.
        self._settings: QSettings | None = None
        self._letter_folder = ""
        self.model: RowsModel[LeaveRow] = RowsModel(COLUMNS)
        self.view, _plain = table_view(self.model)
        self.proxy = LeaveFilter()
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(RowsModel.SORT_ROLE)
        self.view.setModel(self.proxy)
        fit_columns(self.view, [140, 65, 185, 185, 85, 85, 150, 150, 85])
        self.view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)  # name takes the rest

        self.year = QComboBox()
        self.status = QComboBox()
        self.status.addItem("alle statussen", None)
        for value, label in STATUS_LABELS.items():
            self.status.addItem(label, value)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Zoek op leerling of groep…")
        self.search.setClearButtonEnabled(True)
        self.new_button = QPushButton("&Nieuwe aanvraag…")
        self.decide_button = QPushButton("&Besluiten…")
        self.lpa_button = QPushButton("Besluit &LPA…")
        self.lpa_button.setToolTip("Leg vast wat de leerplichtambtenaar (LPA) besliste over een doorgestuurde "
                                   "aanvraag (art. 14 lid 3 Leerplichtwet).")
        self.letter_button = QPushButton("Besluitbrie&f…")
        self.letter_button.setToolTip("De brief aan de ouders (PDF) opslaan en openen.")
        self.withdraw_button = QPushButton("&Intrekken…")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.count_label = QLabel()

        bar = QHBoxLayout()
        bar.addWidget(QLabel("Schooljaar:"))
        bar.addWidget(self.year)
        bar.addWidget(QLabel("Status:"))
        bar.addWidget(self.status)
        bar.addWidget(self.search, 1)
        buttons = QHBoxLayout()
        for b in (self.new_button, self.decide_button, self.lpa_button, self.letter_button, self.withdraw_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(8, 0, 0, 0)
        scroll = QScrollArea()  # the pupil's leave, the decisions and art. 11a findings can be longer than 720 px allow
        scroll.setWidget(self.summary)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        side_layout.addWidget(scroll, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.view)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([380, 200])  # room for the summary at 1280×720
        self.splitter = splitter
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<h2>Verlof</h2>"))
        layout.addLayout(bar)
        layout.addLayout(buttons)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.count_label)

        self.search.textChanged.connect(self._filter_changed)
        self.year.currentIndexChanged.connect(lambda _i: self.refresh())
        self.status.currentIndexChanged.connect(lambda _i: self.refresh())
        self.new_button.clicked.connect(self.new_request)
        self.decide_button.clicked.connect(self.decide_selected)
        self.lpa_button.clicked.connect(self.record_lpa_selected)
        self.letter_button.clicked.connect(lambda: self.save_letter())
        self.withdraw_button.clicked.connect(self.withdraw_selected)
        self.view.doubleClicked.connect(lambda _i: self.decide_selected())
        self.view.selectionModel().selectionChanged.connect(lambda *_a: self._selection_changed())
        ctx.changed.connect(self._on_changed)
        self.reload_years()

    # ------------------------------------------------------------------------------------ data
    def reload_years(self) -> None:
        names = [y.name for y in self.ctx.read(school_years)]
        current = self.year.currentData() or school_year_name_for(self.today())
        self.year.blockSignals(True)
        self.year.clear()
        self.year.addItem("alle schooljaren", None)
        for name in sorted(names, reverse=True):
            self.year.addItem(name, name)
        index = self.year.findData(current)
        self.year.setCurrentIndex(max(index, 0))
        self.year.blockSignals(False)
        self.refresh()

    def _on_changed(self, kinds: frozenset[str]) -> None:
        if kinds & {LEAVE, PUPILS, REGISTER}:
            self.refresh()

    def refresh(self) -> None:
        current = self.selected()
        rows = self.ctx.read(leave_rows, school_year=self.year.currentData(), status=self.status.currentData())
        self.model.set_rows(rows)
        if current is not None:
            self.select_request(current.id)
        self._update_count()
        self._selection_changed()

    def select_request(self, request_id: int) -> bool:
        for row in range(self.proxy.rowCount()):
            source = self.proxy.mapToSource(self.proxy.index(row, 0))
            if self.model.row_at(source.row()).id == request_id:
                self.view.selectRow(row)
                return True
        return False

    def selected(self) -> LeaveRow | None:
        return selected_row(self.view, self.proxy)

    def _filter_changed(self, text: str) -> None:
        self.proxy.set_text(text)
        self._update_count()

    def _update_count(self) -> None:
        open_ = sum(1 for r in self.model.rows if r.request.status == LeaveStatus.RECEIVED.value)
        text = f"{self.proxy.rowCount()} van {dutch.plural(self.model.rowCount(), 'aanvraag', 'aanvragen')} getoond"
        self.count_label.setText(text + (f" · {open_} wachten op een besluit" if open_ else ""))

    def _selection_changed(self) -> None:
        row = self.selected()
        status = row.request.status if row else None
        self.decide_button.setEnabled(status == LeaveStatus.RECEIVED.value)
        self.lpa_button.setEnabled(row is not None and (status == LeaveStatus.FORWARDED.value
                                                        or bool(row.request.lpa_decision)))
        self.letter_button.setEnabled(status in DECIDED)
        self.withdraw_button.setEnabled(row is not None and status != LeaveStatus.WITHDRAWN.value)
        self.summary.setText(self.summary_html(row) if row else
                             "<span style='color:#666'>Kies een aanvraag om het verlof van de leerling in dit "
                             "schooljaar te zien.</span>")  # fmt: skip

    def summary_html(self, row: LeaveRow) -> str:
        """The pupil's leave in the school year of the selected request (leave_summary)."""
        year = school_year_name_for(row.request.date_from)
        try:
            summary = self.ctx.read(leave_summary, row.request.pupil_id, year)
        except VerzuimdeskError:  # a request outside the school years of this database
            return ""
        lines = []
        for kind, s in summary.items():
            if not (s.granted_requests or s.refused_requests or s.forwarded_requests or s.pending_requests):
                continue
            parts = []
            if s.granted_requests:
                parts.append(f"{s.granted_requests}× toegekend, samen {dutch_days(s.granted_days)}")
            for n, label in ((s.refused_requests, "geweigerd"), (s.forwarded_requests, "doorgestuurd"),
                             (s.pending_requests, "nog te beslissen")):
                if n:
                    parts.append(f"{n}× {label}")  # fmt: skip
            lines.append(f"<li><b>{kind_label(kind).capitalize()}</b>: {', '.join(parts)}</li>")
        body = "".join(lines) or "<li>geen</li>"
        q = row.request
        e = html.escape
        detail = f"<p><b>Reden:</b> {e(q.reason_text) or '—'} &nbsp; <b>Bijlagen:</b> {e(q.attachments) or 'geen'}"
        detail += f" &nbsp; <b>Aangevraagd door:</b> {e(q.requested_by)}" if q.requested_by else ""
        if q.lpa_decision:
            when = dutch.date_long(q.lpa_decided_on) if q.lpa_decided_on else "?"
            detail += (f"<br><b>Besluit leerplichtambtenaar:</b> {e(STATUS_LABELS[q.lpa_decision])} door "
                       f"{e(q.lpa_decided_by)} op {when}" + (f" — {e(q.lpa_motivation)}" if q.lpa_motivation else ""))
        detail += f"<br><b>Motivering:</b> {e(q.motivation)}" if q.motivation else ""
        if q.status == LeaveStatus.FORWARDED.value:
            detail += ("<br><b>Doorgestuurd</b> op " + (dutch.date_long(q.decided_on) if q.decided_on else "?") +
                       ": wacht op het besluit van de leerplichtambtenaar (knop 'Besluit leerplichtambtenaar').")
        findings = self.ctx.read(art11a_findings, q.pupil_id, *school_year_bounds(year))
        if findings:
            items = "".join(f"<li>{e(f.message)}</li>" for f in findings[:5])
            more = f"<li>en nog {len(findings) - 5} …</li>" if len(findings) > 5 else ""
            detail += (f"<div style='color:#A15C00'><b>Thuisblijven vijfjarige (art. 11a):</b><ul "
                       f"style='margin-top:2px'>{items}{more}</ul></div>")
        return (f"<b>Verlof van {row.pupil_name} in schooljaar {year}</b> (vakantieverlof: één keer per schooljaar, "
                f"ten hoogste 10 schooldagen; gewichtige omstandigheden: boven 10 schooldagen beslist de "
                f"leerplichtambtenaar)<ul style='margin-top:2px'>{body}</ul>{detail}</p>")  # fmt: skip

    # ------------------------------------------------------------------------------------ actions
    def new_request(self) -> None:
        dialog = LeaveRequestDialog(self.ctx, self.today(), self)
        if self.open_dialog(dialog) and dialog.request_id is not None:
            self.status.setCurrentIndex(0)
            self.select_request(dialog.request_id)

    def decide_selected(self) -> None:
        row = self.selected()
        if row is None or row.request.status != LeaveStatus.RECEIVED.value:
            return
        dialog = LeaveDecisionDialog(self.ctx, row.id, self.today(), self)
        if self.open_dialog(dialog) and dialog.decision is not None:
            self.select_request(row.id)
            if self.confirm("Besluitbrief", "Het besluit is vastgelegd. Wilt u nu de besluitbrief voor de ouders "
                                            "opslaan en openen?"):  # fmt: skip
                self.save_letter(row.id)

    def record_lpa_selected(self) -> None:
        row = self.selected()
        if row is None or not (row.request.status == LeaveStatus.FORWARDED.value or row.request.lpa_decision):
            return
        dialog = LpaDecisionDialog(self.ctx, row.id, self.today(), self)
        if self.open_dialog(dialog) and dialog.done_decision is not None:
            self.select_request(row.id)

    def save_letter(self, request_id: int | None = None) -> Path | None:
        """Write the decision letter (PDF) where the user chooses, then open it."""
        row = self.selected()
        if request_id is None:
            if row is None:
                return None
            request_id = row.id
        data = self.ctx.run(set(), leave_letter_pdf, request_id)
        if data is None:
            return None
        name = next((r.pupil_name for r in self.model.rows if r.id == request_id), "leerling")
        suggested = f"Besluit verlof {name} {self.today().isoformat()}.pdf"
        folder = self._letter_folder or str(Path.home())
        path, _ = QFileDialog.getSaveFileName(self, "Besluitbrief opslaan", str(Path(folder) / suggested),
                                              "PDF-bestanden (*.pdf)")  # fmt: skip
        if not path:
            return None
        target = Path(path)
        try:
            target.write_bytes(data)
        except OSError as exc:
            self.ctx.report(f"De brief kon niet worden opgeslagen in {target}: {exc.strerror or exc}.")
            return None
        self._letter_folder = str(target.parent)
        if self._settings is not None:  # the window's settings, the file given with the program or the default
            self._settings.setValue("verlof/map", self._letter_folder)
        self.open_url(QUrl.fromLocalFile(str(target)))
        return target

    def withdraw_selected(self) -> None:
        row = self.selected()
        if row is None or row.request.status == LeaveStatus.WITHDRAWN.value:
            return
        question = "Waarom wordt de aanvraag ingetrokken?"
        if row.request.status == LeaveStatus.GRANTED.value:
            question += " De verlofregistraties in het register worden verwijderd."
        note = self.ask_text("Verlof intrekken", question)
        if note is None:
            return
        self.ctx.run({LEAVE, REGISTER}, withdraw_leave_request, row.id, by=self.ctx.user, note=note,
                     on=self.today())  # fmt: skip

    # ------------------------------------------------------------------------------------ hooks (tests replace)
    def open_dialog(self, dialog: QDialog) -> bool:
        return bool(dialog.exec())

    def confirm(self, title: str, question: str) -> bool:
        return confirm(self, title, question)

    def ask_text(self, title: str, question: str) -> str | None:
        return ask_text(self, title, question)

    def open_url(self, url: QUrl) -> None:
        QDesktopServices.openUrl(url)

    def on_shown(self) -> None:
        self.refresh()

    def _layout_parts(self) -> dict[str, object]:
        return {"verlof/kolommen": self.view.horizontalHeader(), "verlof/splitter": self.splitter}

    def save_state(self, settings: QSettings) -> None:
        save_layout(settings, self._layout_parts())

    def restore_state(self, settings: QSettings) -> None:
        self._settings = settings
        self._letter_folder = str(settings.value("verlof/map", "") or "")
        restore_layout(settings, self._layout_parts())
