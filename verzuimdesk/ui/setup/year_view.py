"""The year at a glance: twelve small month calendars with days off coloured and lesweken numbered."""

from __future__ import annotations

import calendar as pycal
import datetime as dt

from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QColor, QHelpEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QToolTip, QVBoxLayout, QWidget

from verzuimdesk.model import dutch
from verzuimdesk.model.school.calendar import MONTH_NAMES, week_monday
from verzuimdesk.model.setup.settings import DayMark, YearOverview
from verzuimdesk.model.tables import DayOffKind

COLOURS = {
    DayOffKind.HOLIDAY.value: QColor("#FFD59E"),
    DayOffKind.PUBLIC_HOLIDAY.value: QColor("#F4A6A6"),
    DayOffKind.STUDY_DAY.value: QColor("#9FC5F8"),
    DayOffKind.OTHER.value: QColor("#C9B3E6"),
    "weekend": QColor("#E4E4E4"),
    "partial": QColor("#B8E0B0"),
}
LEGEND = [
    (DayOffKind.HOLIDAY.value, "schoolvakantie"), (DayOffKind.PUBLIC_HOLIDAY.value, "feestdag"),
    (DayOffKind.STUDY_DAY.value, "studiedag"), (DayOffKind.OTHER.value, "overig vrij"),
    ("partial", "vrij dagdeel / groep vrij"), ("weekend", "weekend"),
]  # fmt: skip
HEADER = ["lw", "ma", "di", "wo", "do", "vr", "za", "zo"]


class MonthView(QWidget):
    """One month: a column with the lesweek number, then Monday–Sunday."""

    def __init__(self, year: int, month: int, overview: YearOverview) -> None:
        super().__init__()
        self.year, self.month, self.overview = year, month, overview
        self.weeks = pycal.Calendar().monthdatescalendar(year, month)
        self.setMinimumSize(QSize(150, 132))
        self.setMouseTracking(True)

    def _geometry(self) -> tuple[int, int, int]:
        cell_w = max(18, self.width() // 8)
        cell_h = max(16, (self.height() - 4) // 8)
        return cell_w, cell_h, (self.width() - cell_w * 8) // 2

    def _day_at(self, pos: QPoint) -> dt.date | None:
        cell_w, cell_h, x0 = self._geometry()
        col, row = (pos.x() - x0) // cell_w, pos.y() // cell_h - 2
        if 1 <= col <= 7 and 0 <= row < len(self.weeks):
            day = self.weeks[row][col - 1]
            return day if day.month == self.month else None
        return None

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        cell_w, cell_h, x0 = self._geometry()
        font = p.font()
        font.setBold(True)
        p.setFont(font)
        p.drawText(QRect(x0, 0, cell_w * 8, cell_h), Qt.AlignmentFlag.AlignCenter,
                   f"{MONTH_NAMES[self.month - 1]} {self.year}")
        font.setBold(False)
        font.setPointSizeF(font.pointSizeF() * 0.9)
        p.setFont(font)
        p.setPen(QColor("#666666"))
        for col, text in enumerate(HEADER):
            p.drawText(QRect(x0 + col * cell_w, cell_h, cell_w, cell_h), Qt.AlignmentFlag.AlignCenter, text)
        for row, week in enumerate(self.weeks):
            y = (row + 2) * cell_h
            number = self.overview.lesweek_number(week_monday(week[0]))
            p.setPen(QColor("#2E7D32"))
            if number is not None and any(d.month == self.month for d in week):
                p.drawText(QRect(x0, y, cell_w, cell_h), Qt.AlignmentFlag.AlignCenter, str(number))
            for col, day in enumerate(week, start=1):
                if day.month != self.month:
                    continue
                rect = QRect(x0 + col * cell_w + 1, y + 1, cell_w - 2, cell_h - 2)
                mark = self.overview.days.get(day)
                colour = _colour(mark)
                if colour is not None:
                    p.fillRect(rect, colour)
                p.setPen(QColor("#999999") if mark is None else QColor("#222222"))
                p.drawText(rect, Qt.AlignmentFlag.AlignCenter, str(day.day))
        p.end()

    def event(self, e: QEvent) -> bool:
        if e.type() == QEvent.Type.ToolTip and isinstance(e, QHelpEvent):
            day = self._day_at(e.pos())
            text = self.tooltip_for(day) if day else ""
            if text:
                QToolTip.showText(e.globalPos(), text, self)
            else:
                QToolTip.hideText()
            return True
        return super().event(e)

    def tooltip_for(self, day: dt.date) -> str:
        mark = self.overview.days.get(day)
        if mark is None:
            return "buiten het schooljaar"
        lines = [mark.text] if mark.text else ["schooldag"]
        return "\n".join([f"{dutch.date_short(day)}", *lines, *mark.partial])


def _colour(mark: DayMark | None) -> QColor | None:
    if mark is None:
        return None
    if mark.kind:
        return COLOURS.get(mark.kind, COLOURS[DayOffKind.OTHER.value])
    return COLOURS["partial"] if mark.partial else None


class YearView(QWidget):
    """Twelve months (August–July) in three rows of four with the legend beside them (fits a 1024 pixel window)."""

    def __init__(self) -> None:
        super().__init__()
        self.grid = QGridLayout()
        self.grid.setSpacing(6)
        self.months: list[MonthView] = []
        legend = QVBoxLayout()  # beside the months, so that the year fits a 1024 pixel window
        for key, text in LEGEND:
            swatch = QLabel()
            swatch.setFixedSize(14, 14)
            swatch.setStyleSheet(f"background: {COLOURS[key].name()}; border: 1px solid #999;")
            line = QHBoxLayout()
            line.addWidget(swatch)
            line.addWidget(QLabel(text), 1)
            legend.addLayout(line)
        legend.addWidget(QLabel("<span style='color:#2E7D32'>lw</span> = lesweek"))
        legend.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.grid, 1)
        layout.addLayout(legend)

    def set_overview(self, overview: YearOverview | None) -> None:
        for view in self.months:
            self.grid.removeWidget(view)
            view.deleteLater()
        self.months = []
        if overview is None:
            return
        start = overview.year.start_date
        for i in range(12):
            month = (start.month - 1 + i) % 12 + 1
            year = start.year + (start.month - 1 + i) // 12
            view = MonthView(year, month, overview)
            self.months.append(view)
            self.grid.addWidget(view, i // 4, i % 4)
