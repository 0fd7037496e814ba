"""Importing from the menu: the import runs off the UI thread with a progress dialog and Annuleren, and the
result (every change, every warning, or every reason of a refusal) is shown in full and can be saved as
a text file (issue 10, points 3 and 4).

Thin by design: the model does the work (:func:`verzuimdesk.imports.run_import`, all or nothing); Annuleren
makes the progress callback raise :class:`ImportCancelled`, so the import's transaction rolls back.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from PySide6.QtCore import QEventLoop, QObject, Qt, QThread, Signal, Slot
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QPlainTextEdit,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from verzuimdesk.imports import ImportResult, run_import
from verzuimdesk.imports.common import failure_text
from verzuimdesk.imports.guard import ImportCancelled
from verzuimdesk.model import dutch
from verzuimdesk.model.db import Database
from verzuimdesk.model.errors import ImportFailed, VerzuimdeskError

log = logging.getLogger(__name__)
UNEXPECTED = ("Het inlezen is gestopt door een onverwachte fout; er is niets gewijzigd. Het logbestand van "
              "verzuimdesk bevat de technische details voor de beheerder.")


class ImportWorker(QObject):
    """Runs one import in a worker thread; ``cancel()`` (from the UI thread) stops it at the next row."""

    progressed = Signal(int, int)
    done = Signal()

    def __init__(self, db: Database, kind: str, path: str) -> None:
        super().__init__()
        self.db, self.kind, self.path = db, kind, path
        self.result: ImportResult | None = None
        self.error: VerzuimdeskError | None = None
        self.progress_dialog: QProgressDialog | None = None  # while it runs in the background
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    def _report(self, done: int, total: int) -> None:
        if self._cancel.is_set():
            raise ImportCancelled()
        self.progressed.emit(done, total)

    def run(self) -> None:
        try:
            self.result = run_import(self.db, self.kind, self.path, progress=self._report)
        except VerzuimdeskError as exc:
            self.error = exc
        except Exception:  # a bug must not leave the progress dialog open forever; the log keeps the details
            log.exception("Import van %s (%s) mislukt", self.path, self.kind)
            self.error = ImportFailed(UNEXPECTED)
        finally:
            self.done.emit()


def run_in_background(parent: QWidget | None, db: Database, kind: str, path: str,
                      worker: ImportWorker | None = None) -> ImportWorker:
    """Run the import in a QThread behind a modal progress dialog with Annuleren; returns when it is done."""
    worker = worker or ImportWorker(db, kind, path)
    thread = QThread()
    worker.moveToThread(thread)
    progress = QProgressDialog(f"{Path(path).name} inlezen…", "Annuleren", 0, 0, parent)
    progress.setWindowTitle("Importeren")
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setMinimumDuration(300)
    progress.setMinimumWidth(380)
    progress.setAutoClose(False)
    progress.setAutoReset(False)
    # Direct: the worker's thread is busy importing, a queued call would only arrive when it is done.
    progress.canceled.connect(worker.cancel, Qt.ConnectionType.DirectConnection)
    worker.progress_dialog = progress

    bridge = _ProgressBridge(progress, Path(path).name)  # lives in the UI thread: updates arrive queued
    worker.progressed.connect(bridge.update_progress)
    loop = QEventLoop()
    worker.done.connect(loop.quit)  # loop lives in the UI thread: the call is queued to it
    thread.started.connect(worker.run)
    thread.start()
    loop.exec()
    thread.quit()
    thread.wait()
    progress.close()
    worker.progress_dialog = None
    progress.deleteLater()
    return worker


class _ProgressBridge(QObject):
    """Receives the worker's progress in the UI thread (a plain function would run in the worker's thread)."""

    def __init__(self, dialog: QProgressDialog, name: str) -> None:
        super().__init__(dialog)
        self.dialog, self.name = dialog, name

    @Slot(int, int)
    def update_progress(self, done: int, total: int) -> None:
        self.dialog.setMaximum(max(total, 1))
        self.dialog.setValue(done)
        self.dialog.setLabelText(f"{self.name} inlezen… {done} van {total}")


class ImportReportDialog(QDialog):
    """The whole outcome of an import as text, with "Opslaan als tekst…"."""

    def __init__(self, parent: QWidget | None, title: str, summary: str, text: str, suggested_name: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.text = text
        self.suggested_name = suggested_name
        layout = QVBoxLayout(self)
        heading = QLabel(summary)
        heading.setWordWrap(True)
        font = heading.font()
        font.setBold(True)
        heading.setFont(font)
        layout.addWidget(heading)
        self.body = QPlainTextEdit(text)
        self.body.setReadOnly(True)
        self.body.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.body.setFont(QFont(self.body.font().family(), 10))
        layout.addWidget(self.body, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("Sluiten")
        self.save_button = QPushButton("Opslaan als tekst…")
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.save_button.clicked.connect(self._ask_and_save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(820, 520)  # fits a 1280×720 school laptop screen with room around it

    def _ask_and_save(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Opslaan als tekst", self.suggested_name, "Tekstbestand (*.txt)")
        if path:
            self.save(path)

    def save(self, path: str | Path) -> Path:
        """Write the report as UTF-8 text (with a BOM, so that Kladblok shows the accents right)."""
        target = Path(path)
        target.write_text(self.text, encoding="utf-8-sig", newline="\r\n")
        return target


def report_dialog(parent: QWidget | None, worker: ImportWorker) -> ImportReportDialog | None:
    """The dialog for a finished worker; None when the user cancelled (nothing to report but that)."""
    name = Path(worker.path).stem
    if worker.result is not None:
        result = worker.result
        heading = f"{Path(worker.path).name} is ingelezen."
        if result.changes:
            heading += f" {dutch.plural(len(result.changes), 'bestaande leerling', 'bestaande leerlingen')} gewijzigd."
        if result.warnings:
            n = len(result.warnings)
            heading += f" {dutch.plural(n, 'waarschuwing', 'waarschuwingen')} (zie hieronder)."
        return ImportReportDialog(parent, "Importeren: gelukt", heading, result.report_text(), f"import-{name}.txt")
    error = worker.error
    if isinstance(error, ImportCancelled):
        return None
    if isinstance(error, ImportFailed):
        n = len(error.problems)
        heading = error.summary + (f" {dutch.plural(n, 'fout', 'fouten')} (zie hieronder)." if n else "")
        return ImportReportDialog(parent, "Importeren: niet ingelezen", heading, failure_text(worker.path, error),
                                  f"import-{name}-fouten.txt")
    return ImportReportDialog(parent, "Importeren: niet ingelezen", str(error), str(error) + "\n",
                              f"import-{name}-fouten.txt")
