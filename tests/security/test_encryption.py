"""Encryption at rest (issue 11 point 2): the file, its WAL and its backups hold no readable personal data; only a
password's key slot or the herstelcode opens it; account changes keep the slots right; a plain database is
converted on request (and a failed conversion leaves it as it was); the CLI verbs; the schoolgids says the truth."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest
from sqlmodel import col, select

from tests.builders import build_small_school
from tests.security.conftest import copy_of
from verzuimdesk.cli.main import main
from verzuimdesk.demo.accounts import DEMO_PASSWORD
from verzuimdesk.model.backups import check_file, make_backup
from verzuimdesk.model.db import Database, KeyRequiredError, open_database, restore_database, sqlite_path
from verzuimdesk.model.errors import DatabaseDamagedError, DatabaseError, LoginError, ValidationError
from verzuimdesk.model.keyfile import (
    is_encrypted,
    keyfile_path,
    load_slots,
    new_key,
    slot_users,
    unlock_with_code,
    unlock_with_password,
)
from verzuimdesk.model.security import encryption
from verzuimdesk.model.security.accounts import (
    actor_for,
    authenticate,
    create_account,
    get_account,
    set_password,
    update_account,  # fmt: skip
)
from verzuimdesk.model.security.encryption import encrypt_database, encryption_state, reset_password_with_code
from verzuimdesk.model.security.privacy import privacy_facts
from verzuimdesk.model.store import get_setting, set_setting
from verzuimdesk.model.tables import AuditLog, Pupil, Reason

PASSWORD = "geheim-genoeg"


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def identifiers(db: Database) -> list[bytes]:
    """BSNs, surnames and reason texts of the demo school: what a stolen file must not show."""
    with db.session() as s:
        pupils = s.exec(select(Pupil).where(col(Pupil.bsn) != "").order_by(col(Pupil.id))).all()
        reasons = s.exec(select(Reason).where(col(Reason.is_sickness) == True)).all()  # noqa: E712
        found = [p.bsn for p in pupils[:5]] + [p.achternaam for p in pupils[:5] if len(p.achternaam) >= 6][:3]
        found += [r.name for r in reasons if len(r.name) >= 4][:2]
    assert len(found) >= 8
    return [x.encode() for x in found]


def open_as(path: Path, name: str = "beheerder", password: str = DEMO_PASSWORD) -> Database:
    db = open_database(str(path), key=unlock_with_password(path, name, password))
    with db.transaction() as s:
        db.actor = authenticate(s, name, password).actor
    assert db.actor is not None
    return db


def test_raw_bytes_wal_and_backup_hold_no_identifiers(encrypted_demo: tuple[Path, str], demo_db: Database,
                                                      tmp_path: Path) -> None:  # fmt: skip
    plain_file = sqlite_path(demo_db.url)
    assert plain_file is not None
    secrets_ = identifiers(demo_db)
    plain = plain_file.read_bytes()
    assert all(x in plain for x in secrets_)  # control: the same school in a plain file shows them all
    path = copy_of(encrypted_demo[0], tmp_path)
    db = open_as(path)
    assert identifiers(db) == secrets_  # the same demo school
    assert not any(x in path.read_bytes() for x in secrets_)
    with db.transaction() as s:  # a write goes to the WAL first: it must be encrypted too
        pupil = s.exec(select(Pupil).where(col(Pupil.bsn) != "").order_by(col(Pupil.id))).first()
        assert pupil is not None
        pupil.address = "Geheimstraat 12345"
        s.add(pupil)
    wal = path.with_name(path.name + "-wal").read_bytes()
    assert len(wal) > 0
    assert b"Geheimstraat 12345" not in wal and not any(x in wal for x in secrets_)
    backup = make_backup(path, "handmatig")
    data = backup.read_bytes()
    assert is_encrypted(backup) and not any(x in data for x in secrets_ + [b"Geheimstraat 12345"])
    assert b"Geheimstraat 12345" not in keyfile_path(path).read_bytes()
    db.close()
    assert not any(x in path.read_bytes() for x in secrets_)


def test_without_key_wrong_password_or_code_dutch_message_and_nothing_changes(
        encrypted_demo: tuple[Path, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    path = copy_of(encrypted_demo[0], tmp_path)
    before = (sha(path), sha(keyfile_path(path)))
    with pytest.raises(KeyRequiredError, match="versleuteld. Log in"):
        open_database(str(path))
    with pytest.raises(LoginError, match="Onbekende gebruikersnaam of verkeerd wachtwoord"):
        unlock_with_password(path, "beheerder", "verkeerd-wachtwoord")
    with pytest.raises(LoginError, match="Onbekende gebruikersnaam"):
        unlock_with_password(path, "niemand", DEMO_PASSWORD)
    with pytest.raises(LoginError, match="herstelcode past niet"):
        unlock_with_code(path, "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH")
    with pytest.raises(ValidationError, match="32 tekens"):
        unlock_with_code(path, "1234")
    with pytest.raises(DatabaseDamagedError, match="beschadigd"):
        open_database(str(path), key=new_key())  # a key that is not this file's (a key file of another database)
    monkeypatch.setattr("verzuimdesk.cli.login.time.sleep", lambda _s: None)
    monkeypatch.setenv("VERZUIMDESK_WACHTWOORD", "verkeerd-wachtwoord")
    assert main(["--database", str(path), "info"]) == 2
    err = capsys.readouterr().err
    assert "Fout: Onbekende gebruikersnaam of verkeerd wachtwoord." in err and "Traceback" not in err
    assert (sha(path), sha(keyfile_path(path))) == before
    keyfile_path(path).unlink()  # without its key file the file is unreadable: said so, not a traceback
    with pytest.raises(DatabaseDamagedError, match="beschadigd"):
        open_database(str(path))
    assert sha(path) == before[0]
    other = tmp_path / "geen-database.sqlite"  # not a database at all, next to a key file
    other.write_bytes(b"dit is een tekstbestand en geen database" * 200)
    shutil.copy2(keyfile_path(encrypted_demo[0]), keyfile_path(other))
    key = unlock_with_password(other, "beheerder", DEMO_PASSWORD)
    with pytest.raises(DatabaseDamagedError, match="beschadigd"):
        open_database(str(other), key=key)
    assert other.read_bytes() == b"dit is een tekstbestand en geen database" * 200


def test_every_account_opens_it_and_account_changes_keep_the_slots_right(encrypted_demo: tuple[Path, str],
                                                                         tmp_path: Path) -> None:  # fmt: skip
    path = copy_of(encrypted_demo[0], tmp_path)
    assert slot_users(path) == ["beheerder", "ib", "leerkracht"]
    assert [s["soort"] for s in load_slots(path)].count("herstelcode") == 1
    assert "inrichting" not in [s["soort"] for s in load_slots(path)]  # the clear set-up key is gone
    for name in ("ib", "leerkracht"):
        open_as(path, name).close()
    db = open_as(path)
    with db.transaction() as s:
        create_account(s, "conciërge", PASSWORD, "ib")
        set_password(s, "ib", "ander-wachtwoord")
        update_account(s, "leerkracht", active=False)
    assert slot_users(path) == ["beheerder", "conciërge", "ib"]
    assert unlock_with_password(path, "ib", "ander-wachtwoord") == db.key
    with pytest.raises(LoginError):
        unlock_with_password(path, "ib", DEMO_PASSWORD)  # the old password opens nothing any more
    with pytest.raises(LoginError):
        unlock_with_password(path, "leerkracht", DEMO_PASSWORD)  # deactivated: no slot
    with pytest.raises(RuntimeError):  # a transaction that fails writes no slot
        with db.transaction() as s:
            create_account(s, "tijdelijk", PASSWORD, "ib")
            raise RuntimeError("mislukt")
    assert slot_users(path) == ["beheerder", "conciërge", "ib"]
    before = sha(keyfile_path(path))
    with pytest.raises(ValidationError):
        with db.transaction() as s:
            set_password(s, "ib", "kort")  # refused: the old slot stays as it was
    assert sha(keyfile_path(path)) == before
    db.close()
    open_as(path, "conciërge", PASSWORD).close()


def test_herstelcode_sets_a_new_password_audited(encrypted_demo: tuple[Path, str], tmp_path: Path) -> None:
    path = copy_of(encrypted_demo[0], tmp_path)
    code = encrypted_demo[1]
    with pytest.raises(ValidationError, match="geen actief account"):
        reset_password_with_code(str(path), code, "onbekend", "nieuw-wachtwoord")
    db = reset_password_with_code(str(path), code.lower().replace("-", " "), "beheerder", "nieuw-wachtwoord")
    assert db.actor is not None and db.actor.username == "beheerder"
    with db.session() as s:
        actions = [a.action for a in s.exec(select(AuditLog).order_by(col(AuditLog.id))).all()]
    assert "wachtwoord hersteld met herstelcode" in actions[-3:] and "wachtwoord gewijzigd" in actions[-3:]
    db.close()
    open_as(path, "beheerder", "nieuw-wachtwoord").close()
    with pytest.raises(LoginError):
        unlock_with_password(path, "beheerder", DEMO_PASSWORD)
    assert unlock_with_code(path, code) is not None  # the herstelcode keeps working


@pytest.fixture
def plain_school(tmp_path: Path) -> Path:
    path = tmp_path / "school.sqlite"
    db = open_database(str(path), encrypt=False)
    build_small_school(db)
    with db.transaction() as s:
        create_account(s, "beheerder", PASSWORD, "beheerder")
        create_account(s, "ib", PASSWORD, "ib")
        set_setting(s, "proef", "oud")
    db.close()
    return path


def logged_in_plain(path: Path) -> Database:
    db = open_database(str(path), exclusive=True)
    with db.session() as s:
        account = get_account(s, "beheerder")
        assert account is not None
        db.actor = actor_for(s, account)  # no log-in write: the file's bytes stay as they are
    return db


def counts(db: Database) -> dict[str, int]:
    with db.engine.connect() as conn:
        return encryption._counts(conn.connection.driver_connection)


def test_conversion_plain_to_encrypted(plain_school: Path) -> None:
    old_backup = make_backup(plain_school, "handmatig")
    assert not is_encrypted(old_backup)
    db = logged_in_plain(plain_school)
    before = counts(db)
    assert encryption_state(db).label == "NIET versleuteld"
    with pytest.raises(LoginError):
        encrypt_database(db, "verkeerd-wachtwoord")
    result = encrypt_database(db, PASSWORD)
    new = result.db
    assert counts(new) == {**before, "auditlog": before["auditlog"] + 1} and is_encrypted(plain_school)
    assert encryption_state(new).encrypted and encryption_state(new).slot_users == ("beheerder",)
    assert result.without_slot == ["ib"]
    assert sorted(p.name for p in plain_school.parent.iterdir()) == [
        "school-reservekopieen", "school.sqlite", "school.sqlite-shm", "school.sqlite-wal", "school.sqlite.lock",
        "school.sqlite.sleutels"]
    assert (result.encrypted_backups, result.plain_backups) == (1, 0)  # the older backup is encrypted as well
    assert is_encrypted(old_backup) and check_file(old_backup, new.key) == "ok" and keyfile_path(old_backup).exists()
    assert sorted(p.name for p in old_backup.parent.iterdir()) == [old_backup.name, keyfile_path(old_backup).name]
    with new.session() as s:
        assert get_setting(s, "proef", "") == "oud"
        last = s.exec(select(AuditLog).order_by(col(AuditLog.id).desc())).first()
        assert last is not None and last.action == "database versleuteld" and last.by == "beheerder"
        assert privacy_facts(s).encryption == "bestand"
    new.close()
    with pytest.raises(KeyRequiredError):
        open_database(str(plain_school))
    open_as(plain_school, "beheerder", PASSWORD).close()
    assert unlock_with_code(plain_school, result.code)


@pytest.mark.parametrize("where", ["export", "reopen"])
def test_failed_conversion_leaves_the_plain_file_byte_identical(plain_school: Path, where: str,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    db = logged_in_plain(plain_school)
    before = sha(plain_school)
    if where == "export":  # the copy does not count the same: thrown away before anything is swapped
        real = encryption._counts
        calls: list[int] = []

        def wrong(con: object, schema: str = "main") -> dict[str, int]:
            calls.append(1)
            out = real(con, schema)
            return {**out, "pupil": out["pupil"] - 1} if len(calls) == 2 else out

        monkeypatch.setattr(encryption, "_counts", wrong)
    else:  # the files were swapped, then the encrypted file does not open: everything goes back
        real_open = encryption.open_database

        def failing(url: str, **kw: object) -> Database:
            if kw.get("key") is not None:
                raise DatabaseError("kapot")
            return real_open(url, **kw)  # type: ignore[arg-type]

        monkeypatch.setattr(encryption, "open_database", failing)
    with pytest.raises(DatabaseError, match="De database is niet gewijzigd|teruggezet zoals hij was"):
        encrypt_database(db, PASSWORD)
    with db.session() as s:  # the caller's database still works
        assert get_setting(s, "proef", "") == "oud"
    db.close()
    assert sha(plain_school) == before and not is_encrypted(plain_school)
    assert not keyfile_path(plain_school).exists()
    assert [p.name for p in plain_school.parent.iterdir() if "versleuteld" in p.name] == []


def test_backup_and_restore_of_an_encrypted_database(encrypted_demo: tuple[Path, str], tmp_path: Path) -> None:
    path = copy_of(encrypted_demo[0], tmp_path)
    db = open_as(path)
    key = db.key
    assert key is not None
    backup = make_backup(path, "handmatig")
    assert keyfile_path(backup).exists() and (keyfile_path(backup).stat().st_mode & 0o777) == 0o600
    assert check_file(backup, key) == "ok"
    assert "versleuteld" in check_file(backup)  # without the key it cannot be checked, and says why
    with db.transaction() as s:
        set_setting(s, "proef", "na de reservekopie")
    db.close()
    with pytest.raises(DatabaseError, match="niet goed"):
        restore_database(path, backup)  # no key: refused, nothing changed
    kept = restore_database(path, backup, key=key)
    assert kept is not None and is_encrypted(kept) and check_file(kept, key) == "ok"
    db = open_as(path)
    with db.session() as s:
        assert get_setting(s, "proef", "") == ""
    db.close()


def test_cli_demo_versleutel_herstelcode_backup_and_herstel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture[str],
                                                           plain_school: Path) -> None:  # fmt: skip
    monkeypatch.setattr("verzuimdesk.cli.login.time.sleep", lambda _s: None)
    monkeypatch.setenv("VERZUIMDESK_WACHTWOORD", PASSWORD)
    school = str(plain_school)
    assert main(["--database", school, "--gebruiker", "ib", "versleutel"]) == 1  # beheerder only
    assert "mag 'verzuimdesk versleutel' niet" in capsys.readouterr().err
    assert main(["--database", school, "versleutel"]) == 0
    out = capsys.readouterr()
    code = re.search(r"([A-Z2-9]{4}(?:-[A-Z2-9]{4}){7})", out.err)
    assert code and "HERSTELCODE" in out.err and "ib" in out.err
    assert is_encrypted(plain_school)
    assert main(["--database", school, "info"]) == 0
    assert "Versleuteling: versleuteld (SQLCipher, AES-256)" in capsys.readouterr().out
    assert main(["--database", school, "versleutel"]) == 1
    assert "al versleuteld" in capsys.readouterr().err
    assert main(["--database", school, "backup"]) == 0
    backup = Path(capsys.readouterr().out.strip().split(": ", 1)[1])
    assert is_encrypted(backup)
    assert main(["--database", school, "herstel", str(backup)]) == 0
    capsys.readouterr()
    monkeypatch.setenv("VERZUIMDESK_HERSTELCODE", "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH")
    before = sha(plain_school)
    assert main(["--database", school, "--gebruiker", "beheerder", "herstelcode"]) == 2
    assert "herstelcode past niet" in capsys.readouterr().err and sha(plain_school) == before
    monkeypatch.setenv("VERZUIMDESK_HERSTELCODE", code.group(1))
    monkeypatch.setenv("VERZUIMDESK_WACHTWOORD", "nieuw-wachtwoord")
    assert main(["--database", school, "--gebruiker", "beheerder", "herstelcode"]) == 0
    assert "opnieuw ingesteld" in capsys.readouterr().out
    assert main(["--database", school, "info"]) == 0
    # a new demo database through the CLI is encrypted, with the three demo accounts and a printed herstelcode
    monkeypatch.delenv("VERZUIMDESK_VERSLEUTELEN")
    monkeypatch.setenv("VERZUIMDESK_WACHTWOORD", DEMO_PASSWORD)
    demo = tmp_path / "nieuw" / "demo.sqlite"
    assert main(["--database", str(demo), "demo", "--vandaag", "2025-11-21"]) == 0
    assert "Herstelcode van de demoschool" in capsys.readouterr().err
    assert is_encrypted(demo) and slot_users(demo) == ["beheerder", "ib", "leerkracht"]
    assert main(["--database", str(demo), "--gebruiker", "leerkracht", "info"]) == 0


def test_new_database_cli_first_beheerder_gets_slot_and_code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                            capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    monkeypatch.delenv("VERZUIMDESK_VERSLEUTELEN")
    monkeypatch.setenv("VERZUIMDESK_WACHTWOORD", PASSWORD)
    path = tmp_path / "nieuw.sqlite"
    assert main(["--database", str(path), "info"]) == 0  # first command: the beheerder, the key, the herstelcode
    err = capsys.readouterr().err
    assert "HERSTELCODE" in err and is_encrypted(path) and slot_users(path) == ["beheerder"]
    assert [s["soort"] for s in load_slots(path)] == ["wachtwoord", "herstelcode"]
    with open_as(path, "beheerder", PASSWORD) as db, db.session() as s:
        assert privacy_facts(s).encryption == "bestand"


def test_schoolgids_and_upgrade_backup_follow_the_encrypted_file(encrypted_demo: tuple[Path, str], demo_db: Database,
                                                                 tmp_path: Path) -> None:  # fmt: skip
    from alembic import command

    from verzuimdesk.model.db import _alembic_config, head_revision, known_revisions
    from verzuimdesk.model.policy.text import generate

    with demo_db.session() as s:  # control: the plain demo file
        plain_text = next(sec.text for sec in generate(s) if sec.key == "privacy")
    assert "niet door de verzuimregistratie zelf versleuteld" in plain_text
    path = copy_of(encrypted_demo[0], tmp_path)
    db = open_as(path)
    with db.session() as s:
        text = next(sec.text for sec in generate(s) if sec.key == "privacy")
    assert "De verzuimregistratie versleutelt dit bestand en de reservekopieën" in text
    assert "niet door de verzuimregistratie zelf versleuteld" not in text
    with db.engine.connect() as conn:  # one schema version back, to see the upgrade's own backup
        command.downgrade(_alembic_config(None, conn), known_revisions()[-2])
        conn.commit()
    key = db.key
    db.close()
    upgraded = open_database(str(path), key=key)
    assert upgraded.backup_path is not None and "voor-upgrade" in upgraded.backup_path.name
    assert is_encrypted(upgraded.backup_path) and check_file(upgraded.backup_path, key) == "ok"
    with upgraded.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == head_revision()
    upgraded.close()


def test_the_encrypted_demo_says_so_in_its_key_file_and_keeps_the_mark(encrypted_demo: tuple[Path, str],
                                                                        tmp_path: Path) -> None:
    """The log-in of the encrypted demo shows the demo accounts before the file is open (ui/app.py): the key file
    carries the mark, it survives a rewrite of the slots, and a school's own file has none."""
    from verzuimdesk.model.keyfile import is_demo, load_slots, save_slots

    path = copy_of(encrypted_demo[0], tmp_path)
    assert is_demo(path)
    save_slots(path, load_slots(path))  # e.g. a password change rewrites the slots
    assert is_demo(path) and open_as(path) is not None
    school = tmp_path / "school" / "school.sqlite"
    school.parent.mkdir()
    db = open_database(str(school), encrypt=True)
    db.close()
    assert not is_demo(school)
