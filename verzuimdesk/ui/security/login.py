"""Logging in (issue 11 point 1): the log-in dialog, the first beheerder of a new school, and the idle lock.

The dialogs do not open sessions: they call the model's ``authenticate`` and ``create_account`` through
``ctx.run`` (a failed log-in is committed too: it counts towards the lockout). After a failed try the
button waits the delay the model asks (1, 2, 4 … seconds). :class:`IdleLock` watches the keyboard and mouse of
the whole application and locks the window after the set number of minutes without use.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from verzuimdesk.model.actor import Actor
from verzuimdesk.model.board.access import authenticate_school
from verzuimdesk.model.security.accounts import LoginResult, authenticate, create_account, security_setting
from verzuimdesk.model.security.passwords import MIN_LENGTH
from verzuimdesk.ui.context import AppContext

HEADER_STYLE = "font-size: 14pt; font-weight: bold;"


def password_field() -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    return field


def add_hint(layout: QVBoxLayout, hint: str) -> None:
    """The demo accounts (or another hint) in a pale box under the fields; nothing when ``hint`` is empty."""
    if hint:
        label = QLabel(hint)
        label.setWordWrap(True)
        label.setStyleSheet("background: #FFF8E1; border: 1px solid #FFE082; padding: 6px;")
        layout.addWidget(label)


def add_login_buttons(dialog: QDialog, layout: QVBoxLayout,
                      try_login: Callable[[], None]) -> tuple[QPushButton, QTimer]:
    """"Inloggen" / "Afsluiten", and the timer that enables "Inloggen" again after the wait of a failed try."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
    ok.setText("Inloggen")
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Afsluiten")
    buttons.accepted.connect(try_login)
    buttons.rejected.connect(dialog.reject)
    layout.addWidget(buttons)
    timer = QTimer(dialog)
    timer.setSingleShot(True)
    timer.timeout.connect(lambda: ok.setEnabled(True))
    return ok, timer


