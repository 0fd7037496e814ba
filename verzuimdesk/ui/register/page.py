"""The register: the screen used every morning (domain.md §4.3).

Why this file is long: it is one screen (date and group pickers, the grid, the side panel and the keyboard
actions of a morning), and its parts share the screen's state; the grid and dialogs live beside it.

One group on one day: pupils × lessons, typed in from the keyboard (see :class:`RegisterGrid`), the
register of each lesson explicitly marked as taken, parents' reports entered with Ctrl+M, undo with
Ctrl+Z. All numbers come from :mod:`verzuimdesk.model.register.view` (built on FiguresEngine).
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPoint, QSettings, Qt
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMenu,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from verzuimdesk.model import dutch
from verzuimdesk.model.register.entries import report_absence, set_register_taken
from verzuimdesk.model.register.view import (
    Cell,
    DaySnapshot,
    LessonColumn,
    RegisterDay,
    active_reasons,
    load_register_day,
    register_cells,
    restore_days,
    school_day_near,
)
from verzuimdesk.model.school.records import active_groups
from verzuimdesk.model.tables import Reason
from verzuimdesk.ui.context import CALENDAR, GROUPS, PUPILS, REASONS, REGISTER, AppContext
from verzuimdesk.ui.register.dialogs import MinutesDialog, ParentReportDialog, ReasonLegend, swatch
from verzuimdesk.ui.register.grid import RegisterFooter, RegisterGrid, RegisterGridModel
from verzuimdesk.ui.widgets import DateEdit

REFRESH_ON = frozenset({REGISTER, PUPILS, GROUPS, CALENDAR, REASONS})


class RegisterPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.view: RegisterDay | None = None
        self.reasons: dict[str, Reason] = {}
        self.undo_stack: list[list[DaySnapshot]] = []
        self._shown = False
        self._lesson_width = 0
        self._total_width = 0
        self._build()
        self._load_groups()
        self._load_reasons()
        ctx.changed.connect(self._on_changed)
        self.refresh()

    # ---------------------------------------------------------------------------------- building
    def _build(self) -> None:
        self.date_edit = DateEdit()
        self.prev_button = QPushButton("◀")
        self.prev_button.setToolTip("Vorige schooldag (Alt+Links)")
        self.next_button = QPushButton("▶")
        self.next_button.setToolTip("Volgende schooldag (Alt+Rechts)")
        self.today_button = QPushButton("Vandaag")
        for b in (self.prev_button, self.next_button):
            b.setFixedWidth(32)
        self.group_combo = QComboBox()
        self.group_combo.setMinimumWidth(140)
        self.summary = QLabel()
        self.summary.setWordWrap(True)  # wraps rather than widen the window
        top = QHBoxLayout()
        top.addWidget(QLabel("Datum:"))
        for w in (self.prev_button, self.date_edit, self.next_button, self.today_button):
            top.addWidget(w)
        top.addSpacing(16)
        top.addWidget(QLabel("Groep:"))
        top.addWidget(self.group_combo)
        top.addSpacing(16)
        top.addWidget(self.summary, 1)
        self.off_label = QLabel()
        self.off_label.setStyleSheet("background:#FFF3CD; color:#5C4400; padding:6px; font-weight:bold;")
        self.off_label.hide()

        self.model = RegisterGridModel(self)
        self.grid = RegisterGrid()
        self.grid.setModel(self.model)
        self.legend = ReasonLegend()
        self.footer = RegisterFooter(self.grid)
        grid_box = QWidget()
        grid_layout = QVBoxLayout(grid_box)
        grid_layout.setContentsMargins(0, 0, 0, 0)
        grid_layout.setSpacing(0)
        grid_layout.addWidget(self.grid, 1)
        grid_layout.addWidget(self.footer)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(grid_box)
        self.splitter.addWidget(self.legend)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setSizes([900, 210])

        self.taken_button = QPushButton()
        self.report_button = QPushButton("Melding ouder… (Ctrl+M)")
        self.report_button.setToolTip("Een afwezigheid vastleggen die ouders hebben gemeld, ook vooraf")
        self.undo_button = QPushButton("Ongedaan maken (Ctrl+Z)")
        self.message = QLabel()
        self.message.setStyleSheet("color:#333;")
        bottom = QHBoxLayout()
        for w in (self.taken_button, self.report_button, self.undo_button):
            bottom.addWidget(w)
        bottom.addSpacing(12)
        bottom.addWidget(self.message, 1)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.off_label)
        layout.addWidget(self.splitter, 1)
        layout.addLayout(bottom)

        self.date_edit.dateChanged.connect(self._context_changed)
        self.group_combo.currentIndexChanged.connect(self._context_changed)
        self.prev_button.clicked.connect(lambda: self.go_to_school_day(-1))
        self.next_button.clicked.connect(lambda: self.go_to_school_day(1))
        self.today_button.clicked.connect(lambda: self.date_edit.set_date(dt.date.today()))
        self.taken_button.clicked.connect(self._toggle_taken)
        self.report_button.clicked.connect(self.open_parent_report)
        self.undo_button.clicked.connect(self.undo)
        self.grid.code_typed.connect(self.apply_code)
        self.grid.clear_requested.connect(lambda: self.apply_code(None))
        self.grid.undo_requested.connect(self.undo)
        self.grid.buffer_changed.connect(lambda b: b and self.message.setText(f"Code: {b}…"))
        self.grid.code_rejected.connect(
            lambda c: self.message.setText(f"'{c}' is geen code; zie de lijst rechts.")
        )
        self.grid.selectionModel().currentChanged.connect(lambda *_: self._update_taken_button())
        self.grid.horizontalHeader().sectionResized.connect(self._column_resized)
        self.grid.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.grid.customContextMenuRequested.connect(self._context_menu)
        for keys_, slot in (
            ("Alt+Left", lambda: self.go_to_school_day(-1)),
            ("Alt+Right", lambda: self.go_to_school_day(1)),
            ("Ctrl+G", self.mark_taken),
            ("Ctrl+M", self.open_parent_report),
        ):
            shortcut = QShortcut(QKeySequence(keys_), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

    def _load_groups(self) -> None:
        current = self.group_combo.currentData()
        self.group_combo.blockSignals(True)
        self.group_combo.clear()
        for g in self.ctx.read(active_groups):
            if self.ctx.sees_group(g.id):  # a leerkracht: only the own groups (issue 11)
                self.group_combo.addItem(g.name, g.id)
        index = self.group_combo.findData(current)
        self.group_combo.setCurrentIndex(max(index, 0))
        self.group_combo.blockSignals(False)

    def _load_reasons(self) -> None:
        reasons = self.ctx.read(active_reasons)
        self.reasons = {r.code: r for r in reasons}
        self.grid.codes = list(self.reasons)
        self.legend.set_reasons(reasons)

    # ---------------------------------------------------------------------------------- state
    @property
    def group_id(self) -> int | None:
        return self.group_combo.currentData()

    @property
    def day(self) -> dt.date:
        return self.date_edit.date_value()

    def _on_changed(self, kinds: frozenset[str]) -> None:
        if not kinds & REFRESH_ON:
            return
        if GROUPS in kinds:
            self._load_groups()
        if REASONS in kinds:
            self._load_reasons()
        self.refresh()

    def _context_changed(self) -> None:
        self.undo_stack.clear()
        self.message.clear()
        self.refresh()

    def on_shown(self) -> None:
        if self._shown:  # the first showing follows the construction, which has just loaded the day
            self.refresh()
        self._shown = True
        self.grid.setFocus()

    def refresh(self) -> None:
        current = self._cell_key(self.grid.currentIndex())
        selected = {self._cell_key(i) for i in self.grid.selectionModel().selectedIndexes()}
        gid = self.group_id
        self.view = self.ctx.read(load_register_day, gid, self.day) if gid is not None else None
        self.model.set_view(self.view)
        self._apply_widths()
        self.footer.sync()
        self._restore_cells(current, selected)
        self._update_labels()
        self._update_taken_button()

    def _cell_key(self, index: QModelIndex) -> tuple[int, int] | None:
        if not self.model.is_pupil_cell(index):
            return None
        return self.model.pupil_row(index.row()).pupil_id, self.model.lesson(index.column()).number

    def _index_for(self, key: tuple[int, int] | None) -> QModelIndex | None:
        if key is None or self.view is None:
            return None
        rows = [i for i, r in enumerate(self.view.rows) if r.pupil_id == key[0]]
        cols = [i for i, les in enumerate(self.view.lessons) if les.number == key[1]]
        return self.model.index(rows[0], cols[0]) if rows and cols else None

    def _restore_cells(self, current: tuple[int, int] | None, selected: set) -> None:
        sel = self.grid.selectionModel()
        index = self._index_for(current)
        if index is None and self.model.pupil_count:
            index = self.model.index(0, 0)
        if index is not None:
            sel.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.NoUpdate)
        for key in selected:
            other = self._index_for(key)
            if other is not None:
                sel.select(other, QItemSelectionModel.SelectionFlag.Select)
        if index is not None and not sel.hasSelection():
            sel.select(index, QItemSelectionModel.SelectionFlag.Select)

    def _update_labels(self) -> None:
        view = self.view
        if self.group_id is None:
            self.summary.setText("Er zijn nog geen groepen: maak ze aan onder Groepen.")
            self.off_label.hide()
            return
        if view is None or not view.lessons:
            self.summary.setText("")
            self.off_label.setText(
                f"{dutch.date_long(self.day, weekday=True)} — "
                f"{view.no_lessons_reason if view else 'Geen lessen.'}"
            )
            self.off_label.show()
            return
        self.off_label.hide()
        self.summary.setText(
            f"{dutch.plural(len(view.rows), 'leerling', 'leerlingen')} · registers genomen: {view.registers_taken} van {len(view.lessons)} · "
            f"afwezig: {dutch.plural(view.pupils_absent, 'leerling', 'leerlingen')} ({dutch.hours(view.total.absent, trim=False)} u) · "
            f"te laat: {view.total.late_count}"
        )

    def _current_lesson_column(self) -> int | None:
        index = self.grid.currentIndex()
        if not index.isValid() or index.column() >= self.model.lesson_count:
            return 0 if self.model.lesson_count else None
        return index.column()

    def _update_taken_button(self) -> None:
        column = self._current_lesson_column()
        if column is None or self.view is None:
            self.taken_button.setText("Register genomen (Ctrl+G)")
            self.taken_button.setEnabled(False)
            return
        lesson = self.view.lessons[column]
        self.taken_button.setEnabled(True)
        if lesson.taken and lesson.taken_at is not None:
            self.taken_button.setText(
                f"Les {lesson.number}: genomen door {lesson.taken_by} om {lesson.taken_at:%H:%M} — intrekken"
            )
        else:
            self.taken_button.setText(f"Les {lesson.number}: register genomen (Ctrl+G)")

    # ------------------------------------------------------------------------------- column widths
    def _apply_widths(self) -> None:
        header = self.grid.horizontalHeader()
        header.blockSignals(True)
        metrics = self.grid.fontMetrics()
        lesson_width = self._lesson_width or metrics.horizontalAdvance("niet genomen") + 8
        for column in range(self.model.lesson_count):
            header.resizeSection(column, lesson_width)
        if self.model.lesson_count:
            header.resizeSection(
                self.model.lesson_count, self._total_width or metrics.horizontalAdvance("10,00 u") + 24
            )
        header.blockSignals(False)

    def _column_resized(self, column: int, _old: int, new: int) -> None:
        if column < self.model.lesson_count:
            self._lesson_width = new
        else:
            self._total_width = new

    def save_state(self, settings: QSettings) -> None:
        settings.setValue("register/group", self.group_id if self.group_id is not None else "")
        settings.setValue("register/lesson_width", self._lesson_width)
        settings.setValue("register/total_width", self._total_width)
        settings.setValue("register/splitter", self.splitter.saveState())

    def restore_state(self, settings: QSettings) -> None:
        self._lesson_width = int(settings.value("register/lesson_width", 0) or 0)
        self._total_width = int(settings.value("register/total_width", 0) or 0)
        splitter = settings.value("register/splitter")
        if splitter:
            self.splitter.restoreState(splitter)
        group = settings.value("register/group", "")
        index = self.group_combo.findData(int(group)) if str(group).isdigit() else -1
        if index >= 0 and index != self.group_combo.currentIndex():
            self.group_combo.setCurrentIndex(index)  # loads that group's day (_context_changed)
        else:
            self._apply_widths()  # the day shown is loaded already: only the remembered widths change

    # ------------------------------------------------------------------------------------- actions
    def go_to_school_day(self, step: int) -> None:
        self.date_edit.set_date(self.ctx.read(school_day_near, self.group_id, self.day, step))

    def selected_cells(self) -> list[tuple[int, int]]:
        """(pupil_id, lesson number) of the selected cells on the pupils' own timetable."""
        indexes = self.grid.selectionModel().selectedIndexes() or [self.grid.currentIndex()]
        cells = []
        for index in sorted(indexes, key=lambda i: (i.column(), i.row())):
            if self.model.is_pupil_cell(index) and self.model.cell(index).scheduled:
                key = self._cell_key(index)
                assert key is not None
                cells.append(key)
        return cells

    def ask_minutes_late(self, code: str, maximum: int) -> int | None:
        """Ask the minutes late (tests replace this method)."""
        dialog = MinutesDialog(code, 5, maximum, self)
        return dialog.spin.value() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def ask_change_reason(self, message: str) -> str | None:
        """The reason for changing an old registration (issue 10 §5); None = cancel (tests replace this)."""
        text, ok = QInputDialog.getText(self, "Reden van de wijziging", f"{message}\n\nReden:")
        return text if ok else None

    def exec_dialog(self, dialog: QDialog) -> bool:
        """Show a modal form (tests replace this to fill it in)."""
        return dialog.exec() == QDialog.DialogCode.Accepted

    def apply_code(self, code: str | None) -> None:
        """The typed code (None = present) on every selected cell: one transaction, one undo step."""
        cells = self.selected_cells()
        if self.view is None or not cells:
            self.message.setText(
                "Kies eerst een les van een leerling; grijze cellen staan niet op diens rooster."
            )
            return
        minutes = 0
        reason = self.reasons.get(code) if code else None
        if reason is not None and reason.is_lateness:
            longest = min(
                les.end - les.start for les in self.view.lessons if les.number in {n for _, n in cells}
            )
            answer = self.ask_minutes_late(reason.code, longest)
            if answer is None:
                return
            minutes = answer
        what = f"{reason.code} ({reason.name})" if reason else "aanwezig"
        late = f", {minutes} min te laat" if minutes else ""
        # The versions of the cells as this screen shows them: a cell changed on another PC meanwhile is a
        # conflict, not an overwrite (issue 14); the dialog lists this input so it is not lost.
        versions = {key: self._cell_at(key).version for key in cells}
        attempted = {key: f"{self._describe_cell(key)}: {what}{late}" for key in cells}
        snapshots = self.ctx.run_with_reason(
            self.ask_change_reason, {REGISTER}, register_cells, self.day, cells, code, by=self.ctx.user,
            minutes_late=minutes, versions=versions, attempted=attempted,
        )
        if snapshots is None:
            return
        self.undo_stack.append(snapshots)
        where = dutch.plural(len(cells), 'les', 'lessen') if len(cells) > 1 else self._describe_cell(cells[0])
        self.message.setText(f"{where}: {what}.")

    def _cell_at(self, key: tuple[int, int]) -> Cell:
        index = self._index_for(key)
        assert index is not None
        return self.model.cell(index)

    def _describe_cell(self, key: tuple[int, int]) -> str:
        index = self._index_for(key)
        name = self.model.pupil_row(index.row()).name if index is not None else ""
        return f"{name}, les {key[1]}"

    def undo(self) -> None:
        if not self.undo_stack:
            self.message.setText("Er is niets om ongedaan te maken.")
            return
        snapshots = self.undo_stack.pop()
        if self.ctx.run({REGISTER}, restore_days, snapshots) is None:
            self.undo_stack.append(snapshots)
            return
        self.message.setText("Laatste invoer ongedaan gemaakt.")

    def mark_taken(self) -> None:
        column = self._current_lesson_column()
        if column is None or self.view is None or self.group_id is None:
            return
        self._set_taken(self.view.lessons[column], True)

    def _toggle_taken(self) -> None:
        column = self._current_lesson_column()
        if column is None or self.view is None or self.group_id is None:
            return
        lesson = self.view.lessons[column]
        self._set_taken(lesson, not lesson.taken)

    def _set_taken(self, lesson: LessonColumn, taken: bool) -> None:
        """Mark or unmark, handing back the mark this screen showed: a mark made meanwhile on another PC stays
        (and the status line says whose it is), unmarking a mark this screen did not show is a conflict (issue 14)."""
        line = self.ctx.run({REGISTER}, set_register_taken, self.group_id, self.day, lesson.number, taken,
                            by=self.ctx.user, seen=lesson.taken_at)  # fmt: skip
        if line is not None:
            self.message.setText(line)

    def open_parent_report(self) -> None:
        if self.view is None or not self.view.rows:
            self.message.setText("Kies eerst een groep en een leerling.")
            return
        index = self.grid.currentIndex()
        row = index.row() if index.isValid() and index.row() < self.model.pupil_count else 0
        pupil = self.view.rows[row]
        dialog = ParentReportDialog(pupil.name, self.day, list(self.reasons.values()), self)
        if not self.exec_dialog(dialog):
            return
        report = dialog.value()
        created = self.ctx.run_with_reason(
            self.ask_change_reason,
            {REGISTER},
            report_absence,
            pupil.pupil_id,
            report.date_from,
            report.date_to,
            report.reason_code,
            by=self.ctx.user,
            start=report.start,
            end=report.end,
            note=report.note,
            # The pupil's cells as this screen shows them: one changed meanwhile on another PC is a conflict.
            seen={self.day: {les.number: cell.version for les, cell in zip(self.view.lessons, pupil.cells)}},
        )
        if created is not None:
            self.message.setText(
                f"Melding vastgelegd voor {pupil.name}: {report.reason_code}, {dutch.plural(len(created), 'les', 'lessen')}."
            )

    def _context_menu(self, pos: QPoint) -> None:
        if not self.model.is_pupil_cell(self.grid.indexAt(pos)):
            return
        menu = QMenu(self)
        menu.addAction("Aanwezig", lambda: self.apply_code(None))
        menu.addSeparator()
        for code, reason in self.reasons.items():
            if code != "A":
                menu.addAction(
                    swatch(QColor(reason.color)), f"{code}  {reason.name}", lambda c=code: self.apply_code(c)
                )
        menu.exec(self.grid.viewport().mapToGlobal(pos))
