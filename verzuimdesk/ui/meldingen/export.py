"""The Meldingen page's export actions: the melding file (XML), the printable form (PDF) and the text for
DUO's web form (copied to the clipboard and shown). Each export is checked first and recorded with the
melding (reports/duo/melding.py); an incomplete melding gives the Dutch list of what is missing."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from verzuimdesk.reports.duo.melding import export_melding
from verzuimdesk.ui.context import MELDINGEN, AppContext

FILTERS = {"xml": "XML in het eigen formaat van verzuimdesk (*.xml)", "pdf": "PDF-formulier (*.pdf)"}


class MeldingTextDialog(QDialog):
    """Shows the web-form text (already on the clipboard) so it can be copied field by field."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Tekst voor het DUO-webformulier")
        self.resize(620, 560)
        self.text = QPlainTextEdit(text)
        self.text.setReadOnly(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("Sluiten")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("De tekst staat op het klembord. Neem de velden in deze volgorde over in het "
                                "verzuimloket van DUO."))  # fmt: skip
        layout.addWidget(self.text)
        layout.addWidget(buttons)


class MeldingExporter:
    """Export actions for the selected melding; the page supplies the selection and the hooks."""

    def __init__(self, ctx: AppContext, parent: QWidget) -> None:
        self.ctx = ctx
        self.parent = parent
        # hooks (tests replace)
        self.ask_save_path = self._ask_save_path
        self.show_text = self._show_text

    def export_file(self, melding_id: int | None, fmt: str) -> Any:
        """Ask where to save the XML file or PDF form, write it and record it; None when cancelled/refused."""
        if melding_id is None:
            return None
        path = self.ask_save_path(f"verzuimmelding-{melding_id}.{fmt}", FILTERS[fmt])
        if not path:
            return None
        return self.ctx.run({MELDINGEN}, export_melding, melding_id, fmt, by=self.ctx.user, path=path)

    def export_text(self, melding_id: int | None) -> str | None:
        """Put the web-form text on the clipboard and show it; recorded as an export."""
        if melding_id is None:
            return None
        text = self.ctx.run({MELDINGEN}, export_melding, melding_id, "tekst", by=self.ctx.user)
        if not isinstance(text, str):
            return None
        clipboard = QGuiApplication.clipboard()
        if clipboard is not None:
            clipboard.setText(text)
        self.show_text(text)
        return text

    def _ask_save_path(self, suggested: str, file_filter: str) -> str | None:
        path, _f = QFileDialog.getSaveFileName(self.parent, "Melding opslaan", suggested, file_filter)
        return path or None

    def _show_text(self, text: str) -> None:
        MeldingTextDialog(text, self.parent).exec()
