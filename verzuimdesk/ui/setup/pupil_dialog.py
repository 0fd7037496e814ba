"""The pupil dialog: Gegevens, Ouders/verzorgers, Groep, Roosterafwijkingen (tabs)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from verzuimdesk.model import dutch
from verzuimdesk.model.school.names import display_name
from verzuimdesk.model.school.records import active_groups
from verzuimdesk.model.setup import pupils_groups as admin
from verzuimdesk.model.tables import Pupil
from verzuimdesk.ui.context import GROUPS, PUPILS, AppContext
from verzuimdesk.ui.forms import OptionalDateEdit, error_label, show_inline
from verzuimdesk.ui.setup.deviation_dialog import DeviationsTab
from verzuimdesk.ui.widgets import DateEdit, dialog_buttons

GENDERS = [("", "—"), ("m", "jongen"), ("v", "meisje"), ("o", "anders / onbekend")]
TEXT_FIELDS = [  # (attribute, label)
    ("key", "Leerlingnummer"), ("achternaam", "Achternaam"), ("voorvoegsel", "Voorvoegsel"),
    ("voornamen", "Voornamen"), ("roepnaam", "Roepnaam"), ("bsn", "BSN"), ("onderwijsnummer", "Onderwijsnummer"),
    ("woongemeente", "Woongemeente"), ("address", "Adres"), ("postcode", "Postcode"), ("city", "Woonplaats"),
]  # fmt: skip
GUARDIAN_HEADERS = ["Naam", "Relatie", "Telefoon", "E-mail", "Eigen adres", "Postcode", "Plaats"]


class PupilDialog(QDialog):
    """New pupil (``pupil_id`` None) or edit one; OK saves everything in one transaction."""

    def __init__(self, ctx: AppContext, pupil_id: int | None, parent: QWidget | None = None,
                 *, today: dt.date | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.pupil_id = pupil_id
        self.today = today or dt.date.today()
        pupil = ctx.read(lambda s: s.get(Pupil, pupil_id)) if pupil_id is not None else None
        # The version of the pupil's card (with parents and groups) as loaded: a change made meanwhile on another
        # PC makes the save a conflict (issue 14); "Opnieuw laden" reloads this dialog (_reload).
        self.version: int | None = pupil.version if pupil else None
        self.setWindowTitle(f"Leerling {display_name(pupil)}" if pupil else "Nieuwe leerling")
        self.resize(720, 560)
        self.fields: dict[str, QLineEdit] = {}
        self.tabs = QTabWidget()
        self.tabs.addTab(self._details_tab(pupil), "&Gegevens")
        self.tabs.addTab(self._guardians_tab(), "&Ouders/verzorgers")
        self.tabs.addTab(self._group_tab(), "G&roep")
        self.deviations = DeviationsTab(ctx, pupil_id, self.today)
        self.tabs.addTab(self.deviations, "Rooster&afwijkingen")
        self.error = error_label()
        buttons = dialog_buttons(self, "Opslaan")
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        ctx.error.connect(self._show_error)
        self.finished.connect(lambda _r: ctx.error.disconnect(self._show_error))
        ctx.reloaded.connect(self._on_reloaded)
        self.finished.connect(lambda _r: ctx.reloaded.disconnect(self._on_reloaded))
        if pupil is not None:
            self._load(pupil)
        else:
            self.fields["key"].setText(ctx.read(admin.next_pupil_key))

    # ------------------------------------------------------------------------------------- tabs
    def _details_tab(self, pupil: Pupil | None) -> QWidget:
        tab = QWidget()
        grid = QGridLayout(tab)
        left, right = QFormLayout(), QFormLayout()
        for attr, label in TEXT_FIELDS:
            edit = QLineEdit()
            edit.setObjectName(attr)
            self.fields[attr] = edit
            (left if attr in {"key", "achternaam", "voorvoegsel", "voornamen", "roepnaam", "bsn",
                              "onderwijsnummer"} else right).addRow(label + ":", edit)  # fmt: skip
        self.fields["bsn"].setPlaceholderText("9 cijfers")
        self.fields["onderwijsnummer"].setPlaceholderText("alleen als er geen BSN is")
        self.birth_date = OptionalDateEdit(None)
        self.gender = QComboBox()
        for value, label in GENDERS:
            self.gender.addItem(label, value)
        left.insertRow(5, "Geboortedatum:", self.birth_date)
        left.insertRow(6, "Geslacht:", self.gender)
        self.enrolled_on = OptionalDateEdit(None if pupil else self.today)
        self.left_on = OptionalDateEdit(None)
        right.addRow("Ingeschreven op:", self.enrolled_on)
        right.addRow("Uitgeschreven op:", self.left_on)
        self.notes = QPlainTextEdit()
        self.notes.setPlaceholderText("Bijzonderheden (geen medische details)")
        grid.addLayout(left, 0, 0)
        grid.addLayout(right, 0, 1)
        grid.addWidget(QLabel("Notities:"), 1, 0, 1, 2)
        grid.addWidget(self.notes, 2, 0, 1, 2)
        return tab

    def _guardians_tab(self) -> QWidget:
        tab = QWidget()
        self.guardians = QTableWidget(0, len(GUARDIAN_HEADERS))
        self.guardians.setHorizontalHeaderLabels(GUARDIAN_HEADERS)
        self.guardians.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.guardians.verticalHeader().setVisible(False)
        add = QPushButton("Ouder/verzorger &toevoegen")
        add.clicked.connect(lambda: self.add_guardian(admin.GuardianData("")))
        remove = QPushButton("&Verwijderen")
        remove.clicked.connect(self._remove_guardian)
        bar = QHBoxLayout()
        bar.addWidget(add)
        bar.addWidget(remove)
        bar.addStretch(1)
        layout = QVBoxLayout(tab)
        layout.addWidget(QLabel("Wie bellen we bij afwezigheid? De bovenste wordt als eerste gebeld. Vul een adres "
                                "alleen in bij een ouder die niet bij de leerling woont: die krijgt brieven apart."))
        layout.addWidget(self.guardians)
        layout.addLayout(bar)
        return tab

    def _group_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        self.group_combo = QComboBox()
        for g in self.ctx.read(active_groups, include_composite=True):
            self.group_combo.addItem(g.name, g.id)
        self.group_date = DateEdit(self.today)
        row = QHBoxLayout()
        row.addWidget(QLabel("Groep:"))
        row.addWidget(self.group_combo, 1)
        row.addWidget(QLabel("vanaf:"))
        row.addWidget(self.group_date)
        self.history = QTableWidget(0, 3)
        self.history.setHorizontalHeaderLabels(["Groep", "Vanaf", "Tot en met"])
        self.history.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.history.verticalHeader().setVisible(False)
        self.history.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        if self.pupil_id is None:
            self.group_combo.insertItem(0, "(nog geen groep)", None)
            self.group_combo.setCurrentIndex(0)
            layout.addWidget(QLabel("Plaats de nieuwe leerling meteen in een groep:"))
            layout.addLayout(row)
            layout.addStretch(1)
            return tab
        change = QPushButton("&Wijzig groep per datum")
        change.clicked.connect(self.change_group)
        row.addWidget(change)
        layout.addWidget(QLabel("Groepsgeschiedenis (een groepswissel bewaart de oude groep tot de dag ervoor):"))
        layout.addWidget(self.history)
        layout.addLayout(row)
        self._load_history()
        return tab

    # ------------------------------------------------------------------------------------- data
    def _load(self, pupil: Pupil) -> None:
        for attr, edit in self.fields.items():
            edit.setText(str(getattr(pupil, attr) or ""))
        self.birth_date.set_optional(pupil.birth_date)
        index = self.gender.findData((pupil.gender or "").lower())
        self.gender.setCurrentIndex(max(index, 0))
        self.enrolled_on.set_optional(pupil.enrolled_on)
        self.left_on.set_optional(pupil.left_on)
        self.notes.setPlainText(pupil.notes)
        assert pupil.id is not None
        self.guardians.setRowCount(0)
        for g in self.ctx.read(admin.guardians_of, pupil.id):
            self.add_guardian(g)

    def _on_reloaded(self, kinds: frozenset[str]) -> None:
        """After a conflict's "Opnieuw laden": show the card as it is stored now, with its new version."""
        if PUPILS not in kinds or self.pupil_id is None:
            return
        pupil = self.ctx.read(lambda s: s.get(Pupil, self.pupil_id))
        if pupil is None:
            show_inline(self.error, "Deze leerling bestaat niet meer.")
            return
        self.version = pupil.version
        self._load(pupil)
        self._load_history()
        show_inline(self.error, "Opnieuw geladen: dit zijn de gegevens zoals ze nu zijn opgeslagen. Voer uw "
                                "wijziging zo nodig opnieuw in en kies Opslaan.")  # fmt: skip

    def _load_history(self) -> None:
        if self.pupil_id is None:
            return
        rows = self.ctx.read(admin.membership_history, self.pupil_id)
        self.history.setRowCount(len(rows))
        for i, m in enumerate(rows):
            for j, text in enumerate([m.group, f"{dutch.date_short(m.date_from)}",
                                      f"{dutch.date_short(m.date_to)}" if m.date_to else "(nog in deze groep)"]):
                self.history.setItem(i, j, QTableWidgetItem(text))

    def add_guardian(self, g: admin.GuardianData) -> None:
        row = self.guardians.rowCount()
        self.guardians.insertRow(row)
        for column, value in enumerate((g.name, g.relation, g.phone, g.email, g.address, g.postcode, g.city)):
            self.guardians.setItem(row, column, QTableWidgetItem(value))
        if not g.name:
            self.guardians.setCurrentCell(row, 0)

    def _remove_guardian(self) -> None:
        row = self.guardians.currentRow()
        if row >= 0:
            self.guardians.removeRow(row)

    def guardian_rows(self) -> list[admin.GuardianData]:
        def text(r: int, c: int) -> str:
            item = self.guardians.item(r, c)
            return item.text() if item else ""

        return [admin.GuardianData(*(text(r, c) for c in range(len(GUARDIAN_HEADERS))))
                for r in range(self.guardians.rowCount())]

    def values(self) -> dict[str, Any]:
        values: dict[str, Any] = {attr: edit.text().strip() for attr, edit in self.fields.items()}
        values.update(birth_date=self.birth_date.optional_value(), gender=self.gender.currentData() or "",
                      enrolled_on=self.enrolled_on.optional_value(), left_on=self.left_on.optional_value(),
                      notes=self.notes.toPlainText().strip())  # fmt: skip
        return values

    def _show_error(self, message: str) -> None:
        show_inline(self.error, message)

    # ------------------------------------------------------------------------------------- actions
    def change_group(self) -> None:
        assert self.pupil_id is not None
        group_id = self.group_combo.currentData()
        if self.ctx.run({PUPILS, GROUPS}, admin.change_group, self.pupil_id, group_id,
                        self.group_date.date_value(), expected_version=self.version) is not None:  # fmt: skip
            show_inline(self.error, "")
            if self.version is not None:
                self.version += 1  # change_group counts the card's version up by one
            self._load_history()

    def accept(self) -> None:
        show_inline(self.error, "")
        group_id = self.group_combo.currentData() if self.pupil_id is None else None
        saved = self.ctx.run({PUPILS, GROUPS}, admin.save_pupil_details, self.pupil_id, self.values(),
                             self.guardian_rows(), group_id=group_id, group_from=self.group_date.date_value(),
                             expected_version=self.version)
        if saved is None:
            return
        self.pupil_id = saved.id
        super().accept()
