"""Privacy (beheerder): the purge after the retention period and inzage or deletion per pupil (issue 11
points 3 and 4). The model does the work (model/security/retention.py, inzage.py); this screen lists, asks for
confirmation and writes the inzage ZIP where the user chooses."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from verzuimdesk.model.security.inzage import (
    delete_pupil_on_request,
    inzage_export_data,
    pupil_choices,
    retention_applies,
)
from verzuimdesk.model.security.retention import DuePupil, due_for_removal, purge, retention_years
from verzuimdesk.reports.inzage import inzage_zip
from verzuimdesk.ui.context import PUPILS, REGISTER, AppContext
from verzuimdesk.ui.forms import ask_text, confirm, table_view
from verzuimdesk.ui.security.encryption import EncryptionBox
from verzuimdesk.ui.widgets import Column, RowsModel

COLUMNS: list[Column[DuePupil]] = [
    Column("Leerling", lambda r: r.name),
    Column("Leerlingnr.", lambda r: r.key),
    Column("Uitgeschreven", lambda r: r.left_on.strftime("%d-%m-%Y"), sort_key=lambda r: r.left_on),
    Column("Termijn verstreken op", lambda r: r.due_since.strftime("%d-%m-%Y"), sort_key=lambda r: r.due_since),
    Column("Wordt verwijderd", lambda r: r.summary),
]


def _title(text: str) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet("font-size: 14pt; font-weight: bold;")
    return label


class PrivacyPage(QWidget):
    def __init__(self, ctx: AppContext, today: Callable[[], dt.date] = dt.date.today) -> None:
        super().__init__()
        self.ctx = ctx
        self.today = today
        # Tests replace these to answer the questions without a modal dialog.
        self.confirm: Callable[[str, str], bool] = lambda title, text: confirm(self, title, text)
        self.ask_reason: Callable[[str], str | None] = lambda text: ask_text(self, "Reden van verwijderen", text)
        self.ask_path: Callable[[str], str] = self._ask_path
        layout = QVBoxLayout(self)
        layout.addWidget(_title("Privacy"))
        purge_box = QGroupBox("Bewaartermijn en opschonen")
        purge_layout = QVBoxLayout(purge_box)
        self.retention = QLabel()
        self.retention.setWordWrap(True)
        purge_layout.addWidget(self.retention)
        self.model: RowsModel[DuePupil] = RowsModel(COLUMNS)
        self.view, self.proxy = table_view(self.model, stretch=4)
        self.view.setSelectionMode(self.view.SelectionMode.ExtendedSelection)
        purge_layout.addWidget(self.view, 1)
        row = QHBoxLayout()
        self.purge_button = QPushButton("Gekozen leerlingen verwijderen…")
        self.purge_button.clicked.connect(self.purge_selected)
        select_all = QPushButton("Alles kiezen")
        select_all.clicked.connect(self.view.selectAll)
        row.addWidget(select_all)
        row.addWidget(self.purge_button)
        row.addStretch(1)
        purge_layout.addLayout(row)
        layout.addWidget(purge_box, 1)

        inzage_box = QGroupBox("Inzage en verwijderen per leerling (op verzoek van ouders)")
        inzage_layout = QVBoxLayout(inzage_box)
        text = QLabel("Ouders hebben recht op inzage in alles wat de school over hun kind vastlegt (art. 15 AVG). "
                      "De export bevat een PDF om te lezen en dezelfde gegevens als JSON en CSV in één ZIP-bestand; "
                      "het maken ervan wordt vastgelegd. Onjuiste gegevens verbetert u in de gewone schermen.")
        text.setWordWrap(True)
        inzage_layout.addWidget(text)
        row = QHBoxLayout()
        self.pupil = QComboBox()
        self.pupil.setMinimumWidth(300)
        self.export_button = QPushButton("Inzage-export maken…")
        self.export_button.clicked.connect(self.export_inzage)
        self.delete_button = QPushButton("Alle gegevens van deze leerling verwijderen…")
        self.delete_button.clicked.connect(self.delete_pupil)
        row.addWidget(QLabel("Leerling:"))
        row.addWidget(self.pupil, 1)
        actions = QHBoxLayout()  # under the pupil: beside it, the row would not fit a 1024-pixel laptop
        actions.addWidget(self.export_button)
        actions.addWidget(self.delete_button)
        actions.addStretch(1)
        inzage_layout.addLayout(row)
        inzage_layout.addLayout(actions)
        layout.addWidget(inzage_box)
        self.encryption = EncryptionBox(ctx)
        layout.addWidget(self.encryption)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        ctx.changed.connect(lambda kinds: self.refresh() if kinds & {PUPILS, REGISTER, "privacy"} else None)
        self.refresh()

    def refresh(self) -> None:
        years = self.ctx.read(retention_years)
        rows = self.ctx.read(due_for_removal, self.today())
        self.retention.setText(
            f"De school bewaart de gegevens van een leerling tot {years} jaar na uitschrijving (in te stellen bij "
            "Schoolgids → instellingen, 'Bewaartermijn'). "
            + (f"{len(rows)} leerling(en) zijn daarna nog niet verwijderd:" if rows else
               "Er zijn geen leerlingen van wie de bewaartermijn is verstreken."))  # fmt: skip
        self.model.set_rows(rows)
        self.view.resizeColumnsToContents()
        self.purge_button.setEnabled(bool(rows))
        current = self.pupil.currentData()
        self.pupil.clear()
        for pid, label in self.ctx.read(pupil_choices):
            self.pupil.addItem(label, pid)
        self.pupil.setCurrentIndex(max(0, self.pupil.findData(current)))

    def selected(self) -> list[DuePupil]:
        rows = {i.row() for i in self.view.selectionModel().selectedRows()}
        return [self.model.rows[self.proxy.mapToSource(self.proxy.index(r, 0)).row()] for r in sorted(rows)]

    def purge_selected(self) -> None:
        chosen = self.selected()
        if not chosen:
            self.message.setText("Kies eerst de leerlingen die u wilt verwijderen.")
            return
        names = "\n".join(f"- {d.name}: {d.summary}" for d in chosen[:15])
        more = f"\n… en nog {len(chosen) - 15}" if len(chosen) > 15 else ""
        question = (f"Alle gegevens van deze {len(chosen)} leerling(en) definitief verwijderen?\n\n{names}{more}\n\n"
                    "Cijfers zonder namen en leveringen aan DUO blijven bestaan. Dit kan niet ongedaan worden "
                    "gemaakt; maak eerst een reservekopie als u twijfelt.")  # fmt: skip
        if not self.confirm("Opschonen na de bewaartermijn", question):
            return
        counts = self.ctx.run({PUPILS, REGISTER, "privacy"}, purge, [d.pupil_id for d in chosen], self.today())
        if counts is not None:
            self.message.setText(f"{len(chosen)} leerling(en) verwijderd; vastgelegd in het logboek (alleen aantallen).")

    def _ask_path(self, default: str) -> str:
        path, _ = QFileDialog.getSaveFileName(self, "Inzage-export opslaan", default, "ZIP-bestand (*.zip)")
        return path

    def export_inzage(self) -> None:
        pid = self.pupil.currentData()
        if pid is None:
            return
        data = self.ctx.run({"privacy"}, inzage_export_data, int(pid), self.today())
        if data is None:
            return
        path = self.ask_path(f"Inzage leerling {data.pupil_key} {self.today():%Y-%m-%d}.zip")
        if not path:
            self.message.setText("Geen bestand gekozen; de export is niet opgeslagen (het verzoek staat wel in het logboek).")
            return
        Path(path).write_bytes(inzage_zip(data))
        self.message.setText(f"Inzage-export van {data.pupil_name} opgeslagen: {path} ({data.row_count} regels).")

    def delete_pupil(self) -> None:
        pid = self.pupil.currentData()
        if pid is None:
            return
        name = self.pupil.currentText()
        legal = self.ctx.read(retention_applies, int(pid), self.today())
        warning = (f"Let op: er geldt nog een wettelijke bewaartermijn. {legal}\n\nVerwijder alleen als daar een "
                   "goede reden voor is (bijvoorbeeld een leerling die per vergissing is ingeschreven).\n\n"
                   if legal else "")  # fmt: skip
        if not self.confirm("Gegevens verwijderen", f"{warning}Alle gegevens van {name} definitief verwijderen?"):
            return
        reason = ""
        if legal:
            reason = self.ask_reason("Waarom worden deze gegevens binnen de bewaartermijn verwijderd?") or ""
            if not reason.strip():
                self.message.setText("Zonder reden is er niets verwijderd.")
                return
        done = self.ctx.run({PUPILS, REGISTER, "privacy"}, delete_pupil_on_request, int(pid), self.today(),
                            despite_retention=bool(legal), reason=reason)  # fmt: skip
        if done is not None:
            self.message.setText(f"Alle gegevens van {name} zijn verwijderd; vastgelegd in het logboek.")
