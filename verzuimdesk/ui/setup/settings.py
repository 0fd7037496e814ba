"""Instellingen: school data and user name, leerplichtambtenaren per gemeente, reasons."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from verzuimdesk.model.db import files_dir
from verzuimdesk.model.school.records import get_school, leerplicht_contacts
from verzuimdesk.model.setup import settings as adm
from verzuimdesk.model.store import check_settings, get_setting, set_setting, setting_versions
from verzuimdesk.model.tables import LeerplichtContact, Region, School, Sector
from verzuimdesk.ui.context import CALENDAR, REASONS, REGISTER, SETTINGS, AppContext
from verzuimdesk.ui.forms import (
    confirm,
    error_label,
    fit_columns,
    form_dialog_layout,
    reload_after_conflict,
    selected_row,
    show_inline,
    table_view,
)
from verzuimdesk.ui.setup.reasons_editor import ReasonsEditor
from verzuimdesk.ui.widgets import Column, RowsModel, scrolling

SECTORS = {Sector.PO.value: "po (basisonderwijs)", Sector.SBO.value: "sbo (speciaal basisonderwijs)",
           Sector.SO.value: "so (speciaal onderwijs)", Sector.VSO.value: "vso (voortgezet speciaal onderwijs)"}
SCHOOL_FIELDS = [("name", "Naam"), ("brin", "BRIN-code"), ("vestiging", "Vestiging"), ("address", "Adres"),
                 ("postcode", "Postcode"), ("city", "Plaats"), ("phone", "Telefoon"), ("email", "E-mail"),
                 ("director", "Directeur")]
SWV_FIELDS = [("samenwerkingsverband", "Samenwerkingsverband"), ("samenwerkingsverband_contact", "Contactpersoon")]
CONTACT_FIELDS = [("gemeente", "Gemeente"), ("name", "Naam"), ("phone", "Telefoon"), ("email", "E-mail"),
                  ("address", "Adres")]
CONTACT_COLUMNS: list[Column[LeerplichtContact]] = [
    Column(label, lambda c, a=attr: getattr(c, a)) for attr, label in CONTACT_FIELDS  # type: ignore[misc]
]


class ContactDialog(QDialog):
    def __init__(self, ctx: AppContext, contact: LeerplichtContact | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.contact_id = ctx, contact.id if contact else None
        self.version = contact.version if contact else None  # as loaded: changed elsewhere meanwhile → conflict
        self.setWindowTitle("Leerplichtambtenaar")
        self.fields = {attr: QLineEdit(getattr(contact, attr) if contact else "") for attr, _l in CONTACT_FIELDS}
        form = QFormLayout()
        for attr, label in CONTACT_FIELDS:
            form.addRow(label + ":", self.fields[attr])
        self.error = form_dialog_layout(self, ctx, form, "Opslaan")
        reload_after_conflict(self, ctx, SETTINGS, self.reload, self.error)
        self.resize(460, 0)

    def reload(self) -> bool:
        """After a conflict's "Opnieuw laden": the contact as stored now, with its new version (issue 14)."""
        if self.contact_id is None:
            return True  # a new row: nothing stored to show
        contact = self.ctx.read(lambda s: s.get(LeerplichtContact, self.contact_id)) if self.contact_id else None
        if contact is not None:
            self.version = contact.version
            for attr, edit in self.fields.items():
                edit.setText(getattr(contact, attr))
        return contact is not None

    def accept(self) -> None:
        values = {attr: edit.text() for attr, edit in self.fields.items()}
        if self.ctx.run({SETTINGS}, adm.save_leerplicht_contact, self.contact_id, values,
                        expected_version=self.version) is not None:
            super().accept()


REPORTER_SETTINGS = [
    ("melder_functie", "Functie melder"),
    ("melder_telefoon", "Telefoon melder"),
    ("melder_email", "E-mail melder"),
]


