"""The detail panel of a melding: every field of the Besluit Verzuimmelding (editable while concept), the
specification per day, what is still missing before DUO (validate_melding) and the status history."""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from verzuimdesk.model import dutch
from verzuimdesk.model.law.meldingen import (
    OPEN_END_KINDS,
    melding_days,
    melding_history,
    set_melding_end_date,
    validate_melding,
)
from verzuimdesk.model.law.views import update_melding
from verzuimdesk.model.tables.law import Melding, MeldingStatusValue
from verzuimdesk.ui.context import AppContext
from verzuimdesk.ui.forms import OptionalDateEdit
from verzuimdesk.ui.meldingen.dialogs import MELDINGEN, kind_items
from verzuimdesk.ui.widgets import DateEdit

TEXT_FIELDS = [  # (attribute, label, column)
    ("presumed_reason", "Vermoedelijke reden", 0), ("school_action", "Actie van de school", 0),
    ("municipality_action_why_not", "Waarom geen actie gemeente", 0), ("location_name", "Leslocatie", 0),
    ("deviating_address", "Afwijkend woonadres", 0), ("gemeente", "Woongemeente", 0),
    ("reporter_name", "Naam melder", 1), ("reporter_function", "Functie melder", 1),
    ("reporter_phone", "Telefoon melder", 1), ("reporter_email", "E-mail melder", 1),
    ("parent_phone", "Telefoon ouder/leerling", 1),
]  # fmt: skip
WEEKDAYS = ["ma", "di", "wo", "do", "vr", "za", "zo"]


