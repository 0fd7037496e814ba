"""Encryption at rest on screen (issue 11 point 2): the log-in that opens an encrypted file, the herstelcode route
for a lost password, the one-time herstelcode dialog (with its PDF), and the Privacy screen's encryption box.

An encrypted file cannot be read before the log-in, so :class:`UnlockDialog` runs before the main window: the user
name and password open the file's key slot (model/keyfile.py), then the usual account check (roles, lockout) runs
through ``ctx.run`` on the opened database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from verzuimdesk.model.db import Database, open_database
from verzuimdesk.model.dutch import plural
from verzuimdesk.model.errors import LoginError, VerzuimdeskError
from verzuimdesk.model.keyfile import unlock_with_password
from verzuimdesk.model.security.accounts import LoginResult, authenticate
from verzuimdesk.model.security.encryption import (
    encrypt_database,
    encryption_state,
    new_code_for,
    reset_password_with_code,  # fmt: skip
)
from verzuimdesk.model.security.passwords import MIN_LENGTH
from verzuimdesk.ui.context import AppContext
from verzuimdesk.ui.security.login import LoginFormDialog, password_field

HEADER_STYLE = "font-size: 14pt; font-weight: bold;"
ERROR_STYLE = "color: #B71C1C;"
Opener = Callable[[str, bytes], Database | None]


def _header(layout: QVBoxLayout, title: str, text: str) -> QLabel:
    head = QLabel(title)
    head.setStyleSheet(HEADER_STYLE)
    layout.addWidget(head)
    body = QLabel(text)
    body.setWordWrap(True)
    layout.addWidget(body)
    message = QLabel("")
    message.setWordWrap(True)
    message.setStyleSheet(ERROR_STYLE)
    return message


def _default_opener(url: str, key: bytes) -> Database | None:
    return open_database(url, exclusive=True, key=key)


class UnlockDialog(LoginFormDialog):
    """Log-in for an encrypted database: opens the file with the password, then checks the account."""

    def __init__(self, url: str, *, hint: str = "", opener: Opener | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(window_title="verzuimdesk — inloggen", title="Inloggen", hint=hint, width=460, parent=parent,
                         intro="Het databasebestand is versleuteld: alleen met uw eigen account en wachtwoord gaat "
                               "het open.")  # fmt: skip
        from verzuimdesk.model.db import sqlite_path

        self.url, self.db_file = url, sqlite_path(url)
        self.opener = opener or _default_opener
        self.db: Database | None = None

    def add_extras(self, layout: QVBoxLayout) -> None:
        self.forgot = QPushButton("Wachtwoord vergeten? Herstelcode gebruiken")
        self.forgot.setFlat(True)
        self.forgot.setStyleSheet("color: #2F6DB5; text-decoration: underline; text-align: left;")
        self.forgot.clicked.connect(self.use_code)
        layout.addWidget(self.forgot)

    def try_login(self) -> None:
        assert self.db_file is not None
        name, password = self.username.text(), self.password.text()
        try:
            key = unlock_with_password(self.db_file, name, password)
            db = self.opener(self.url, key)
        except LoginError as exc:
            self.refuse(str(exc), exc.wait_seconds)
            return
        except VerzuimdeskError as exc:
            self.message.setText(str(exc))
            return
        if db is None:
            self.reject()
            return
        result = AppContext(db).run(set(), authenticate, name, password)
        if not isinstance(result, LoginResult) or result.actor is None:
            db.close()
            self.refuse(result.message if isinstance(result, LoginResult) else "Inloggen is mislukt.",
                       result.wait_seconds if isinstance(result, LoginResult) else 1.0)  # fmt: skip
            return
        db.actor = result.actor
        self.db = db
        self.accept()

    def use_code(self) -> None:
        dialog = RecoveryDialog(self.url, username=self.username.text(), parent=self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.db is not None:
            self.db = dialog.db
            self.accept()


class RecoveryDialog(QDialog):
    """Lost password: the herstelcode, the user name and a new password (twice). The change is audited."""

    def __init__(self, url: str, *, username: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.url = url
        self.db: Database | None = None
        self.setWindowTitle("verzuimdesk — herstelcode gebruiken")
        self.setMinimumWidth(500)
        layout = QVBoxLayout(self)
        self.message = _header(layout, "Herstelcode gebruiken",
                               "Typ de herstelcode van het afgedrukte blad (8 groepjes van 4 tekens; spaties, streepjes "
                               "en kleine letters mogen). Daarmee gaat het bestand open en krijgt het account een nieuw "
                               f"wachtwoord van minstens {MIN_LENGTH} tekens.")  # fmt: skip
        form = QFormLayout()
        self.code = QLineEdit()
        self.code.setPlaceholderText("XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX")
        self.username = QLineEdit(username or "beheerder")
        self.password = password_field()
        self.again = password_field()
        form.addRow("Herstelcode:", self.code)
        form.addRow("Gebruikersnaam:", self.username)
        form.addRow("Nieuw wachtwoord:", self.password)
        form.addRow("Nogmaals:", self.again)
        layout.addLayout(form)
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Wachtwoord instellen en inloggen")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Annuleren")
        buttons.accepted.connect(self.recover)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.code.setFocus()

    def recover(self) -> None:
        if self.password.text() != self.again.text():
            self.message.setText("De twee wachtwoorden zijn niet gelijk.")
            return
        try:
            self.db = reset_password_with_code(self.url, self.code.text(), self.username.text(), self.password.text(),
                                               exclusive=True)  # fmt: skip
        except VerzuimdeskError as exc:
            self.message.setText(str(exc))
            return
        self.accept()


class RecoveryCodeDialog(QDialog):
    """The herstelcode, shown once: save it as PDF or write it down; closing needs the confirmation."""

    def __init__(self, code: str, *, school_name: str = "", database: str = "", demo: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.code, self.school_name, self.database = code, school_name, database
        self.setWindowTitle("verzuimdesk — herstelcode")
        self.setMinimumWidth(720)
        layout = QVBoxLayout(self)
        layout.setSizeConstraint(QVBoxLayout.SizeConstraint.SetMinimumSize)  # wrapped texts get their full height
        intro = ("Het databasebestand is versleuteld. Alleen wie inlogt, kan het openen. Is het wachtwoord van de "
                 "beheerder ooit kwijt, dan is deze herstelcode de enige weg terug: zonder wachtwoord én zonder "
                 "herstelcode kan niemand de gegevens meer openen, ook de leverancier niet. De code wordt nergens "
                 "bewaard en maar één keer getoond.")  # fmt: skip
        if demo:
            intro += " (Dit is de demoschool: de gegevens zijn verzonnen.)"
        _header(layout, "Uw herstelcode", intro)
        shown = QLabel(code.replace("-", "  "))
        font = QFont("Monospace")
        font.setStyleHint(QFont.StyleHint.TypeWriter)
        font.setPointSize(15)
        font.setBold(True)
        shown.setFont(font)
        shown.setStyleSheet("background: #EEF2F7; border: 2px solid #2F6DB5; padding: 14px;")
        shown.setAlignment(Qt.AlignmentFlag.AlignCenter)
        shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(shown)
        advice = QLabel("Sla het blad op als PDF en druk het af, of schrijf de code over. Bewaar hem op een veilige "
                        "plek, niet bij de computer (bijvoorbeeld in de kluis). Verwijder een opgeslagen PDF-bestand na "
                        "het afdrukken.")  # fmt: skip
        advice.setWordWrap(True)
        layout.addWidget(advice)
        row = QHBoxLayout()
        self.save_button = QPushButton("Opslaan als PDF om af te drukken…")
        self.save_button.clicked.connect(self.save_pdf)
        row.addWidget(self.save_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.saved = QCheckBox("Ik heb de herstelcode afgedrukt of opgeschreven en bewaar hem op een veilige plek.")
        layout.addWidget(self.saved)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.close_button.setText("Verder")
        self.close_button.setEnabled(False)
        self.saved.toggled.connect(self.close_button.setEnabled)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)

    def reject(self) -> None:  # Esc or the window's close button: only after the confirmation
        if self.saved.isChecked():
            super().reject()

    def ask_path(self) -> str:
        path, _ = QFileDialog.getSaveFileName(self, "Herstelcode opslaan", "herstelcode-verzuimdesk.pdf", "PDF (*.pdf)")
        return path

    def save_pdf(self) -> None:
        from verzuimdesk.reports.recovery import recovery_pdf

        path = self.ask_path()
        if not path:
            return
        try:
            Path(path).write_bytes(recovery_pdf(self.code, school_name=self.school_name, database=self.database,
                                                made=dt.datetime.now()))  # fmt: skip
        except OSError as exc:
            self.status.setText(f"Het bestand kon niet worden opgeslagen ({exc.strerror or exc}).")
            return
        self.status.setText(f"Opgeslagen: {path}. Druk het af en verwijder het bestand daarna.")


class EncryptionBox(QGroupBox):
    """On the Privacy screen: whether the file is encrypted; convert it, or make a new herstelcode (beheerder)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__("Versleuteling van het databasebestand", parent)
        self.ctx = ctx
        outer = QVBoxLayout(self)
        row = QHBoxLayout()
        outer.addLayout(row)
        self.state = QLabel("")
        self.state.setWordWrap(True)
        row.addWidget(self.state, 1)
        self.notes = QLabel("")
        self.notes.setWordWrap(True)
        self.notes.hide()
        outer.addWidget(self.notes)
        self.encrypt_button = QPushButton("Database versleutelen…")
        self.encrypt_button.clicked.connect(self.encrypt)
        self.code_button = QPushButton("Nieuwe herstelcode maken…")
        self.code_button.clicked.connect(self.new_code)
        row.addWidget(self.encrypt_button)
        row.addWidget(self.code_button)
        self.refresh()

    def refresh(self) -> None:
        state = encryption_state(self.ctx.db)
        admin = self.ctx.actor is not None and self.ctx.actor.role == "beheerder"
        text = f"Het databasebestand is {state.label}."
        if state.encrypted:
            text += f" Sleutels voor: {', '.join(state.slot_users) or '—'}, en de herstelcode."
        elif state.kind == "geen":
            text += " Wie het bestand kopieert, kan alles lezen. Versleutel het (de beheerder, met zijn wachtwoord)."
        self.state.setText(text)
        self.encrypt_button.setVisible(state.kind == "geen")
        self.encrypt_button.setEnabled(admin)
        self.code_button.setVisible(state.encrypted)
        self.code_button.setEnabled(admin)

    def ask_password(self) -> str | None:
        text, ok = QInputDialog.getText(self, "Database versleutelen",
                                        "Het bestand wordt versleuteld met een nieuwe sleutel. Uw wachtwoord opent hem "
                                        "straks; andere accounts krijgen van u een nieuw wachtwoord.\n\nUw wachtwoord:",
                                        QLineEdit.EchoMode.Password)  # fmt: skip
        return text if ok and text else None

    def show_code(self, code: str) -> None:
        from verzuimdesk.model.school.records import get_school

        school = self.ctx.read(get_school)
        RecoveryCodeDialog(code, school_name=school.name if school else "", parent=self).exec()

    def encrypt(self) -> None:
        password = self.ask_password()
        if password is None:
            return
        try:
            result = encrypt_database(self.ctx.db, password, exclusive=True)
        except VerzuimdeskError as exc:
            self.ctx.report(str(exc))
            self.refresh()
            return
        self.ctx.db = result.db
        self.refresh()
        self.ctx.changed.emit(frozenset({"privacy"}))
        self.show_code(result.code)
        notes = ["De database is versleuteld en gecontroleerd; de onversleutelde kopie is overschreven en verwijderd."]
        if result.without_slot:
            notes.append("Geef deze accounts een nieuw wachtwoord (scherm Accounts); pas daarna kunnen ze weer "
                         f"inloggen: {', '.join(result.without_slot)}.")  # fmt: skip
        if result.encrypted_backups:
            notes.append(f"Ook {plural(result.encrypted_backups, 'oudere reservekopie is', 'oudere reservekopieën zijn')} "
                         "versleuteld.")  # fmt: skip
        if result.plain_backups:
            notes.append(f"{plural(result.plain_backups, 'reservekopie kon', 'reservekopieën konden')} niet worden "
                         "versleuteld; verwijder ze als u ze niet meer nodig hebt.")  # fmt: skip
        self.notes.setText(" ".join(notes))
        self.notes.show()

    def confirm(self, question: str) -> bool:
        return QMessageBox.question(self, "Nieuwe herstelcode", question) == QMessageBox.StandardButton.Yes

    def new_code(self) -> None:
        if not self.confirm("Een nieuwe herstelcode maken? De oude code werkt daarna niet meer."):
            return
        try:
            code = new_code_for(self.ctx.db)
        except VerzuimdeskError as exc:
            self.ctx.report(str(exc))
            return
        self.show_code(code)
