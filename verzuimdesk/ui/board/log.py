"""Bestuur › Logboek: the board's logboek for the bestuursbeheerder (issue 14 point 4): who made the board, added
schools and accounts, gave or took access, changed a password, disabled or enabled an account, or exported the
overview; newest first, with a search field (model/board/admin.py ``board_log_lines``), and whether its hash chain
is intact (``verify_board_log``)."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from verzuimdesk.model import dutch
from verzuimdesk.model.board.admin import BoardLogLine, board_log_lines, verify_board_log
from verzuimdesk.ui.board.access import BoardAccess
from verzuimdesk.ui.forms import table_view
from verzuimdesk.ui.widgets import Column, RowsModel

COLUMNS: list[Column[BoardLogLine]] = [
    Column("Wanneer", lambda r: dutch.date_time_short(r.at), sort_key=lambda r: r.at),
    Column("Wie", lambda r: r.by),
    Column("Wat", lambda r: r.action),
    Column("Bijzonderheden", lambda r: r.detail),
]


class LogTab(QWidget):
    def __init__(self, access: BoardAccess) -> None:
        super().__init__()
        self.access = access
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        intro = QLabel("Wat er op het bestuur is gedaan: scholen, accounts, toegang, wachtwoorden en exports van het "
                       "bestuursoverzicht (nieuwste bovenaan). Wat er binnen een school gebeurt, staat in het logboek "
                       "van die school.")  # fmt: skip
        intro.setWordWrap(True)
        layout.addWidget(intro)
        bar = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText("Zoeken in het logboek…")
        self.search.setClearButtonEnabled(True)
        bar.addWidget(self.search, 1)
        self.refresh_button = QPushButton("Vernieuwen")
        self.refresh_button.clicked.connect(self.refresh)
        bar.addWidget(self.refresh_button)
        layout.addLayout(bar)
        self.model: RowsModel[BoardLogLine] = RowsModel(COLUMNS)
        self.view, self.proxy = table_view(self.model)
        self.proxy.setFilterKeyColumn(-1)
        self.search.textChanged.connect(self.proxy.setFilterFixedString)
        layout.addWidget(self.view, 1)
        self.count = QLabel()
        self.count.setWordWrap(True)
        layout.addWidget(self.count)
        access.changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        lines = self.access.read(board_log_lines, self.access.username)
        self.model.set_rows(lines)
        self.view.resizeColumnsToContents()
        check = self.access.read(verify_board_log, self.access.username)
        text = dutch.plural(len(lines), "regel", "regels") + " in het logboek van het bestuur. "
        if check.intact:
            self.count.setText(text + "De hashketen is ongeschonden: er is niets gewijzigd, verwijderd of ingevoegd.")
            self.count.setStyleSheet("")
        else:
            self.count.setText(text + "Het logboek is NIET ongeschonden: " + " ".join(check.problems[:5]))
            self.count.setStyleSheet("color: #B71C1C; font-weight: bold;")
