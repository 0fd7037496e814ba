"""Accounts, log-in, lockout and the role checks of the operation layer (issue 11 point 1), on SQLite and on
PostgreSQL (the `db` fixture; issue 14 point 3: the roles work the same on a school server)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import select

from tests.builders import SmallSchool, build_small_school
from tests.reports.conftest import FRIDAY, MONDAY, WEEK
from verzuimdesk.model.actor import Actor
from verzuimdesk.model.audit import audit
from verzuimdesk.model.db import Database
from verzuimdesk.model.errors import AccessDeniedError, ValidationError
from verzuimdesk.model.law.dossier import add_contact, contacts
from verzuimdesk.model.register.view import call_list, load_register_day, register_cells
from verzuimdesk.model.security.accounts import (
    authenticate,
    create_account,
    delay_after,
    save_security_setting,
    set_password,
    update_account,
)
from verzuimdesk.model.security.operations import check_operation
from verzuimdesk.model.security.passwords import hash_password, verify_password
from verzuimdesk.model.setup.pupils_groups import pupil_rows, save_pupil_details
from verzuimdesk.model.store import current_user
from verzuimdesk.model.tables import AuditLog
from verzuimdesk.model.tables.security import UserAccount
from verzuimdesk.reports.overviews.pupil_data import build_pupil_overview

NOW = dt.datetime(2025, 11, 3, 8, 30)
PASSWORD = "geheim-genoeg"


@pytest.fixture
def school(db: Database) -> SmallSchool:
    school = build_small_school(db)
    with db.transaction() as s:
        create_account(s, "beheerder", PASSWORD, "beheerder", now=NOW)
        create_account(s, "ib", PASSWORD, "ib", now=NOW)
        create_account(s, "juf", PASSWORD, "leerkracht", group_ids=(school.g5,), now=NOW)
    return school


def login(db: Database, name: str) -> Actor:
    with db.transaction() as s:
        result = authenticate(s, name, PASSWORD, now=NOW)
    assert result.actor is not None, result.message
    db.actor = result.actor
    return result.actor


def test_password_is_stored_as_argon2id_hash(db: Database) -> None:
    with db.transaction() as s:
        create_account(s, "Beheerder", PASSWORD, "beheerder", now=NOW)
    with db.session() as s:
        account = s.exec(select(UserAccount)).one()
    assert account.username == "beheerder" and account.password_hash.startswith("$argon2id$")
    assert PASSWORD not in account.password_hash
    assert verify_password(account.password_hash, PASSWORD) and not verify_password(account.password_hash, "fout")
    assert hash_password(PASSWORD) != hash_password(PASSWORD)  # salted


def test_first_account_is_the_beheerder_and_bad_input_is_refused(db: Database) -> None:
    with pytest.raises(ValidationError, match="eerste account is dat van de beheerder"):
        with db.transaction() as s:
            create_account(s, "juf", PASSWORD, "leerkracht")
    with pytest.raises(ValidationError, match="minstens 8 tekens"):
        with db.transaction() as s:
            create_account(s, "baas", "kort", "beheerder")
    with db.transaction() as s:
        create_account(s, "baas", PASSWORD, "beheerder")
    with pytest.raises(ValidationError, match="bestaat al"):
        with db.transaction() as s:
            create_account(s, "BAAS", PASSWORD, "ib")
    with pytest.raises(ValidationError, match="minstens één actieve beheerder"):
        with db.transaction() as s:
            update_account(s, "baas", role_key="ib")


def test_failed_logins_wait_longer_then_lock_the_account(school: SmallSchool, db: Database) -> None:
    waits = []
    for _ in range(4):
        with db.transaction() as s:
            result = authenticate(s, "ib", "verkeerd!", now=NOW)
        assert result.actor is None and result.message.startswith("Onbekende gebruikersnaam of verkeerd wachtwoord")
        waits.append(result.wait_seconds)
    assert waits == [1.0, 2.0, 4.0, 8.0] and delay_after(20) == 30.0
    with db.transaction() as s:  # the fifth failure (default maximum) locks for 15 minutes
        result = authenticate(s, "ib", "verkeerd!", now=NOW)
    assert "15 minuten geblokkeerd" in result.message and result.wait_seconds == 900
    with db.transaction() as s:  # locked: even the right password is refused
        result = authenticate(s, "ib", PASSWORD, now=NOW + dt.timedelta(minutes=14))
    assert result.actor is None and "geblokkeerd" in result.message
    with db.transaction() as s:
        result = authenticate(s, "ib", PASSWORD, now=NOW + dt.timedelta(minutes=16))
    assert result.actor is not None and result.actor.role == "ib"
    with db.session() as s:
        failed = s.exec(select(AuditLog).where(AuditLog.action == "inloggen mislukt")).all()
    assert len(failed) == 5 and all(a.by == "ib" and "verkeerd" not in a.detail for a in failed)


def test_unknown_user_gets_the_same_message(school: SmallSchool, db: Database) -> None:
    with db.transaction() as s:
        unknown = authenticate(s, "niemand", PASSWORD, now=NOW)
        wrong = authenticate(s, "juf", "verkeerd!", now=NOW)
    assert unknown.actor is None and unknown.message == wrong.message


def test_lockout_settings_are_used_and_a_new_password_lifts_the_lock(school: SmallSchool, db: Database) -> None:
    with db.transaction() as s:
        save_security_setting(s, "max_inlogpogingen", 3)
        save_security_setting(s, "blokkeer_minuten", 60)
    for _ in range(3):
        with db.transaction() as s:
            result = authenticate(s, "juf", "verkeerd!", now=NOW)
    assert "60 minuten geblokkeerd" in result.message
    with db.transaction() as s:
        set_password(s, "juf", "nieuw-wachtwoord")
    with db.transaction() as s:
        assert authenticate(s, "juf", "nieuw-wachtwoord", now=NOW).actor is not None
    with pytest.raises(ValidationError, match="1 tot en met 120"):
        with db.transaction() as s:
            save_security_setting(s, "vergrendelen_na_minuten", 0)


def test_audit_trail_records_the_logged_in_user(school: SmallSchool, db: Database) -> None:
    login(db, "ib")
    with db.transaction() as s:
        assert current_user(s) == "ib"
        audit(s, "test", "iets")
    with db.session() as s:
        row = s.exec(select(AuditLog).where(AuditLog.action == "test")).one()
        logged = s.exec(select(AuditLog).where(AuditLog.action == "ingelogd")).one()
    assert row.by == "ib" and logged.by == "ib"


def allowed(db: Database, fn, *args, kinds=(), write=False) -> bool:  # type: ignore[no-untyped-def]
    with db.session() as s:
        try:
            check_operation(s, db.actor, fn, args, kinds, write=write)
        except AccessDeniedError:
            return False
    return True


def test_leerkracht_keeps_only_the_register_of_own_groups(school: SmallSchool, db: Database) -> None:
    login(db, "juf")
    piet, noor = school.pupils["1001"], school.pupils["2001"]
    assert allowed(db, load_register_day, school.g5, MONDAY)
    assert not allowed(db, load_register_day, school.g12, MONDAY)
    assert allowed(db, register_cells, MONDAY, [(piet, 1)], "Z", kinds={"register"}, write=True)
    assert not allowed(db, register_cells, MONDAY, [(piet, 1), (noor, 1)], "Z", kinds={"register"}, write=True)
    assert allowed(db, call_list, FRIDAY)  # nabellen
    assert not allowed(db, contacts, piet)  # no dossier
    assert not allowed(db, build_pupil_overview, piet, WEEK)  # no overviews (sickness reasons)
    assert not allowed(db, pupil_rows, FRIDAY)  # no settings
    assert not allowed(db, add_contact, piet, MONDAY, "gesprek", kinds={"dossier"}, write=True)


def test_intern_begeleider_reads_but_changes_no_register_or_settings(school: SmallSchool, db: Database) -> None:
    login(db, "ib")
    piet = school.pupils["1001"]
    assert allowed(db, load_register_day, school.g12, MONDAY)
    assert not allowed(db, register_cells, MONDAY, [(piet, 1)], "Z", kinds={"register"}, write=True)
    assert allowed(db, contacts, piet) and allowed(db, build_pupil_overview, piet, WEEK)
    assert allowed(db, add_contact, piet, MONDAY, "gesprek", kinds={"dossier"}, write=True)
    assert allowed(db, pupil_rows, FRIDAY)  # the pupil picker of the dossier
    assert not allowed(db, save_pupil_details, piet, {}, kinds={"pupils"}, write=True)
    assert not allowed(db, set_password, "juf", "x", kinds=set(), write=True)  # only the own password
    assert allowed(db, set_password, "ib", "x", kinds=set(), write=True)


def test_beheerder_may_everything(school: SmallSchool, db: Database) -> None:
    login(db, "beheerder")
    piet = school.pupils["1001"]
    assert allowed(db, register_cells, MONDAY, [(piet, 1)], "Z", kinds={"register"}, write=True)
    assert allowed(db, pupil_rows, FRIDAY) and allowed(db, contacts, piet)


def test_refusal_message_is_dutch_and_names_the_role(school: SmallSchool, db: Database) -> None:
    login(db, "juf")
    with db.session() as s, pytest.raises(AccessDeniedError) as info:
        check_operation(s, db.actor, contacts, (school.pupils["1001"],))
    assert "juf, leerkracht" in str(info.value) and "leerlingdossier" in str(info.value)
