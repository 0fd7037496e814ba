"""The Brieven screen: the school's letter templates (edit with merge fields, live preview, versions) and the
letters due this week, made in one PDF."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)
from sqlmodel import Session

from verzuimdesk.model import dutch
from verzuimdesk.model.errors import ValidationError, VerzuimdeskError
from verzuimdesk.model.letters.compose import preview_text
from verzuimdesk.model.letters.fields import FIELDS, MOMENT_LABELS
from verzuimdesk.model.letters.record import due_overview
from verzuimdesk.model.letters.templates import (
    Template,
    all_templates,
    restore_version,
    save_template,
    template_versions,
)
from verzuimdesk.model.school.calendar import week_monday
from verzuimdesk.reports.letters.make import make_week_batch
from verzuimdesk.reports.letters.parents import blocks
from verzuimdesk.ui.context import DOSSIER, MELDINGEN, SETTINGS, SIGNALS, AppContext
from verzuimdesk.ui.letters.dialog import letters_folder, unique_path
from verzuimdesk.ui.widgets import DateEdit

HELP = ("Velden schrijft u tussen accolades, bijvoorbeeld {leerling.roepnaam}; dubbelklik op een veld om het in te "
        "voegen. Een lege regel begint een nieuwe alinea, '## ' een kopje en '- ' een opsomming.")  # fmt: skip


def _preview_html(subject: str, body: str) -> str:
    import html

    out = [f"<p><b>Betreft: {html.escape(subject)}</b></p>"]
    for block in blocks(body):
        if block.kind == "h":
            out.append(f"<p style='color:#2F6DB5'><b>{html.escape(block.lines[0])}</b></p>")
        elif block.kind == "ul":
            out.append("<ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in block.lines) + "</ul>")
        else:
            out.append("<p>" + "<br>".join(html.escape(line) for line in block.lines) + "</p>")
    return "".join(out)


class TemplateEditor(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.templates: list[Template] = []
        self.list = QListWidget()
        self.versions = QListWidget()
        self.restore_button = QPushButton("Deze versie weer gebruiken")
        self.title = QLineEdit()
        self.subject = QLineEdit()
        self.body = QPlainTextEdit()
        self.note = QLineEdit()
        self.note.setPlaceholderText("Waarom deze wijziging? (komt bij de versie)")
        self.save_button = QPushButton("&Opslaan als nieuwe versie")
        self.fields = QListWidget()
        self.fields.setFixedHeight(120)
        self.moment_label = QLabel()
        self.moment_label.setStyleSheet("color: #555;")
        self.error = QLabel()
        self.error.setStyleSheet("color: #B00020;")
        self.error.setWordWrap(True)
        self.preview = QTextBrowser()
        help_label = QLabel(HELP)
        help_label.setWordWrap(True)
        help_label.setStyleSheet("color: #555;")

        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addWidget(QLabel("<b>Sjablonen</b>"))
        lv.addWidget(self.list, 2)
        lv.addWidget(QLabel("<b>Versies</b>"))
        lv.addWidget(self.versions, 1)
        lv.addWidget(self.restore_button)
        middle = QWidget()
        mv = QVBoxLayout(middle)
        mv.setContentsMargins(0, 0, 0, 0)
        for label, widget in (("Naam", self.title), ("Onderwerp (Betreft)", self.subject)):
            mv.addWidget(QLabel(label + ":"))
            mv.addWidget(widget)
        mv.addWidget(self.moment_label)
        mv.addWidget(QLabel("Tekst:"))
        mv.addWidget(self.body, 1)
        mv.addWidget(help_label)
        mv.addWidget(self.fields)
        mv.addWidget(self.error)
        row = QHBoxLayout()
        row.addWidget(self.note, 1)
        row.addWidget(self.save_button)
        mv.addLayout(row)
        right = QWidget()
        rv = QVBoxLayout(right)
        rv.setContentsMargins(0, 0, 0, 0)
        rv.addWidget(QLabel("<b>Voorbeeld</b> (met voorbeeldgegevens)"))
        rv.addWidget(self.preview, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        for w in (left, middle, right):
            splitter.addWidget(w)
        splitter.setSizes([270, 480, 430])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(splitter, 1)

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(250)
        self.timer.timeout.connect(self.update_preview)
        for edit in (self.subject, self.title):
            edit.textChanged.connect(lambda _t: self.timer.start())
        self.body.textChanged.connect(self.timer.start)
        self.list.currentRowChanged.connect(lambda _r: self.show_template())
        self.fields.itemDoubleClicked.connect(self.insert_field)
        self.save_button.clicked.connect(self.save)
        self.restore_button.clicked.connect(self.restore)
        self.versions.currentRowChanged.connect(lambda _r: self._versions_changed())

    def current(self) -> Template | None:
        row = self.list.currentRow()
        return self.templates[row] if 0 <= row < len(self.templates) else None

    def refresh(self, select_key: str | None = None) -> None:
        keep = select_key or (self.current().key if self.current() else None)
        self.templates = self.ctx.read(all_templates)
        self.list.blockSignals(True)
        self.list.clear()
        for t in self.templates:
            item = QListWidgetItem(t.title + ("" if t.is_default else f"  (versie {t.version})"))
            item.setToolTip(f"{t.title} — voor {MOMENT_LABELS[t.moment]} (sleutel: {t.key})")
            self.list.addItem(item)
        self.list.blockSignals(False)
        keys = [t.key for t in self.templates]
        self.list.setCurrentRow(keys.index(keep) if keep in keys else 0)
        self.show_template()

    def show_template(self) -> None:
        t = self.current()
        if t is None:
            return
        self.title.setText(t.title)
        self.subject.setText(t.subject)
        self.body.setPlainText(t.body)
        self.note.clear()
        self.moment_label.setText(f"Voor {MOMENT_LABELS[t.moment]}.")
        self.fields.clear()
        for f in FIELDS:
            if f.available_at(t.moment):
                item = QListWidgetItem(f"{{{f.name}}} — {f.description}")
                item.setData(Qt.ItemDataRole.UserRole, f.name)
                self.fields.addItem(item)
        self.versions.clear()
        for v in self.ctx.read(template_versions, t.key):
            when = f"{v.created_at:%d-%m-%Y %H:%M} door {v.created_by}" if v.created_at else ""
            label = "standaardtekst" if v.is_default else f"versie {v.version}, {when}"
            item = QListWidgetItem(label + (f" — {v.note}" if v.note and not v.is_default else ""))
            item.setData(Qt.ItemDataRole.UserRole, v.version)
            self.versions.addItem(item)
        self.versions.setCurrentRow(0)
        self.update_preview()

    def _versions_changed(self) -> None:
        self.restore_button.setEnabled(self.versions.currentRow() > 0)

    def insert_field(self, item: QListWidgetItem) -> None:
        self.body.insertPlainText("{" + str(item.data(Qt.ItemDataRole.UserRole)) + "}")
        self.body.setFocus()

    def update_preview(self) -> None:
        t = self.current()
        if t is None:
            return
        try:
            subject, body = preview_text(t.moment, self.subject.text(), self.body.toPlainText())
        except ValidationError as exc:
            self.error.setText(str(exc))
            self.save_button.setEnabled(False)
            return
        self.error.setText("")
        self.save_button.setEnabled(True)
        self.preview.setHtml(_preview_html(subject, body))

    def save(self) -> bool:
        t = self.current()
        if t is None:
            return False
        saved = self.ctx.run({SETTINGS}, save_template, t.key, subject=self.subject.text(),
                             body=self.body.toPlainText(), title=self.title.text(), note=self.note.text())  # fmt: skip
        if saved is not None:
            self.refresh(t.key)
        return saved is not None

    def restore(self) -> bool:
        t = self.current()
        item = self.versions.currentItem()
        if t is None or item is None:
            return False
        saved = self.ctx.run({SETTINGS}, restore_version, t.key, int(item.data(Qt.ItemDataRole.UserRole)))
        if saved is not None:
            self.refresh(t.key)
        return saved is not None


class WeekLetters(QWidget):
    """The letters due in a week (record.due_moments), all in one PDF."""

    def __init__(self, ctx: AppContext, today: Callable[[], dt.date]) -> None:
        super().__init__()
        self.ctx, self.today = ctx, today
        self.open_url: Callable[[QUrl], Any] = QDesktopServices.openUrl  # tests replace this
        self.week = DateEdit(today())
        self.list = QListWidget()
        self.label = QLabel()
        self.make_button = QPushButton("&Alle brieven van deze week in één PDF")
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Week van:"))
        bar.addWidget(self.week)
        bar.addWidget(self.label, 1)
        bar.addWidget(self.make_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(bar)
        explanation = QLabel("Te maken brieven: signalen van de ladder, zorgelijk verzuim en zorg die deze week "
                             "ontstonden, meldingen van deze week en gesprekken van deze week zonder brief.")
        explanation.setWordWrap(True)
        layout.addWidget(explanation)
        layout.addWidget(self.list, 1)
        self.week.dateChanged.connect(lambda _d: self.refresh())
        self.make_button.clicked.connect(self.make)

    def refresh(self) -> None:
        self.list.clear()
        try:
            rows = self.ctx.read(due_overview, self.week.date_value())
        except VerzuimdeskError as exc:
            self.label.setText(str(exc))
            rows = []
        for r in rows:
            self.list.addItem(f"{r.pupil_name} — {r.letter} ({r.what})")
        monday = week_monday(self.week.date_value())
        self.label.setText(f"week van {dutch.date_long(monday)}: {len(rows)} te maken")
        self.make_button.setEnabled(bool(rows))

    def make(self) -> Path | None:
        folder = letters_folder()
        on = self.today()

        def batch(session: Session) -> Path:
            made = make_week_batch(session, self.week.date_value(), on=on)
            try:
                folder.mkdir(parents=True, exist_ok=True)
                path = unique_path(folder, made.file_name)
                path.write_bytes(made.data)  # inside the transaction: no record without its file
            except OSError as exc:
                raise ValidationError(f"De brieven konden niet worden opgeslagen in {folder}: "
                                      f"{exc.strerror or exc}.") from None  # fmt: skip
            return path

        path = self.ctx.run({DOSSIER, SIGNALS, MELDINGEN}, batch)
        self.refresh()
        if path is not None:
            self.open_url(QUrl.fromLocalFile(str(path)))
        return path


class LettersPage(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.today: Callable[[], dt.date] = dt.date.today
        self.editor = TemplateEditor(ctx)
        self.week = WeekLetters(ctx, lambda: self.today())
        self.tabs = QTabWidget()
        self.tabs.addTab(self.week, "Brieven van de &week")
        self.tabs.addTab(self.editor, "&Sjablonen")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<h2>Brieven aan ouders</h2>"))
        layout.addWidget(self.tabs, 1)
        ctx.changed.connect(lambda kinds: self.week.refresh() if kinds & {DOSSIER, SIGNALS, MELDINGEN} else None)

    def on_shown(self) -> None:
        self.week.week.set_date(self.today())
        self.week.refresh()
        self.editor.refresh()

    def save_state(self, settings: QSettings) -> None:
        settings.setValue("brieven/tab", self.tabs.currentIndex())

    def restore_state(self, settings: QSettings) -> None:
        self.tabs.setCurrentIndex(int(settings.value("brieven/tab", 0) or 0))
