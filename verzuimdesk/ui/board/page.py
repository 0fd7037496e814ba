"""Bestuur: the board overview for a board account (issue 14 point 4): one line per school the account sees
(pupils, absence, tiers, open mandatory meldingen, deliveries), the overview as PDF or Excel, and "School openen"
for a school where the account has a role. For the bestuursbeheerder two more tabs: the board accounts
(``ui/board/accounts.py``) and the board's logboek (``ui/board/log.py``). The model computes
(model/board/overview.py); a school is opened in a new program window, which asks for the log-in of that school.

The screen is the "Bestuur" screen of a school's window (a board account logged in to a school of the board) and
the whole of the board window (``ui/board/window.py``: a board account opens the database without a school)."""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QProcess, QProcessEnvironment, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from verzuimdesk.model import dutch
from verzuimdesk.model.board.admin import log_overview_export
from verzuimdesk.model.board.overview import SchoolFigures
from verzuimdesk.model.db import ENV_VAR
from verzuimdesk.model.schemas import SCHOOL_ENV
from verzuimdesk.reports.board import HEADERS, board_pdf, board_xlsx, overview_rows, period_text
from verzuimdesk.ui.board.access import BoardAccess
from verzuimdesk.ui.board.accounts import AccountsTab
from verzuimdesk.ui.board.log import LogTab
from verzuimdesk.ui.context import AppContext
from verzuimdesk.ui.forms import table_view
from verzuimdesk.ui.widgets import Column, RowsModel

ROLE_LABELS = {"beheerder": "beheerder", "ib": "intern begeleider", "leerkracht": "leerkracht",
               "bestuur": "alleen cijfers", "": "bestuursbeheerder"}  # fmt: skip


@dataclass(frozen=True)
class BoardLine:
    figures: SchoolFigures | None  # None: the total line
    texts: list[str]
    role: str
    may_open: bool


TOTAL_BACKGROUND = QColor("#DCE6F2")


def _column(i: int, header: str) -> Column[BoardLine]:
    return Column(header, lambda r: r.texts[i],
                  align_right=i >= 2,
                  sort_key=lambda r: (r.figures is None, r.texts[i] if i < 2 else _number(r.texts[i])),
                  background=lambda r: TOTAL_BACKGROUND if r.figures is None else None)  # fmt: skip


def _number(text: str) -> float:
    try:
        return float(text.replace(".", "").replace(",", ".").rstrip(" %"))
    except ValueError:
        return -1.0


# The screen's headings: those of the documents (reports/board), in two lines where a column would be wide.
SCREEN_HEADERS = ["School", "BRIN", "Leerlingen", "Geoorloofd", "Ongeoor-\nloofd", "Afwezig", "Niveau\n1", "Niveau\n2",
                  "Niveau\n3", "Open\nverplicht", "Aggregaten\naan DUO", "Meldingen\nverstuurd"]  # fmt: skip
assert len(SCREEN_HEADERS) == len(HEADERS)
COLUMNS: list[Column[BoardLine]] = [*(_column(i, h) for i, h in enumerate(SCREEN_HEADERS)),
                                    Column("Uw rol", lambda r: "" if r.figures is None else ROLE_LABELS.get(r.role, r.role))]


def launch_school(url: str, code: str) -> bool:
    """A new program window on school ``code`` of the board (the URL goes in the environment, not on the
    command line, where other users could read a password in it)."""
    env = QProcessEnvironment.systemEnvironment()
    env.insert(ENV_VAR, url)
    env.insert(SCHOOL_ENV, code)
    process = QProcess()
    process.setProcessEnvironment(env)
    frozen = getattr(sys, "frozen", False)
    process.setProgram(sys.executable)
    process.setArguments([] if frozen else ["-m", "verzuimdesk"])
    ok, _pid = process.startDetached()
    return bool(ok)


