"""Reservekopieën (under Inrichting): the backups next to the database, making one now, putting one back
(what it replaces is kept), the two settings of issue 10 (how many automatic backups to keep; after how
many school days a registration needs a reason to change), the check of the audit trail and its newest
lines."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from sqlmodel import Session

from verzuimdesk.model.audit import verify_trail
from verzuimdesk.model.backups import KEEP_KEY, BackupFile, backup_dir, keep_count, list_backups, make_backup
from verzuimdesk.model.db import open_database, restore_database, sqlite_path
from verzuimdesk.model.errors import VerzuimdeskError
from verzuimdesk.model.register.changes import reason_days, set_reason_days
from verzuimdesk.model.store import get_setting, set_setting
from verzuimdesk.ui.backup.trail import TrailTable
from verzuimdesk.ui.context import ALL, SETTINGS, AppContext
from verzuimdesk.ui.forms import fit_columns, table_view
from verzuimdesk.ui.widgets import Column, RowsModel

BACKUP_COLUMNS: list[Column[BackupFile]] = [
    Column("Gemaakt", lambda b: f"{b.made:%d-%m-%Y %H:%M:%S}", sort_key=lambda b: b.made),
    Column("Soort", lambda b: b.kind_label),
    Column("Grootte", lambda b: f"{max(b.size // 1024, 1)} kB", sort_key=lambda b: b.size, align_right=True),
    Column("Bestand", lambda b: b.path.name, tooltip=lambda b: str(b.path)),
]


def _save_settings(session: Session, keep: int, days: int) -> bool:
    set_setting(session, KEEP_KEY, str(keep))
    set_reason_days(session, days)
    return True


class BackupPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.where = QLabel()
        self.where.setWordWrap(True)
        self.model: RowsModel[BackupFile] = RowsModel(BACKUP_COLUMNS)
        self.view, _proxy = table_view(self.model, stretch=3)
        fit_columns(self.view, [150, 170, 80])
        self.make_button = QPushButton("Reservekopie &maken")
        self.make_button.clicked.connect(self.make_now)
        self.restore_button = QPushButton("Gekozen kopie &terugzetten…")
        self.restore_button.clicked.connect(self.restore_selected)
        self.check_button = QPushButton("Logboek &controleren")
        self.check_button.clicked.connect(self.check_trail)
        buttons = QHBoxLayout()
        for b in (self.make_button, self.restore_button, self.check_button):
            buttons.addWidget(b)
        buttons.addStretch(1)

        self.keep = QSpinBox()
        self.keep.setRange(1, 100)
        self.keep.setSuffix(" automatische kopieën")
        self.days = QSpinBox()
        self.days.setRange(0, 200)
        self.days.setSuffix(" schooldagen")
        save = QPushButton("Instellingen &opslaan")
        save.clicked.connect(self.save_settings)
        form = QFormLayout()
        form.addRow("Bewaren:", self.keep)
        form.addRow("Wijzigen met reden na:", self.days)
        self.days.setToolTip("Een registratie die ouder is dan zoveel schooldagen, kan alleen met een reden "
                             "worden gewijzigd of verwijderd (de reden komt in het logboek).")
        form.addRow("", save)
        settings = QGroupBox("Instellingen")
        settings.setLayout(form)

        self.status = QLabel()
        self.status.setWordWrap(True)
        self.trail = TrailTable(ctx, limit=500)
        # Side by side on a wide screen would not fit a 1024-pixel laptop: the settings sit under the list.
        top = QVBoxLayout()
        top.addWidget(self.where)
        top.addWidget(self.view, 1)
        top.addLayout(buttons)
        top.addWidget(settings)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<h2>Reservekopieën en logboek</h2>"))
        layout.addLayout(top, 2)
        layout.addWidget(self.status)
        layout.addWidget(QLabel("<b>Logboek</b> — de nieuwste 500 wijzigingen (alles: <tt>verzuimdesk logboek</tt>)"))
        layout.addWidget(self.trail, 3)
        ctx.changed.connect(lambda _kinds: self.refresh())
        self.refresh()

    @property
    def db_file(self) -> Path | None:
        return sqlite_path(self.ctx.db.url)

    def on_shown(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        db_file = self.db_file
        if db_file is None:
            self.where.setText("Deze database staat op een databaseserver (PostgreSQL); daarvan maakt de "
                               "databasebeheerder de reservekopieën (pg_dump).")
            self.model.set_rows([])
        else:
            self.where.setText(f"Reservekopieën staan naast de database in <tt>{backup_dir(db_file)}</tt>. "
                               "Elke dag bij de eerste start en bij het afsluiten wordt er automatisch een "
                               "gemaakt en gecontroleerd.")
            self.model.set_rows(list_backups(db_file))
        for b in (self.make_button, self.restore_button):
            b.setEnabled(db_file is not None)
        self.keep.setValue(keep_count(self.ctx.read(get_setting, KEEP_KEY, "")))
        self.days.setValue(self.ctx.read(reason_days))
        self.trail.load()

    def selected(self) -> BackupFile | None:
        rows = self.view.selectionModel().selectedRows() if self.view.selectionModel() else []
        if not rows:
            return None
        return self.model.row_at(self.view.model().mapToSource(rows[0]).row())  # type: ignore[attr-defined]

    def make_now(self) -> None:
        db_file = self.db_file
        if db_file is None:
            return
        try:
            path = make_backup(db_file, "handmatig", keep=self.keep.value())
        except VerzuimdeskError as exc:
            self.ctx.report(str(exc))
            return
        self.status.setText(f"Reservekopie gemaakt en gecontroleerd: {path}")
        self.refresh()

    def confirm(self, question: str) -> bool:
        """Ask before putting a backup back (tests replace this)."""
        answer = QMessageBox.question(self, "Reservekopie terugzetten", question)
        return answer == QMessageBox.StandardButton.Yes

    def restore_selected(self) -> None:
        db_file, chosen = self.db_file, self.selected()
        if db_file is None or chosen is None:
            self.status.setText("Kies eerst een reservekopie in de lijst.")
            return
        if not self.confirm(f"De database wordt teruggezet naar de stand van {chosen.made:%d-%m-%Y %H:%M}. "
                            "Wat daarna is vastgelegd, staat dan niet meer in het register (de huidige database "
                            "wordt eerst apart bewaard). Doorgaan?"):
            return
        url, key, actor = self.ctx.db.url, self.ctx.db.key, self.ctx.db.actor
        self.ctx.db.close()
        try:
            kept = restore_database(db_file, chosen.path, key=key)
        except VerzuimdeskError as exc:
            self.ctx.report(str(exc))
            kept = None
        try:
            self.ctx.db = open_database(url, exclusive=True, key=key)
            self.ctx.db.actor = actor  # the same person stays logged in (an encrypted backup has the same key)
        except VerzuimdeskError as exc:
            self.ctx.report(str(exc))
            return
        self.ctx.changed.emit(ALL)
        if kept is not None:
            self.status.setText(f"Teruggezet naar {chosen.path.name}. De vervangen database is bewaard als {kept}.")

    def check_trail(self) -> None:
        check = self.ctx.read(verify_trail)
        if check.intact:
            self.status.setText(f"Het logboek is ongeschonden: {check.lines} regels; laatste hash "
                                f"{check.last_hash[:16]}…")
        else:
            self.status.setText("Het logboek is NIET ongeschonden:\n" + "\n".join(check.problems[:10]))

    def save_settings(self) -> None:
        if self.ctx.run({SETTINGS}, _save_settings, self.keep.value(), self.days.value()):
            self.status.setText("Instellingen opgeslagen.")
