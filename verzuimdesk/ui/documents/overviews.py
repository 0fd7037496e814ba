"""Overzichten: the per-pupil overview, group and school overviews, Excel exports and batch printing
(issue 4 part 5).

Pick a pupil (search) or a group or the whole school and a period (school year, quarter, own dates),
see a preview, print, open in the PDF reader, save, or export to Excel. "Alle overzichten…" writes the
per-pupil overviews of a group or the school in a worker thread (its own database session) with a
progress dialog and a cancel button. The last choices are remembered.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, QThread, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QRadioButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)
from sqlmodel import Session

from verzuimdesk.model.school.calendar import school_year_name_for
from verzuimdesk.model.school.names import name_matches
from verzuimdesk.model.school.records import active_groups, pupil_choices, school_years
from verzuimdesk.reports.data import Period, quarter_period, school_year_period
from verzuimdesk.reports.overviews.batch import run_batch
from verzuimdesk.reports.overviews.group import render_group_overview
from verzuimdesk.reports.overviews.group_data import build_group_overview
from verzuimdesk.reports.overviews.pupil import render_pupil_overview
from verzuimdesk.reports.overviews.pupil_data import build_pupil_overview
from verzuimdesk.reports.overviews.xlsx import group_overview_xlsx, school_year_workbook
from verzuimdesk.ui.context import GROUPS, PUPILS, AppContext
from verzuimdesk.ui.documents.preview import HAVE_PRINT, PdfPreview, print_pdf
from verzuimdesk.ui.widgets import DateEdit

KINDS = ("leerling", "groep", "school")


class BatchWorker(QObject):
    """Runs :func:`verzuimdesk.reports.overviews.batch.run_batch` in a worker thread."""

    progress = Signal(int, int, str)
    done = Signal(object)  # tuple of paths, or None when cancelled
    failed = Signal(str)

    def __init__(self, ctx: AppContext, kwargs: dict[str, object]) -> None:
        super().__init__()
        self.ctx, self.kwargs = ctx, kwargs
        self._cancel = False

    def cancel(self) -> None:
        self._cancel = True

    def run(self) -> None:
        try:
            paths = None
            for p in run_batch(self.ctx.db, cancelled=lambda: self._cancel, **self.kwargs):  # type: ignore[arg-type]
                self.progress.emit(p.done, p.total, p.current)
                if p.finished:
                    paths = p.paths
            self.done.emit(None if self._cancel else paths)
        except Exception as exc:  # shown to the user; the batch removed its partial file
            self.failed.emit(f"Het maken van de overzichten is mislukt: {exc}")


class DocumentsPage(QWidget):
    title = "Overzichten"

    def __init__(self, ctx: AppContext, today: dt.date | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.today = today or dt.date.today()
        self.pdf: bytes | None = None
        self.pdf_path: Path | None = None
        self._tmp = Path(tempfile.mkdtemp(prefix="verzuimdesk-"))
        self.thread: QThread | None = None
        self.worker: BatchWorker | None = None
        self.last_batch: tuple[Path, ...] | None = None
        self._build()
        self.reload()
        ctx.changed.connect(lambda kinds: self.reload() if kinds & {PUPILS, GROUPS} else None)

    # ------------------------------------------------------------------------------------ building
    def _build(self) -> None:
        self.kind_buttons = QButtonGroup(self)
        kinds = QHBoxLayout()
        for i, (key, label) in enumerate(zip(KINDS, ("Leerling", "Groep", "Hele school"), strict=True)):
            rb = QRadioButton(label)
            rb.setObjectName(f"kind_{key}")
            self.kind_buttons.addButton(rb, i)
            kinds.addWidget(rb)
        self.kind_buttons.button(0).setChecked(True)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Zoek op naam of leerlingnummer…")
        self.search.setClearButtonEnabled(True)
        self.pupil_list = QListWidget()
        self.group = QComboBox()
        self.year = QComboBox()
        self.period_kind = QComboBox()
        self.period_kind.addItems(["Heel schooljaar", "1e kwartaal (aug–okt)", "2e kwartaal (nov–jan)",
                                   "3e kwartaal (feb–apr)", "4e kwartaal (mei–jul)", "Eigen periode"])
        self.date_from, self.date_to = DateEdit(self.today), DateEdit(self.today)
        dates = QHBoxLayout()
        dates.addWidget(self.date_from)
        dates.addWidget(self.date_to)
        self.sickness = QCheckBox("Redenen bij ziekte vermelden (gezondheidsgegevens)")
        self.names = QCheckBox("Namen van leerlingen vermelden")
        self.names.setChecked(True)
        self.names.setToolTip("Zonder namen (bijvoorbeeld voor de MR) bevat het overzicht alleen cijfers per groep, "
                              "niveau, dag, les en reden, en geen lijst per leerling.")
        self.one_file = QCheckBox("Alle overzichten in één PDF (anders één bestand per leerling)")
        self.one_file.setChecked(True)

        form = QFormLayout()
        form.addRow("Overzicht van:", kinds)
        form.addRow("Leerling:", self.search)
        form.addRow("", self.pupil_list)
        form.addRow("Groep:", self.group)
        form.addRow("Schooljaar:", self.year)
        form.addRow("Periode:", self.period_kind)
        form.addRow("Van – tot en met:", dates)
        form.addRow("", self.sickness)
        form.addRow("", self.names)
        self.preview_button = QPushButton("Voorbeeld maken")
        self.print_button = QPushButton("Afdrukken…")
        self.open_button = QPushButton("Openen in PDF-lezer")
        self.save_button = QPushButton("Opslaan als…")
        self.excel_button = QPushButton("Excel-export…")
        self.batch_button = QPushButton("Alle overzichten van de groep…")
        if not HAVE_PRINT:
            self.print_button.setEnabled(False)
            self.print_button.setToolTip("Afdrukken vraagt Qt PrintSupport; open het document in de PDF-lezer.")
        buttons = QVBoxLayout()
        for b in (self.preview_button, self.print_button, self.open_button, self.save_button, self.excel_button):
            buttons.addWidget(b)
        buttons.addSpacing(10)
        buttons.addWidget(self.one_file)
        buttons.addWidget(self.batch_button)
        left = QWidget()
        lay = QVBoxLayout(left)
        lay.addLayout(form)
        lay.addLayout(buttons)
        lay.addStretch(1)
        self.preview = PdfPreview()
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.preview)
        splitter.setStretchFactor(1, 1)
        outer = QVBoxLayout(self)
        outer.addWidget(splitter)

        self.kind_buttons.idClicked.connect(lambda _i: self._update_enabled())
        self.period_kind.currentIndexChanged.connect(lambda _i: self._update_enabled())
        self.search.textChanged.connect(self._filter)
        self.preview_button.clicked.connect(self.make_preview)
        self.print_button.clicked.connect(self.print_document)
        self.open_button.clicked.connect(self.open_document)
        self.save_button.clicked.connect(self.save_document)
        self.excel_button.clicked.connect(self.export_excel)
        self.batch_button.clicked.connect(self.start_batch)
        self._update_enabled()

    def reload(self) -> None:
        def load(s: Session) -> tuple[list[tuple[int, str]], list[tuple[int, str]], list[str]]:
            pupils = pupil_choices(s)
            return pupils, [(g.id, g.name) for g in active_groups(s)], [y.name for y in school_years(s)]

        pupils, groups, years = self.ctx.read(load)
        current = self.pupil_id()
        self.pupil_list.clear()
        for pid, text in pupils:
            item = QListWidgetItem(text)
            item.setData(256, pid)
            self.pupil_list.addItem(item)
        self._filter(self.search.text())
        if current is not None:
            self.select_pupil(current)
        self.group.clear()
        for gid, name in groups:
            self.group.addItem(name, gid)
        year = self.year.currentText()
        self.year.clear()
        self.year.addItems(years)
        self.year.setCurrentText(year or school_year_name_for(self.today))

    def _filter(self, text: str) -> None:
        needle = text.strip().lower()
        for i in range(self.pupil_list.count()):
            item = self.pupil_list.item(i)
            item.setHidden(not name_matches(needle, item.text()))

    def _update_enabled(self) -> None:
        kind = self.kind()
        self.search.setEnabled(kind == "leerling")
        self.pupil_list.setEnabled(kind == "leerling")
        self.group.setEnabled(kind == "groep")
        self.names.setEnabled(kind != "leerling")
        custom = self.period_kind.currentIndex() == 5
        self.date_from.setEnabled(custom)
        self.date_to.setEnabled(custom)
        self.batch_button.setText("Alle overzichten van de school…" if kind == "school" else
                                  "Alle overzichten van de groep…")  # fmt: skip
        self.batch_button.setEnabled(kind != "leerling")

    # ------------------------------------------------------------------------------------ choices
    def kind(self) -> str:
        return KINDS[max(0, self.kind_buttons.checkedId())]

    def set_kind(self, kind: str) -> None:
        self.kind_buttons.button(KINDS.index(kind)).setChecked(True)
        self._update_enabled()

    def pupil_id(self) -> int | None:
        item = self.pupil_list.currentItem()
        return item.data(256) if item is not None and not item.isHidden() else None

    def select_pupil(self, pupil_id: int) -> None:
        for i in range(self.pupil_list.count()):
            if self.pupil_list.item(i).data(256) == pupil_id:
                self.pupil_list.setCurrentRow(i)
                return

    def period(self) -> Period:
        year = self.year.currentText() or school_year_name_for(self.today)
        index = self.period_kind.currentIndex()
        if index == 0:
            return school_year_period(year)
        if 1 <= index <= 4:
            return quarter_period(year, index)
        lo, hi = self.date_from.date_value(), self.date_to.date_value()
        return Period(min(lo, hi), max(lo, hi), "eigen periode")

    # ------------------------------------------------------------------------------------ documents
    def make_preview(self) -> bool:
        kind, period = self.kind(), self.period()
        if kind == "leerling" and self.pupil_id() is None:
            self.ctx.report("Kies eerst een leerling in de lijst.")
            return False
        sickness, names, pid, gid = self.sickness.isChecked(), self.names.isChecked(), self.pupil_id(), None
        if kind == "groep":
            gid = self.group.currentData()

        def make(s: Session) -> tuple[bytes, str]:
            if kind == "leerling":
                data = build_pupil_overview(s, pid, period, include_sickness_details=sickness, today=self.today)
                return render_pupil_overview(data), f"Overzicht {data.pupil_name}"
            g = build_group_overview(s, period, gid, today=self.today, include_names=names)
            return render_group_overview(g), f"Verzuimoverzicht {g.title}"

        self.pdf, name = self.ctx.read(make)
        self.pdf_path = self._tmp / f"{_safe(name)}.pdf"
        self.pdf_path.write_bytes(self.pdf)
        self.preview.show_document(self.pdf_path)
        return True

    def _ensure_pdf(self) -> bool:
        return self.make_preview()

    def print_document(self) -> None:
        if self._ensure_pdf() and self.pdf_path is not None:
            message = print_pdf(self.pdf_path, self)
            if message:
                QMessageBox.information(self, "Afdrukken", message)

    def open_document(self) -> None:
        if self._ensure_pdf() and self.pdf_path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.pdf_path)))

    def save_document(self) -> None:
        if not self._ensure_pdf() or self.pdf is None or self.pdf_path is None:
            return
        path, _ = QFileDialog.getSaveFileName(self, "Opslaan als", self.pdf_path.name, "PDF (*.pdf)")
        if path:
            Path(path).write_bytes(self.pdf)

    def export_excel(self) -> None:
        kind, period, names = self.kind(), self.period(), self.names.isChecked()
        gid = self.group.currentData() if kind == "groep" else None
        default = f"Verzuim {self.year.currentText()}.xlsx" if kind != "groep" else f"Verzuim {self.group.currentText()}.xlsx"
        path, _ = QFileDialog.getSaveFileName(self, "Excel-export", _safe(default), "Excel (*.xlsx)")
        if not path:
            return
        if kind == "school" and self.period_kind.currentIndex() == 0:
            self.ctx.read(school_year_workbook, self.year.currentText(), path, today=self.today,
                          include_names=names)  # fmt: skip
        elif kind == "leerling":
            self.ctx.report("Kies voor een Excel-export een groep of de hele school.")
        else:
            data = self.ctx.read(build_group_overview, period, gid, today=self.today, include_names=names)
            group_overview_xlsx(data, path)

    # ------------------------------------------------------------------------------------ batch
    def start_batch(self, target: str | None = None) -> None:
        kind = self.kind()
        one = self.one_file.isChecked()
        if not target:
            if one:
                target, _ = QFileDialog.getSaveFileName(self, "Alle overzichten opslaan", "Overzichten.pdf",
                                                        "PDF (*.pdf)")  # fmt: skip
            else:
                target = QFileDialog.getExistingDirectory(self, "Map voor de overzichten")
        if not target:
            return
        kwargs: dict[str, object] = {
            "period": self.period(), "target": target, "one_file": one, "today": self.today,
            "group_id": self.group.currentData() if kind == "groep" else None,
            "include_sickness_details": self.sickness.isChecked(),
        }  # fmt: skip
        self.progress = QProgressDialog("Overzichten maken…", "Annuleren", 0, 0, self)
        self.progress.setWindowTitle("Overzichten")
        self.progress.setMinimumDuration(0)
        self.thread = QThread(self)
        self.worker = BatchWorker(self.ctx, kwargs)
        self.worker.moveToThread(self.thread)
        self.thread.started.connect(self.worker.run)
        self.worker.progress.connect(self._on_progress)
        self.worker.done.connect(self._on_done)
        self.worker.failed.connect(self._on_failed)
        self.progress.canceled.connect(self._cancel_batch)  # a method of the page: runs at once, in the UI thread
        self.thread.start()

    def _cancel_batch(self) -> None:
        if self.worker is not None:
            self.worker.cancel()

    def _on_progress(self, done: int, total: int, current: str) -> None:
        self.progress.setMaximum(total)
        self.progress.setValue(done)
        if current:
            self.progress.setLabelText(f"Overzicht {done} van {total}: {current}")

    def _finish_thread(self) -> None:
        if self.thread is not None:
            self.thread.quit()
            self.thread.wait()
        self.progress.reset()

    def _on_done(self, paths: object) -> None:
        self._finish_thread()
        self.last_batch = paths if isinstance(paths, tuple) else None

    def _on_failed(self, message: str) -> None:
        self._finish_thread()
        self.ctx.report(message)

    # ------------------------------------------------------------------------------------ state
    def save_state(self, settings: QSettings) -> None:
        settings.setValue("overzichten/soort", self.kind())
        settings.setValue("overzichten/leerling", self.pupil_id() or 0)
        settings.setValue("overzichten/groep", self.group.currentText())
        settings.setValue("overzichten/periode", self.period_kind.currentIndex())
        settings.setValue("overzichten/schooljaar", self.year.currentText())
        settings.setValue("overzichten/ziekte", self.sickness.isChecked())
        settings.setValue("overzichten/namen", self.names.isChecked())
        settings.setValue("overzichten/een_bestand", self.one_file.isChecked())

    def restore_state(self, settings: QSettings) -> None:
        def flag(key: str, default: str) -> bool:
            return str(settings.value(key, default)).lower() == "true"

        kind = str(settings.value("overzichten/soort", "leerling"))
        self.set_kind(kind if kind in KINDS else "leerling")
        pid = int(settings.value("overzichten/leerling", 0) or 0)
        if pid:
            self.select_pupil(pid)
        group = str(settings.value("overzichten/groep", ""))
        if group:
            self.group.setCurrentText(group)
        year = str(settings.value("overzichten/schooljaar", ""))
        if year:
            self.year.setCurrentText(year)
        self.period_kind.setCurrentIndex(int(settings.value("overzichten/periode", 0) or 0))
        self.sickness.setChecked(flag("overzichten/ziekte", "false"))
        self.names.setChecked(flag("overzichten/namen", "true"))
        self.one_file.setChecked(flag("overzichten/een_bestand", "true"))
        self._update_enabled()


def _safe(name: str) -> str:
    return "".join("-" if c in '\\/:*?"<>|' else c for c in name)
