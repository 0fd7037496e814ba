"""Groepen: the list of groups with pupils today and lesson time per week, the group dialog, and the
week timetable of the selected group (edited in :mod:`verzuimdesk.ui.setup.timetable_editor`)."""

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
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from verzuimdesk.model import dutch
from verzuimdesk.model.school.calendar import WEEKDAY_NAMES
from verzuimdesk.model.school.records import vestigingen
from verzuimdesk.model.setup import pupils_groups as admin
from verzuimdesk.model.tables import Group
from verzuimdesk.ui.context import GROUPS, PUPILS, REGISTER, AppContext
from verzuimdesk.ui.forms import (
    confirm,
    fit_columns,
    form_dialog_layout,
    reload_after_conflict,
    selected_row,
    table_view,
)
from verzuimdesk.ui.setup.timetable_editor import TimetableEditor
from verzuimdesk.ui.widgets import Column, RowsModel, restore_layout, save_layout

JAARGROEPEN = ["1", "2", "3", "4", "5", "6", "7", "8", "S", "V"]
UITSTROOMPROFIELEN = ["", "vervolgonderwijs", "arbeidsmarkt", "dagbesteding"]
REGISTERS_PER = [("les", "per les"), ("klokuur", "per klokuur"), ("dagdeel", "per dagdeel")]

COLUMNS: list[Column[admin.GroupRow]] = [
    Column("Groep", lambda r: r.name, sort_key=lambda r: r.name.lower()),
    Column("Sleutel", lambda r: r.key),
    Column("Jaargroep", lambda r: r.jaargroep, sort_key=lambda r: r.jaargroep.rjust(2)),
    Column("Leerlingen vandaag", lambda r: r.pupils, align_right=True),
    Column("Lessen per week", lambda r: r.lessons_per_week, align_right=True),
    Column("Uren per week", lambda r: dutch.hours(r.minutes_per_week, trim=False), sort_key=lambda r: r.minutes_per_week,
           align_right=True),
    Column("Actief", lambda r: "ja" if r.active else "nee"),
]


