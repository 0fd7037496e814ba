"""Encryption at rest in the GUI (issue 11 point 2): the log-in that opens an encrypted file, the herstelcode route,
the one-time herstelcode dialog with its PDF, the first beheerder of a new encrypted database, and converting a plain
database on the Privacy screen."""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfReader

from tests.builders import build_small_school
from tests.security.conftest import copy_of
from verzuimdesk.demo.accounts import DEMO_PASSWORD
from verzuimdesk.model.db import open_database
from verzuimdesk.model.keyfile import is_encrypted, slot_users, take_recovery_code, unlock_with_password
from verzuimdesk.model.security.accounts import authenticate, create_account
from verzuimdesk.ui.context import AppContext
from verzuimdesk.ui.security.encryption import EncryptionBox, RecoveryCodeDialog, RecoveryDialog, UnlockDialog
from verzuimdesk.ui.security.login import FirstAdminDialog

PASSWORD = "geheim-genoeg"


def test_unlock_dialog_refuses_a_wrong_password_then_opens_and_logs_in(qtbot, encrypted_demo: tuple[Path, str],  # type: ignore[no-untyped-def]
                                                                       tmp_path: Path) -> None:  # fmt: skip
    path = copy_of(encrypted_demo[0], tmp_path)
    dialog = UnlockDialog(f"sqlite:///{path}", opener=lambda url, key: open_database(url, exclusive=True, key=key))
    qtbot.addWidget(dialog)
    dialog.username.setText("ib")
    dialog.password.setText("verkeerd-wachtwoord")
    dialog.try_login()
    assert dialog.db is None and "verkeerd wachtwoord" in dialog.message.text()
    assert not dialog.ok.isEnabled() and dialog.password.text() == ""
    dialog.password.setText(DEMO_PASSWORD)
    dialog.try_login()
    assert dialog.result() == UnlockDialog.DialogCode.Accepted
    assert dialog.db is not None and dialog.db.actor is not None and dialog.db.actor.role == "ib"
    dialog.db.close()


def test_herstelcode_route_on_the_log_in_screen(qtbot, encrypted_demo: tuple[Path, str], tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = copy_of(encrypted_demo[0], tmp_path)
    dialog = RecoveryDialog(f"sqlite:///{path}", username="beheerder")
    qtbot.addWidget(dialog)
    dialog.code.setText("AAAA BBBB CCCC DDDD EEEE FFFF GGGG HHHH")
    dialog.password.setText("nieuw-wachtwoord")
    dialog.again.setText("nieuw-wachtwoord")
    dialog.recover()
    assert dialog.db is None and "past niet" in dialog.message.text()
    dialog.code.setText(encrypted_demo[1].lower())
    dialog.recover()
    assert dialog.db is not None and dialog.db.actor is not None and dialog.db.actor.username == "beheerder"
    dialog.db.close()
    assert unlock_with_password(path, "beheerder", "nieuw-wachtwoord")


def test_herstelcode_dialog_needs_confirmation_and_saves_a_pdf(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    code = "ABCD-EFGH-JKLM-NPQR-STUV-WXYZ-2345-6789"
    dialog = RecoveryCodeDialog(code, school_name="De Proefschool")
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.close_button.isEnabled()
    dialog.reject()  # Esc does not close it before the confirmation
    assert dialog.isVisible()
    target = tmp_path / "herstelcode.pdf"
    dialog.ask_path = lambda: str(target)  # type: ignore[method-assign]
    dialog.save_pdf()
    assert "Opgeslagen" in dialog.status.text()
    reader = PdfReader(io.BytesIO(target.read_bytes()))
    text = reader.pages[0].extract_text()
    assert len(reader.pages) == 1 and "Herstelcode verzuimdesk" in text
    assert all(group in text for group in code.split("-")) and "De Proefschool" in text
    dialog.saved.setChecked(True)
    assert dialog.close_button.isEnabled()
    dialog.grab().save(str(tmp_path / "herstelcode.png"))
    assert dialog.width() <= 1280 and dialog.height() <= 720


def test_first_beheerder_of_a_new_encrypted_database_gets_the_slot_and_the_code(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "nieuw.sqlite"
    db = open_database(str(path), encrypt=True)
    ctx = AppContext(db)
    dialog = FirstAdminDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.password.setText(PASSWORD)
    dialog.again.setText(PASSWORD)
    dialog.create()
    assert db.actor is not None and slot_users(path) == ["beheerder"]
    code = take_recovery_code(path)
    assert code is not None and take_recovery_code(path) is None  # shown once
    db.close()
    assert is_encrypted(path)
    assert unlock_with_password(path, "beheerder", PASSWORD)


def test_privacy_screen_converts_a_plain_database(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "school.sqlite"
    db = open_database(str(path), encrypt=False, exclusive=True)
    build_small_school(db)
    with db.transaction() as s:
        create_account(s, "beheerder", PASSWORD, "beheerder")
    with db.transaction() as s:
        db.actor = authenticate(s, "beheerder", PASSWORD).actor
    ctx = AppContext(db)
    box = EncryptionBox(ctx)
    qtbot.addWidget(box)
    assert "NIET versleuteld" in box.state.text() and not box.encrypt_button.isHidden()
    shown: list[str] = []
    box.ask_password = lambda: PASSWORD  # type: ignore[method-assign]
    box.show_code = shown.append  # type: ignore[method-assign]
    box.encrypt()
    assert ctx.db is not db and ctx.db.key is not None and is_encrypted(path)
    assert len(shown) == 1 and "versleuteld (SQLCipher" in box.state.text()
    assert box.encrypt_button.isHidden() and not box.code_button.isHidden()
    box.confirm = lambda _q: True  # type: ignore[method-assign]
    box.new_code()
    assert len(shown) == 2 and shown[1] != shown[0]
    ctx.db.close()

