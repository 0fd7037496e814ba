"""Schoolgids: the verzuimbeleid chapter generated from the school's settings (domain.md §9).

Why this file is long: one screen with the section editor, the settings form the text is made from, versions
with consent and the exports; they act on one working text.

Left the sections (the six mandatory parts marked, the optional themes with a checkbox), right the heading
and text of the selected section with "Terug naar gegenereerde tekst". A second tab edits the roles and times
the text is made from, a third lists the saved versions with the date of the MR's consent. A banner warns
when the settings changed since the version the MR consented to. Exports: Word, PDF, text; and the yearly
evaluation (part 4 of the policy) as PDF or Word. Dialogs are methods (``ask_*``) that tests replace.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlmodel import Session

from verzuimdesk.model import dutch
from verzuimdesk.model.policy.inputs import POLICY_SETTINGS, policy_settings, save_policy_settings
from verzuimdesk.model.policy.sections import Section
from verzuimdesk.model.policy.versions import (
    draft_sections,
    edit_section,
    policy_document,
    policy_out_of_date,
    record_consent,
    reset_section,
    save_version,
    set_section_enabled,
    versions,
)
from verzuimdesk.model.school.calendar import school_year_name_for
from verzuimdesk.model.school.records import get_school, school_years
from verzuimdesk.model.tables.documents import PolicyVersion
from verzuimdesk.reports.schoolgids.evaluation import evaluation_docx, evaluation_pdf
from verzuimdesk.reports.schoolgids.evaluation_data import build_evaluation
from verzuimdesk.reports.schoolgids.policy import policy_docx, policy_pdf, policy_text
from verzuimdesk.ui.context import REASONS, SETTINGS, SIGNALS, AppContext
from verzuimdesk.ui.forms import fit_columns, selected_row, table_view
from verzuimdesk.ui.widgets import Column, DateEdit, RowsModel, scrolling

KEY_ROLE = Qt.ItemDataRole.UserRole + 1
FORMATS = {"docx": ("Word", "Word-document (*.docx)"), "pdf": ("PDF", "PDF (*.pdf)"), "txt": ("tekst", "Tekst (*.txt)")}
BANNER = "QLabel { background: #FFF4D6; border: 1px solid #E0B252; padding: 6px; border-radius: 3px; }"
VERSION_COLUMNS: list[Column[PolicyVersion]] = [
    Column("Versie", lambda v: v.id, align_right=True),
    Column("Schooljaar", lambda v: v.school_year),
    Column("Opgeslagen", lambda v: v.created_at.date(), sort_key=lambda v: v.created_at.isoformat()),
    Column("Door", lambda v: v.created_by),
    Column("Instemming MR", lambda v: v.mr_consent_date or "nog niet",
           sort_key=lambda v: v.mr_consent_date.isoformat() if v.mr_consent_date else ""),
    Column("Notitie", lambda v: v.note),
]


def _years(ctx: AppContext, today: dt.date) -> list[str]:
    names = {y.name for y in ctx.read(school_years)}
    current = school_year_name_for(today)
    start = int(current[:4])
    names |= {current, f"{start + 1}-{start + 2}"}
    return sorted(names, reverse=True)


class PolicyPage(QWidget):
    title = "Schoolgids"

    def __init__(self, ctx: AppContext, today: dt.date | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.today = today or dt.date.today()
        self.sections: list[Section] = []
        self.current_key: str | None = None
        self.last_path: Path | None = None
        self._build()
        self.reload()
        ctx.changed.connect(lambda kinds: self.reload() if kinds & {SETTINGS, REASONS, SIGNALS} else None)

    # ------------------------------------------------------------------------------------ building
    def _build(self) -> None:
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(BANNER)
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._text_tab(), "Tekst")
        self.tabs.addTab(self._roles_tab(), "Rollen en tijden")
        self.tabs.addTab(self._versions_tab(), "Versies")
        self.source = QComboBox()
        self.source.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.source.setMinimumContentsLength(16)
        self.save_version_button = QPushButton("Versie opslaan…")
        self.consent_button = QPushButton("Instemming MR…")
        self.consent_button.setToolTip("De instemming van de medezeggenschapsraad met een versie vastleggen")
        self.export_buttons = {fmt: QPushButton(f"{label}…") for fmt, (label, _f) in FORMATS.items()}
        self.evaluation_button = QPushButton("Jaarevaluatie…")
        self.status = QLabel()
        bar = QHBoxLayout()
        bar.addWidget(self.save_version_button)
        bar.addWidget(self.consent_button)
        bar.addSpacing(16)
        bar.addWidget(QLabel("Exporteren:"))
        bar.addWidget(self.source)
        for button in self.export_buttons.values():
            bar.addWidget(button)
        bar.addStretch(1)
        title = QHBoxLayout()
        title.addWidget(QLabel("<h2>Schoolgids: verzuimbeleid</h2>"), 1)
        title.addWidget(self.evaluation_button)
        layout = QVBoxLayout(self)
        layout.addLayout(title)
        layout.addWidget(self.banner)
        layout.addWidget(self.info)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(bar)
        layout.addWidget(self.status)
        self.save_version_button.clicked.connect(lambda: self.save_version())
        self.consent_button.clicked.connect(lambda: self.record_consent())
        for fmt, button in self.export_buttons.items():
            button.clicked.connect(lambda _c=False, f=fmt: self.export(f))
        self.evaluation_button.clicked.connect(lambda: self.year_evaluation())

    def _text_tab(self) -> QWidget:
        self.section_list = QListWidget()
        self.heading = QLineEdit()
        self.edit_state = QLabel()
        self.edit_state.setWordWrap(True)
        self.text = QPlainTextEdit()
        self.text.setFont(QFont("Sans Serif", 10))
        self.save_text_button = QPushButton("Tekst bewaren")
        self.reset_button = QPushButton("Terug naar gegenereerde tekst")
        hint = QLabel("Een lege regel begint een nieuwe alinea; regels die met '- ' beginnen vormen een opsomming; "
                      "'## ' maakt een tussenkop.")
        hint.setWordWrap(True)
        hint.setStyleSheet("color: palette(mid);")
        right = QWidget()
        form = QVBoxLayout(right)
        form.addWidget(QLabel("Kop:"))
        form.addWidget(self.heading)
        form.addWidget(self.edit_state)
        form.addWidget(self.text, 1)
        form.addWidget(hint)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_text_button)
        buttons.addWidget(self.reset_button)
        buttons.addStretch(1)
        form.addLayout(buttons)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.section_list)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([440, 640])
        self.section_list.currentItemChanged.connect(lambda cur, _prev: self._select(cur))
        self.section_list.itemChanged.connect(self._item_checked)
        self.save_text_button.clicked.connect(self.save_text)
        self.reset_button.clicked.connect(self.reset_text)
        return splitter

    def _roles_tab(self) -> QWidget:
        widget = QWidget()
        form = QFormLayout()
        self.setting_fields: dict[str, QLineEdit | QComboBox] = {}
        for spec in POLICY_SETTINGS:
            field: QLineEdit | QComboBox
            if spec.choices:
                field = QComboBox()
                field.addItems(list(spec.choices))
            else:
                field = QLineEdit()
                field.setPlaceholderText(spec.hint or spec.default)
            self.setting_fields[spec.key] = field
            form.addRow(f"{spec.label}:", field)
        self.save_settings_button = QPushButton("Rollen en tijden opslaan")
        self.save_settings_button.clicked.connect(self.save_settings)
        note = QLabel("De directeur, het samenwerkingsverband en de leerplichtambtenaren staan onder Instellingen; "
                      "de regels voor zorgelijk verzuim en te laat komen onder Signalen. De tekst volgt ze vanzelf.")
        note.setWordWrap(True)
        layout = QVBoxLayout(widget)
        layout.addLayout(form)
        layout.addWidget(self.save_settings_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(note)
        layout.addStretch(1)
        return scrolling(widget)

    def _versions_tab(self) -> QWidget:
        self.versions_model: RowsModel[PolicyVersion] = RowsModel(VERSION_COLUMNS)
        self.versions_view, self.versions_proxy = table_view(self.versions_model)
        fit_columns(self.versions_view, [60, 90, 100, 140, 120, 300])
        return self.versions_view

    # -------------------------------------------------------------------------------------- data
    def reload(self) -> None:
        self.sections = self.ctx.read(draft_sections)
        self.section_list.blockSignals(True)
        self.section_list.clear()
        for sec in self.sections:
            item = QListWidgetItem(self._item_text(sec))
            item.setData(KEY_ROLE, sec.key)
            if sec.mandatory:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsUserCheckable)
                font = item.font()
                font.setBold(True)
                item.setFont(font)
                item.setToolTip("Verplicht onderdeel van het verzuimbeleid")
            else:
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked if sec.enabled else Qt.CheckState.Unchecked)
                item.setToolTip("Aanvullend onderwerp (model schoolbeleid): vink aan om het op te nemen")
            if sec.stale:
                item.setForeground(QColor("#A15C00"))
            self.section_list.addItem(item)
        self.section_list.blockSignals(False)
        keys = [s.key for s in self.sections]
        row = keys.index(self.current_key) if self.current_key in keys else 0
        self.section_list.setCurrentRow(row)
        self._select(self.section_list.currentItem(), force=True)
        values = self.ctx.read(policy_settings)
        for key, field in self.setting_fields.items():
            if isinstance(field, QComboBox):
                field.setCurrentText(values[key])
            else:
                field.setText(values[key])
        rows = self.ctx.read(versions)
        self.versions_model.set_rows(rows)
        current = self.source.currentData()
        self.source.clear()
        self.source.addItem("huidige tekst", None)
        for v in rows:
            consent = f", instemming {dutch.date_short(v.mr_consent_date)}" if v.mr_consent_date else ""
            self.source.addItem(f"versie {v.id} ({v.school_year}{consent})", v.id)
        self.source.setCurrentIndex(max(self.source.findData(current), 0))
        self._update_banner(rows)

    def _update_banner(self, rows: list[PolicyVersion]) -> None:
        warning = self.ctx.read(policy_out_of_date)
        self.banner.setText(warning or "")
        self.banner.setVisible(bool(warning))
        school = self.ctx.read(get_school)
        notes = []
        if school is not None and school.niet_bekostigd:
            notes.append("Niet-bekostigde school: de plicht tot een verzuimbeleid in de schoolgids geldt niet; de "
                         "tekst blijft beschikbaar.")
        consented = [v for v in rows if v.mr_consent_date]
        if not consented:
            notes.append("Er is nog geen versie waarmee de medezeggenschapsraad heeft ingestemd.")
        else:
            v = max(consented, key=lambda x: (x.mr_consent_date, x.id or 0))
            notes.append(f"Laatste instemming van de MR: versie {v.id}, op {dutch.date_long(v.mr_consent_date)}."
                         if v.mr_consent_date else "")
        self.info.setText(" ".join(notes))

    @staticmethod
    def _item_text(sec: Section) -> str:
        marks = (" (verplicht)" if sec.mandatory else "") + (" – bewerkt" if sec.edited else "")
        return sec.heading + marks + (" ⚠" if sec.stale else "")

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)

    def select_section(self, key: str) -> None:
        keys = [s.key for s in self.sections]
        self.section_list.setCurrentRow(keys.index(key))

    def _select(self, item: QListWidgetItem | None, force: bool = False) -> None:
        if item is None:
            return
        key = item.data(KEY_ROLE)
        if not force and self.current_key and key != self.current_key and self._dirty():
            self.save_text()  # keep what was typed before moving on
            return
        self.current_key = key
        sec = self.section(key)
        if sec is None:
            return
        self.heading.setText(sec.heading)
        self.text.setPlainText(sec.text)
        state = "Gegenereerd uit de instellingen van de school." if not sec.edited else "Door de school bewerkt."
        if sec.stale:
            state = ("Let op: de instellingen zijn gewijzigd sinds deze tekst werd bewerkt; de gegenereerde tekst "
                     "is nu anders. Kies 'Terug naar gegenereerde tekst' of pas de tekst aan.")
        self.edit_state.setText(state + (" Verplicht onderdeel." if sec.mandatory else ""))
        self.reset_button.setEnabled(sec.edited)

    def _dirty(self) -> bool:
        sec = self.section(self.current_key or "")
        return sec is not None and (self.heading.text().strip() != sec.heading
                                    or self.text.toPlainText().strip() != sec.text.strip())

    def _item_checked(self, item: QListWidgetItem) -> None:
        key = item.data(KEY_ROLE)
        sec = self.section(key)
        enabled = item.checkState() == Qt.CheckState.Checked
        if sec is not None and not sec.mandatory and enabled != sec.enabled:
            self.ctx.run({SETTINGS}, set_section_enabled, key, enabled)

    # ------------------------------------------------------------------------------------ actions
    def save_text(self) -> None:
        if self.current_key is None:
            return
        target = self.section_list.currentItem().data(KEY_ROLE) if self.section_list.currentItem() else None
        key = self.current_key
        heading, text = self.heading.text(), self.text.toPlainText()
        if target is not None and target != key:
            self.current_key = target  # the edit was made to the section left behind; reload shows the new one
        if self.ctx.run({SETTINGS}, edit_section, key, heading=heading, text=text) is None:
            self.current_key = key  # refused (e.g. an empty text): stay on the section being edited
            self.section_list.blockSignals(True)
            self.section_list.setCurrentRow([sec.key for sec in self.sections].index(key))
            self.section_list.blockSignals(False)

    def reset_text(self) -> None:
        if self.current_key is not None:
            self.ctx.run({SETTINGS}, reset_section, self.current_key)

    def save_settings(self) -> None:
        values = {key: (f.currentText() if isinstance(f, QComboBox) else f.text()) for key, f in self.setting_fields.items()}
        if self.ctx.run({SETTINGS}, _save_settings, values):
            self.status.setText("Rollen en tijden opgeslagen; de tekst is bijgewerkt.")

    def save_version(self, school_year: str | None = None, note: str = "") -> PolicyVersion | None:
        if school_year is None:
            answer = self.ask_version_details()
            if answer is None:
                return None
            school_year, note = answer
        if self._dirty():
            self.save_text()
        version = self.ctx.run({SETTINGS}, save_version, school_year=school_year, note=note, by=self.ctx.user)
        if version is not None:
            self.status.setText(f"Versie {version.id} opgeslagen ({version.school_year}).")
        return version

    def record_consent(self, version_id: int | None = None, on: dt.date | None = None) -> None:
        if version_id is None or on is None:
            answer = self.ask_consent()
            if answer is None:
                return
            version_id, on = answer
        if self.ctx.run({SETTINGS}, record_consent, version_id, on, by=self.ctx.user, today=self.today) is not None:
            self.status.setText(f"Instemming van de MR met versie {version_id} vastgelegd op {dutch.date_long(on)}.")

    def document_bytes(self, fmt: str) -> bytes:
        doc = self.ctx.read(policy_document, self.source.currentData(), school_year=school_year_name_for(self.today))
        if fmt == "docx":
            return policy_docx(doc)
        return policy_pdf(doc) if fmt == "pdf" else policy_text(doc).encode("utf-8")

    def export(self, fmt: str, path: str | None = None) -> Path | None:
        path = path or self.ask_path(f"Verzuimbeleid opslaan als {FORMATS[fmt][0]}", f"verzuimbeleid.{fmt}",
                                     FORMATS[fmt][1])
        if not path:
            return None
        return self._write(Path(path), self.document_bytes(fmt))

    def year_evaluation(self, school_year: str | None = None, fmt: str | None = None,
                        path: str | None = None) -> Path | None:  # fmt: skip
        if school_year is None or fmt is None:
            answer = self.ask_evaluation()
            if answer is None:
                return None
            school_year, fmt = answer
        path = path or self.ask_path("Jaarevaluatie opslaan", f"jaarevaluatie-{school_year}.{fmt}", FORMATS[fmt][1])
        if not path:
            return None
        try:
            ev = self.ctx.read(build_evaluation, school_year, today=self.today)
        except Exception as exc:  # a VerzuimdeskError (e.g. a year not yet begun) is shown, not raised
            self.ctx.report(str(exc))
            return None
        return self._write(Path(path), evaluation_pdf(ev) if fmt == "pdf" else evaluation_docx(ev))

    def _write(self, path: Path, data: bytes) -> Path | None:
        try:
            path.write_bytes(data)
        except OSError as exc:
            self.ctx.report(f"Het bestand {path} kon niet worden opgeslagen: {exc.strerror or exc}.")
            return None
        self.last_path = path
        self.status.setText(f"Opgeslagen: {path}")
        return path

    # ------------------------------------------------------------------------------------ dialogs
    def ask_path(self, title: str, name: str, filters: str) -> str | None:
        path, _f = QFileDialog.getSaveFileName(self, title, str(Path.home() / name), filters)
        return path or None

    def ask_version_details(self) -> tuple[str, str] | None:
        year, note = QComboBox(), QLineEdit()
        year.addItems(_years(self.ctx, self.today))
        year.setCurrentText(school_year_name_for(self.today))
        if not _dialog(self, "Versie opslaan", [("Schooljaar van de schoolgids:", year), ("Notitie:", note)]):
            return None
        return year.currentText(), note.text()

    def ask_consent(self) -> tuple[int, dt.date] | None:
        rows = self.ctx.read(versions)
        if not rows:
            self.ctx.report("Sla eerst een versie op; de MR stemt in met een opgeslagen versie.")
            return None
        choice, date = QComboBox(), DateEdit(self.today)
        for v in rows:
            choice.addItem(f"versie {v.id} ({v.school_year}, opgeslagen {dutch.date_short(v.created_at)})", v.id)
        chosen = selected_row(self.versions_view, self.versions_proxy)
        if chosen is not None:
            choice.setCurrentIndex(max(choice.findData(chosen.id), 0))
        if not _dialog(self, "Instemming MR vastleggen", [("Versie:", choice), ("Datum van instemming:", date)]):
            return None
        return int(choice.currentData()), date.date_value()

    def ask_evaluation(self) -> tuple[str, str] | None:
        year, fmt = QComboBox(), QComboBox()
        year.addItems([y for y in _years(self.ctx, self.today) if int(y[:4]) <= self.today.year])
        year.setCurrentText(school_year_name_for(self.today))
        fmt.addItem("PDF", "pdf")
        fmt.addItem("Word", "docx")
        if not _dialog(self, "Jaarevaluatie", [("Schooljaar:", year), ("Bestandsvorm:", fmt)]):
            return None
        return year.currentText(), str(fmt.currentData())


def _save_settings(session: Session, values: dict[str, str]) -> bool:
    save_policy_settings(session, values)
    return True


def _dialog(parent: QWidget, title: str, rows: list[tuple[str, QWidget]]) -> bool:
    dialog = QDialog(parent)
    dialog.setWindowTitle(title)
    form = QFormLayout(dialog)
    for label, widget in rows:
        form.addRow(label, widget)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    form.addRow(buttons)
    return dialog.exec() == QDialog.DialogCode.Accepted
