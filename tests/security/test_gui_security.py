"""Log-in, first beheerder, idle lock and screens per role in the GUI (issue 11 point 1)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from sqlmodel import select

from tests.builders import SmallSchool, build_small_school
from verzuimdesk.model.db import Database
from verzuimdesk.model.errors import AccessDeniedError
from verzuimdesk.model.security.accounts import authenticate, create_account
from verzuimdesk.model.tables import AuditLog
from verzuimdesk.model.tables.security import UserAccount
from verzuimdesk.ui.context import AppContext
from verzuimdesk.ui.main_window import MainWindow
from verzuimdesk.ui.security.accounts import AccountDialog, AccountsPage
from verzuimdesk.ui.security.login import FirstAdminDialog, IdleLock, LoginDialog

PASSWORD = "geheim-genoeg"


@pytest.fixture
def school(sqlite_db: Database) -> SmallSchool:
    school = build_small_school(sqlite_db)
    with sqlite_db.transaction() as s:
        create_account(s, "beheerder", PASSWORD, "beheerder")
        create_account(s, "ib", PASSWORD, "ib")
        create_account(s, "juf", PASSWORD, "leerkracht", group_ids=(school.g5,))
    return school


def log_in_as(db: Database, name: str) -> None:
    with db.transaction() as s:
        db.actor = authenticate(s, name, PASSWORD).actor
    assert db.actor is not None


def window_for(qtbot, db: Database, tmp_path: Path) -> MainWindow:  # type: ignore[no-untyped-def]
    ctx = AppContext(db)
    errors: list[str] = []
    ctx.show_error = errors.append
    window = MainWindow(ctx, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.resize(1280, 720)
    return window


def visible_screens(window: MainWindow) -> list[str]:
    return [label for row, label in enumerate(window._nav_rows)
            if label is not None and not window.nav.item(row).isHidden()]  # fmt: skip


def test_login_dialog_refuses_waits_then_accepts(qtbot, school: SmallSchool, sqlite_db: Database) -> None:  # type: ignore[no-untyped-def]
    dialog = LoginDialog(AppContext(sqlite_db), school_name="De Proefschool", hint="Demoschool: log in als 'beheerder'.")
    qtbot.addWidget(dialog)
    dialog.username.setText("ib")
    dialog.password.setText("verkeerd-wachtwoord")
    dialog.try_login()
    assert "verkeerd wachtwoord" in dialog.message.text() and not dialog.ok.isEnabled()
    assert sqlite_db.actor is None and dialog.password.text() == ""
    qtbot.waitUntil(dialog.ok.isEnabled, timeout=3000)  # the first delay is one second
    dialog.password.setText(PASSWORD)
    dialog.try_login()
    assert dialog.result() == LoginDialog.DialogCode.Accepted
    assert sqlite_db.actor is not None and sqlite_db.actor.role == "ib"


def test_first_start_creates_the_beheerder_and_logs_in(qtbot, sqlite_db: Database) -> None:  # type: ignore[no-untyped-def]
    dialog = FirstAdminDialog(AppContext(sqlite_db))
    qtbot.addWidget(dialog)
    dialog.full_name.setText("Marieke Hoogendoorn")
    dialog.password.setText(PASSWORD)
    dialog.again.setText("iets-anders-dus")
    dialog.create()
    assert "niet gelijk" in dialog.message.text()
    dialog.again.setText(PASSWORD)
    dialog.create()
    assert dialog.result() == FirstAdminDialog.DialogCode.Accepted
    assert sqlite_db.actor is not None and sqlite_db.actor.username == "beheerder"
    with sqlite_db.session() as s:
        account = s.exec(select(UserAccount)).one()
    assert account.role == "beheerder" and account.full_name == "Marieke Hoogendoorn"


def test_idle_lock_hides_the_window_until_the_password(qtbot, school: SmallSchool, sqlite_db: Database,  # type: ignore[no-untyped-def]
                                                       tmp_path: Path) -> None:
    log_in_as(sqlite_db, "juf")
    window = window_for(qtbot, sqlite_db, tmp_path)
    window.show()
    lock = IdleLock(window.ctx, window, minutes=10)
    assert lock.timer.interval() == 10 * 60 * 1000
    lock.timer.setInterval(50)  # ten minutes, shortened for the test
    lock.timer.start()
    qtbot.waitUntil(lambda: lock.locked, timeout=3000)
    assert not window.isVisible() and lock.dialog is not None and lock.dialog.username.text() == "juf"
    assert lock.dialog.username.isReadOnly()
    lock.dialog.password.setText("verkeerd-wachtwoord")
    lock.dialog.try_login()
    assert lock.locked and not window.isVisible()
    qtbot.waitUntil(lock.dialog.ok.isEnabled, timeout=3000)
    lock.dialog.password.setText(PASSWORD)
    lock.dialog.try_login()
    assert not lock.locked and window.isVisible() and lock.timer.isActive()
    lock.stop()


def test_idle_lock_closes_the_program_when_nobody_logs_in(qtbot, school: SmallSchool, sqlite_db: Database,  # type: ignore[no-untyped-def]
                                                          tmp_path: Path) -> None:
    log_in_as(sqlite_db, "ib")
    window = window_for(qtbot, sqlite_db, tmp_path)
    window.show()
    lock = IdleLock(window.ctx, window, minutes=1)
    lock.lock()
    assert lock.dialog is not None
    lock.dialog.reject()
    assert sqlite_db.actor is None and not window.isVisible()


def test_screens_per_role(qtbot, school: SmallSchool, sqlite_db: Database, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    log_in_as(sqlite_db, "juf")
    window = window_for(qtbot, sqlite_db, tmp_path)
    assert visible_screens(window) == ["Register", "Nabellen"]
    register = window.show_page("Register")
    groups = [register.group_combo.itemText(i) for i in range(register.group_combo.count())]  # type: ignore[attr-defined]
    assert groups == ["Groep 5"]
    with pytest.raises(AccessDeniedError):
        window.page("Dossier")
    assert "ingelogd als juf (leerkracht)" in window.school_label.text()

    log_in_as(sqlite_db, "ib")
    window = window_for(qtbot, sqlite_db, tmp_path)
    assert visible_screens(window) == ["Register", "Signalen", "Dossier", "Brieven", "Overzichten"]
    log_in_as(sqlite_db, "beheerder")
    window = window_for(qtbot, sqlite_db, tmp_path)
    assert "Accounts" in visible_screens(window) and "Instellingen" in visible_screens(window)


def test_accounts_page_creates_an_account_for_a_leerkracht(qtbot, school: SmallSchool, sqlite_db: Database) -> None:  # type: ignore[no-untyped-def]
    log_in_as(sqlite_db, "beheerder")
    ctx = AppContext(sqlite_db)
    errors: list[str] = []
    ctx.show_error = errors.append
    page = AccountsPage(ctx)
    qtbot.addWidget(page)
    assert page.model.rowCount() == 3
    dialog = AccountDialog(ctx, None, page)
    dialog.username.setText("meester")
    dialog.full_name.setText("Meester Bas")
    dialog.role.setCurrentIndex(dialog.role.findData("leerkracht"))
    dialog.groups.item(0).setCheckState(Qt.CheckState.Checked)
    dialog.password.setText(PASSWORD)
    dialog.again.setText(PASSWORD)
    dialog.accept()
    assert errors == [] and page.model.rowCount() == 4
    row = next(r for r in page.model.rows if r.username == "meester")
    assert row.role == "leerkracht" and len(row.group_ids) == 1
    with sqlite_db.session() as s:
        audited = s.exec(select(AuditLog).where(AuditLog.action == "account aangemaakt")).all()
    assert audited[-1].by == "beheerder" and "meester" in audited[-1].detail


def test_ib_cannot_open_accounts_through_the_context(qtbot, school: SmallSchool, sqlite_db: Database) -> None:  # type: ignore[no-untyped-def]
    from verzuimdesk.model.security.accounts import account_rows

    log_in_as(sqlite_db, "ib")
    ctx = AppContext(sqlite_db)
    with pytest.raises(AccessDeniedError):
        ctx.read(account_rows)


def test_pupil_list_shows_the_bsn_masked_and_still_finds_it(qtbot, school: SmallSchool, sqlite_db: Database) -> None:  # type: ignore[no-untyped-def]
    from verzuimdesk.ui.setup.pupils import PupilsPage

    log_in_as(sqlite_db, "beheerder")
    page = PupilsPage(AppContext(sqlite_db))
    qtbot.addWidget(page)
    page.refresh()
    column = [c.header for c in page.model.columns].index("BSN")
    shown = [page.model.data(page.model.index(r, column)) for r in range(page.model.rowCount())]
    assert "••••••333" in shown and "111222333" not in shown
    page.proxy.set_text("111222333")
    assert page.proxy.rowCount() == 1


@pytest.mark.parametrize("user", ["ib", "juf"])
def test_every_screen_a_role_sees_opens_without_refusals(qtbot, school: SmallSchool, sqlite_db: Database,  # type: ignore[no-untyped-def]
                                                         tmp_path: Path, user: str) -> None:
    log_in_as(sqlite_db, user)
    window = window_for(qtbot, sqlite_db, tmp_path)
    window.show()
    errors: list[str] = []
    window.ctx.show_error = errors.append
    for label in visible_screens(window):
        window.show_page(label)  # an AccessDeniedError here fails the test
    assert errors == []


def test_the_days_search_for_due_meldingen_runs_once_for_a_user_who_sees_signals(school: SmallSchool,
                                                                                  sqlite_db: Database) -> None:
    """ui/app.py record_duties_daily: the first start of the day keeps the duties found (duties.py); a leerkracht,
    who may not see signals, does not run it, and nothing is shown to them."""
    import datetime as dt

    from verzuimdesk.model.law.signals.duties import searched_on
    from verzuimdesk.ui.app import record_duties_daily

    ctx = AppContext(sqlite_db)
    errors: list[str] = []
    ctx.show_error = errors.append
    day = dt.date(2025, 11, 21)
    log_in_as(sqlite_db, "juf")
    record_duties_daily(ctx, day)
    with sqlite_db.session() as s:
        assert searched_on(s) is None and errors == []
    log_in_as(sqlite_db, "ib")
    record_duties_daily(ctx, day)
    assert ctx.read(searched_on) == day and errors == []
    with sqlite_db.session() as s:
        lines = s.exec(select(AuditLog)).all()
    record_duties_daily(ctx, day)  # the same day again: nothing to do
    with sqlite_db.session() as s:
        assert len(s.exec(select(AuditLog)).all()) == len(lines)  # derived data: not in the logboek
