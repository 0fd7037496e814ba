"""The audit trail (issue 10 §5): every change recorded old → new, a reason for old registrations,
append-only and tamper-evident. Runs on SQLite and, in CI, on PostgreSQL."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import select

from tests.builders import build_small_school
from verzuimdesk.model.audit import audit, trail, verify_trail
from verzuimdesk.model.db import Database
from verzuimdesk.model.errors import ChangeReasonRequired
from verzuimdesk.model.register.changes import set_reason_days
from verzuimdesk.model.register.entries import clear_span, register_lesson, restore_day, set_entry
from verzuimdesk.model.school.records import save_pupil
from verzuimdesk.model.store import set_setting
from verzuimdesk.model.tables import AuditLog, Pupil

DAY = dt.date(2025, 11, 3)  # a Monday in the small school's year


def _pupil(db: Database) -> int:
    school = build_small_school(db)
    with db.transaction() as s:
        set_setting(s, "gebruiker", "J. de Vries")
    return school.pupils["1001"]


def test_a_register_change_is_recorded_old_to_new_with_the_configured_user(db: Database) -> None:
    pid = _pupil(db)
    with db.transaction() as s:
        register_lesson(s, pid, DAY, 1, "Z", by="J. de Vries")
    with db.transaction() as s:
        register_lesson(s, pid, DAY, 1, "O", by="J. de Vries")
    with db.transaction() as s:
        register_lesson(s, pid, DAY, 1, None, by="J. de Vries")  # present after all
    with db.session() as s:
        lines = [x for x in trail(s, pupil_id=pid) if x.action.startswith("registratie")]
    assert [(x.action, x.by) for x in lines] == [("registratie", "J. de Vries"), ("registratie gewijzigd", "J. de Vries"),
                                                 ("registratie verwijderd", "J. de Vries")]
    assert lines[0].old_value == "geen registratie" and lines[0].new_value.startswith("08:30–09:30 Z")
    assert lines[1].old_value.startswith("08:30–09:30 Z") and lines[1].new_value.startswith("08:30–09:30 O")
    assert lines[2].new_value == "geen registratie" and lines[2].detail == "3 november 2025 08:30–09:30 (leerkracht)"


def test_an_old_registration_needs_a_reason_and_the_reason_is_recorded(db: Database) -> None:
    pid = _pupil(db)
    entered = dt.datetime(2025, 11, 3, 9, 0)
    with db.transaction() as s:
        set_entry(s, pid, DAY, 510, 570, "Z", by="x", now=entered)
        set_reason_days(s, 5)
    later = dt.datetime(2025, 11, 11, 9, 0)  # six school days later (4–7, 10, 11 november)
    with pytest.raises(ChangeReasonRequired, match="ouder dan 5 schooldagen"):
        with db.transaction() as s:
            set_entry(s, pid, DAY, 510, 570, "O", by="x", now=later)
    with pytest.raises(ChangeReasonRequired):
        with db.transaction() as s:
            clear_span(s, pid, DAY, 510, 570, now=later)
    with db.transaction() as s:
        set_entry(s, pid, DAY, 510, 570, "O", by="x", now=later, change_reason="Briefje van de huisarts kwam later")
    with db.session() as s:
        last = trail(s, pupil_id=pid)[-1]
    assert (last.action, last.reason) == ("registratie gewijzigd", "Briefje van de huisarts kwam later")
    # five school days after entering it, a registration can still be corrected without a reason
    with db.transaction() as s:
        set_entry(s, pid, DAY + dt.timedelta(days=1), 510, 570, "Z", by="x", now=entered)
        set_entry(s, pid, DAY + dt.timedelta(days=1), 510, 570, "O", by="x", now=dt.datetime(2025, 11, 11, 9, 0))


def test_a_late_first_registration_and_undo_need_no_reason_but_are_recorded(db: Database) -> None:
    pid = _pupil(db)
    with db.transaction() as s:  # the parents' note for a day long past: nothing was registered
        set_entry(s, pid, DAY, 510, 570, "Z", by="x")  # entered today
    with db.transaction() as s:
        before = register_lesson(s, pid, DAY, 1, "O", by="x")
        restore_day(s, before)
    with db.session() as s:
        actions = [x.action for x in trail(s, pupil_id=pid)]
    assert actions[-3:] == ["registratie", "registratie gewijzigd", "registratie teruggezet (ongedaan maken)"]


def test_pupils_and_settings_are_recorded_field_by_field_and_the_bsn_is_not_shown(db: Database) -> None:
    pid = _pupil(db)
    with db.transaction() as s:
        pupil = s.get(Pupil, pid)
        assert pupil is not None
        pupil.achternaam, pupil.bsn = "Jansen-de Wit", "123456782"
        save_pupil(s, pupil)
        set_setting(s, "gebruiker", "A. Bakker")
    with db.session() as s:
        change = [x for x in trail(s, pupil_id=pid) if x.action == "leerling gewijzigd"][-1]
        setting = [x for x in trail(s) if x.action == "instelling gewijzigd"][-1]
    assert "achternaam: Jansen-de Wit" in change.new_value and "123456782" not in change.new_value
    assert "bsn: (verborgen)" in change.new_value
    assert (setting.detail, setting.old_value, setting.new_value, setting.by) == (
        "gebruiker", "J. de Vries", "A. Bakker", "A. Bakker")


def test_the_trail_cannot_be_changed_or_erased_by_sql(db: Database) -> None:
    _pupil(db)
    for statement in ("UPDATE auditlog SET by = 'iemand anders'", "DELETE FROM auditlog"):
        with pytest.raises(sa.exc.DBAPIError, match="alleen worden aangevuld"):
            with db.transaction() as s:
                s.connection().exec_driver_sql(statement)
    with db.session() as s:
        assert verify_trail(s).intact and verify_trail(s).lines > 10


def test_a_line_changed_behind_the_triggers_back_is_found(db: Database) -> None:
    pid = _pupil(db)
    with db.transaction() as s:
        audit(s, "proef", "een regel", pupil_id=pid, old="a", new="b")
    with db.session() as s:
        target = trail(s)[3].id
    off, on = (("DROP TRIGGER auditlog_no_update", None) if db.engine.dialect.name == "sqlite" else
               ("ALTER TABLE auditlog DISABLE TRIGGER USER", "ALTER TABLE auditlog ENABLE TRIGGER USER"))
    with db.engine.begin() as conn:  # someone with other tools than verzuimdesk
        conn.exec_driver_sql(off)
        conn.exec_driver_sql(f"UPDATE auditlog SET new_value = 'vervalst' WHERE id = {target}")
        if on:
            conn.exec_driver_sql(on)
    with db.session() as s:
        check = verify_trail(s)
    assert not check.intact and check.problems == (f"Regel {target}: de inhoud is gewijzigd na het vastleggen.",)


def test_a_line_whose_user_or_time_was_changed_is_found(db: Database) -> None:
    """The hash covers the metadata and the content's digest: rewriting who did it is seen, not only what."""
    _pupil(db)
    with db.session() as s:
        target = trail(s)[2].id
    off, on = (("DROP TRIGGER auditlog_no_update", None) if db.engine.dialect.name == "sqlite" else
               ("ALTER TABLE auditlog DISABLE TRIGGER USER", "ALTER TABLE auditlog ENABLE TRIGGER USER"))
    with db.engine.begin() as conn:
        conn.exec_driver_sql(off)
        conn.exec_driver_sql(f"UPDATE auditlog SET by = 'iemand anders' WHERE id = {target}")
        if on:
            conn.exec_driver_sql(on)
    with db.session() as s:
        check = verify_trail(s)
    assert check.problems[0] == f"Regel {target}: tijdstip, gebruiker, actie of leerling is gewijzigd na het vastleggen."