class GroupDialog(QDialog):
    def __init__(self, ctx: AppContext, group_id: int | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.group_id = ctx, group_id
        group = ctx.read(lambda s: s.get(Group, group_id)) if group_id is not None else Group(key="", name="")
        self.setWindowTitle(f"Groep {group.name}" if group_id is not None else "Nieuwe groep")
        self.name, self.key, self.department = QLineEdit(), QLineEdit(), QLineEdit()
        self.key.setPlaceholderText("leeg = gelijk aan de naam")
        self.jaargroep = QComboBox()
        self.jaargroep.setEditable(True)
        self.jaargroep.addItems(["", *JAARGROEPEN])
        self.vestiging = QComboBox()
        self.vestiging.addItem("(hoofdvestiging)", None)
        for v in ctx.read(vestigingen):
            self.vestiging.addItem(f"{v.key} {v.name}", v.id)
        self.uitstroomprofiel = QComboBox()
        self.uitstroomprofiel.setEditable(True)
        self.uitstroomprofiel.addItems(UITSTROOMPROFIELEN)
        self.registers_per = QComboBox()
        for value, label in REGISTERS_PER:
            self.registers_per.addItem(label, value)
        self.composite = QCheckBox("samengestelde groep (zonder eigen rooster)")
        self.active = QCheckBox("actief")
        self._fill(group)
        form = QFormLayout()
        form.addRow("Naam:", self.name)
        form.addRow("Sleutel:", self.key)
        form.addRow("Jaargroep:", self.jaargroep)
        form.addRow("Vestiging:", self.vestiging)
        form.addRow("Uitstroomprofiel (vso):", self.uitstroomprofiel)
        form.addRow("Afdeling:", self.department)
        form.addRow("Register invullen:", self.registers_per)
        form.addRow("", self.composite)
        form.addRow("", self.active)
        self.error = form_dialog_layout(self, ctx, form, "Opslaan")
        reload_after_conflict(self, ctx, GROUPS, self.reload, self.error)

    def _fill(self, group: Group) -> None:
        # The version as loaded: a change saved meanwhile on another PC makes OK a conflict (issue 14).
        self.version = group.version if self.group_id is not None else None
        self.name.setText(group.name)
        self.key.setText(group.key)
        self.jaargroep.setCurrentText(group.jaargroep)
        self.vestiging.setCurrentIndex(max(self.vestiging.findData(group.vestiging_id), 0))
        self.uitstroomprofiel.setCurrentText(group.uitstroomprofiel)
        self.department.setText(group.department)
        self.registers_per.setCurrentIndex(max(self.registers_per.findData(group.registers_per), 0))
        self.composite.setChecked(group.composite)
        self.active.setChecked(group.active)

    def reload(self) -> bool:
        if self.group_id is None:
            return True  # a new row: nothing stored to show
        group = self.ctx.read(lambda s: s.get(Group, self.group_id)) if self.group_id is not None else None
        if group is not None:
            self._fill(group)
        return group is not None

    def values(self) -> dict[str, object]:
        return {
            "name": self.name.text().strip(), "key": self.key.text().strip(),
            "jaargroep": self.jaargroep.currentText().strip().upper(), "vestiging_id": self.vestiging.currentData(),
            "uitstroomprofiel": self.uitstroomprofiel.currentText().strip(), "department": self.department.text().strip(),
            "registers_per": self.registers_per.currentData(), "composite": self.composite.isChecked(),
            "active": self.active.isChecked(),
        }  # fmt: skip

    def accept(self) -> None:
        saved = self.ctx.run({GROUPS, PUPILS, REGISTER}, admin.save_group_details, self.group_id, self.values(),
                             expected_version=self.version)
        if saved is not None:
            self.group_id = saved.id
            super().accept()


class GroupsPage(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.today: Callable[[], dt.date] = dt.date.today
        self.confirm: Callable[[str], bool] = lambda q: confirm(self, "Groepen", q)
        self.model: RowsModel[admin.GroupRow] = RowsModel(COLUMNS)
        self.view, self.proxy = table_view(self.model, stretch=0)
        fit_columns(self.view, [200, 90, 90, 140, 130, 120, 70])
        self.view.doubleClicked.connect(lambda _i: self.edit_selected())
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._show_timetable())
        buttons = QHBoxLayout()
        for text, slot in (("&Nieuw…", self.new_group), ("&Bewerken…", self.edit_selected),
                           ("&Rooster bewerken…", self.edit_timetable), ("&Verwijderen", self.remove_selected)):
            button = QPushButton(text)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.timetable_title = QLabel()
        self.timetable = QTableWidget(0, 5)
        self.timetable.setHorizontalHeaderLabels([WEEKDAY_NAMES[wd] for wd in range(5)])
        self.timetable.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.timetable.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.timetable.doubleClicked.connect(lambda _i: self.edit_timetable())
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.timetable_title)
        lower_layout.addWidget(self.timetable)
        lower_layout.addWidget(QLabel("Vrije middagen of dagdelen van een groep (bijvoorbeeld groep 1–4 op "
                                      "vrijdagmiddag vrij) legt u vast op de pagina Kalender."))  # fmt: skip
        upper = QWidget()
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        upper_layout.addWidget(QLabel("<h2>Groepen</h2>"))
        upper_layout.addLayout(buttons)
        upper_layout.addWidget(self.view)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(upper)
        self.splitter.addWidget(lower)
        self.splitter.setSizes([330, 400])
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter)
        ctx.changed.connect(self._on_changed)
        self.refresh()

    def _on_changed(self, kinds: frozenset[str]) -> None:
        if kinds & {GROUPS, PUPILS}:
            self.refresh()

    def refresh(self) -> None:
        current = selected_row(self.view, self.proxy)
        self.model.set_rows(self.ctx.read(admin.group_rows, self.today()))
        if not self.select_group(current.id if current else None) and self.model.rowCount():
            self.view.selectRow(0)
        self._show_timetable()

    def select_group(self, group_id: int | None) -> bool:
        for row in range(self.proxy.rowCount()):
            if self.model.row_at(self.proxy.mapToSource(self.proxy.index(row, 0)).row()).id == group_id:
                self.view.selectRow(row)
                return True
        return False

    def _show_timetable(self) -> None:
        row = selected_row(self.view, self.proxy)
        self.timetable.setRowCount(0)
        if row is None:
            self.timetable_title.setText("<b>Rooster</b>: kies een groep.")
            return
        lessons = self.ctx.read(admin.timetable_on, row.id, self.today())
        self.timetable_title.setText(f"<b>Rooster van {row.name}</b> (geldig vandaag; dubbelklik om te bewerken)")
        numbers = sorted({n for _wd, n, *_ in lessons})
        self.timetable.setRowCount(len(numbers))
        self.timetable.setVerticalHeaderLabels([f"les {n}" for n in numbers])
        for wd, n, start, end, label in lessons:
            if wd < 5:
                text = f"{dutch.clock(start)}–{dutch.clock(end)}" + (f"  {label}" if label else "")
                item = QTableWidgetItem(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.timetable.setItem(numbers.index(n), wd, item)
        if not lessons:
            self.timetable_title.setText(f"<b>Rooster van {row.name}</b>: nog geen lessen. Kies ‘Rooster bewerken…’.")

    # ---------------------------------------------------------------------------------- actions
    def open_dialog(self, dialog: QDialog) -> bool:
        """Show a dialog modally (tests replace this)."""
        return bool(dialog.exec())

    def new_group(self) -> None:
        dialog = GroupDialog(self.ctx, None, self)
        if self.open_dialog(dialog):
            self.select_group(dialog.group_id)

    def edit_selected(self) -> None:
        row = selected_row(self.view, self.proxy)
        if row is not None:
            self.open_dialog(GroupDialog(self.ctx, row.id, self))

    def edit_timetable(self) -> None:
        row = selected_row(self.view, self.proxy)
        if row is not None:
            self.open_dialog(TimetableEditor(self.ctx, row.id, row.name, self, today=self.today()))
            self._show_timetable()

    def remove_selected(self) -> None:
        row = selected_row(self.view, self.proxy)
        if row is not None and self.confirm(f"Groep {row.name} verwijderen?"):
            self.ctx.run({GROUPS}, admin.remove_group, row.id)

    def save_state(self, settings: QSettings) -> None:
        save_layout(settings, {"groepen/splitter": self.splitter})

    def restore_state(self, settings: QSettings) -> None:
        restore_layout(settings, {"groepen/splitter": self.splitter})
