"""Bestuur › Accounts: the board accounts for the bestuursbeheerder (issue 14 point 4): who they are, whether they
are bestuursbeheerder, active or blocked, and their schools with the role in each; a new account, access to a school
with a role, a new password, disabling and enabling, and taking away the access to one school. Every change is written in the board's logboek by the model
(model/board/admin.py, model/board/registry.py ``revoke``); a refusal (the last bestuursbeheerder, a password that
is too short) is shown in Dutch and changes nothing."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from verzuimdesk.model.board.admin import (
    ROLE_TEXTS,
    BoardAccount,
    board_accounts,
    change_board_password,
    set_board_account_active,
)
from verzuimdesk.model.board.registry import GRANT_ROLES, BoardSchool, create_board_account, grant, revoke
from verzuimdesk.model.security.passwords import MIN_LENGTH
from verzuimdesk.ui.board.access import BoardAccess
from verzuimdesk.ui.forms import table_view
from verzuimdesk.ui.widgets import Column, RowsModel, dialog_buttons


def _state(account: BoardAccount) -> str:
    if not account.active:
        return "uitgeschakeld"
    return "geblokkeerd" if account.locked else "actief"


COLUMNS: list[Column[BoardAccount]] = [
    Column("Gebruiker", lambda a: a.username),
    Column("Naam", lambda a: a.full_name),
    Column("Bestuursbeheerder", lambda a: "ja" if a.board_admin else "nee"),
    Column("Status", _state),
    Column("Scholen (rol)", lambda a: a.grants_text),
]


class BoardPasswordDialog(QDialog):
    """A new password, twice (the model checks its length)."""

    def __init__(self, username: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Nieuw wachtwoord voor {username}")
        layout = QVBoxLayout(self)
        self.intro = QLabel(f"Kies een wachtwoord van minstens {MIN_LENGTH} tekens. Een blokkade na te veel "
                            "mislukte pogingen wordt opgeheven.")  # fmt: skip
        layout.addWidget(self.intro)
        form = QFormLayout()
        self.password, self.again = QLineEdit(), QLineEdit()
        for field in (self.password, self.again):
            field.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow("Nieuw wachtwoord:", self.password)
        form.addRow("Nogmaals:", self.again)
        layout.addLayout(form)
        self.error = QLabel("")
        self.error.setStyleSheet("color: #B71C1C;")
        layout.addWidget(self.error)
        layout.addWidget(dialog_buttons(self))

    def accept(self) -> None:
        if self.password.text() != self.again.text():
            self.error.setText("De twee wachtwoorden zijn niet gelijk.")
            return
        super().accept()


class NewAccountDialog(BoardPasswordDialog):
    """A new board account: user name, full name, bestuursbeheerder or not, and its first password (twice)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("een nieuw account", parent)
        self.setWindowTitle("Nieuw bestuursaccount")
        form = QFormLayout()
        self.username, self.full_name = QLineEdit(), QLineEdit()
        self.admin = QCheckBox("Bestuursbeheerder (mag scholen, accounts en toegang beheren)")
        form.addRow("Gebruikersnaam:", self.username)
        form.addRow("Volledige naam:", self.full_name)
        form.addRow("", self.admin)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertLayout(0, form)
        self.intro.setText(f"Het eerste wachtwoord van het account, minstens {MIN_LENGTH} tekens; de gebruiker kan "
                           "het daarna zelf wijzigen.")  # fmt: skip
        for first, second in ((self.username, self.full_name), (self.full_name, self.admin),
                              (self.admin, self.password), (self.password, self.again)):
            QWidget.setTabOrder(first, second)
        self.username.setFocus()

    def accept(self) -> None:
        if not self.username.text().strip():
            self.error.setText("Vul een gebruikersnaam in.")
            return
        super().accept()