class LoginFormDialog(QDialog):
    """What every log-in window shares (a school's, an encrypted file's, the board's): a title and a text, user name
    and password, the red line for a refusal, an optional hint, and Inloggen/Afsluiten. A subclass says what
    ``try_login`` checks and may add widgets above the buttons (:meth:`add_extras`)."""

    def __init__(self, *, window_title: str, title: str, intro: str, username: str = "", locked: bool = False,
                 hint: str = "", width: int = 440, parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setWindowTitle(window_title)
        self.setMinimumWidth(width)
        layout = QVBoxLayout(self)
        head = QLabel("Vergrendeld" if locked else title)
        head.setStyleSheet(HEADER_STYLE)
        layout.addWidget(head)
        text = QLabel(LOCKED_TEXT if locked else intro)
        text.setWordWrap(True)
        layout.addWidget(text)
        form = QFormLayout()
        self.username = QLineEdit(username)
        self.username.setReadOnly(locked)
        self.password = password_field()
        form.addRow("Gebruikersnaam:", self.username)
        form.addRow("Wachtwoord:", self.password)
        layout.addLayout(form)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #B71C1C;")
        layout.addWidget(self.message)
        add_hint(layout, hint)
        self.add_extras(layout)
        self.ok, self._timer = add_login_buttons(self, layout, self.try_login)
        (self.password if username else self.username).setFocus()

    def add_extras(self, layout: QVBoxLayout) -> None:
        """Widgets between the hint and the buttons (none here)."""

    def try_login(self) -> None:
        raise NotImplementedError

    def refuse(self, message: str, wait: float) -> None:
        """A refused log-in: the message, the password cleared, and "Inloggen" waits the delay the model asks — at
        most 30 s here: on a shared PC a locked account must not block a colleague's log-in."""
        self.password.clear()
        self.message.setText(message + (f" Wacht {wait:.0f} seconden." if 1 < wait <= 60 else ""))
        self.ok.setEnabled(False)
        self._timer.start(int(min(wait, 30) * 1000))


LOCKED_TEXT = "Het programma is vergrendeld omdat het een tijd niet is gebruikt. Log opnieuw in om verder te gaan."


class LoginDialog(LoginFormDialog):
    """User name and password; ``hint`` (the demo accounts) is shown under the fields."""

    def __init__(self, ctx: AppContext, *, school_name: str = "", hint: str = "", username: str = "",
                 locked: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(window_title="verzuimdesk — inloggen", title="Inloggen", username=username, locked=locked,
                         intro=f"{school_name or 'verzuimdesk'}: de gegevens in dit programma zijn vertrouwelijk. "
                               "Log in met uw eigen account.", hint=hint, parent=parent)  # fmt: skip
        self.ctx = ctx
        self.actor: Actor | None = None

    def try_login(self) -> None:
        result = self.ctx.run(set(), authenticate_school, self.username.text(), self.password.text())
        if not isinstance(result, LoginResult):
            return
        if result.actor is None:
            self.refuse(result.message, result.wait_seconds)
            return
        self.actor = result.actor
        self.ctx.db.actor = result.actor
        self.accept()


class FirstAdminDialog(QDialog):
    """A new school's first start: the beheerder's account (user name, name, password twice)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("verzuimdesk — beheerder aanmaken")
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        title = QLabel("Beheerder aanmaken")
        title.setStyleSheet(HEADER_STYLE)
        layout.addWidget(title)
        text = QLabel("Het register bevat gegevens over kinderen, ook over hun gezondheid. Daarom werkt iedereen met "
                      "een eigen account. Maak eerst het account van de beheerder aan; die maakt daarna de accounts "
                      f"van collega's aan. Kies een wachtwoord van minstens {MIN_LENGTH} tekens en bewaar het goed: "
                      "zonder beheerderswachtwoord kan niemand accounts herstellen.")  # fmt: skip
        text.setWordWrap(True)
        layout.addWidget(text)
        form = QFormLayout()
        self.username = QLineEdit("beheerder")
        self.full_name = QLineEdit()
        self.password = password_field()
        self.again = password_field()
        form.addRow("Gebruikersnaam:", self.username)
        form.addRow("Uw naam:", self.full_name)
        form.addRow("Wachtwoord:", self.password)
        form.addRow("Nogmaals:", self.again)
        layout.addLayout(form)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #B71C1C;")
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Aanmaken en inloggen")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Annuleren")
        buttons.accepted.connect(self.create)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        ctx.error.connect(self.message.setText)
        self.finished.connect(lambda _r: ctx.error.disconnect(self.message.setText))

    def create(self) -> None:
        if self.password.text() != self.again.text():
            self.message.setText("De twee wachtwoorden zijn niet gelijk.")
            return
        account = self.ctx.run(set(), create_account, self.username.text(), self.password.text(), "beheerder",
                               full_name=self.full_name.text())  # fmt: skip
        if account is None:
            return
        result = self.ctx.run(set(), authenticate, self.username.text(), self.password.text())
        if isinstance(result, LoginResult) and result.actor is not None:
            self.ctx.db.actor = result.actor
            self.accept()


class IdleLock(QObject):
    """Locks the window after the set minutes without keyboard or mouse use; unlocking asks the password.

    ``ctx``: a school's window (its setting and log-in); the board window (ui/board/window.py) has no school and
    passes ``minutes`` and ``unlock_dialog``, its own log-in for the same account."""

    ACTIVITY = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.Wheel}

    def __init__(self, ctx: AppContext | None, window: QWidget, minutes: int | None = None, *,
                 unlock_dialog: Callable[[], QDialog] | None = None) -> None:  # fmt: skip
        super().__init__(window)
        self.ctx = ctx
        self.window = window
        self.locked = False
        self.dialog: QDialog | None = None
        self.unlock_dialog = unlock_dialog or self._school_dialog
        if minutes is None:
            assert ctx is not None, "a window without a school gives its minutes"
            minutes = ctx.read(security_setting, "vergrendelen_na_minuten")
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(minutes * 60 * 1000)
        self.timer.timeout.connect(self.lock)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self.timer.start()

    def stop(self) -> None:
        """No more locking (the window closes)."""
        self.timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        if self.dialog is not None:
            self.dialog.deleteLater()
            self.dialog = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if not self.locked and event.type() in self.ACTIVITY:
            self.timer.start()
        return False

    def lock(self) -> None:
        """Hide the window and ask the same user's password; Afsluiten closes the program."""
        if self.locked:
            return
        self.locked = True
        self.window.hide()
        self.dialog = self.unlock_dialog()
        self.dialog.finished.connect(self._unlocked)
        self.dialog.open()

    def _school_dialog(self) -> QDialog:
        assert self.ctx is not None
        actor = self.ctx.db.actor
        return LoginDialog(self.ctx, username=actor.username if actor else "", locked=True)

    def _unlocked(self, result: int) -> None:
        self.locked = False
        if result != QDialog.DialogCode.Accepted:
            if self.ctx is not None:
                self.ctx.db.actor = None
            self.window.close()
            self.stop()
            return
        self.window.show()
        self.timer.start()
