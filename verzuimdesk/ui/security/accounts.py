"""Accounts (beheerder only): who may use the program in which role, own groups of a leerkracht, passwords,
and the lock settings (issue 11 point 1). Every change goes through ``ctx.run`` and is audited by the model."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from verzuimdesk.model.school.records import active_groups
from verzuimdesk.model.security.accounts import (
    SECURITY_SETTINGS,
    AccountRow,
    account_rows,
    create_account,
    save_security_setting,
    security_setting,
    set_password,
    update_account,
)
from verzuimdesk.model.security.roles import PERMISSIONS, ROLES
from verzuimdesk.ui.context import SETTINGS, AppContext
from verzuimdesk.ui.forms import form_dialog_layout, selected_row, table_view
from verzuimdesk.ui.widgets import Column, RowsModel

ACCOUNTS = "accounts"


def _when(value: dt.datetime | None) -> str:
    return value.strftime("%d-%m-%Y %H:%M") if value else "—"


COLUMNS: list[Column[AccountRow]] = [
    Column("Gebruikersnaam", lambda r: r.username),
    Column("Naam", lambda r: r.full_name),
    Column("Rol", lambda r: r.role_label),
    Column("Eigen groepen", lambda r: r.groups or "—"),
    Column("Status", lambda r: ("uitgeschakeld" if not r.active else
                                "geblokkeerd tot " + _when(r.locked_until)
                                if r.locked_until and r.locked_until > dt.datetime.now() else "actief")),
    Column("Laatst ingelogd", lambda r: _when(r.last_login)),
]


def _password_field() -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    return field


class AccountDialog(QDialog):
    """A new account, or the role, name and own groups of an existing one."""

    def __init__(self, ctx: AppContext, row: AccountRow | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.row = ctx, row
        self.setWindowTitle("Nieuw account" if row is None else f"Account {row.username}")
        form = QFormLayout()
        self.username = QLineEdit(row.username if row else "")
        self.username.setReadOnly(row is not None)
        self.full_name = QLineEdit(row.full_name if row else "")
        self.role = QComboBox()
        for r in ROLES.values():
            self.role.addItem(r.label, r.key)
        if row is not None:
            self.role.setCurrentIndex(list(ROLES).index(row.role))
        self.rights = QLabel()
        self.rights.setWordWrap(True)
        self.rights.setStyleSheet("color: #455A64;")
        self.groups = QListWidget()
        self.groups.setMaximumHeight(130)
        for g in ctx.read(active_groups):
            item = QListWidgetItem(g.name)
            item.setData(Qt.ItemDataRole.UserRole, g.id)
            item.setCheckState(Qt.CheckState.Checked if row and g.id in row.group_ids else Qt.CheckState.Unchecked)
            self.groups.addItem(item)
        form.addRow("Gebruikersnaam:", self.username)
        form.addRow("Naam:", self.full_name)
        form.addRow("Rol:", self.role)
        form.addRow("", self.rights)
        form.addRow("Eigen groepen:", self.groups)
        if row is None:
            self.password, self.again = _password_field(), _password_field()
            form.addRow("Wachtwoord:", self.password)
            form.addRow("Nogmaals:", self.again)
        self.role.currentIndexChanged.connect(self._show_rights)
        self._show_rights()
        self.error = form_dialog_layout(self, ctx, form)
        self.setMinimumWidth(520)

    def _show_rights(self) -> None:
        r = ROLES[str(self.role.currentData())]
        self.rights.setText("Mag: " + "; ".join(PERMISSIONS[p] for p in PERMISSIONS if p in r.permissions) + ".")
        self.groups.setEnabled(r.key == "leerkracht")

    def group_ids(self) -> tuple[int, ...]:
        items = (self.groups.item(i) for i in range(self.groups.count()))
        return tuple(int(i.data(Qt.ItemDataRole.UserRole)) for i in items if i.checkState() == Qt.CheckState.Checked)

    def accept(self) -> None:
        role_key = str(self.role.currentData())
        groups = self.group_ids() if role_key == "leerkracht" else ()
        if self.row is None:
            if self.password.text() != self.again.text():
                self.error.setText("De twee wachtwoorden zijn niet gelijk.")
                self.error.setVisible(True)
                return
            done = self.ctx.run({ACCOUNTS}, create_account, self.username.text(), self.password.text(), role_key,
                                full_name=self.full_name.text(), group_ids=groups)  # fmt: skip
        else:
            done = self.ctx.run({ACCOUNTS}, update_account, self.row.username, role_key=role_key, group_ids=groups,
                                full_name=self.full_name.text(), seen=self.row)  # as listed (issue 14)
        if done is not None:
            super().accept()


class PasswordDialog(QDialog):
    """A new password for ``username`` (one's own, or any as beheerder)."""

    def __init__(self, ctx: AppContext, username: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.username = ctx, username
        self.setWindowTitle(f"Nieuw wachtwoord voor {username}")
        form = QFormLayout()
        self.password, self.again = _password_field(), _password_field()
        form.addRow("Nieuw wachtwoord:", self.password)
        form.addRow("Nogmaals:", self.again)
        self.error = form_dialog_layout(self, ctx, form)

    def accept(self) -> None:
        if self.password.text() != self.again.text():
            self.error.setText("De twee wachtwoorden zijn niet gelijk.")
            self.error.setVisible(True)
            return
        if self.ctx.run(set(), set_password, self.username, self.password.text()) is not None:
            super().accept()


class AccountsPage(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        layout = QVBoxLayout(self)
        title = QLabel("Accounts")
        title.setStyleSheet("font-size: 14pt; font-weight: bold;")
        layout.addWidget(title)
        intro = QLabel("Iedereen werkt met een eigen account. De rol bepaalt wat iemand ziet: de intern begeleider "
                       "leest het register, de overzichten, het dossier en de signalen; een leerkracht vult alleen het "
                       "register van de eigen groepen in en belt na. Wie vertrekt, schakelt u uit.")  # fmt: skip
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.model: RowsModel[AccountRow] = RowsModel(COLUMNS)
        self.view, self.proxy = table_view(self.model, stretch=1)
        self.view.doubleClicked.connect(lambda _i: self.edit())
        layout.addWidget(self.view, 1)
        buttons = QHBoxLayout()
        for text, slot in (("Nieuw account…", self.new), ("Wijzigen…", self.edit),
                           ("Nieuw wachtwoord…", self.reset_password), ("Aan / uit", self.toggle)):
            button = QPushButton(text)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        box = QGroupBox("Vergrendelen en blokkeren")
        form = QFormLayout(box)
        self.spins: dict[str, QSpinBox] = {}
        for key, (label, _default, lo, hi) in SECURITY_SETTINGS.items():
            spin = QSpinBox()
            spin.setRange(lo, hi)
            spin.setMaximumWidth(110)
            spin.setValue(ctx.read(security_setting, key))
            spin.editingFinished.connect(lambda k=key: self.save_setting(k))
            self.spins[key] = spin
            form.addRow(label + ":", spin)
        note = QLabel("Na elke mislukte poging wacht het inlogscherm langer (1, 2, 4 … seconden).")
        note.setStyleSheet("color: #455A64;")
        form.addRow("", note)
        layout.addWidget(box)
        self.message = QLabel("")
        layout.addWidget(self.message)
        ctx.changed.connect(lambda kinds: self.refresh() if ACCOUNTS in kinds else None)
        self.refresh()

    def refresh(self) -> None:
        self.model.set_rows(self.ctx.read(account_rows))
        self.view.resizeColumnsToContents()

    def current(self) -> AccountRow | None:
        row = selected_row(self.view, self.proxy)
        if row is None:
            self.message.setText("Kies eerst een account.")
        return row

    def new(self) -> None:
        if AccountDialog(self.ctx, None, self).exec():
            self.message.setText("Account aangemaakt.")

    def edit(self) -> None:
        row = self.current()
        if row is not None and AccountDialog(self.ctx, row, self).exec():
            self.message.setText(f"Account {row.username} gewijzigd.")

    def reset_password(self) -> None:
        row = self.current()
        if row is not None and PasswordDialog(self.ctx, row.username, self).exec():
            self.message.setText(f"Nieuw wachtwoord ingesteld voor {row.username}; een blokkade is opgeheven.")

    def toggle(self) -> None:
        row = self.current()
        if row is not None and self.ctx.run({ACCOUNTS}, update_account, row.username, active=not row.active, seen=row):
            self.message.setText(f"Account {row.username} {'uitgeschakeld' if row.active else 'weer actief'}.")

    def save_setting(self, key: str) -> None:
        if self.ctx.run({SETTINGS}, save_security_setting, key, self.spins[key].value()) is not None:
            self.message.setText("Instelling opgeslagen; het vergrendelen geldt vanaf de volgende start.")