class BoardPage(QWidget):
    def __init__(self, ctx: AppContext | BoardAccess, today: Callable[[], dt.date] = dt.date.today) -> None:
        super().__init__()
        self.access = ctx if isinstance(ctx, BoardAccess) else BoardAccess.of_school(ctx)
        self.today = today
        # Tests replace these: where a file is saved, and how a school is opened.
        self.ask_path: Callable[[str, str], str] = self._ask_path
        self.launch: Callable[[str, str], bool] = launch_school
        self.figures: list[SchoolFigures] = []
        layout = QVBoxLayout(self)
        title = QLabel("Bestuur")
        title.setStyleSheet("font-size: 14pt; font-weight: bold;")
        layout.addWidget(title)
        self.tabs = QTabWidget()
        self.tabs.setTabBarAutoHide(True)  # the overview alone needs no tab
        layout.addWidget(self.tabs, 1)
        overview = QWidget()
        self.tabs.addTab(overview, "Overzicht")
        self.accounts: AccountsTab | None = None
        self.log: LogTab | None = None
        if self.access.is_admin():  # the accounts and the logboek are the bestuursbeheerder's
            self.accounts = AccountsTab(self.access)
            self.log = LogTab(self.access)
            self.tabs.addTab(self.accounts, "Accounts")
            self.tabs.addTab(self.log, "Logboek")
        layout = QVBoxLayout(overview)
        layout.setContentsMargins(0, 6, 0, 0)
        self.period = QLabel()
        self.period.setWordWrap(True)
        layout.addWidget(self.period)
        self.model: RowsModel[BoardLine] = RowsModel(COLUMNS)
        self.view, self.proxy = table_view(self.model, stretch=0)
        self.view.setSortingEnabled(False)  # in the order of the codes, the total last
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        layout.addWidget(self.view, 1)
        note = QLabel("Afwezig: geoorloofd en ongeoorloofd verzuim als deel van de ingeroosterde lestijd, schooljaar "
                      "tot vandaag. Niveaus: leerlingen per aanwezigheidsniveau. Open verplichte meldingen: nog niet "
                      "afgehandeld. Leveringen: dit schooljaar aan DUO. Alleen cijfers, geen leerlinggegevens.")  # fmt: skip
        note.setWordWrap(True)
        note.setStyleSheet("color: #5F6B7A;")
        layout.addWidget(note)
        buttons = QHBoxLayout()
        self.pdf_button = QPushButton("PDF…")
        self.pdf_button.clicked.connect(lambda: self.save("pdf"))
        self.xlsx_button = QPushButton("Excel…")
        self.xlsx_button.clicked.connect(lambda: self.save("xlsx"))
        self.open_button = QPushButton("School openen")
        self.open_button.setToolTip("Opent de gekozen school in een nieuw venster (inloggen met uw bestuursaccount).")
        self.open_button.clicked.connect(self.open_selected)
        self.refresh_button = QPushButton("Vernieuwen")
        self.refresh_button.clicked.connect(self.refresh)
        for button in (self.pdf_button, self.xlsx_button, self.open_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.refresh_button)
        layout.addLayout(buttons)
        self.refresh()

    def refresh(self) -> None:
        on = self.today()
        roles = {s.code: (s.role, s.may_open) for s in self.access.schools()}
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)  # every school is computed: seconds
        try:
            self.figures = self.access.overview(on)
        finally:
            QApplication.restoreOverrideCursor()
        texts = overview_rows(self.figures)
        lines = [BoardLine(f, t, *roles.get(f.code, ("", False))) for f, t in zip(self.figures, texts, strict=False)]
        lines += [BoardLine(None, t, "-", False) for t in texts[len(self.figures):]]
        self.model.set_rows(lines)
        self.view.resizeColumnsToContents()
        for column in range(2, len(SCREEN_HEADERS)):  # the figures narrow, so that 1280×720 shows every column
            self.view.setColumnWidth(column, min(self.view.columnWidth(column), 86))
        self.period.setText(f"{period_text(self.figures, on)}. "
                            f"{dutch.plural(len(self.figures), 'school', 'scholen')} die u mag zien.")  # fmt: skip
        self._update_buttons()

    def selected(self) -> BoardLine | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.row_at(self.proxy.mapToSource(rows[0]).row()) if rows else None

    def _update_buttons(self, *_args: object) -> None:
        line = self.selected()
        current = self.access.current_code
        self.open_button.setEnabled(line is not None and line.may_open and line.figures is not None
                                    and line.figures.code != current)  # fmt: skip
        self.pdf_button.setEnabled(bool(self.figures))
        self.xlsx_button.setEnabled(bool(self.figures))

    def open_selected(self) -> None:
        line = self.selected()
        if line is None or line.figures is None or not line.may_open:
            return
        if not self.launch(self.access.url, line.figures.code):
            self.access.report("Het nieuwe venster kon niet worden gestart.")

    def save(self, kind: str) -> Path | None:
        on = self.today()
        path = self.ask_path(kind, f"bestuursoverzicht-{on:%Y-%m-%d}.{kind}")
        if not path:
            return None
        data = board_pdf(self.figures, on) if kind == "pdf" else board_xlsx(self.figures, on)
        try:
            Path(path).write_bytes(data)
        except OSError as exc:
            self.access.report(f"Het bestand {path} kon niet worden geschreven: {exc.strerror}.")
            return None
        self.access.run(log_overview_export, "PDF" if kind == "pdf" else "Excel", on)
        return Path(path)

    def _ask_path(self, kind: str, suggested: str) -> str:
        file_filter = "PDF-bestand (*.pdf)" if kind == "pdf" else "Excel-bestand (*.xlsx)"
        path, _f = QFileDialog.getSaveFileName(self, "Bestuursoverzicht opslaan",
                                               str(Path(os.path.expanduser("~")) / suggested), file_filter)
        return path
