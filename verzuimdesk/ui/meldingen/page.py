"""Meldingen: verzuimmeldingen to the leerplichtambtenaar (domain.md §7), from concept to DUO's
meldingsnummer and the municipality's status, with every field of the Besluit Verzuimmelding."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSettings, QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from verzuimdesk.model import dutch
from verzuimdesk.model.law.meldingen import KIND_LABELS, TRANSITIONS, set_duo_number, set_melding_status
from verzuimdesk.model.law.views import MeldingRow, melding_rows
from verzuimdesk.model.letters.moments import melding_moment
from verzuimdesk.model.school.names import name_matches
from verzuimdesk.model.tables.law import MeldingStatusValue
from verzuimdesk.ui.context import PUPILS, REGISTER, AppContext
from verzuimdesk.ui.forms import ask_text, fit_columns, selected_row, table_view
from verzuimdesk.ui.letters.dialog import open_letter_dialog
from verzuimdesk.ui.meldingen.detail import MeldingDetail
from verzuimdesk.ui.meldingen.dialogs import MELDINGEN, NewMeldingDialog, StatusDialog, allowed_statuses
from verzuimdesk.ui.meldingen.export import MeldingExporter
from verzuimdesk.ui.widgets import Column, RowsModel, restore_layout, save_layout

S = MeldingStatusValue
OPEN = {S.DRAFT.value, S.REGISTERED.value, S.IN_PROGRESS.value}
STATUS_COLORS = {S.DRAFT.value: "#FFF4D6", S.REGISTERED.value: "#E1ECF8", S.IN_PROGRESS.value: "#E1ECF8",
                 S.CLOSED.value: "#E3F2E1", S.NOTED.value: "#E3F2E1", S.WITHDRAWN.value: "#EEEEEE"}  # fmt: skip
STATUS_FILTERS = [("alle meldingen", None), ("open meldingen", "open")] + [(s.value, s.value) for s in S]


def _date_key(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def register_with_number(session: Any, melding_id: int, number: str, *, by: str) -> None:
    """Record DUO's meldingsnummer and, for a concept, the status geregistreerd (one transaction)."""
    melding = set_duo_number(session, melding_id, number, by=by)
    if melding.status == S.DRAFT.value:
        set_melding_status(session, melding_id, S.REGISTERED.value, by=by, note=f"meldingsnummer {melding.duo_number}")


class MeldingFilter(QSortFilterProxyModel):
    def __init__(self) -> None:
        super().__init__()
        self.text = ""
        self.status: str | None = None

    def set_filter(self, text: str, status: str | None) -> None:
        self.beginFilterChange()
        self.text, self.status = text.strip().lower(), status
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        model = self.sourceModel()
        assert isinstance(model, RowsModel)
        row: MeldingRow = model.row_at(source_row)
        status = row.melding.status
        if self.status == "open" and status not in OPEN or self.status not in (None, "open") and status != self.status:
            return False
        m = row.melding
        return name_matches(self.text, row.pupil_name, row.group, m.kind, m.duo_number)


