"""Kalender: school year picker, the year at a glance, the list of days off, school days and lesweken."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from verzuimdesk.model import dutch
from verzuimdesk.model.school.calendar import WEEKDAY_NAMES, add_day_off, create_school_year
from verzuimdesk.model.school.records import active_groups, get_school, school_years
from verzuimdesk.model.setup import settings as adm
from verzuimdesk.model.tables import DayOff, DayOffKind
from verzuimdesk.ui.context import CALENDAR, GROUPS, REGISTER, SETTINGS, AppContext
from verzuimdesk.ui.forms import (
    TimeEdit,
    confirm,
    fit_columns,
    form_dialog_layout,
    reload_after_conflict,
    selected_row,
    table_view,
)
from verzuimdesk.ui.setup.year_view import YearView
from verzuimdesk.ui.widgets import Column, DateEdit, RowsModel, restore_layout, save_layout

CHANGES = {CALENDAR, REGISTER}
COLUMNS: list[Column[adm.DayOffRow]] = [
    Column("Soort", lambda r: r.kind),
    Column("Van", lambda r: r.date_from),
    Column("Tot en met", lambda r: r.date_to),
    Column("Omschrijving", lambda r: r.description),
    Column("Voor", lambda r: r.group),
    Column("Alleen op", lambda r: r.weekday),
    Column("Tijd", lambda r: r.times),
]


class DayOffDialog(QDialog):
    """Add or change a day off: kind, dates, description, optional group, weekday and times."""

    def __init__(self, ctx: AppContext, day_off_id: int | None, parent: QWidget | None = None,
                 *, default_date: dt.date | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.day_off_id = ctx, day_off_id
        row = ctx.read(lambda s: s.get(DayOff, day_off_id)) if day_off_id is not None else None
        self.setWindowTitle("Vrije dag wijzigen" if row else "Vrije dag toevoegen")
        self.kind = QComboBox()
        for value, label in adm.DAY_OFF_KIND_LABELS.items():
            self.kind.addItem(label, value)
        self.date_from = DateEdit(row.date_from if row else default_date)
        self.date_to = DateEdit(row.date_to if row else default_date)
        self.date_from.dateChanged.connect(lambda d: self.date_to.setDate(max(d, self.date_to.date())))
        self.description = QLineEdit()
        self.description.setPlaceholderText("bijvoorbeeld: Studiedag team")
        self.group = QComboBox()
        self.group.addItem("hele school", None)
        for g in ctx.read(active_groups):
            self.group.addItem(g.name, g.id)
        self.weekday = QComboBox()
        self.weekday.addItem("elke dag in de periode", None)
        for wd in range(5):
            self.weekday.addItem(f"alleen op {WEEKDAY_NAMES[wd]}", wd)
        self.part = QCheckBox("alleen een deel van de dag, van")
        self.start, self.end = TimeEdit(720), TimeEdit(870)
        self.part.toggled.connect(self.start.setEnabled)
        self.part.toggled.connect(self.end.setEnabled)
        times = QHBoxLayout()
        times.addWidget(self.part)
        times.addWidget(self.start)
        times.addWidget(QLabel("tot"))
        times.addWidget(self.end)
        times.addStretch(1)
        self.version: int | None = None
        if row is not None:
            self._fill(row)
        else:
            self.kind.setCurrentIndex(self.kind.findData(DayOffKind.STUDY_DAY.value))
        self.start.setEnabled(self.part.isChecked())
        self.end.setEnabled(self.part.isChecked())
        form = QFormLayout()
        form.addRow("Soort:", self.kind)
        form.addRow("Van:", self.date_from)
        form.addRow("Tot en met:", self.date_to)
        form.addRow("Omschrijving:", self.description)
        form.addRow("Voor:", self.group)
        form.addRow("Dagen:", self.weekday)
        form.addRow("Tijd:", times)
        self.error = form_dialog_layout(self, ctx, form, "Opslaan")
        reload_after_conflict(self, ctx, CALENDAR, self.reload, self.error)

    def _fill(self, row: DayOff) -> None:
        self.version = row.version  # as loaded: a change saved meanwhile on another PC is a conflict (issue 14)
        self.date_from.set_date(row.date_from)
        self.date_to.set_date(row.date_to)
        self.description.setText(row.description)
        self.kind.setCurrentIndex(max(self.kind.findData(row.kind), 0))
        self.group.setCurrentIndex(max(self.group.findData(row.group_id), 0))
        self.weekday.setCurrentIndex(max(self.weekday.findData(row.weekday), 0))
        self.part.setChecked(row.start_minute is not None and row.end_minute is not None)
        if row.start_minute is not None and row.end_minute is not None:
            self.start.set_minutes(row.start_minute)
            self.end.set_minutes(row.end_minute)

    def reload(self) -> bool:
        if self.day_off_id is None:
            return True  # a new row: nothing stored to show
        row = self.ctx.read(lambda s: s.get(DayOff, self.day_off_id))
        if row is not None:
            self._fill(row)
        return row is not None

    def accept(self) -> None:
        start = self.start.minutes() if self.part.isChecked() else None
        end = self.end.minutes() if self.part.isChecked() else None
        kwargs = {"group_id": self.group.currentData(), "weekday": self.weekday.currentData(),
                  "start_minute": start, "end_minute": end}  # fmt: skip
        if self.day_off_id is None:
            saved = self.ctx.run(CHANGES, add_day_off, self.date_from.date_value(), self.date_to.date_value(),
                                 self.description.text(), self.kind.currentData(), **kwargs)
        else:
            saved = self.ctx.run(CHANGES, adm.update_day_off, self.day_off_id, date_from=self.date_from.date_value(),
                                 date_to=self.date_to.date_value(), description=self.description.text(),
                                 kind=self.kind.currentData(), expected_version=self.version, **kwargs)  # fmt: skip
        if saved is not None:
            super().accept()


class CalendarPage(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.today: Callable[[], dt.date] = dt.date.today
        self.confirm: Callable[[str], bool] = lambda q: confirm(self, "Kalender", q)
        self.overview: adm.YearOverview | None = None
        self.year_combo = QComboBox()
        self.year_combo.setMinimumWidth(130)
        self.year_combo.currentIndexChanged.connect(lambda _i: self.refresh_year())
        self.new_year = QPushButton("Nieuw &schooljaar…")
        self.new_year.clicked.connect(self.create_next_year)
        self.counts = QLabel()
        self.counts.setTextFormat(Qt.TextFormat.RichText)
        top = QHBoxLayout()
        top.addWidget(QLabel("<h2>Kalender</h2>"))
        top.addSpacing(16)
        top.addWidget(QLabel("Schooljaar:"))
        top.addWidget(self.year_combo)
        top.addWidget(self.new_year)
        top.addSpacing(16)
        top.addWidget(self.counts, 1)
        self.year_view = YearView()
        self.model: RowsModel[adm.DayOffRow] = RowsModel(COLUMNS)
        self.view, self.proxy = table_view(self.model, stretch=3)
        fit_columns(self.view, [120, 95, 95, 300, 110, 75, 100])
        self.view.doubleClicked.connect(lambda _i: self.edit_selected())
        buttons = QHBoxLayout()
        self.days_off_heading = QLabel()
        buttons.addWidget(self.days_off_heading)
        buttons.addStretch(1)
        for text, slot in (("&Toevoegen…", self.add_day_off), ("&Wijzigen…", self.edit_selected),
                           ("&Verwijderen", self.delete_selected)):
            button = QPushButton(text)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addLayout(buttons)
        lower_layout.addWidget(self.view)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.year_view)
        self.splitter.addWidget(lower)
        self.splitter.setSizes([390, 300])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)
        ctx.changed.connect(self._on_changed)
        self.refresh()

    # ------------------------------------------------------------------------------------ data
    def _on_changed(self, kinds: frozenset[str]) -> None:
        if kinds & {CALENDAR, GROUPS, SETTINGS}:
            self.refresh()

    def refresh(self) -> None:
        chosen = self.year_combo.currentData()
        years = self.ctx.read(school_years)
        self.year_combo.blockSignals(True)
        self.year_combo.clear()
        for y in years:
            self.year_combo.addItem(y.name, y.id)
        index = self.year_combo.findData(chosen)
        if index < 0:
            current = [i for i, y in enumerate(years) if y.start_date <= self.today() <= y.end_date]
            index = current[0] if current else len(years) - 1
        self.year_combo.setCurrentIndex(index)
        self.year_combo.blockSignals(False)
        self.refresh_year()

    def refresh_year(self) -> None:
        year_id = self.year_combo.currentData()
        if year_id is None:
            self.overview = None
            self.model.set_rows([])
            self.counts.setText("Nog geen schooljaar. Kies ‘Nieuw schooljaar…’.")
        else:
            self.overview = self.ctx.read(adm.year_overview, year_id)
            self.model.set_rows(self.ctx.read(adm.days_off_of_year, year_id))
            self.counts.setText(f"<b>{self.overview.school_days}</b> schooldagen · "
                                f"<b>{len(self.overview.lesweken)}</b> lesweken")  # fmt: skip
        self.year_view.set_overview(self.overview)
        self.days_off_heading.setText(f"<b>Vakanties en vrije dagen</b> ({len(self.model.rows)})")

    # ------------------------------------------------------------------------------------ actions
    def open_dialog(self, dialog: QDialog) -> bool:
        """Show a dialog modally (tests replace this)."""
        return bool(dialog.exec())

    def create_next_year(self) -> None:
        name = self.ctx.read(adm.next_school_year_name, self.today())
        school = self.ctx.read(get_school)
        region = school.region if school else "midden"
        if not self.confirm(f"Schooljaar {name} aanmaken met de schoolvakanties van regio {region} en de "
                            "gebruikelijke feestdagen? U kunt ze daarna aanpassen."):  # fmt: skip
            return
        year = self.ctx.run({CALENDAR, REGISTER}, create_school_year, name, region)
        if year is not None:
            self.year_combo.setCurrentIndex(self.year_combo.findData(year.id))

    def add_day_off(self) -> None:
        default = self.today()
        if self.overview is not None and not (self.overview.year.start_date <= default <= self.overview.year.end_date):
            default = self.overview.year.start_date
        self.open_dialog(DayOffDialog(self.ctx, None, self, default_date=default))

    def edit_selected(self) -> None:
        row = selected_row(self.view, self.proxy)
        if row is not None:
            self.open_dialog(DayOffDialog(self.ctx, row.id, self))

    def delete_selected(self) -> None:
        row = selected_row(self.view, self.proxy)
        if row is not None and self.confirm(f"‘{row.description}’ ({dutch.date_short(row.date_from)}) verwijderen?"):
            self.ctx.run(CHANGES, adm.delete_day_off, row.id, expected_version=row.version)

    def save_state(self, settings: QSettings) -> None:
        save_layout(settings, {"kalender/splitter": self.splitter})

    def restore_state(self, settings: QSettings) -> None:
        restore_layout(settings, {"kalender/splitter": self.splitter})