class MeldingDetail(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.today = dt.date.today
        self.melding_id: int | None = None
        self.fields: dict[str, QLineEdit] = {}
        self.kind = QComboBox()
        kind_items(self.kind)
        self.kind.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.kind.setMinimumContentsLength(30)
        self.begin = DateEdit()
        self.end = OptionalDateEdit()
        self.all_lessons = QCheckBox("alle lessen verzuimd")
        self.action_wanted = QCheckBox("actie van de gemeente gewenst")
        grid = QGridLayout()
        grid.addWidget(QLabel("Soort:"), 0, 0)
        grid.addWidget(self.kind, 0, 1, 1, 3)
        grid.addWidget(QLabel("Begindatum:"), 1, 0)
        grid.addWidget(self.begin, 1, 1)
        grid.addWidget(QLabel("Einddatum:"), 1, 2)
        grid.addWidget(self.end, 1, 3)
        checks = QHBoxLayout()
        checks.addWidget(self.all_lessons)
        checks.addWidget(self.action_wanted)
        checks.addStretch(1)
        grid.addLayout(checks, 2, 0, 1, 4)
        rows = [3, 3]
        for attr, label, column in TEXT_FIELDS:
            edit = QLineEdit()
            edit.setMinimumWidth(90)
            self.fields[attr] = edit
            grid.addWidget(QLabel(label + ":"), rows[column], column * 2)
            grid.addWidget(edit, rows[column], column * 2 + 1)
            rows[column] += 1
        grid.setColumnStretch(1, 3)
        grid.setColumnStretch(3, 2)
        self.save_button = QPushButton("Wijzigingen opslaan")
        self.save_button.clicked.connect(self.save)
        self.locked = QLabel()
        self.locked.setStyleSheet("color: #555;")
        # LRV: the einddatum may stay open and is filled in later, also after DUO registered the melding.
        self.end_button = QPushButton("Einddatum vastleggen")
        self.end_button.setToolTip("De leerling is terug of uitgeschreven: leg de laatste verzuimdag vast "
                                   "(ook na registratie bij DUO; komt in de statusgeschiedenis).")
        self.end_button.clicked.connect(self.save_end)
        self.end_button.setVisible(False)
        save_row = QHBoxLayout()
        save_row.addWidget(self.locked, 1)
        save_row.addWidget(self.end_button)
        save_row.addWidget(self.save_button)
        form_box = QGroupBox("Gegevens van de melding (Besluit Verzuimmelding)")
        form_layout = QVBoxLayout(form_box)
        form_layout.addLayout(grid)
        form_layout.addLayout(save_row)
        form_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(form_box)

        self.validation = QLabel()
        self.validation.setWordWrap(True)
        self.validation.setTextFormat(Qt.TextFormat.RichText)
        self.validation.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.spec = QTableWidget(0, 3)
        self.spec.setHorizontalHeaderLabels(["Datum", "Lesuren", "Minuten"])
        self.spec.verticalHeader().setVisible(False)
        self.spec.verticalHeader().setDefaultSectionSize(22)
        self.spec.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.spec.setColumnWidth(0, 110)
        self.spec.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.spec_total = QLabel()
        self.history = QListWidget()
        self.history.setWordWrap(True)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right.setMinimumWidth(340)
        right_layout.addWidget(self.validation)
        right_layout.addWidget(QLabel("<b>Specificatie per dag</b>"))
        right_layout.addWidget(self.spec, 3)
        right_layout.addWidget(self.spec_total)
        right_layout.addWidget(QLabel("<b>Statusgeschiedenis</b>"))
        right_layout.addWidget(self.history, 2)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(scroll)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([700, 380])
        self.splitter = splitter
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        self.show_melding(None)

    # ------------------------------------------------------------------------------------ showing
    def _load(self, session: Any, melding_id: int) -> tuple[Melding, list, list, list[str]]:
        melding = session.get(Melding, melding_id)
        days, history = melding_days(session, melding_id), melding_history(session, melding_id)
        problems = validate_melding(session, melding)
        for row in [melding, *days, *history]:
            session.expunge(row)
        return melding, days, history, problems

    def show_melding(self, melding_id: int | None) -> None:
        self.melding_id = melding_id
        self.end_button.setVisible(False)
        if melding_id is None:
            self._set_editable(False)
            self.locked.setText("Kies een melding in de lijst.")
            self.validation.setText("")
            self.spec.setRowCount(0)
            self.spec_total.setText("")
            self.history.clear()
            return
        melding, days, history, problems = self.ctx.read(self._load, melding_id)
        self.kind.setCurrentIndex(max(self.kind.findData(melding.kind), 0))
        self.begin.set_date(melding.begin_date)
        self.end.set_optional(melding.end_date)
        self.all_lessons.setChecked(melding.all_lessons_missed)
        self.action_wanted.setChecked(melding.municipality_action_wanted)
        for attr, edit in self.fields.items():
            edit.setText(getattr(melding, attr))
            edit.setCursorPosition(0)
        draft = melding.status == MeldingStatusValue.DRAFT.value
        self._set_editable(draft)
        self.locked.setText("Concept: alle velden zijn te wijzigen." if draft else
                            f"Status '{melding.status}': de melding is doorgegeven en niet meer te wijzigen.")
        open_end = (not draft and melding.end_date is None and melding.kind in OPEN_END_KINDS
                    and melding.status not in (MeldingStatusValue.CLOSED.value, MeldingStatusValue.WITHDRAWN.value))
        self.end_button.setVisible(open_end)
        if open_end:
            self.end.setEnabled(True)
            self.locked.setText(f"Status '{melding.status}': alleen de einddatum kan nog worden ingevuld.")
        if problems:
            lines = "".join(f"<li>{html.escape(p)}</li>" for p in problems)
            head = "Nog niet compleet voor DUO" if draft else "Bij controle van nu ontbreekt"
            self.validation.setText(f"<div style='color:#B00020'><b>{head}:</b>"
                                    f"<ul style='margin-top:2px; margin-bottom:0'>{lines}</ul></div>")
        else:
            self.validation.setText("<span style='color:#2E7D32'>✔ Alle gegevens voor DUO zijn compleet.</span>")
        self.spec.setRowCount(len(days))
        for i, d in enumerate(days):
            lessons = d.lessons.replace(",", ", ") + (" (hele dag)" if d.whole_day else "")
            values = [f"{WEEKDAYS[d.date.weekday()]} {dutch.date_short(d.date)}", lessons, str(d.minutes)]
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                if c == 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.spec.setItem(i, c, item)
        self.spec.setToolTip("Per dag de lesuren met ongeoorloofd verzuim (ziekte en ander geoorloofd verzuim "
                             "komen nooit in een melding).")
        self.spec_total.setText(f"Totaal {dutch.hours(melding.minutes_unauthorised, trim=False)} uur ongeoorloofd verzuim op "
                                f"{dutch.plural(melding.absence_days, 'dag', 'dagen')}.")  # fmt: skip
        self.history.clear()
        for h in history:
            text = f"{dutch.date_time_short(h.set_at)}  {h.status}"
            text += f" — reden: {h.reason}" if h.reason else ""
            text += f" — {h.note}" if h.note else ""
            self.history.addItem(f"{text}  ({h.set_by})")

    def _set_editable(self, on: bool) -> None:
        for widget in (self.kind, self.begin, self.end, self.all_lessons, self.action_wanted, self.save_button):
            widget.setEnabled(on)
        for edit in self.fields.values():
            edit.setReadOnly(not on)

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {attr: edit.text() for attr, edit in self.fields.items()}
        out.update(kind=self.kind.currentData(), begin_date=self.begin.date_value(),
                   end_date=self.end.optional_value(), all_lessons_missed=self.all_lessons.isChecked(),
                   municipality_action_wanted=self.action_wanted.isChecked())  # fmt: skip
        return out

    def save_end(self) -> bool:
        """Record the einddatum of a registered melding without one (meldingen.set_melding_end_date)."""
        end = self.end.optional_value()
        if self.melding_id is None:
            return False
        if end is None:
            self.ctx.show_error("Kies eerst de einddatum: de laatste dag van het verzuim.")
            return False
        done = self.ctx.run({MELDINGEN}, set_melding_end_date, self.melding_id, end, by=self.ctx.user)
        if done is not None:
            self.show_melding(self.melding_id)
        return done is not None

    def save(self) -> bool:
        if self.melding_id is None:
            return False
        done = self.ctx.run({MELDINGEN}, update_melding, self.melding_id, by=self.ctx.user, today=self.today(),
                            **self.values())  # fmt: skip
        return done is not None