def test_a_line_removed_from_the_middle_is_found(db: Database) -> None:
    _pupil(db)
    with db.session() as s:
        target = trail(s)[5].id
    off = ("DROP TRIGGER auditlog_no_delete" if db.engine.dialect.name == "sqlite" else
           "ALTER TABLE auditlog DISABLE TRIGGER USER")
    with db.engine.begin() as conn:
        conn.exec_driver_sql(off)
        conn.exec_driver_sql(f"DELETE FROM auditlog WHERE id = {target}")
    with db.session() as s:
        problems = verify_trail(s).problems
    assert len(problems) == 1 and "verwijzing naar de vorige regel" in problems[0]


def test_the_old_signature_of_audit_keeps_working(db: Database) -> None:
    with db.transaction() as s:
        audit(s, "import leerlingen", "lln.csv: 3 nieuw")
        audit(s, "import verzuim", "v.csv", by="importeur")
    with db.session() as s:
        rows = s.exec(select(AuditLog).where(AuditLog.action.startswith("import"))).all()  # type: ignore[attr-defined]
        assert [(r.detail, r.pupil_id, r.old_value) for r in rows] == [("lln.csv: 3 nieuw", None, ""), ("v.csv", None, "")]
        assert rows[1].by == "importeur" and verify_trail(s).intact


