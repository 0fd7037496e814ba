"""The schoolgids's privacy part says what is true (issue 11 point 6), and the database file is private."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.builders import SmallSchool, build_small_school
from verzuimdesk.model.db import Database, open_database
from verzuimdesk.model.policy.inputs import fingerprint_parts, gather_inputs, save_policy_settings
from verzuimdesk.model.policy.text import generate
from verzuimdesk.model.security.accounts import create_account, save_security_setting, update_account

PASSWORD = "geheim-genoeg"


def privacy_text(db: Database) -> str:
    with db.session() as s:
        return next(sec.text for sec in generate(s) if sec.key == "privacy")


@pytest.fixture
def school(sqlite_db: Database) -> SmallSchool:
    school = build_small_school(sqlite_db)
    with sqlite_db.transaction() as s:
        create_account(s, "beheerder", PASSWORD, "beheerder")
        create_account(s, "juf", PASSWORD, "leerkracht", group_ids=(school.g5,))
        create_account(s, "meester", PASSWORD, "leerkracht", group_ids=(school.g12,))
    return school


def test_privacy_part_names_the_roles_in_use(school: SmallSchool, sqlite_db: Database) -> None:
    text = privacy_text(sqlite_db)
    assert "- de beheerder: alles inzien en instellen" in text
    assert "- de leerkrachten (2): alleen het register van de eigen groep invullen" in text
    assert "geen redenen van ziekte van leerlingen uit andere groepen" in text
    assert "intern begeleider" not in text  # no such account
    with sqlite_db.transaction() as s:
        create_account(s, "ib", PASSWORD, "ib")
        update_account(s, "meester", active=False)
    text = privacy_text(sqlite_db)
    assert "- de intern begeleider: het register van alle groepen" in text
    assert "- een leerkracht: alleen het register van de eigen groep invullen" in text


def test_privacy_part_follows_lock_retention_inzage_and_storage(school: SmallSchool, sqlite_db: Database) -> None:
    text = privacy_text(sqlite_db)
    assert "Na 10 minuten zonder gebruik vergrendelt" in text and "na 5 mislukte inlogpogingen" in text
    assert "tot 5 jaar nadat de leerling de school heeft verlaten" in text
    assert "niet door de verzuimregistratie zelf versleuteld" in text  # SQLite: honest about what is not done
    with sqlite_db.session() as s:
        before = fingerprint_parts(gather_inputs(s))
    with sqlite_db.transaction() as s:
        save_security_setting(s, "vergrendelen_na_minuten", 5)
        save_policy_settings(s, {"bewaartermijn_jaren": "7", "inzage_via": "een e-mail aan privacy@school.example.nl"})
    text = privacy_text(sqlite_db)
    assert "Na 5 minuten zonder gebruik" in text and "tot 7 jaar nadat" in text
    assert "via een e-mail aan privacy@school.example.nl" in text
    with sqlite_db.session() as s:
        after = fingerprint_parts(gather_inputs(s))
    assert before["privacy"] != after["privacy"]  # the MR's version is marked out of date


@pytest.mark.skipif(os.name != "posix", reason="file modes are a Linux/macOS matter; Windows uses the folder ACL")
def test_database_file_is_private_to_the_user(tmp_path: Path) -> None:
    path = tmp_path / "school.sqlite"
    with open_database(str(path)) as db:
        build_small_school(db)
        assert (path.stat().st_mode & 0o777) == 0o600
        wal = path.with_name(path.name + "-wal")
        assert wal.exists() and (wal.stat().st_mode & 0o777) == 0o600
    os.chmod(path, 0o644)  # a file made by an older version
    with open_database(str(path), exclusive=True):
        assert (path.stat().st_mode & 0o777) == 0o600
        assert (path.with_name(path.name + ".lock").stat().st_mode & 0o777) == 0o600
