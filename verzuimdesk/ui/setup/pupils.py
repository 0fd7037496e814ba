"""Leerlingen: a searchable, sortable list of pupils; new and edit open the pupil dialog."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSettings,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor, QKeyEvent
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from verzuimdesk.model import dutch
from verzuimdesk.model.school.names import name_matches
from verzuimdesk.model.security.masking import mask_number
from verzuimdesk.model.setup.pupils_groups import PupilRow, pupil_rows
from verzuimdesk.ui.context import GROUPS, PUPILS, AppContext
from verzuimdesk.ui.forms import fit_columns, selected_row, table_view
from verzuimdesk.ui.setup.pupil_dialog import PupilDialog
from verzuimdesk.ui.widgets import Column, RowsModel

STATUS_ORDER = {"nog niet leerplichtig": 0, "leerplichtig": 1, "kwalificatieplichtig": 2, "18 jaar of ouder": 3}


def _date_key(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


TIER_BACKGROUNDS = {2: "#FCE8CF", 3: "#F8D7DA"}


def _tier_tip(r: PupilRow) -> str:
    if r.tier is None:
        return "Geen aanwezigheidsniveau: geen ingeroosterde tijd in de periode."
    pct = dutch.number(r.tier_pct or 0, 1)
    return (f"Aanwezigheidsniveau {r.tier}: {pct} % afwezig (geoorloofd en ongeoorloofd) van de ingeroosterde tijd "
            "in de periode van het niveaubeleid (Instellingen → Signalering).")


def _tier_color(r: PupilRow) -> QColor | None:
    color = TIER_BACKGROUNDS.get(r.tier or 0)
    return QColor(color) if color else None


COLUMNS: list[Column[PupilRow]] = [
    Column("Leerlingnr.", lambda r: r.key, sort_key=lambda r: (len(r.key), r.key)),
    Column("Naam", lambda r: r.name, sort_key=lambda r: r.sort_name),
    Column("Groep", lambda r: r.group or "—", sort_key=lambda r: r.group.lower()),
    Column("Geboortedatum", lambda r: r.birth_date, sort_key=lambda r: _date_key(r.birth_date)),
    Column("Leeftijd", lambda r: r.age, sort_key=lambda r: -1 if r.age is None else r.age, align_right=True),
    Column("Leerplicht (vandaag)", lambda r: r.status, sort_key=lambda r: STATUS_ORDER.get(r.status, 9)),
    Column("BSN", lambda r: mask_number(r.bsn), sort_key=lambda r: r.bsn or ""),
    Column("Ingeschreven", lambda r: r.enrolled_on, sort_key=lambda r: _date_key(r.enrolled_on)),
    Column("Uitgeschreven", lambda r: r.left_on, sort_key=lambda r: _date_key(r.left_on)),
    Column("Niveau", lambda r: f"niveau {r.tier}" if r.tier else "—", sort_key=lambda r: (r.tier or 0, r.tier_pct or 0),
           tooltip=lambda r: _tier_tip(r), background=lambda r: _tier_color(r)),
]


class PupilFilter(QSortFilterProxyModel):
    """Search in name, leerlingnummer and BSN; hides pupils who have left unless asked."""

    def __init__(self, today: Callable[[], dt.date]) -> None:
        super().__init__()
        self.text = ""
        self.include_left = False
        self.today = today

    def set_text(self, text: str) -> None:
        self.beginFilterChange()
        self.text = text.strip().lower()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_include_left(self, include: bool) -> None:
        self.beginFilterChange()
        self.include_left = include
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        model = self.sourceModel()
        assert isinstance(model, RowsModel)
        row: PupilRow = model.row_at(source_row)
        if not self.include_left and row.has_left(self.today()):
            return False
        if not self.text:
            return True
        compact = self.text.replace(" ", "").replace(".", "")
        return name_matches(self.text, row.name, row.sort_name, row.key) or (compact.isdigit() and compact in row.bsn)


class PupilsPage(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.today: Callable[[], dt.date] = dt.date.today
        self.model: RowsModel[PupilRow] = RowsModel(COLUMNS)
        self.view, _plain = table_view(self.model, stretch=1)
        self.proxy = PupilFilter(lambda: self.today())
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(RowsModel.SORT_ROLE)
        self.view.setModel(self.proxy)
        self.view.sortByColumn(1, Qt.SortOrder.AscendingOrder)
        fit_columns(self.view, [90, 220, 100, 105, 65, 150, 95, 100, 100, 70])

        title = QLabel("<h2>Leerlingen</h2>")
        self.search = QLineEdit()
        self.search.setPlaceholderText("Zoek op naam, leerlingnummer of BSN…")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter_changed)
        self.show_left = QCheckBox("ook vertrokken leerlingen")
        self.show_left.toggled.connect(self._left_toggled)
        self.new_button = QPushButton("&Nieuw…")
        self.new_button.clicked.connect(self.new_pupil)
        self.edit_button = QPushButton("&Bewerken…")
        self.edit_button.clicked.connect(self.edit_selected)
        self.open_dossier: Callable[[int], object] | None = None  # set by the main window
        self.dossier_button = QPushButton("&Dossier")
        self.dossier_button.clicked.connect(self._dossier_clicked)
        self.count_label = QLabel()

        bar = QHBoxLayout()
        bar.addWidget(self.search, 1)
        bar.addWidget(self.show_left)
        bar.addSpacing(12)
        bar.addWidget(self.new_button)
        bar.addWidget(self.edit_button)
        bar.addWidget(self.dossier_button)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.count_label)

        self.view.doubleClicked.connect(lambda _index: self.edit_selected())
        self.view.installEventFilter(self)
        ctx.changed.connect(self._on_changed)
        self.refresh()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        """Enter in the list edits the selected pupil."""
        if (obj is self.view and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)):  # fmt: skip
            self.edit_selected()
            return True
        return super().eventFilter(obj, event)

    # ------------------------------------------------------------------------------------ data
    def _on_changed(self, kinds: frozenset[str]) -> None:
        if kinds & {PUPILS, GROUPS}:
            self.refresh()

    def refresh(self) -> None:
        current = selected_row(self.view, self.proxy)
        self.model.set_rows(self.ctx.read(pupil_rows, self.today(), with_tiers=True))
        if current is not None:
            self.select_pupil(current.id)
        self._update_count()

    def select_pupil(self, pupil_id: int) -> bool:
        for row in range(self.proxy.rowCount()):
            source = self.proxy.mapToSource(self.proxy.index(row, 0))
            if self.model.row_at(source.row()).id == pupil_id:
                self.view.selectRow(row)
                return True
        return False

    def _filter_changed(self, text: str) -> None:
        self.proxy.set_text(text)
        self._update_count()
        if self.proxy.rowCount() and not self.view.selectionModel().hasSelection():
            self.view.selectRow(0)

    def _left_toggled(self, on: bool) -> None:
        self.proxy.set_include_left(on)
        self._update_count()

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        left = sum(1 for r in self.model.rows if r.has_left(self.today()))
        text = f"{shown} van {dutch.plural(total, 'leerling', 'leerlingen')} getoond"
        if left and not self.proxy.include_left:
            text += f" ({dutch.plural(left, 'vertrokken leerling', 'vertrokken leerlingen')} verborgen)"
        self.count_label.setText(text)

    # ------------------------------------------------------------------------------------ actions
    def new_pupil(self) -> None:
        dialog = PupilDialog(self.ctx, None, self, today=self.today())
        if self.open_dialog(dialog) and dialog.pupil_id is not None:
            self.select_pupil(dialog.pupil_id)

    def edit_selected(self) -> None:
        row = selected_row(self.view, self.proxy)
        if row is None:
            return
        dialog = PupilDialog(self.ctx, row.id, self, today=self.today())
        self.open_dialog(dialog)
        self.select_pupil(row.id)

    def _dossier_clicked(self) -> None:
        row = selected_row(self.view, self.proxy)
        if row is not None and self.open_dossier is not None:
            self.open_dossier(row.id)

    def open_dialog(self, dialog: PupilDialog) -> bool:
        """Show the dialog modally (tests replace this)."""
        return bool(dialog.exec())

    def on_shown(self) -> None:
        self.search.setFocus()

    def save_state(self, settings: QSettings) -> None:
        settings.setValue("leerlingen/kolommen", self.view.horizontalHeader().saveState())
        settings.setValue("leerlingen/vertrokken", self.show_left.isChecked())

    def restore_state(self, settings: QSettings) -> None:
        state = settings.value("leerlingen/kolommen")
        if state:
            self.view.horizontalHeader().restoreState(state)
        self.show_left.setChecked(str(settings.value("leerlingen/vertrokken", "false")).lower() == "true")
