"""Redenen: the school's absence reasons with their legal mapping, and the history of mapping changes."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QColorDialog,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from verzuimdesk.model import dutch
from verzuimdesk.model.school.reasons import CATEGORY_LABELS, LEGAL_GROUNDS, reasons_by_code
from verzuimdesk.model.setup import settings as adm
from verzuimdesk.model.tables import Reason
from verzuimdesk.ui.context import REASONS, REGISTER, AppContext
from verzuimdesk.ui.forms import (
    ask_text,
    fit_columns,
    form_dialog_layout,
    reload_after_conflict,
    selected_row,
    table_view,
)
from verzuimdesk.ui.widgets import Column, RowsModel


def _ground(code: str) -> str:
    return f"{code}: {LEGAL_GROUNDS[code]}" if code in LEGAL_GROUNDS else "—"


def _mapping(category: str, ground: str) -> str:
    text = CATEGORY_LABELS.get(category, category)
    return f"{text}, grond {ground}" if ground else text


REASON_COLUMNS: list[Column[Reason]] = [
    Column("Code", lambda r: r.code),
    Column("Naam", lambda r: r.name),
    Column("Categorie", lambda r: CATEGORY_LABELS.get(r.category, r.category)),
    Column("Grond art. 11", lambda r: _ground(r.legal_ground), tooltip=lambda r: _ground(r.legal_ground)),
    Column("Te laat", lambda r: "ja" if r.is_lateness else "nee"),
    Column("Kleur", lambda r: r.color, background=lambda r: QColor(r.color)),
    Column("Actief", lambda r: "ja" if r.active else "nee"),
]
HISTORY_COLUMNS: list[Column[adm.MappingChangeRow]] = [
    Column("Wanneer", lambda h: dutch.date_time_short(h.at), sort_key=lambda h: h.at.isoformat()),
    Column("Door", lambda h: h.by),
    Column("Reden", lambda h: h.reason),
    Column("Was", lambda h: _mapping(*h.old)),
    Column("Wordt", lambda h: _mapping(*h.new)),
    Column("Waarom", lambda h: h.why, tooltip=lambda h: h.why),
]


class ReasonDialog(QDialog):
    """New reason or change one; a changed mapping of a reason in use asks why (and is recorded)."""

    def __init__(self, ctx: AppContext, reason: Reason | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.reason_id = reason.id if reason else None
        self.ask_why: Callable[[str], str | None] = lambda q: ask_text(self, "Wijziging van de indeling", q)
        self.setWindowTitle(f"Reden {reason.code}" if reason else "Nieuwe reden")
        self.code = QLineEdit()
        self.code.setMaxLength(4)
        self.name = QLineEdit()
        self.category = QComboBox()
        for value, label in CATEGORY_LABELS.items():
            self.category.addItem(label, value)
        self.ground = QComboBox()
        self.ground.addItem("— (geen grond)", "")
        for code, text in LEGAL_GROUNDS.items():
            self.ground.addItem(f"{code}: {text}", code)
        self.lateness = QCheckBox("dit is te laat komen (minuten te laat registreren)")
        self.sickness = QCheckBox("gaat over ziekte (gezondheidsgegeven: alleen tonen waar gekozen)")
        self.sick_report = QCheckBox("telt als ziekmelding voor het zorgsignaal (MAZL)")
        self.active = QCheckBox("actief (te kiezen bij registreren)")
        self.color = QLineEdit("#999999")
        pick = QPushButton("Kies…")
        pick.clicked.connect(self._pick_colour)
        colour_row = QHBoxLayout()
        colour_row.addWidget(self.color)
        colour_row.addWidget(pick)
        self.version: int | None = None
        if reason is not None:
            self._fill(reason)
        else:
            self.category.setCurrentIndex(self.category.findData("ongeoorloofd"))
            self.active.setChecked(True)
        form = QFormLayout()
        form.addRow("Code:", self.code)
        form.addRow("Naam:", self.name)
        form.addRow("Categorie:", self.category)
        form.addRow("Grond art. 11 Lpw:", self.ground)
        form.addRow("Kleur:", colour_row)
        form.addRow("", self.lateness)
        form.addRow("", self.sickness)
        form.addRow("", self.sick_report)
        form.addRow("", self.active)
        self.error = form_dialog_layout(self, ctx, form, "Opslaan")
        reload_after_conflict(self, ctx, REASONS, self.reload, self.error)
        self.resize(620, 0)

    def _fill(self, reason: Reason) -> None:
        self.version = reason.version  # as loaded: a change saved meanwhile on another PC is a conflict (issue 14)
        self.code.setText(reason.code)
        self.name.setText(reason.name)
        self.color.setText(reason.color)
        self.category.setCurrentIndex(max(self.category.findData(reason.category), 0))
        self.ground.setCurrentIndex(max(self.ground.findData(reason.legal_ground), 0))
        self.lateness.setChecked(reason.is_lateness)
        self.sickness.setChecked(reason.is_sickness)
        self.sick_report.setChecked(reason.sick_report)
        self.active.setChecked(reason.active)

    def reload(self) -> bool:
        if self.reason_id is None:
            return True  # a new row: nothing stored to show
        reason = self.ctx.read(lambda s: s.get(Reason, self.reason_id)) if self.reason_id is not None else None
        if reason is not None:
            self._fill(reason)
        return reason is not None

    def _pick_colour(self) -> None:
        colour = QColorDialog.getColor(QColor(self.color.text()), self, "Kleur van de reden")
        if colour.isValid():
            self.color.setText(colour.name().upper())

    def values(self) -> dict[str, object]:
        return {"code": self.code.text().strip(), "name": self.name.text().strip(),
                "category": self.category.currentData(), "legal_ground": self.ground.currentData(),
                "is_lateness": self.lateness.isChecked(), "is_sickness": self.sickness.isChecked(),
                "sick_report": self.sick_report.isChecked(),
                "active": self.active.isChecked(), "color": self.color.text().strip() or "#999999"}  # fmt: skip

    def accept(self) -> None:
        values = self.values()
        why = ""
        if self.ctx.read(adm.mapping_change_needs_why, self.reason_id, values["category"], values["legal_ground"]):
            answer = self.ask_why("Deze reden is al gebruikt in de registratie.\nWaarom verandert de indeling?")
            if answer is None:
                return
            why = answer
        saved = self.ctx.run({REASONS, REGISTER}, adm.save_reason_details, self.reason_id, values,
                             by=self.ctx.user, why=why, expected_version=self.version)
        if saved is not None:
            super().accept()


class ReasonsEditor(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.model: RowsModel[Reason] = RowsModel(REASON_COLUMNS)
        self.view, self.proxy = table_view(self.model, stretch=3)
        fit_columns(self.view, [50, 290, 260, 280, 60, 80, 50])
        self.view.doubleClicked.connect(lambda _i: self.edit_selected())
        self.history_model: RowsModel[adm.MappingChangeRow] = RowsModel(HISTORY_COLUMNS)
        self.history, _proxy = table_view(self.history_model)
        fit_columns(self.history, [120, 100, 200, 190, 190])
        self.history.setMaximumHeight(150)
        bar = QHBoxLayout()
        for text, slot in (("&Nieuwe reden…", self.new_reason), ("&Bewerken…", self.edit_selected)):
            button = QPushButton(text)
            button.clicked.connect(slot)
            bar.addWidget(button)
        bar.addStretch(1)
        note = QLabel("Elke reden hoort bij één wettelijke categorie. Wie de indeling van een reden wijzigt die al "
                      "is gebruikt, moet zeggen waarom; dat wordt hieronder vastgelegd.")  # fmt: skip
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        layout.addWidget(QLabel("<b>Geschiedenis van wijzigingen in de indeling</b>"))
        layout.addWidget(self.history)
        self.refresh()

    def refresh(self) -> None:
        self.model.set_rows(self.ctx.read(lambda s: list(reasons_by_code(s).values())))
        self.history_model.set_rows(self.ctx.read(adm.reason_mapping_history))

    def open_dialog(self, dialog: QDialog) -> bool:
        return bool(dialog.exec())

    def new_reason(self) -> None:
        self.open_dialog(ReasonDialog(self.ctx, None, self))

    def edit_selected(self) -> None:
        reason = selected_row(self.view, self.proxy)
        if reason is not None:
            self.open_dialog(ReasonDialog(self.ctx, reason, self))
