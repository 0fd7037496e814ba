"""The start of the GUI (issue 11): demo school with its accounts, a new school that starts with its beheerder,
an old database without accounts; never a window before a log-in."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import select

from tests.builders import build_small_school
from verzuimdesk.demo import ensure_demo
from verzuimdesk.demo.accounts import DEMO_PASSWORD
from verzuimdesk.model.db import Database
from verzuimdesk.model.school.records import get_school
from verzuimdesk.model.tables import AuditLog
from verzuimdesk.ui import app
from verzuimdesk.ui.context import AppContext
from verzuimdesk.ui.security import login

PASSWORD = "geheim-genoeg"


def fake_login(username: str, password: str):  # type: ignore[no-untyped-def]
    def exec_(dialog: login.LoginDialog) -> int:
        dialog.username.setText(username)
        dialog.password.setText(password)
        dialog.try_login()
        return dialog.result()

    return exec_


def fake_first_admin(dialog: login.FirstAdminDialog) -> int:
    dialog.password.setText(PASSWORD)
    dialog.again.setText(PASSWORD)
    dialog.create()
    return dialog.result()


def test_demo_school_logs_in_with_the_documented_account(qtbot, sqlite_db: Database,  # type: ignore[no-untyped-def]
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    ensure_demo(sqlite_db, today=dt.date(2025, 11, 21))
    monkeypatch.setattr(login.LoginDialog, "exec", fake_login("leerkracht", DEMO_PASSWORD))
    ctx = AppContext(sqlite_db)
    assert app.start_session(ctx)
    assert ctx.actor is not None and ctx.actor.role == "leerkracht" and len(ctx.actor.group_ids) == 1


def test_wrong_password_keeps_the_program_closed(qtbot, sqlite_db: Database,  # type: ignore[no-untyped-def]
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    ensure_demo(sqlite_db, today=dt.date(2025, 11, 21))
    monkeypatch.setattr(login.LoginDialog, "exec", fake_login("beheerder", "niet-het-wachtwoord"))
    ctx = AppContext(sqlite_db)
    assert not app.start_session(ctx) and ctx.actor is None


def test_new_school_starts_with_its_beheerder(qtbot, sqlite_db: Database,  # type: ignore[no-untyped-def]
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app.QInputDialog, "getItem", lambda *a, **k: (a[3][1], True))
    monkeypatch.setattr(app.QInputDialog, "getText", lambda *a, **k: ("De Nieuwe School", True))
    monkeypatch.setattr(login.FirstAdminDialog, "exec", fake_first_admin)
    ctx = AppContext(sqlite_db)
    assert app.start_session(ctx)
    assert ctx.actor is not None and ctx.actor.role == "beheerder"
    assert ctx.read(get_school).name == "De Nieuwe School"
    with sqlite_db.session() as s:
        lines = s.exec(select(AuditLog)).all()
    # Everything after the log-in is recorded as the beheerder; the account itself was created before anyone
    # was logged in, so its field-level lines carry the computer's user name.
    after = [line for line in lines if not line.action.startswith(("useraccount", "account "))]
    assert after and all(line.by == "beheerder" for line in after)


def test_old_database_without_accounts_asks_for_the_beheerder(qtbot, sqlite_db: Database,  # type: ignore[no-untyped-def]
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    build_small_school(sqlite_db)
    asked: list[str] = []

    def first_admin(dialog: login.FirstAdminDialog) -> int:
        asked.append("beheerder")
        return fake_first_admin(dialog)

    monkeypatch.setattr(login.FirstAdminDialog, "exec", first_admin)
    ctx = AppContext(sqlite_db)
    assert app.start_session(ctx) and asked == ["beheerder"] and ctx.actor is not None
