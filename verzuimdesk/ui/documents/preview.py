"""Preview and printing of a PDF document in the Overzichten screen.

The pages are rendered with PDFium (``pypdfium2``): the preview shows each page as it will be printed,
and printing draws the same pages on the printer chosen in the Qt print dialog, on every platform.
"""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPainter, QPixmap
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

try:
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    HAVE_PRINT = True
except ImportError:  # pragma: no cover - QtPrintSupport is part of PySide6-Essentials on desktop platforms
    HAVE_PRINT = False

PREVIEW_SCALE = 2.0  # rendered at 144 dpi, then fitted to the width of the preview


def render_page(document: pdfium.PdfDocument, index: int, scale: float) -> QImage:
    """One page as a QImage (RGB), ``scale`` times 72 dots per inch."""
    bitmap = document[index].render(scale=scale, rev_byteorder=True)  # RGB byte order, no alpha
    image = QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride, QImage.Format.Format_RGB888)
    return image.copy()  # detach from PDFium's buffer, which is freed with the bitmap


class PdfPreview(QScrollArea):
    """The pages of a PDF below each other, as images."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.pages = QWidget()
        self.pages_layout = QVBoxLayout(self.pages)
        self.setWidget(self.pages)
        self.page_labels: list[QLabel] = []
        self.images: list[QImage] = []
        self.hint = QLabel("Kies links wat u wilt zien en klik op ‘Voorbeeld maken’.")
        self.hint.setStyleSheet("color: #5F6B7A;")
        self.hint.setWordWrap(True)
        self.pages_layout.addWidget(self.hint)

    def clear(self) -> None:
        for label in self.page_labels:
            label.deleteLater()
        self.page_labels = []
        self.images = []

    def show_document(self, path: Path) -> None:
        """Show every page of the PDF at ``path``."""
        self.clear()
        self.hint.hide()
        document = pdfium.PdfDocument(str(path))
        try:
            for index in range(len(document)):
                self.images.append(render_page(document, index, PREVIEW_SCALE))
                label = QLabel()
                label.setStyleSheet("border: 1px solid #B0B8C4; background: white;")
                label.setToolTip(f"pagina {index + 1} van {len(document)}")
                self.pages_layout.addWidget(label, 0, Qt.AlignmentFlag.AlignHCenter)
                label.show()  # added to a widget that is already visible
                self.page_labels.append(label)
        finally:
            document.close()
        self._fit()
        self.verticalScrollBar().setValue(0)

    def _fit(self) -> None:
        """Each page as wide as the preview (minus margins and the scroll bar), sharp and uncropped."""
        width = max(200, self.viewport().width() - 40)
        for label, image in zip(self.page_labels, self.images):
            pixmap = QPixmap.fromImage(image.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation))
            label.setPixmap(pixmap)
            label.setFixedSize(pixmap.size())

    def resizeEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        super().resizeEvent(event)
        if self.images:
            self._fit()


def print_pdf(path: Path, parent: QWidget | None) -> str:
    """Print the PDF after the Qt print dialog; returns a Dutch message ("" when nothing needs saying)."""
    if not HAVE_PRINT:
        return "Afdrukken is in deze installatie niet beschikbaar. Open het document in de PDF-lezer."
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    dialog = QPrintDialog(printer, parent)
    if dialog.exec() != QPrintDialog.DialogCode.Accepted:
        return ""
    print_to(path, printer)
    return ""


def print_to(path: Path, printer: QPrinter) -> int:
    """Draw every page of the PDF on ``printer`` (or any QPagedPaintDevice); returns the number of pages."""
    document = pdfium.PdfDocument(str(path))
    painter = QPainter(printer)
    try:
        target = painter.viewport()
        for index in range(len(document)):
            if index:
                printer.newPage()
            width_pt = document[index].get_width()
            scale = min(target.width() / width_pt, 300 / 72)  # at most 300 dpi: sharp and not too heavy
            image = render_page(document, index, scale)
            fitted = image.size().scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.drawImage(target.x(), target.y(), image.scaled(fitted, Qt.AspectRatioMode.KeepAspectRatio,
                                                                   Qt.TransformationMode.SmoothTransformation))
        return len(document)
    finally:
        painter.end()
        document.close()
