"""The "Brief maken" dialog: reached from Signalen, Dossier (a conversation) and Meldingen. It opens with the
letter that fits the moment and a live preview of every letter (one per address); one click writes the PDF (or
Word file) into the letters folder, records it in the dossier and opens it — or prepares it as e-mail."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)
from sqlmodel import Session

from verzuimdesk.model import dutch
from verzuimdesk.model.errors import ValidationError, VerzuimdeskError
from verzuimdesk.model.letters.compose import Letter, evaluation_date, prepare_letters
from verzuimdesk.model.letters.defaults import DEFAULT_BY_KEY
from verzuimdesk.model.letters.fields import TALK_HELD
from verzuimdesk.model.letters.moments import Moment, fitting_templates
from verzuimdesk.model.letters.record import mark_sent, record_letters
from verzuimdesk.model.tables.law import ContactMoment
from verzuimdesk.reports.letters.make import file_name_for, write
from verzuimdesk.reports.letters.parents import blocks, letter_eml, mailto_url
from verzuimdesk.ui.context import DOSSIER, MELDINGEN, SIGNALS, AppContext
from verzuimdesk.ui.widgets import DateEdit

FOLDER_KEY = "brieven/map"
CHANGES = {DOSSIER, SIGNALS, MELDINGEN}


def letters_folder() -> Path:
    default = Path.home() / "Documents" / "verzuimdesk brieven"
    return Path(str(QSettings("verzuimdesk", "verzuimdesk").value(FOLDER_KEY, str(default))))


def unique_path(folder: Path, name: str) -> Path:
    path = folder / name
    n = 2
    while path.exists():
        path = folder / f"{Path(name).stem} ({n}){Path(name).suffix}"
        n += 1
    return path


def letters_html(letters: list[Letter]) -> str:
    """The letters as the preview shows them (the layout of the PDF in simple HTML)."""
    parts = []
    for letter in letters:
        body = []
        for block in blocks(letter.body):
            if block.kind == "h":
                body.append(f"<p style='color:#2F6DB5'><b>{html.escape(block.lines[0])}</b></p>")
            elif block.kind == "ul":
                body.append("<ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in block.lines) + "</ul>")
            else:
                body.append("<p>" + "<br>".join(html.escape(line) for line in block.lines) + "</p>")
        parts.append(
            "<p>" + "<br>".join(html.escape(line) for line in letter.addressee.lines()) + "</p>"
            f"<p>{html.escape(letter.place + ', ' if letter.place else '')}{dutch.date_long(letter.date)}</p>"
            f"<p><b>Betreft: {html.escape(letter.subject)}</b></p>" + "".join(body)
        )  # fmt: skip
    return "<hr>".join(parts)


class LetterDialog(QDialog):
    """Make the letter for one moment. ``made`` holds the dossier records after a letter was made."""

    def __init__(self, ctx: AppContext, moment: Moment, today: dt.date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.moment = ctx, moment
        self.made: list[Any] = []
        self.written: list[Path] = []
        self.open_url: Callable[[QUrl], Any] = QDesktopServices.openUrl  # tests replace this
        self.setWindowTitle("Brief maken")
        self.resize(900, 640)
        self.template = QComboBox()
        for key in ctx.read(fitting_templates, moment):
            self.template.addItem(DEFAULT_BY_KEY[key].title, key)
        self.date = DateEdit(today)
        self.evaluation = DateEdit(today)
        self.evaluation_box = QCheckBox("Evaluatiedatum:")
        self.evaluation_row = QWidget()
        row = QHBoxLayout(self.evaluation_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.evaluation_box)
        row.addWidget(self.evaluation)
        row.addStretch(1)
        if moment.kind == TALK_HELD and moment.contact_id is not None:
            self.evaluation.set_date(ctx.read(_evaluation_of, moment.contact_id, today))
            self.evaluation_box.setChecked(True)
        self.evaluation_row.setVisible(moment.kind == TALK_HELD)
        self.folder = QLabel()
        self.folder.setWordWrap(True)
        folder_button = QPushButton("Map…")
        self.to_label = QLabel()
        self.to_label.setWordWrap(True)
        self.preview = QTextBrowser()
        self.error = QLabel()
        self.error.setStyleSheet("color: #B00020;")
        self.error.setWordWrap(True)

        self.pdf_button = QPushButton("&PDF maken en openen")
        self.pdf_button.setDefault(True)
        self.docx_button = QPushButton("&Word-bestand maken")
        self.eml_button = QPushButton("&E-mail klaarzetten (.eml)")
        self.mailto_button = QPushButton("&Mailprogramma openen")
        close = QPushButton("Sluiten")

        form = QFormLayout()
        form.addRow("Brief:", self.template)
        form.addRow("Datum van de brief:", self.date)
        form.addRow("", self.evaluation_row)
        form.addRow("Aan:", self.to_label)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(folder_button)
        form.addRow("Opslaan in:", folder_row)
        buttons = QHBoxLayout()
        for b in (self.pdf_button, self.docx_button, self.eml_button, self.mailto_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.error)
        layout.addLayout(buttons)

        self.template.currentIndexChanged.connect(lambda _i: self.update_preview())
        self.date.dateChanged.connect(lambda _d: self.update_preview())
        self.date.dateChanged.connect(lambda _d: self._follow_date())
        self.evaluation.dateChanged.connect(lambda _d: self.update_preview())
        self.evaluation_box.toggled.connect(lambda _b: self.update_preview())
        folder_button.clicked.connect(self.choose_folder)
        self.pdf_button.clicked.connect(lambda: self.make("pdf"))
        self.docx_button.clicked.connect(lambda: self.make("docx"))
        self.eml_button.clicked.connect(lambda: self.make("pdf", send="eml"))
        self.mailto_button.clicked.connect(lambda: self.make("pdf", send="mailto"))
        close.clicked.connect(self.reject)
        self._show_folder()
        self.letters: list[Letter] = []
        self.update_preview()

    # ------------------------------------------------------------------------------------ state
    def key(self) -> str:
        return str(self.template.currentData())

    def extra(self) -> dict[str, str]:
        if self.moment.kind == TALK_HELD and self.evaluation_box.isChecked():
            return {"gesprek.evaluatiedatum": dutch.date_long(self.evaluation.date_value(), weekday=True)}
        return {}

    def _follow_date(self) -> None:
        """An evaluation date before the letter's own date moves along with it."""
        if self.moment.kind == TALK_HELD and self.moment.contact_id is not None:
            suggested = self.ctx.read(_evaluation_of, self.moment.contact_id, self.date.date_value())
            if self.evaluation.date_value() <= self.date.date_value():
                self.evaluation.set_date(suggested)

    def _show_folder(self) -> None:
        self.folder.setText(str(letters_folder()))

    def choose_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "Map voor brieven", str(letters_folder()))
        if chosen:
            QSettings("verzuimdesk", "verzuimdesk").setValue(FOLDER_KEY, chosen)
            self._show_folder()

    def update_preview(self) -> None:
        try:
            self.letters = self.ctx.read(prepare_letters, self.key(), self.moment, self.date.date_value(),
                                         extra=self.extra())  # fmt: skip
        except VerzuimdeskError as exc:
            self.letters = []
            self.error.setText(str(exc))
            self.preview.setHtml("")
        else:
            self.error.setText("")
            self.preview.setHtml(letters_html(self.letters))
        n = len(self.letters)
        self.to_label.setText(f"{n} brie{'f' if n == 1 else 'ven'}: " + "; ".join(
            ", ".join(letter.addressee.lines()) for letter in self.letters) if n else "")
        emails = any(letter.addressee.emails for letter in self.letters)
        for b in (self.pdf_button, self.docx_button):
            b.setEnabled(n > 0)
        for b in (self.eml_button, self.mailto_button):
            b.setEnabled(n > 0 and emails)
            b.setToolTip("" if emails else "Van de ouders is geen e-mailadres bekend.")

    # ------------------------------------------------------------------------------------ action
    def make(self, fmt: str, send: str | None = None) -> bool:
        """Write the file, record the letters in the dossier, then open the file (or prepare the e-mail)."""
        if not self.letters:
            return False
        try:
            data = self.ctx.read(write, self.letters, fmt)
            folder = letters_folder()
            folder.mkdir(parents=True, exist_ok=True)
            path = unique_path(folder, file_name_for(self.letters, fmt))
            path.write_bytes(data)
        except VerzuimdeskError as exc:
            self.ctx.report(str(exc))
            return False
        except OSError as exc:
            self.ctx.report(f"De brief kon niet worden opgeslagen in {letters_folder()}: {exc.strerror or exc}.")
            return False
        records = self.ctx.run(CHANGES, record_letters, self.letters, fmt=fmt, data=data, file_name=path.name)
        if records is None:
            path.unlink(missing_ok=True)  # not recorded: no letter without its record in the dossier
            return False
        self.made, self.written = records, [path]
        ids = [r.id for r in records if r.id is not None]
        if send == "eml":
            try:
                eml = unique_path(path.parent, path.with_suffix(".eml").name)
                eml.write_bytes(self.ctx.read(letter_eml, self.letters, data, path.name))
            except (VerzuimdeskError, OSError) as exc:
                self.ctx.report(f"De e-mail kon niet worden klaargezet: {exc}. De brief staat in {path}.")
            else:
                self.written.append(eml)
                self.ctx.run(CHANGES, mark_sent, ids, "eml")
                self.open_url(QUrl.fromLocalFile(str(eml)))
        elif send == "mailto":
            for letter in self.letters:
                if letter.addressee.emails:
                    self.open_url(QUrl(mailto_url(letter)))
            self.ctx.run(CHANGES, mark_sent, ids, "mailto")
        else:
            self.open_url(QUrl.fromLocalFile(str(path)))
        self.accept()
        return True


def _evaluation_of(session: Session, contact_id: int, on: dt.date) -> dt.date:
    contact = session.get(ContactMoment, contact_id)
    if contact is None:
        raise ValidationError("Dit contactmoment bestaat niet (meer).")
    return evaluation_date(session, contact, on)


def open_letter_dialog(ctx: AppContext, parent: QWidget, make_moment: Callable[[Session], Moment | None],
                       today: dt.date, run: Callable[[QDialog], Any] | None = None) -> LetterDialog | None:  # fmt: skip
    """Build the moment (``make_moment(session)``; None: nothing chosen) and open the dialog; a Dutch message
    when no letter fits. ``run`` shows the dialog (``exec``; tests pass their own)."""
    try:
        moment = ctx.read(make_moment)
        if moment is not None:
            ctx.read(fitting_templates, moment)
    except VerzuimdeskError as exc:
        ctx.report(str(exc))
        return None
    if moment is None:
        ctx.report("Kies eerst waar de brief over gaat.")
        return None
    dialog = LetterDialog(ctx, moment, today, parent)
    (run or (lambda d: d.exec()))(dialog)
    return dialog
