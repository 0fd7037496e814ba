"""The register grid: pupils × lessons of one group-day, typed in from the keyboard.

Why this file is long: the grid's item model, its delegate and the key handling are one keyboard-driven widget
and are only used together.

:class:`RegisterGridModel` shows a :class:`~verzuimdesk.model.register.view.RegisterDay` (plus footer rows
with the totals per lesson); :class:`RegisterGrid` turns key presses into requests ("code Z", "present",
"undo") that the register page carries out as model operations.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QKeyEvent, QPainter, QPen, QPixmap, QPolygon
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
)

from verzuimdesk.model import dutch
from verzuimdesk.model.register.tiers import TIER_NAMES
from verzuimdesk.model.register.view import Cell, LessonColumn, PupilRow, RegisterDay
from verzuimdesk.model.school.reasons import CATEGORY_LABELS

_Index = QModelIndex | QPersistentModelIndex
FROM_PARENT_ROLE = Qt.ItemDataRole.UserRole + 10
FOOTER = ["Register", "Aanwezig", "Afwezig", "Te laat"]
FOOTER_TIPS = [
    "Is het register van de les genomen? Een les zonder genomen register telt niet als 'iedereen aanwezig'.",
    "Leerlingen op tijd aanwezig (te laat en afwezig worden apart geteld); '–' zolang het register niet genomen is.",
    "Leerlingen afwezig in de les (ook deels), geoorloofd en ongeoorloofd. Rechts: uren van de hele groep.",
    "Leerlingen te laat in de les. Rechts: aantal keren vandaag.",
]
NOT_TAKEN_COLOR = QColor("#FFD180")
TAKEN_COLOR = QColor("#C8E6C9")
GREY_HATCH = QBrush(QColor("#B0B0B0"), Qt.BrushStyle.BDiagPattern)
TIER_COLORS = {1: "#7CB342", 2: "#F29D38", 3: "#C62828"}  # niveau 1/2/3 (domain.md §10)
_TIER_ICONS: dict[int, QIcon] = {}
TIER_ROLE = Qt.ItemDataRole.UserRole + 11


def tier_icon(tier: int) -> QIcon:
    """A small round badge with the tier's number, coloured per tier (made once per tier)."""
    if tier not in _TIER_ICONS:
        pix = QPixmap(16, 16)
        pix.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pix)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(TIER_COLORS.get(tier, "#888888")))
        painter.drawEllipse(1, 1, 14, 14)
        font = QFont()
        font.setPixelSize(10)
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(QColor("white"))
        painter.drawText(pix.rect(), int(Qt.AlignmentFlag.AlignCenter), str(tier))
        painter.end()
        _TIER_ICONS[tier] = QIcon(pix)
    return _TIER_ICONS[tier]


def tier_tooltip(row: PupilRow) -> str:
    if row.tier is None:
        return "Geen aanwezigheidsniveau: geen ingeroosterde tijd in de periode."
    pct = dutch.number(row.tier_pct or 0, 1)
    period = f" ({dutch.span_short(*row.tier_period)})" if row.tier_period else ""
    return (f"Niveau {row.tier} – {TIER_NAMES.get(row.tier, '')}: {pct} % afwezig van de ingeroosterde tijd"
            f"{period}, geoorloofd en ongeoorloofd samen.")


def text_color_for(background: QColor) -> QColor:
    """Black on light colours, white on dark ones (so every reason colour stays readable)."""
    luminance = 0.299 * background.red() + 0.587 * background.green() + 0.114 * background.blue()
    return QColor("black") if luminance > 140 else QColor("white")


def _hours(minutes: int) -> str:
    return f"{dutch.hours(minutes, trim=False)} u"


def cell_tooltip(cell: Cell, lesson: LessonColumn) -> str:
    when = f"Les {lesson.number}, {dutch.clock(lesson.start)}–{dutch.clock(lesson.end)}"
    if not cell.scheduled:
        return f"{when}: geen les volgens het eigen rooster van deze leerling (bijvoorbeeld opbouwrooster)."
    if cell.reason is None:
        return f"{when}: aanwezig (geen afwezigheid geregistreerd)."
    reason = cell.reason
    lines = [
        f"{when}: {reason.code} – {reason.name} ({CATEGORY_LABELS.get(reason.category, reason.category)})"
    ]
    if reason.is_lateness:
        lines.append(f"{dutch.plural(cell.minutes, 'minuut', 'minuten')} te laat")
    elif cell.partial:
        lines.append(f"{cell.minutes} van de {dutch.plural(cell.lesson_minutes, 'minuut', 'minuten')}")
    if cell.other_reasons:
        lines.append("Ook in deze les: " + ", ".join(cell.other_reasons))
    if cell.from_parent:
        lines.append("Gemeld door ouder" + (f": {cell.note}" if cell.note else ""))
    elif cell.note:
        lines.append(f"Notitie: {cell.note}")
    if cell.entered_by:
        lines.append(f"Ingevoerd door {cell.entered_by}")
    return "\n".join(lines)