class SettingsPage(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.today: Callable[[], dt.date] = dt.date.today
        self.confirm: Callable[[str], bool] = lambda q: confirm(self, "Instellingen", q)
        self.tabs = QTabWidget()
        self.tabs.addTab(scrolling(self._school_tab()), "&School")
        self.tabs.addTab(scrolling(self._contacts_tab()), "&Leerplichtambtenaren")
        self.reasons = ReasonsEditor(ctx)
        self.tabs.addTab(self.reasons, "&Redenen")
        from verzuimdesk.ui.setup.signal_settings import SignalSettings  # the law engine's rules and policies

        self.signal_settings = SignalSettings(ctx)
        self.tabs.addTab(scrolling(self.signal_settings), "S&ignalering")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<h2>Instellingen</h2>"))
        layout.addWidget(self.tabs)
        ctx.changed.connect(self._on_changed)
        self.refresh()

    # ------------------------------------------------------------------------------------- tabs
    def _school_tab(self) -> QWidget:
        tab = QWidget()
        self.fields: dict[str, QLineEdit] = {}
        school_box = QGroupBox("Gegevens van de school")
        form = QFormLayout(school_box)
        for attr, label in SCHOOL_FIELDS + SWV_FIELDS:
            self.fields[attr] = QLineEdit()
            if attr == "vestiging":
                self.sector = QComboBox()
                for value, text in SECTORS.items():
                    self.sector.addItem(text, value)
                self.region = QComboBox()
                for r in Region:
                    self.region.addItem(r.value, r.value)
                self.niet_bekostigd = QCheckBox("niet-bekostigde school")
                self.niet_bekostigd.setToolTip("Een niet-bekostigde school heeft geen plicht tot een verzuimbeleid "
                                               "en levert geen verzuimcijfers aan DUO.")
            if attr == "address":
                form.addRow("Sector:", self.sector)
                form.addRow("Vakantieregio:", self.region)
                form.addRow("", self.niet_bekostigd)
            form.addRow(label + ":", self.fields[attr])
        self.fields["brin"].setPlaceholderText("bijvoorbeeld 99ZZ")
        self.fields["vestiging"].setPlaceholderText("00")
        user_box = QGroupBox("Gebruiker")
        user_form = QFormLayout(user_box)
        self.user_name = QLineEdit()
        self.user_name.setPlaceholderText("leeg = de inlognaam van deze computer")
        user_form.addRow("Uw naam:", self.user_name)
        hint = QLabel("Deze naam wordt bij elke handeling vastgelegd (registraties, wijzigingen van redenen).")
        hint.setWordWrap(True)
        user_form.addRow(hint)
        # Besluit Verzuimmelding: naam, functie, telefoon en e-mail van de melder staan in elke melding.
        self.reporter: dict[str, QLineEdit] = {}
        for key, label in REPORTER_SETTINGS:
            self.reporter[key] = QLineEdit()
            user_form.addRow(label + ":", self.reporter[key])
        reporter_hint = QLabel("Functie, telefoon en e-mail van de melder komen in elke verzuimmelding "
                               "(Besluit Verzuimmelding); de naam is uw naam hierboven.")
        reporter_hint.setWordWrap(True)
        user_form.addRow(reporter_hint)
        save = QPushButton("&Opslaan")
        save.clicked.connect(self.save_school)
        self.school_error = error_label()
        right = QVBoxLayout()
        right.addWidget(user_box)
        right.addWidget(self._logo_box())
        right.addStretch(1)
        grid = QGridLayout(tab)
        grid.addWidget(school_box, 0, 0)
        grid.addLayout(right, 0, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.school_error, 1)
        bottom.addStretch(0)
        bottom.addWidget(save)
        grid.addLayout(bottom, 1, 0, 1, 2)
        grid.setRowStretch(2, 1)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        return tab

    def _logo_box(self) -> QGroupBox:
        box = QGroupBox("Logo op brieven en overzichten")
        layout = QHBoxLayout(box)
        self.logo_preview = QLabel("geen logo")
        self.logo_preview.setFixedSize(140, 70)
        self.logo_preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.logo_preview.setStyleSheet("border: 1px solid #B0B8C4; background: white; color: #5F6B7A;")
        choose = QPushButton("Kiezen…")
        choose.clicked.connect(self.choose_logo)
        remove = QPushButton("Verwijderen")
        remove.clicked.connect(lambda: self.set_logo(None))
        buttons = QVBoxLayout()
        buttons.addWidget(choose)
        buttons.addWidget(remove)
        layout.addWidget(self.logo_preview)
        layout.addLayout(buttons)
        layout.addStretch(1)
        return box

    def choose_logo(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Logo kiezen", "", "Afbeeldingen (*.png *.jpg *.jpeg)")
        if path:
            self.set_logo(Path(path))

    def set_logo(self, path: Path | None) -> None:
        self.ctx.run({SETTINGS}, adm.set_school_logo, path, files_dir(self.ctx.db),
                     expected_version=self.school_version)

    def _show_logo(self, logo_path: str) -> None:
        pixmap = QPixmap(logo_path) if logo_path else QPixmap()
        if pixmap.isNull():
            self.logo_preview.setPixmap(QPixmap())
            self.logo_preview.setText("geen logo")
        else:
            self.logo_preview.setPixmap(pixmap.scaled(self.logo_preview.size() - QSize(8, 8),
                                                      Qt.AspectRatioMode.KeepAspectRatio,
                                                      Qt.TransformationMode.SmoothTransformation))

    def _contacts_tab(self) -> QWidget:
        tab = QWidget()
        self.contacts_model: RowsModel[LeerplichtContact] = RowsModel(CONTACT_COLUMNS)
        self.contacts, self.contacts_proxy = table_view(self.contacts_model)
        fit_columns(self.contacts, [150, 180, 130, 220])
        self.contacts.doubleClicked.connect(lambda _i: self.edit_contact())
        bar = QHBoxLayout()
        for text, slot in (("&Toevoegen…", self.add_contact), ("&Bewerken…", self.edit_contact),
                           ("&Verwijderen", self.remove_contact)):
            button = QPushButton(text)
            button.clicked.connect(slot)
            bar.addWidget(button)
        bar.addStretch(1)
        layout = QVBoxLayout(tab)
        layout.addWidget(QLabel("Een verzuimmelding gaat naar de leerplichtambtenaar van de woongemeente van de "
                                "leerling."))  # fmt: skip
        layout.addLayout(bar)
        layout.addWidget(self.contacts)
        return tab

    # ------------------------------------------------------------------------------------- data
    def _on_changed(self, kinds: frozenset[str]) -> None:
        if kinds & {SETTINGS, REASONS}:
            self.refresh()

    def refresh(self) -> None:
        school = self.ctx.read(get_school) or School(name="")
        for attr, edit in self.fields.items():
            edit.setText(str(getattr(school, attr) or ""))
        self.sector.setCurrentIndex(max(self.sector.findData(school.sector), 0))
        self.region.setCurrentIndex(max(self.region.findData(school.region), 0))
        self.niet_bekostigd.setChecked(school.niet_bekostigd)
        self.stored_region = school.region
        self.school_version = school.version if school.id is not None else 0  # handed back on saving (issue 14)
        self._show_logo(school.logo_path)
        self.user_name.setText(self.ctx.read(get_setting, "gebruiker", ""))
        for key, edit in self.reporter.items():
            edit.setText(self.ctx.read(get_setting, key, ""))
        # The versions of the settings as shown: one changed meanwhile on another PC is a conflict (issue 14).
        self.versions = self.ctx.read(setting_versions, ["gebruiker", *self.reporter])
        self.contacts_model.set_rows(self.ctx.read(leerplicht_contacts))
        self.reasons.refresh()

    def school_values(self) -> dict[str, object]:
        values: dict[str, object] = {attr: edit.text().strip() for attr, edit in self.fields.items()}
        values.update(sector=self.sector.currentData(), region=self.region.currentData(),
                      niet_bekostigd=self.niet_bekostigd.isChecked())
        return values

    # ------------------------------------------------------------------------------------- actions
    def save_school(self) -> None:
        show_inline(self.school_error, "")
        values = self.school_values()
        update_from = None
        if values["region"] != self.stored_region and self.confirm(
            f"De vakantieregio wordt {values['region']}. Wilt u de schoolvakanties van de schooljaren die nog niet "
            "zijn begonnen vervangen door die van de nieuwe regio? Vakanties die u zelf hebt aangepast blijven staan."
        ):  # fmt: skip
            update_from = self.today()
        user = self.user_name.text().strip()
        reporter = {key: edit.text().strip() for key, edit in self.reporter.items()}

        versions, school_version = dict(self.versions), self.school_version

        def save(session):  # type: ignore[no-untyped-def]
            check_settings(session, versions, {"gebruiker": user, **reporter})
            set_setting(session, "gebruiker", user)
            for key, value in reporter.items():
                set_setting(session, key, value)
            return adm.save_school_details(session, values, update_holidays_from=update_from,
                                           expected_version=school_version)

        if self.ctx.run({SETTINGS, CALENDAR, REGISTER}, save) is None:
            show_inline(self.school_error, "Niet opgeslagen: zie de melding.")

    def open_dialog(self, dialog: QDialog) -> bool:
        """Show a dialog modally (tests replace this)."""
        return bool(dialog.exec())

    def add_contact(self) -> None:
        self.open_dialog(ContactDialog(self.ctx, None, self))

    def edit_contact(self) -> None:
        contact = selected_row(self.contacts, self.contacts_proxy)
        if contact is not None:
            self.open_dialog(ContactDialog(self.ctx, contact, self))

    def remove_contact(self) -> None:
        contact = selected_row(self.contacts, self.contacts_proxy)
        if contact is not None and self.confirm(f"Leerplichtambtenaar van {contact.gemeente} verwijderen?"):
            self.ctx.run({SETTINGS}, adm.delete_leerplicht_contact, contact.id, expected_version=contact.version)
