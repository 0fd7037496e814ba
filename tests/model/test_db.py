"""The database door: migrations, newer schema refused, backup before upgrade, one instance, rollback."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import select

from verzuimdesk.model.db import current_revision, head_revision, open_database
from verzuimdesk.model.errors import DatabaseInUseError, SchemaTooNewError, ValidationError
from verzuimdesk.model.school.records import save_pupil, setup_school
from verzuimdesk.model.tables import Pupil, School


def test_new_database_is_at_the_newest_schema_with_wal_and_foreign_keys(tmp_path: Path) -> None:
    db = open_database(str(tmp_path / "a.sqlite"))
    assert current_revision(db.engine) == head_revision()
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    db.close()


def test_foreign_keys_are_enforced(db) -> None:
    import datetime as dt

    from verzuimdesk.model.tables import GroupMembership

    with pytest.raises(sa.exc.IntegrityError):
        with db.transaction() as s:
            s.add(GroupMembership(pupil_id=999, group_id=999, date_from=dt.date(2025, 8, 1)))


def test_database_of_a_newer_program_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "newer.sqlite"
    open_database(str(path)).close()
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num = '9999_future'")
    con.commit()
    con.close()
    before = path.read_bytes()
    with pytest.raises(SchemaTooNewError, match="nieuwere versie van verzuimdesk"):
        open_database(str(path))
    assert path.read_bytes() == before


def test_migration_files_form_one_ladder_in_name_order() -> None:
    """open_database checks the version without importing Alembic, relying on this convention."""
    from alembic.script import ScriptDirectory

    from verzuimdesk.model.db import _alembic_config, known_revisions

    script = ScriptDirectory.from_config(_alembic_config(None))
    ladder = [rev.revision for rev in reversed(list(script.walk_revisions()))]
    assert ladder == known_revisions()
    assert script.get_current_head() == head_revision()
    for older, newer in zip(ladder, ladder[1:]):
        assert script.get_revision(newer).down_revision == older


def test_a_second_instance_is_refused(tmp_path: Path) -> None:
    path = str(tmp_path / "lock.sqlite")
    first = open_database(path, exclusive=True)
    with pytest.raises(DatabaseInUseError, match="al geopend"):
        open_database(path, exclusive=True)
    first.close()
    again = open_database(path, exclusive=True)  # released on close
    again.close()


def test_a_failed_action_leaves_the_database_as_it_was(db) -> None:
    with db.transaction() as s:
        setup_school(s, "De School", school_years=["2025-2026"])
    with pytest.raises(ValidationError):
        with db.transaction() as s:
            save_pupil(s, Pupil(key="1", achternaam="Eerst"))
            save_pupil(s, Pupil(key="2", achternaam="Fout", bsn="123456789"))  # fails the 11-check
    with db.session() as s:
        assert s.exec(select(Pupil)).all() == []
        assert [x.name for x in s.exec(select(School)).all()] == ["De School"]


def test_database_of_the_first_schema_is_upgraded_with_its_data_and_a_backup(tmp_path: Path) -> None:
    """tests/fixtures/schema-0001.sqlite was made by the first released schema (small school + 2 entries)."""
    import datetime as dt
    import shutil

    from tests.conftest import FIXTURES
    from verzuimdesk.model.register.figures import pupil_figures

    path = tmp_path / "school.sqlite"
    shutil.copy(FIXTURES / "schema-0001.sqlite", path)
    db = open_database(str(path))
    try:
        assert current_revision(db.engine) == head_revision() != "0001"
        assert db.backup_path is not None
        con = sqlite3.connect(db.backup_path)
        assert con.execute("SELECT version_num FROM alembic_version").fetchall() == [("0001",)]
        con.close()
        with db.session() as s:
            piet = s.exec(select(Pupil).where(Pupil.key == "1001")).one()
            fig = pupil_figures(s, piet.id, dt.date(2025, 11, 3), dt.date(2025, 11, 3))
            assert (fig.scheduled, fig.authorised) == (360, 60)
            assert [x.name for x in s.exec(select(School)).all()] == ["De Proefschool"]
            from verzuimdesk.model.school.reasons import reasons_by_code

            reasons = reasons_by_code(s)
            assert reasons["Z"].sick_report and not reasons["M"].sick_report  # set by migration 0002
            # Migration 0006: VV and AO move to authorised absence, each move on record; art. 11a reasons added.
            assert (reasons["VV"].category, reasons["AO"].category) == ("geoorloofd", "geoorloofd")
            assert reasons["AO"].needs_afwijking and reasons["K5"].art11a == "melding"
            from verzuimdesk.model.tables import ReasonMappingChange

            moved = {(c.reason_id, c.old_category) for c in s.exec(select(ReasonMappingChange)).all()}
            assert moved == {(reasons["VV"].id, "niet_meegeteld"), (reasons["AO"].id, "aanwezig")}
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1  # enforced again after the upgrade
    finally:
        db.close()


def test_migrations_build_exactly_the_tables_the_code_declares(db) -> None:
    """No drift: a database built by the migrations has every table, column and index of the models."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext
    from sqlmodel import SQLModel

    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": False}), SQLModel.metadata)
    assert diff == []


def test_row_versions_of_schema_0017_downgrade_and_upgrade_again_with_the_data(db) -> None:
    """Migration 0017 (issue 14: versions of the school, leerplichtambtenaren, pupils, groups, reasons, days off) can be
    taken back; the rows stay, and upgrading again gives every row version 1."""
    from alembic import command

    from verzuimdesk.model.db import _alembic_config

    tables = ("school", "leerplichtcontact", "pupil", "group", "reason", "dayoff", "contactmoment", "intervention")
    with db.transaction() as s:
        setup_school(s, "De Proefschool", brin="99ZZ")
        save_pupil(s, Pupil(key="1", achternaam="Jansen", roepnaam="Piet"))
    with db.session() as s:
        assert s.exec(select(Pupil)).one().version == 1
        pupil = s.exec(select(Pupil)).one()
    with db.transaction() as s:
        pupil = s.merge(pupil)
        pupil.roepnaam = "Pieter"
    with db.session() as s:
        assert s.exec(select(Pupil)).one().version == 2

    def columns(table: str) -> set[str]:
        return {c["name"] for c in sa.inspect(db.engine).get_columns(table)}

    with db.engine.connect() as conn:
        command.downgrade(_alembic_config(None, conn), "0015")
        conn.commit()
    db.engine.dispose()
    assert all("version" not in columns(t) for t in tables)
    assert "version" in columns("absenceentry")  # schema 0010's versions stay
    with db.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT roepnaam FROM pupil")).scalars().all() == ["Pieter"]
        command.upgrade(_alembic_config(None, conn), "head")
        conn.commit()
    db.engine.dispose()
    assert all("version" in columns(t) for t in tables)
    with db.session() as s:
        assert [(p.roepnaam, p.version) for p in s.exec(select(Pupil))] == [("Pieter", 1)]
