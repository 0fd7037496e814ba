"""The timetable editor of a group: per weekday a table of lessons (number, start, end, label)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from verzuimdesk.model import dutch
from verzuimdesk.model.errors import ValidationError
from verzuimdesk.model.register.timetable import set_group_timetable
from verzuimdesk.model.school.calendar import WEEKDAY_NAMES, parse_time
from verzuimdesk.model.setup.pupils_groups import copy_day_to_all, timetable_on
from verzuimdesk.model.tables import Group
from verzuimdesk.ui.context import GROUPS, REGISTER, AppContext
from verzuimdesk.ui.forms import error_label, reload_after_conflict, show_inline
from verzuimdesk.ui.widgets import DateEdit, dialog_buttons

LessonRow = tuple[int, int, int, int, str]
HEADERS = ["Les", "Begin", "Einde", "Omschrijving"]


class TimetableEditor(QDialog):
    """Edit the group's open-ended timetable; saving with "geldig vanaf" keeps the old one for the past."""

    def __init__(self, ctx: AppContext, group_id: int, group_name: str, parent: QWidget | None = None,
                 *, today: dt.date | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.group_id = ctx, group_id
        self.setWindowTitle(f"Rooster van {group_name}")
        self.resize(640, 520)
        self.tabs = QTabWidget()
        self.tables: list[QTableWidget] = []
        for wd in range(5):
            table = QTableWidget(0, len(HEADERS))
            table.setHorizontalHeaderLabels(HEADERS)
            table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
            table.verticalHeader().setVisible(False)
            self.tables.append(table)
            self.tabs.addTab(table, WEEKDAY_NAMES[wd])
        add = QPushButton("Les &toevoegen")
        add.clicked.connect(lambda: self.add_lesson(self.tabs.currentIndex()))
        remove = QPushButton("Les &verwijderen")
        remove.clicked.connect(self.remove_lesson)
        copy = QPushButton("&Kopieer maandag naar alle dagen")
        copy.clicked.connect(self.copy_monday)
        bar = QHBoxLayout()
        for button in (add, remove, copy):
            bar.addWidget(button)
        bar.addStretch(1)
        self.use_valid_from = QCheckBox("Nieuw rooster geldt vanaf")
        self.use_valid_from.setChecked(True)
        self.valid_from = DateEdit(today or dt.date.today())
        self.use_valid_from.toggled.connect(self.valid_from.setEnabled)
        valid = QHBoxLayout()
        valid.addWidget(self.use_valid_from)
        valid.addWidget(self.valid_from)
        valid.addStretch(1)
        hint = QLabel("Tot die datum blijft het oude rooster gelden, zodat de cijfers van vóór de wijziging niet "
                      "veranderen. Zonder vinkje vervangt het nieuwe rooster ook het verleden.")  # fmt: skip
        hint.setWordWrap(True)
        self.error = error_label()
        buttons = dialog_buttons(self, "Opslaan")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Tijden als 08:30. Lessen van één dag mogen elkaar niet overlappen."))
        layout.addWidget(self.tabs)
        layout.addLayout(bar)
        layout.addLayout(valid)
        layout.addWidget(hint)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.reload()
        reload_after_conflict(self, ctx, GROUPS, self.reload, self.error)
        ctx.error.connect(self._inline)
        self.finished.connect(lambda _r: ctx.error.disconnect(self._inline))

    def reload(self) -> bool:
        """The timetable as stored, with the group's version: the timetable is part of the group's record, and a
        change saved meanwhile on another PC makes Opslaan a conflict (issue 14)."""
        group = self.ctx.read(lambda s: s.get(Group, self.group_id))
        if group is None:
            return False
        self.version = group.version
        self.set_lessons(self.ctx.read(timetable_on, self.group_id))
        return True

    # ------------------------------------------------------------------------------------- rows
    def set_lessons(self, lessons: list[LessonRow]) -> None:
        for table in self.tables:
            table.setRowCount(0)
        for wd, number, start, end, label in sorted(lessons):
            if wd < len(self.tables):
                self._append(wd, str(number), dutch.clock(start), dutch.clock(end), label)

    def _append(self, weekday: int, *texts: str) -> None:
        table = self.tables[weekday]
        row = table.rowCount()
        table.insertRow(row)
        for column, text in enumerate(texts):
            table.setItem(row, column, QTableWidgetItem(text))

    def add_lesson(self, weekday: int) -> None:
        """A new lesson after the last one: next number, starting when the last ends, 60 minutes."""
        table = self.tables[weekday]
        try:
            rows = self._rows_of(weekday)
        except ValidationError:
            rows = []
        number = max((r[1] for r in rows), default=0) + 1
        start = max((r[3] for r in rows), default=510)
        self._append(weekday, str(number), dutch.clock(start), dutch.clock(min(start + 60, 1439)), "")
        table.setCurrentCell(table.rowCount() - 1, 1)

    def remove_lesson(self) -> None:
        table = self.tables[self.tabs.currentIndex()]
        if table.currentRow() >= 0:
            table.removeRow(table.currentRow())

    def copy_monday(self) -> None:
        try:
            self.set_lessons(copy_day_to_all(self.lessons()))
        except ValidationError as exc:
            self.ctx.report(str(exc))

    def _rows_of(self, weekday: int) -> list[LessonRow]:
        table = self.tables[weekday]
        out: list[LessonRow] = []
        for r in range(table.rowCount()):
            texts = [(table.item(r, c).text() if table.item(r, c) else "").strip() for c in range(4)]
            if not any(texts):
                continue
            if not texts[0].isdigit() or int(texts[0]) < 1:
                raise ValidationError(f"{WEEKDAY_NAMES[weekday].capitalize()}, regel {r + 1}: het lesnummer is een "
                                      "getal vanaf 1.")  # fmt: skip
            out.append((weekday, int(texts[0]), parse_time(texts[1]), parse_time(texts[2]), texts[3]))
        return out

    def lessons(self) -> list[LessonRow]:
        """All lessons in the editor; a Dutch ValidationError for unreadable numbers or times."""
        return [row for wd in range(len(self.tables)) for row in self._rows_of(wd)]

    # ------------------------------------------------------------------------------------- save
    def accept(self) -> None:
        show_inline(self.error, "")
        try:
            lessons = self.lessons()
        except ValidationError as exc:
            self.ctx.report(str(exc))
            return
        valid_from = self.valid_from.date_value() if self.use_valid_from.isChecked() else None
        version = self.version
        done = self.ctx.run({GROUPS, REGISTER}, lambda s: set_group_timetable(
            s, self.group_id, lessons, valid_from=valid_from, expected_version=version) or True)
        if done is None:
            return
        super().accept()

    def _inline(self, message: str) -> None:
        show_inline(self.error, message)