def ask_new_account(parent: QWidget) -> tuple[str, str, bool, str] | None:
    dialog = NewAccountDialog(parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.username.text().strip(), dialog.full_name.text().strip(), dialog.admin.isChecked(), \
        dialog.password.text()


class GrantDialog(QDialog):
    """Access for one account to one school of the board, with the role it has there."""

    def __init__(self, account: BoardAccount, schools: list[BoardSchool], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Toegang geven aan {account.username}")
        self.setMinimumWidth(440)
        layout = QVBoxLayout(self)
        text = QLabel("Kies de school en de rol die dit account daar krijgt. Met 'alleen cijfers' ziet het account de "
                      "school in het bestuursoverzicht, zonder leerlingen; een eerdere toegang tot dezelfde school "
                      "wordt vervangen.")  # fmt: skip
        text.setWordWrap(True)
        layout.addWidget(text)
        form = QFormLayout()
        self.school, self.role = QComboBox(), QComboBox()
        for school in schools:
            self.school.addItem(f"{school.code} — {school.name}", school.code)
        for role in GRANT_ROLES:
            self.role.addItem(ROLE_TEXTS.get(role, role), role)
        form.addRow("School:", self.school)
        form.addRow("Rol:", self.role)
        layout.addLayout(form)
        layout.addWidget(dialog_buttons(self, "Toegang geven"))


def ask_grant(parent: QWidget, account: BoardAccount, schools: list[BoardSchool]) -> tuple[str, str] | None:
    dialog = GrantDialog(account, schools, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.school.currentData() is None:
        return None
    return str(dialog.school.currentData()), str(dialog.role.currentData())


def ask_new_password(parent: QWidget, username: str) -> str | None:
    dialog = BoardPasswordDialog(username, parent)
    return dialog.password.text() if dialog.exec() == QDialog.DialogCode.Accepted else None


class AccountsTab(QWidget):
    def __init__(self, access: BoardAccess) -> None:
        super().__init__()
        self.access = access
        # Tests replace these: the new password (None: cancelled), which school's access to take away, a new account
        # (user name, full name, bestuursbeheerder, password), and the school and role of a new access.
        self.ask_password: Callable[[str], str | None] = lambda name: ask_new_password(self, name)
        self.ask_school: Callable[[BoardAccount], str | None] = self._ask_school
        self.ask_account: Callable[[], tuple[str, str, bool, str] | None] = lambda: ask_new_account(self)
        self.ask_grant: Callable[[BoardAccount], tuple[str, str] | None] = \
            lambda account: ask_grant(self, account, self.access.schools())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        intro = QLabel("De accounts van het bestuur. Hier maakt u een account, geeft u het toegang tot een school met een "
                       "rol, stelt u een nieuw wachtwoord in, schakelt u een account uit of weer in, of trekt u de "
                       "toegang tot een school in. Alles komt in het logboek van het bestuur.")  # fmt: skip
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.model: RowsModel[BoardAccount] = RowsModel(COLUMNS)
        self.view, self.proxy = table_view(self.model)
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        layout.addWidget(self.view, 1)
        buttons = QHBoxLayout()
        self.new_button = QPushButton("Nieuw account…")
        self.new_button.clicked.connect(self.new_account)
        self.grant_button = QPushButton("Toegang geven…")
        self.grant_button.clicked.connect(self.grant_access)
        self.password_button = QPushButton("Nieuw wachtwoord…")
        self.password_button.clicked.connect(self.new_password)
        self.toggle_button = QPushButton("Uitschakelen")
        self.toggle_button.clicked.connect(self.toggle)
        self.revoke_button = QPushButton("Toegang intrekken…")
        self.revoke_button.clicked.connect(self.revoke_access)
        for button in (self.new_button, self.grant_button, self.password_button, self.toggle_button,
                       self.revoke_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.message = QLabel("")
        layout.addWidget(self.message)
        access.changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        chosen = self.selected()
        self.model.set_rows(self.access.read(board_accounts, self.access.username))
        self.view.resizeColumnsToContents()
        if chosen is not None:
            self.select(chosen.username)
        self._update_buttons()

    def select(self, username: str) -> None:
        names = [a.username for a in self.model.rows]
        if username in names:
            self.view.selectRow(self.proxy.mapFromSource(self.model.index(names.index(username), 0)).row())

    def selected(self) -> BoardAccount | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.row_at(self.proxy.mapToSource(rows[0]).row()) if rows else None

    def _update_buttons(self, *_args: object) -> None:
        account = self.selected()
        for button in (self.grant_button, self.password_button, self.toggle_button):
            button.setEnabled(account is not None)
        self.revoke_button.setEnabled(account is not None and bool(account.grants))
        self.toggle_button.setText("Inschakelen" if account is not None and not account.active else "Uitschakelen")

    def new_account(self) -> None:
        asked = self.ask_account()
        if asked is None:
            return
        username, full_name, admin, password = asked
        made = self.access.run(create_board_account, username, password, full_name=full_name, board_admin=admin)
        if made is not None:
            self.select(made)
            self.message.setText(f"Bestuursaccount '{made}' is gemaakt"
                                 f"{' (bestuursbeheerder)' if admin else ''}; geef het nu toegang tot een school.")

    def grant_access(self) -> None:
        account = self.selected()
        if account is None:
            return
        asked = self.ask_grant(account)
        if asked is None:
            return
        code, role = asked
        if self.access.run(grant, account.username, code, role) is not None:
            self.message.setText(f"{account.username} heeft nu toegang tot {code} als "
                                 f"{ROLE_TEXTS.get(role, role)}.")

    def new_password(self) -> None:
        account = self.selected()
        if account is None:
            return
        password = self.ask_password(account.username)
        if password is None:
            return
        done = self.access.run(change_board_password, account.username, password)
        if done is not None:
            self.message.setText(f"Nieuw wachtwoord ingesteld voor {done}.")

    def toggle(self) -> None:
        account = self.selected()
        if account is None:
            return
        if self.access.run(set_board_account_active, account.username, not account.active):
            self.message.setText(f"Account {account.username} is "
                                 f"{'weer ingeschakeld' if not account.active else 'uitgeschakeld'}.")  # fmt: skip

    def revoke_access(self) -> None:
        account = self.selected()
        if account is None or not account.grants:
            return
        code = self.ask_school(account)
        if code and self.access.run(revoke, account.username, code):
            self.message.setText(f"De toegang van {account.username} tot {code} is ingetrokken.")

    def _ask_school(self, account: BoardAccount) -> str | None:
        items = [f"{code} ({ROLE_TEXTS.get(role, role)})" for code, role in account.grants]
        item, ok = QInputDialog.getItem(self, "Toegang intrekken", f"Toegang van {account.username} intrekken tot:",
                                        items, 0, False)  # fmt: skip
        return item.split(" ", 1)[0] if ok and item else None