def test_a_trail_of_version_1_is_rechained_by_the_upgrade_and_the_step_is_on_record(tmp_path: Path) -> None:
    """Migration 0014: lines written with the old formula (content inside the hash) get a content digest and a
    new chain; the old chain's last hash and its state are kept in a line of the new trail."""
    import importlib
    import shutil

    from alembic import command

    from tests.conftest import FIXTURES
    from verzuimdesk.model.db import _alembic_config, open_database

    path = tmp_path / "school.sqlite"
    shutil.copy(FIXTURES / "schema-0001.sqlite", path)
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        command.upgrade(_alembic_config(engine, conn), "0008")
    old_hash = importlib.import_module("verzuimdesk.migrations.versions.0004_audit_trail")._line_hash
    prev = "0" * 64
    with engine.begin() as conn:
        for i, (what, pupil) in enumerate([("leerling gewijzigd", 1), ("instelling gewijzigd", None)]):
            at = dt.datetime(2025, 9, 1, 8, i)
            digest = old_hash(prev, at, "juf", what, "detail", pupil, "oud", "nieuw", "")
            conn.execute(sa.text("INSERT INTO auditlog (at, by, action, detail, pupil_id, old_value, new_value, "
                                 "reason, prev_hash, hash) VALUES (:at, 'juf', :a, 'detail', :p, 'oud', 'nieuw', '', "
                                 ":prev, :h)"), {"at": at, "a": what, "p": pupil, "prev": prev, "h": digest})
            prev = digest
    engine.dispose()
    db = open_database(str(path))
    try:
        with db.session() as s:
            check = verify_trail(s)
            lines = trail(s)
    finally:
        db.close()
    assert check.intact and [x.action for x in lines] == ["leerling gewijzigd", "instelling gewijzigd", "logboek omgezet"]
    assert lines[0].old_value == "oud" and lines[0].content_digest  # content kept, now hashed apart
    assert f"Laatste hash van de oude keten: {prev}; oude keten ongeschonden." in lines[2].detail


def test_generated_history_is_dated_by_history_time_and_the_chain_holds(db: Database) -> None:
    """audit.history_time: lines written inside it (the demo's history, imports of history) carry the given moment,
    explicit audit() lines too; outside it the wall clock again; the hash chain verifies."""
    from verzuimdesk.model.audit import history_time

    build_small_school(db)
    moment = dt.datetime(2025, 9, 3, 8, 40)
    with db.transaction() as s:
        with history_time(s, moment):
            pupil = s.exec(select(Pupil)).first()
            assert pupil is not None
            pupil.notes = "Verhuisd; nieuwe school gevonden."
            save_pupil(s, pupil)
            audit(s, "brief als e-mail", "1 brief")
            with history_time(s, moment + dt.timedelta(days=1)):
                set_setting(s, "melder_telefoon", "030-1234567")
            set_setting(s, "melder_email", "a@example.nl")
        set_setting(s, "melder_functie", "administratie")
    with db.session() as s:
        lines = trail(s)
        assert verify_trail(s).intact
    by_detail = {x.detail: x.at for x in lines}
    assert by_detail["1 brief"] == moment and by_detail["melder_email"] == moment
    assert by_detail["melder_telefoon"] == moment + dt.timedelta(days=1)
    assert [x.at for x in lines if x.action == "leerling gewijzigd"][-1] == moment
    assert by_detail["melder_functie"] > dt.datetime(2026, 1, 1)  # the wall clock again


def test_the_demos_logboek_follows_the_simulated_school_year(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The demo's history is dated on its own days (no line carries the moment the demo was built) and its user
    is the school's administrator, not the login name of whoever built it."""
    from verzuimdesk.demo import create_demo_school
    from verzuimdesk.model.db import open_database
    from verzuimdesk.model.tables.law import LeaveRequest

    today = dt.date(2026, 11, 23)
    database = open_database(str(tmp_path / "demo.sqlite"))
    create_demo_school(database, today=today)
    with database.session() as s:
        lines = trail(s)
        assert verify_trail(s).intact
        forwarded = s.exec(select(LeaveRequest).where(LeaveRequest.lpa_decision != "")).one()
    database.close()
    assert all(x.at.date() <= today for x in lines)  # built on 30 November 2026 or later: nothing of that day
    assert min(x.at for x in lines).date() < dt.date(2025, 8, 1)  # the set-up before the first school year
    assert len({x.at.date() for x in lines}) > 30  # spread over the school years, not one moment
    assert {x.by for x in lines if x.action == "school toegevoegd"} == {"M. Hoogland"}
    decided = [x for x in lines if x.action == "verlofaanvraag gewijzigd" and "lpa_decision: toegekend" in x.new_value
               and x.pupil_id == forwarded.pupil_id]
    assert decided and decided[-1].at.date() == forwarded.lpa_decided_on