class RegisterGridModel(QAbstractTableModel):
    """Rows: the pupils, then the footer (register taken, present, absent, late); columns: lessons + total."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.view: RegisterDay | None = None

    def set_view(self, view: RegisterDay | None) -> None:
        self.beginResetModel()
        self.view = view
        self.endResetModel()

    # ------------------------------------------------------------------------------ shape helpers
    @property
    def pupil_count(self) -> int:
        return len(self.view.rows) if self.view else 0

    @property
    def lesson_count(self) -> int:
        return len(self.view.lessons) if self.view else 0

    def is_pupil_cell(self, index: _Index) -> bool:
        return index.isValid() and index.row() < self.pupil_count and index.column() < self.lesson_count

    def pupil_row(self, row: int) -> PupilRow:
        assert self.view is not None
        return self.view.rows[row]

    def lesson(self, column: int) -> LessonColumn:
        assert self.view is not None
        return self.view.lessons[column]

    def cell(self, index: _Index) -> Cell:
        assert self.view is not None
        return self.view.cell(index.row(), index.column())

    # ------------------------------------------------------------------------------ Qt interface
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or not self.lesson_count else self.pupil_count + len(FOOTER)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or not self.lesson_count else self.lesson_count + 1

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if self.is_pupil_cell(index) and self.cell(index).scheduled:
            return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return Qt.ItemFlag.ItemIsEnabled

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if self.view is None:
            return None
        if orientation == Qt.Orientation.Vertical:
            footer = section >= self.pupil_count
            if role == Qt.ItemDataRole.DisplayRole:
                return FOOTER[section - self.pupil_count] if footer else self.view.rows[section].name
            if role == Qt.ItemDataRole.FontRole and footer:
                font = QFont()
                font.setBold(True)
                return font
            if role == Qt.ItemDataRole.ToolTipRole and footer:
                return FOOTER_TIPS[section - self.pupil_count]
            if footer:
                return None
            row = self.view.rows[section]
            if role == Qt.ItemDataRole.DecorationRole and row.tier is not None:
                return tier_icon(row.tier)
            if role == Qt.ItemDataRole.ToolTipRole:
                return tier_tooltip(row)
            if role == TIER_ROLE:
                return row.tier
            return None
        if section >= self.lesson_count:
            if role == Qt.ItemDataRole.DisplayRole:
                return "Afwezig\n(uren)"
            if role == Qt.ItemDataRole.ToolTipRole:
                return "Uren afwezig op deze dag (geoorloofd en ongeoorloofd, te laat in minuten)."
            return None
        lesson = self.view.lessons[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{lesson.header}\n{'genomen' if lesson.taken else 'niet genomen'}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._taken_tooltip(lesson)
        return None

    @staticmethod
    def _taken_tooltip(lesson: LessonColumn) -> str:
        span = f"Les {lesson.number} ({dutch.clock(lesson.start)}–{dutch.clock(lesson.end)})"
        if lesson.taken and lesson.taken_at is not None:
            return f"{span}: register genomen door {lesson.taken_by} om {lesson.taken_at:%H:%M} ({dutch.date_short(lesson.taken_at)})."
        return f"{span}: register nog niet genomen. Kies de les en druk Ctrl+G als het register is opgenomen."

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.view is None:
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if index.row() >= self.pupil_count:
            return self._footer_data(index.row() - self.pupil_count, index.column(), role)
        if index.column() >= self.lesson_count:
            return self._pupil_total(self.view.rows[index.row()], role)
        cell = self.cell(index)
        if role == Qt.ItemDataRole.DisplayRole:
            return cell.text
        if role == Qt.ItemDataRole.BackgroundRole:
            if not cell.scheduled:
                return GREY_HATCH
            return QColor(cell.reason.color) if cell.reason is not None else None
        if role == Qt.ItemDataRole.ForegroundRole and cell.reason is not None:
            return text_color_for(QColor(cell.reason.color))
        if role == Qt.ItemDataRole.FontRole and cell.from_parent:
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            return cell_tooltip(cell, self.view.lessons[index.column()])
        if role == FROM_PARENT_ROLE:
            return cell.from_parent
        return None

    @staticmethod
    def _pupil_total(row: PupilRow, role: int) -> Any:
        fig = row.figures
        if role == Qt.ItemDataRole.DisplayRole:
            if not fig.scheduled:
                return "—"
            return _hours(fig.absent) if fig.absent else ""
        if role == Qt.ItemDataRole.ToolTipRole:
            if not fig.scheduled:
                return "Vandaag geen lessen op het rooster van deze leerling."
            return (
                f"Ingeroosterd: {_hours(fig.scheduled)}\nGeoorloofd afwezig: {_hours(fig.authorised)}\n"
                f"Ongeoorloofd afwezig: {_hours(fig.unauthorised)}\nTe laat: {fig.late_count} keer\n\n"
                + tier_tooltip(row)
            )
        return None

    def _footer_data(self, footer: int, column: int, role: int) -> Any:
        assert self.view is not None
        view = self.view
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(footer == 0 and column >= self.lesson_count)
            return font
        if column >= self.lesson_count:  # the totals column
            if role != Qt.ItemDataRole.DisplayRole:
                return None
            if footer == 0:
                return f"{view.registers_taken} van {len(view.lessons)}"
            if footer == 2:
                return _hours(view.total.absent)
            if footer == 3:
                return str(view.total.late_count)
            return ""
        lesson, totals = view.lessons[column], view.lesson_totals[column]
        if footer == 0:
            if role == Qt.ItemDataRole.DisplayRole:
                return f"✓ {lesson.taken_at:%H:%M}" if lesson.taken and lesson.taken_at else "niet genomen"
            if role == Qt.ItemDataRole.BackgroundRole:
                return TAKEN_COLOR if lesson.taken else NOT_TAKEN_COLOR
            if role == Qt.ItemDataRole.ToolTipRole:
                return self._taken_tooltip(lesson)
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if footer == 1:
                return str(totals.present) if lesson.taken else "–"
            return str(totals.absent if footer == 2 else totals.late)
        if role == Qt.ItemDataRole.ToolTipRole and footer == 1 and not lesson.taken:
            return (
                f"Register van les {lesson.number} is nog niet genomen: niet bekend wie er is "
                f"(zonder afwezigheid ingevoerd: {totals.present} van {totals.scheduled})."
            )
        if role == Qt.ItemDataRole.ToolTipRole and totals.not_counted:
            return f"{dutch.plural(totals.not_counted, 'leerling', 'leerlingen')} met lesuitval (niet meegeteld)."
        return None


class RegisterDelegate(QStyledItemDelegate):
    """Keeps the reason colour visible under the selection (a frame instead of a fill) and marks
    parents' reports with a blue corner."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        opt = QStyleOptionViewItem(option)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)  # type: ignore[operator]
        has_focus = bool(opt.state & QStyle.StateFlag.State_HasFocus)  # type: ignore[operator]
        opt.state &= ~QStyle.StateFlag.State_Selected  # type: ignore[assignment]
        opt.state &= ~QStyle.StateFlag.State_HasFocus  # type: ignore[assignment]
        painter.fillRect(option.rect, option.palette.base())  # type: ignore[attr-defined]  # no selection fill
        super().paint(painter, opt, index)
        rect = option.rect  # type: ignore[attr-defined]
        painter.save()
        if index.data(FROM_PARENT_ROLE):
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor("#1565C0"))
            r = rect.topRight()
            painter.drawPolygon(
                QPolygon([QPoint(r.x() - 9, r.y()), QPoint(r.x() + 1, r.y()), QPoint(r.x() + 1, r.y() + 10)])
            )
        if selected or has_focus:
            painter.setBrush(Qt.BrushStyle.NoBrush)
            pen = QPen(QColor("#0D47A1") if has_focus else QColor("#42A5F5"))
            pen.setWidth(3 if has_focus else 2)
            painter.setPen(pen)
            painter.drawRect(rect.adjusted(1, 1, -2, -2))
        painter.restore()