class MeldingenPage(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.today: Callable[[], dt.date] = dt.date.today
        today = lambda: self.today()  # noqa: E731
        columns: list[Column[MeldingRow]] = [
            Column("Soort", lambda r: r.melding.kind, tooltip=lambda r: KIND_LABELS.get(r.melding.kind, "")),
            Column("Leerling", lambda r: r.pupil_name, sort_key=lambda r: r.pupil_name.lower()),
            Column("Groep", lambda r: r.group),
            Column("Begin", lambda r: r.melding.begin_date, sort_key=lambda r: _date_key(r.melding.begin_date)),
            Column("Eind", lambda r: r.melding.end_date, sort_key=lambda r: _date_key(r.melding.end_date)),
            Column("Uren", lambda r: dutch.hours(r.melding.minutes_unauthorised, trim=False),
                   sort_key=lambda r: r.melding.minutes_unauthorised, align_right=True),
            Column("Dagen", lambda r: r.melding.absence_days, align_right=True),
            Column("Status", lambda r: r.melding.status,
                   background=lambda r: QColor(STATUS_COLORS.get(r.melding.status, "#FFFFFF"))),
            Column("DUO-meldingsnummer", lambda r: r.melding.duo_number),
            Column("Dagen oud", lambda r: r.age_days(today()), align_right=True,
                   tooltip=lambda r: f"opgesteld op {dutch.date_time_short(r.melding.created_at)} door {r.melding.created_by}"),
        ]  # fmt: skip
        self.model: RowsModel[MeldingRow] = RowsModel(columns)
        self.view, _plain = table_view(self.model)
        self.proxy = MeldingFilter()
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(RowsModel.SORT_ROLE)
        self.view.setModel(self.proxy)
        fit_columns(self.view, [55, 190, 80, 90, 90, 60, 55, 150, 150, 80])
        self.kind_label = QLabel()
        self.kind_label.setStyleSheet("color: #555;")

        self.search = QLineEdit()
        self.search.setPlaceholderText("Zoek op leerling, groep, soort of meldingsnummer…")
        self.search.setClearButtonEnabled(True)
        self.status_filter = QComboBox()
        for label, value in STATUS_FILTERS:
            self.status_filter.addItem(label, value)
        self.new_button = QPushButton("&Nieuwe melding…")
        self.number_button = QPushButton("&Meldingsnummer DUO vastleggen…")
        self.status_button = QPushButton("&Status wijzigen…")
        self.withdraw_button = QPushButton("&Intrekken…")
        self.exporter = MeldingExporter(ctx, self)
        self.xml_button = QPushButton("XML voor eigen administratie…")
        self.xml_button.setToolTip(
            "Alle gegevens van de melding als XML-bestand in het eigen formaat van verzuimdesk, voor de "
            "administratie van de school of een ander programma. DUO kent geen bestand voor scholen zonder "
            "leerlingadministratiesysteem: u meldt in het verzuimloket van DUO, met de tekst voor het "
            "webformulier.")
        self.pdf_button = QPushButton("Meldingsformulier (PDF)…")
        self.text_button = QPushButton("Tekst voor DUO-webformulier")
        self.letter_button = QPushButton("&Brief aan de ouders…")
        self.count_label = QLabel()
        self.detail = MeldingDetail(ctx)
        self.detail.today = today

        bar = QHBoxLayout()
        bar.addWidget(self.search, 1)
        bar.addWidget(QLabel("Tonen:"))
        bar.addWidget(self.status_filter)
        actions = QHBoxLayout()
        for b in (self.new_button, self.number_button, self.status_button, self.withdraw_button):
            actions.addWidget(b)
        actions.addStretch(1)
        exports = QHBoxLayout()
        for b in (self.xml_button, self.pdf_button, self.text_button, self.letter_button):
            exports.addWidget(b)
        exports.addStretch(1)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.view, 1)
        top_layout.addWidget(self.kind_label)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(top)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([200, 420])
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<h2>Meldingen</h2>"))
        layout.addLayout(bar)
        layout.addLayout(actions)
        layout.addLayout(exports)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.count_label)

        self.search.textChanged.connect(lambda _t: self._filter_changed())
        self.status_filter.currentIndexChanged.connect(lambda _i: self._filter_changed())
        self.new_button.clicked.connect(self.new_melding)
        self.number_button.clicked.connect(self.record_number)
        self.status_button.clicked.connect(self.change_status)
        self.withdraw_button.clicked.connect(self.withdraw)
        self.xml_button.clicked.connect(lambda: self.exporter.export_file(self._selected_id(), "xml"))
        self.pdf_button.clicked.connect(lambda: self.exporter.export_file(self._selected_id(), "pdf"))
        self.text_button.clicked.connect(lambda: self.exporter.export_text(self._selected_id()))
        self.letter_button.clicked.connect(lambda: self.make_letter())
        self.view.selectionModel().selectionChanged.connect(lambda *_a: self._selection_changed())
        ctx.changed.connect(self._on_changed)
        self.refresh()

    # ------------------------------------------------------------------------------------ data
    def _on_changed(self, kinds: frozenset[str]) -> None:
        if kinds & {MELDINGEN, PUPILS, REGISTER}:
            self.refresh()

    def refresh(self) -> None:
        current = self.selected()
        self.model.set_rows(self.ctx.read(melding_rows))
        if current is None or not self.select_melding(current.id):
            self._selection_changed()
        self._update_count()

    def selected(self) -> MeldingRow | None:
        return selected_row(self.view, self.proxy)

    def _selected_id(self) -> int | None:
        row = self.selected()
        return row.id if row else None

    def select_melding(self, melding_id: int) -> bool:
        for row in range(self.proxy.rowCount()):
            if self.model.row_at(self.proxy.mapToSource(self.proxy.index(row, 0)).row()).id == melding_id:
                self.view.selectRow(row)
                self._selection_changed()
                return True
        return False

    def _filter_changed(self) -> None:
        self.proxy.set_filter(self.search.text(), self.status_filter.currentData())
        self._update_count()
        self._selection_changed()

    def _update_count(self) -> None:
        drafts = sum(1 for r in self.model.rows if r.melding.status == S.DRAFT.value)
        text = f"{self.proxy.rowCount()} van {dutch.plural(self.model.rowCount(), 'melding', 'meldingen')} getoond"
        self.count_label.setText(text + (f" · {drafts} concept (nog niet bij DUO)" if drafts else ""))

    def _selection_changed(self) -> None:
        row = self.selected()
        status = row.melding.status if row else None
        self.number_button.setEnabled(status in (S.DRAFT.value, S.REGISTERED.value, S.IN_PROGRESS.value))
        offered = allowed_statuses(status, bool(row.melding.duo_number)) if row else []
        self.status_button.setEnabled(bool(offered))
        self.status_button.setToolTip("" if offered or row is None else
                                      "Leg eerst het meldingsnummer van DUO vast." if status == S.DRAFT.value else
                                      f"Een melding met status '{status}' verandert niet meer.")  # fmt: skip
        self.withdraw_button.setEnabled(status is not None and S.WITHDRAWN.value in TRANSITIONS.get(status, set()))
        for b in (self.xml_button, self.pdf_button, self.text_button, self.letter_button):
            b.setEnabled(row is not None and status != S.WITHDRAWN.value)
        self.kind_label.setText(f"{row.melding.kind}: {KIND_LABELS.get(row.melding.kind, '')}" if row else "")
        self.detail.show_melding(row.id if row else None)

    # ------------------------------------------------------------------------------------ actions
    def new_melding(self) -> None:
        dialog = NewMeldingDialog(self.ctx, self.today(), self)
        if self.open_dialog(dialog) and dialog.melding_id is not None:
            self.status_filter.setCurrentIndex(0)
            self.search.clear()
            self.select_melding(dialog.melding_id)

    def record_number(self) -> None:
        row = self.selected()
        if row is None:
            return
        number = self.ask_number(row.melding.duo_number)
        if number is None:
            return
        self.ctx.run({MELDINGEN}, register_with_number, row.id, number, by=self.ctx.user)
        self.select_melding(row.id)

    def change_status(self) -> None:
        row = self.selected()
        if row is None:
            return
        dialog = StatusDialog(row.melding.status, bool(row.melding.duo_number), self)
        if not self.open_dialog(dialog):
            return
        status, reason, note = dialog.value()
        # The version the list showed: a status set meanwhile on another PC is a conflict (issue 14).
        self.ctx.run({MELDINGEN}, set_melding_status, row.id, status, by=self.ctx.user, reason=reason, note=note,
                     expected_version=row.melding.version)
        self.select_melding(row.id)

    def withdraw(self) -> None:
        row = self.selected()
        if row is None:
            return
        note = self.ask_text("Melding intrekken", "Waarom trekt de school de melding in? (Bijvoorbeeld: het verzuim "
                             "bleek toch geoorloofd.) Geef het ook door aan DUO of de leerplichtambtenaar.")  # fmt: skip
        if not note:
            return
        self.ctx.run({MELDINGEN}, set_melding_status, row.id, S.WITHDRAWN.value, by=self.ctx.user, note=note,
                     expected_version=row.melding.version)
        self.select_melding(row.id)

    # ------------------------------------------------------------------------------------ hooks (tests replace)
    def make_letter(self) -> Any:
        """The letter telling the parents that the school made this melding (ui/letters/dialog.py)."""
        melding_id = self._selected_id()
        if melding_id is None:
            return None
        return open_letter_dialog(self.ctx, self, lambda s: melding_moment(s, melding_id), self.today(),
                                  self.open_dialog)  # fmt: skip

    def open_dialog(self, dialog: QDialog) -> bool:
        return bool(dialog.exec())

    def ask_number(self, current: str) -> str | None:
        text, ok = QInputDialog.getText(self, "Meldingsnummer DUO", "Het meldingsnummer dat DUO teruggaf:",
                                        text=current)  # fmt: skip
        return text if ok and text.strip() else None

    def ask_text(self, title: str, question: str) -> str | None:
        return ask_text(self, title, question)

    def on_shown(self) -> None:
        self.refresh()

    def _layout_parts(self) -> dict[str, object]:
        return {"meldingen/kolommen": self.view.horizontalHeader(), "meldingen/splitter": self.splitter}

    def save_state(self, settings: QSettings) -> None:
        save_layout(settings, self._layout_parts())

    def restore_state(self, settings: QSettings) -> None:
        restore_layout(settings, self._layout_parts())
