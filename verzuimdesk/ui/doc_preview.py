"""Preview and printing of a PDF document in the Overzichten screen.

With Qt PDF (``PySide6.QtPdf``, part of PySide6-Addons) the pages are drawn as images and printed through
the Qt print dialog. Without it (PySide6-Essentials only) the preview shows the document's contents as
text, and printing goes through the system: the PDF goes to the printer chosen in the Qt print dialog
(``lp`` on Linux and macOS) or to the PDF reader's print command on Windows.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage, QPainter, QPixmap
from PySide6.QtWidgets import QLabel, QScrollArea, QStackedWidget, QTextBrowser, QVBoxLayout, QWidget

try:  # optional: PySide6-Addons
    from PySide6.QtPdf import QPdfDocument  # type: ignore[import-not-found,unused-ignore]

    HAVE_QTPDF = True
except ImportError:  # pragma: no cover - depends on the installation
    QPdfDocument = None  # type: ignore[assignment,misc,unused-ignore]
    HAVE_QTPDF = False

try:
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    HAVE_PRINT = True
except ImportError:  # pragma: no cover
    HAVE_PRINT = False

NO_QTPDF_NOTE = ("Voorbeeld van de inhoud. Een afbeelding van de pagina's vraagt Qt PDF (PySide6-Addons); "
                 "met ‘Openen in PDF-lezer’ ziet u het document zoals het wordt afgedrukt.")  # fmt: skip


class PdfPreview(QStackedWidget):
    """Page images (Qt PDF) or a text version of the document."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pages = QWidget()
        self.pages_layout = QVBoxLayout(self.pages)
        self.pages_layout.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.pages)
        self.text = QTextBrowser()
        self.text.setOpenExternalLinks(False)
        self.addWidget(scroll)
        self.addWidget(self.text)
        self.setCurrentWidget(self.text)
        self._document = None

    def show_document(self, path: Path | None, html: str) -> None:
        """Show the PDF at ``path`` as pages when Qt PDF is there, else ``html`` (the contents as text)."""
        while self.pages_layout.count():
            item = self.pages_layout.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        if HAVE_QTPDF and path is not None:
            doc = QPdfDocument(self)
            doc.load(str(path))
            for i in range(doc.pageCount()):
                size = doc.pagePointSize(i)
                image = doc.render(i, QSize(int(size.width() * 1.2), int(size.height() * 1.2)))
                label = QLabel()
                label.setPixmap(QPixmap.fromImage(image))
                label.setStyleSheet("border: 1px solid #B0B8C4; background: white;")
                self.pages_layout.addWidget(label)
            self._document = doc
            self.setCurrentIndex(0)
            return
        self.text.setHtml(f"<p style='color:#5F6B7A'><i>{NO_QTPDF_NOTE}</i></p>" + html)
        self.setCurrentWidget(self.text)


def print_pdf(path: Path, parent: QWidget | None) -> str:
    """Print the PDF; returns a Dutch message for the user ("" when printing started silently)."""
    if not HAVE_PRINT:
        return "Afdrukken is in deze installatie niet beschikbaar. Open het document in de PDF-lezer."
    if sys.platform == "win32" and not HAVE_QTPDF:
        os.startfile(str(path), "print")  # type: ignore[attr-defined]  # the PDF reader prints it
        return ""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    dialog = QPrintDialog(printer, parent)
    if dialog.exec() != QPrintDialog.DialogCode.Accepted:
        return ""
    if HAVE_QTPDF:
        _print_with_qtpdf(path, printer)
        return ""
    lp = shutil.which("lp")
    if lp is None:
        return "Er is geen afdrukprogramma gevonden. Open het document in de PDF-lezer en druk het daar af."
    args = [lp] + (["-d", printer.printerName()] if printer.printerName() else []) + [
        "-n", str(max(1, printer.copyCount())), str(path)]
    subprocess.run(args, check=False, capture_output=True, timeout=60)
    return f"Het document is naar de printer {printer.printerName() or '(standaard)'} gestuurd."


def _print_with_qtpdf(path: Path, printer: QPrinter) -> None:  # pragma: no cover - needs Qt PDF
    doc = QPdfDocument()
    doc.load(str(path))
    painter = QPainter(printer)
    rect = painter.viewport()
    for i in range(doc.pageCount()):
        if i:
            printer.newPage()
        image: QImage = doc.render(i, QSize(rect.width(), rect.height()))
        painter.drawImage(rect, image)
    painter.end()