class RegisterGrid(QTableView):
    """Keyboard entry: type a code (Z, T, TG…), space/Delete = present, Enter = next pupil, Ctrl+Z = undo.

    Two-letter codes are collected in a short buffer: a code is committed as soon as the typed letters
    match only one code, on Enter, or after :attr:`BUFFER_MS` milliseconds."""

    BUFFER_MS = 700
    code_typed = Signal(str)  # a complete reason code for the selected cells
    clear_requested = Signal()  # the selected cells: present
    undo_requested = Signal()
    buffer_changed = Signal(str)  # letters typed so far ("" when empty)
    code_rejected = Signal(str)  # letters that are no code

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.codes: list[str] = []
        self._buffer = ""
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(self.BUFFER_MS)
        self._timer.timeout.connect(self.commit_buffer)
        self.setItemDelegate(RegisterDelegate(self))
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setTabKeyNavigation(False)
        self.setWordWrap(False)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setDefaultSectionSize(28)

    @property
    def grid_model(self) -> RegisterGridModel:
        model = self.model()
        assert isinstance(model, RegisterGridModel)
        return model

    @property
    def buffer(self) -> str:
        return self._buffer

    # ------------------------------------------------------------------------------------- typing
    def _set_buffer(self, text: str) -> None:
        self._buffer = text
        if text:
            self._timer.start()
        else:
            self._timer.stop()
        self.buffer_changed.emit(text)

    def commit_buffer(self) -> None:
        code = self._buffer
        self._set_buffer("")
        if not code:
            return
        if code in self.codes:
            self.code_typed.emit(code)
        else:
            self.code_rejected.emit(code)

    def type_letter(self, letter: str) -> None:
        typed = self._buffer + letter
        matches = [c for c in self.codes if c.startswith(typed)]
        if matches == [typed]:
            self._set_buffer("")
            self.code_typed.emit(typed)
        elif matches:
            self._set_buffer(typed)
        elif self._buffer in self.codes:  # "Z" then "T": Z is complete, T starts anew
            self.commit_buffer()
            self.type_letter(letter)
        else:
            self._set_buffer("")
            self.code_rejected.emit(typed)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, mods = event.key(), event.modifiers()
        ctrl_alt = mods & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
        if ctrl_alt:
            if key == Qt.Key.Key_Z and mods & Qt.KeyboardModifier.ControlModifier:
                self._set_buffer("")
                self.undo_requested.emit()
                return
            super().keyPressEvent(event)
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.commit_buffer()
            self.move_to_next_pupil()
        elif key == Qt.Key.Key_Escape:
            self._set_buffer("")
        elif key == Qt.Key.Key_Backspace and self._buffer:
            self._set_buffer(self._buffer[:-1])
        elif key in (Qt.Key.Key_Space, Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self._set_buffer("")
            self.clear_requested.emit()
        elif len(event.text()) == 1 and event.text().isalnum():
            self.type_letter(event.text().upper())
        else:  # navigation: a pending code belongs to the cell it was typed on
            self.commit_buffer()
            super().keyPressEvent(event)

    # --------------------------------------------------------------------------------- navigation
    def move_to_next_pupil(self) -> None:
        """Down one pupil; from the last pupil to the first pupil of the next lesson."""
        model = self.grid_model
        current = self.currentIndex()
        if not model.pupil_count or not model.lesson_count:
            return
        row, column = (current.row(), current.column()) if current.isValid() else (-1, 0)
        column = min(column, model.lesson_count - 1)
        if row + 1 < model.pupil_count:
            row += 1
        elif column + 1 < model.lesson_count:
            row, column = 0, column + 1
        else:
            row = model.pupil_count - 1
        self.go_to(row, column)

    def go_to(self, row: int, column: int) -> None:
        """Make a cell current and the only selected one."""
        index = self.grid_model.index(row, column)
        self.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.scrollTo(index)


class RegisterFooter(QTableView):
    """The footer rows of the grid (register taken, present, absent, late), always in view under the
    pupils: a second view on the same model, its columns kept in step with the grid."""

    def __init__(self, grid: RegisterGrid) -> None:
        super().__init__()
        self.grid = grid
        self.setModel(grid.model())
        self.horizontalHeader().hide()
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setDefaultSectionSize(grid.verticalHeader().defaultSectionSize())
        grid.horizontalScrollBar().valueChanged.connect(self.horizontalScrollBar().setValue)
        grid.horizontalHeader().sectionResized.connect(
            lambda column, _old, new: self.setColumnWidth(column, new)
        )

    def sync(self) -> None:
        """After the model was reset: pupils in the grid, totals here, same column and header widths."""
        model = self.grid.grid_model
        for row in range(model.rowCount()):
            self.grid.setRowHidden(row, row >= model.pupil_count)
            self.setRowHidden(row, row < model.pupil_count)
        for column in range(model.columnCount()):
            self.setColumnWidth(column, self.grid.columnWidth(column))
        for header in (self.grid.verticalHeader(), self.verticalHeader()):
            header.setMinimumWidth(0)
            header.setMaximumWidth(10_000)
        width = max(self.grid.verticalHeader().sizeHint().width(), self.verticalHeader().sizeHint().width(), 0)
        for header in (self.grid.verticalHeader(), self.verticalHeader()):
            header.setFixedWidth(width)
        self.setFixedHeight(len(FOOTER) * self.verticalHeader().defaultSectionSize() + 2 * self.frameWidth())
        self.setVisible(model.lesson_count > 0)
