"""Encryption at rest as the user sees it (issue 11 point 2; docs/security.md "Encryption at rest"): opening an
encrypted file with a log-in or the herstelcode, the state for the status line and the schoolgids, and converting a
plain database on request. The key slots themselves are in model/keyfile.py (ground floor).

Conversion (the beheerder, with their own password): SQLCipher's ``sqlcipher_export()`` copies the plain file into a
new encrypted file; that file is opened with the new key and compared with the plain one (rows per table, ``PRAGMA
integrity_check``); only then are the files swapped. The plain file is kept under a clear name
(``<naam>.onversleuteld-wordt-verwijderd.sqlite``, 0600) until the encrypted file has been opened by the program
again and counted once more; then it is overwritten with zeros and removed. Any failure before that leaves the plain
database as it was and says so in Dutch. Only the converting beheerder gets a slot (the program does not know the
other passwords): other active accounts open the file again after the beheerder gives them a new password. The
existing backups are encrypted the same way afterwards, each one checked before its plain file is overwritten.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from verzuimdesk.model.audit import audit
from verzuimdesk.model.backups import connect, list_backups
from verzuimdesk.model.db import Database, default_url, normalise_url, open_database, sqlite_path
from verzuimdesk.model.errors import DatabaseError, LoginError, ValidationError
from verzuimdesk.model.keyfile import (
    WRONG_PASSWORD,
    is_encrypted,
    keyfile_path,
    load_slots,
    new_key,
    new_recovery_code,
    save_slots,
    setup_key,
    unlock_with_code,
    wrap,
)
from verzuimdesk.model.security.accounts import actor_for, get_account, set_password
from verzuimdesk.model.security.passwords import verify_password
from verzuimdesk.model.tables.security import UserAccount

PLAIN_COPY = "onversleuteld-wordt-verwijderd"


@dataclass(frozen=True)
class EncryptionState:
    """Whether the data are encrypted, and by whom: ``"sqlcipher"`` (this program), ``"geen"``, ``"server"``."""

    kind: str
    slot_users: tuple[str, ...] = ()

    @property
    def encrypted(self) -> bool:
        return self.kind == "sqlcipher"

    @property
    def label(self) -> str:
        if self.kind == "server":
            return "database op een server: de versleuteling is de taak van de serverbeheerder"
        if self.kind == "sqlcipher":
            return "versleuteld (SQLCipher, AES-256)"
        return "NIET versleuteld"


def encryption_state(db: Database) -> EncryptionState:
    db_file = sqlite_path(db.url)
    if db.engine.dialect.name != "sqlite":
        return EncryptionState("server")
    if db_file is None or db.key is None or not is_encrypted(db_file):
        return EncryptionState("geen")
    users = sorted({str(s["gebruiker"]) for s in load_slots(db_file) if s.get("soort") == "wachtwoord"})
    return EncryptionState("sqlcipher", tuple(users))


def login_needed(url: str | None) -> Path | None:
    """The SQLite file of ``url`` when it is encrypted and past its set-up: it opens only after a log-in."""
    db_file = sqlite_path(normalise_url(url) if url else default_url())
    if db_file is None or not is_encrypted(db_file) or not keyfile_path(db_file).exists():
        return None
    return None if setup_key(db_file) is not None else db_file


def session_encryption(session: Session) -> str:
    """The kind of :class:`EncryptionState` for the database of ``session`` (the schoolgids asks through this)."""
    bind = session.get_bind()
    if bind.dialect.name != "sqlite":
        return "server"
    from verzuimdesk.model.keyfile import _ENGINES, key_for  # the engines opened with a key in this process

    engine = bind if isinstance(bind, sa.Engine) else bind.engine
    db_file = _ENGINES.get(engine)
    return "sqlcipher" if db_file is not None and key_for(db_file) is not None and is_encrypted(db_file) else "geen"


# ------------------------------------------------------------------------------------------ herstelcode


def reset_password_with_code(url: str, code: str, username: str, new_password: str, *,
                             exclusive: bool = False) -> Database:
    """The lost-password route: the herstelcode opens the file, ``username`` gets ``new_password`` (audited) and a
    new slot. Returns the open database with that user logged in. A wrong code changes nothing."""
    url = normalise_url(url)
    db_file = sqlite_path(url)
    if db_file is None or not is_encrypted(db_file):
        raise ValidationError("Deze database is niet versleuteld en heeft dus geen herstelcode. Zie 'Wachtwoord kwijt' "
                              "in de handleiding (docs/security.md).")  # fmt: skip
    key = unlock_with_code(db_file, code)
    db = open_database(url, exclusive=exclusive, key=key)
    try:
        with db.session() as s:
            account = get_account(s, username)
            if account is None or not account.active:
                raise ValidationError(f"Er is geen actief account '{username.strip()}'. Er is niets gewijzigd.")
            db.actor = actor_for(s, account)
        with db.transaction() as s:
            set_password(s, username, new_password)
            audit(s, "wachtwoord hersteld met herstelcode", username.strip().lower())
        return db
    except BaseException:
        db.actor = None
        db.close()
        raise


def new_code_for(db: Database) -> str:
    """A new herstelcode for an open encrypted database (the old one stops working); shown once."""
    db_file = sqlite_path(db.url)
    if db_file is None or db.key is None:
        raise ValidationError("Deze database is niet versleuteld; er is geen herstelcode.")
    code = new_recovery_code()
    slots = [s for s in load_slots(db_file) if s.get("soort") != "herstelcode"] + [wrap(db.key, code, "herstelcode")]
    save_slots(db_file, slots)
    with db.transaction() as s:
        audit(s, "nieuwe herstelcode gemaakt", "de vorige herstelcode werkt niet meer")
    return code


# ------------------------------------------------------------------------------------------ conversion


@dataclass
class Conversion:
    db: Database
    code: str
    without_slot: list[str] = field(default_factory=list)
    plain_backups: int = 0  # backups that could not be encrypted (they stay plain)
    encrypted_backups: int = 0


def _counts(con: Any, schema: str = "main") -> dict[str, int]:
    tables = [r[0] for r in con.execute(f"SELECT name FROM {schema}.sqlite_master WHERE type='table' "
                                        "AND name NOT LIKE 'sqlite_%' ORDER BY name")]  # fmt: skip
    return {t: int(con.execute(f'SELECT count(*) FROM {schema}."{t}"').fetchone()[0]) for t in tables}


def export_encrypted(plain: Path, target: Path, key: bytes) -> dict[str, int]:
    """``sqlcipher_export()`` of the plain file into a new encrypted ``target`` (0600), then checked: opened with
    ``key``, the same rows per table, ``integrity_check`` ok. Returns the counts; raises DatabaseError in Dutch."""
    import sqlcipher3.dbapi2 as cipher

    target.unlink(missing_ok=True)
    os.close(os.open(target, os.O_CREAT | os.O_WRONLY, 0o600))
    try:
        src = cipher.connect(str(plain))
        try:
            before = _counts(src)
            version = src.execute("PRAGMA user_version").fetchone()[0]
            src.execute(f"ATTACH DATABASE ? AS versleuteld KEY \"x'{key.hex()}'\"", (str(target),))
            src.execute("SELECT sqlcipher_export('versleuteld')")
            src.execute(f"PRAGMA versleuteld.user_version = {int(version)}")
            src.execute("DETACH DATABASE versleuteld")
        finally:
            src.close()
        check = connect(target, key)
        try:
            after = _counts(check)
            verdict = check.execute("PRAGMA integrity_check").fetchall()
        finally:
            check.close()
    except (cipher.Error, OSError) as exc:
        target.unlink(missing_ok=True)
        raise DatabaseError(f"Het versleutelen is mislukt ({exc}). De database is niet gewijzigd.") from exc
    if after != before or verdict != [("ok",)]:
        target.unlink(missing_ok=True)
        raise DatabaseError("Het versleutelde bestand kwam niet overeen met het origineel (aantallen of controle); "
                            "het is weggegooid. De database is niet gewijzigd.")  # fmt: skip
    return after


def shred(path: Path) -> None:
    """Overwrite with zeros, flush, remove (on an SSD or a copy-on-write disk old blocks may survive: docs)."""
    if not path.exists():
        return
    size = path.stat().st_size
    with open(path, "r+b") as fh:
        chunk = b"\0" * 65536
        for _ in range(0, size, len(chunk)):
            fh.write(chunk)
        fh.flush()
        os.fsync(fh.fileno())
    path.unlink()


def encrypt_database(db: Database, password: str, *, exclusive: bool = True) -> Conversion:
    """Convert the open plain database of the logged-in beheerder (module docstring). ``db`` is closed on success
    and the returned :class:`Conversion` carries the reopened, encrypted database; on failure ``db`` stays usable."""
    db_file = sqlite_path(db.url)
    actor = db.actor
    if db_file is None:
        raise ValidationError("Een database op een server versleutelt de server zelf (zie de handleiding); "
                              "verzuimdesk versleutelt alleen een databasebestand.")  # fmt: skip
    if db.key is not None or is_encrypted(db_file):
        raise ValidationError("Deze database is al versleuteld.")
    if actor is None or actor.role != "beheerder":
        raise ValidationError("Alleen een beheerder kan de database versleutelen.")
    with db.session() as s:
        account = get_account(s, actor.username)
        if account is None or not verify_password(account.password_hash, password):
            raise LoginError(WRONG_PASSWORD, 1.0)
        others = sorted(a.username for a in s.exec(select(UserAccount).where(UserAccount.active == True)).all()  # noqa: E712
                        if a.username != actor.username)  # fmt: skip
    key, code = new_key(), new_recovery_code()
    tmp = db_file.with_name(db_file.name + ".versleuteld.tmp")
    sidecar = keyfile_path(db_file)
    old_sidecar = sidecar.read_bytes() if sidecar.exists() else None
    counts = export_encrypted(db_file, tmp, key)
    plain_copy = db_file.with_name(f"{db_file.stem}.{PLAIN_COPY}{db_file.suffix}")
    moved = closed = False
    try:
        save_slots(db_file, [wrap(key, password, "wachtwoord", actor.username), wrap(key, code, "herstelcode")])
        db.close()
        closed = True
        os.replace(db_file, plain_copy)
        moved = True
        for suffix in ("-wal", "-shm"):
            extra = db_file.with_name(db_file.name + suffix)
            if extra.exists():
                os.replace(extra, plain_copy.with_name(plain_copy.name + suffix))
        os.replace(tmp, db_file)
        new_db = open_database(db.url, exclusive=exclusive, key=key)
        with new_db.engine.connect() as conn:
            reopened = _counts(conn.connection.driver_connection)
        if reopened != counts:
            new_db.close()
            raise DatabaseError("Het versleutelde bestand telde na het openen andere aantallen.")
    except (OSError, DatabaseError) as exc:
        _undo(db_file, plain_copy if moved else None, tmp, sidecar, old_sidecar)
        if closed:  # the caller's database object works as before, on the plain file
            reopened_db = open_database(db.url, exclusive=exclusive)
            db.engine, db._lock = reopened_db.engine, reopened_db._lock
        raise DatabaseError(f"Het versleutelen is mislukt ({exc}). De onversleutelde database is teruggezet zoals "
                            "hij was.") from exc  # fmt: skip
    for suffix in ("", "-wal", "-shm"):
        shred(plain_copy.with_name(plain_copy.name + suffix))
    new_db.actor = actor
    with new_db.transaction() as s:
        audit(s, "database versleuteld", f"SQLCipher; sleutel voor {actor.username} en de herstelcode")
    converted, plain = _encrypt_backups(db_file, key)
    return Conversion(new_db, code, others, plain, converted)


def _encrypt_backups(db_file: Path, key: bytes) -> tuple[int, int]:
    """The plain backups of ``db_file`` encrypted the same way, one by one (each checked before its plain file is
    overwritten and removed); one that fails stays as it was. Returns (encrypted, still plain)."""
    done = left = 0
    slots = keyfile_path(db_file)
    for backup in list_backups(db_file):
        if is_encrypted(backup.path):
            continue
        tmp = backup.path.with_name(backup.path.name + ".versleuteld.tmp")
        try:
            export_encrypted(backup.path, tmp, key)
            plain_copy = backup.path.with_name(backup.path.name + ".onversleuteld")
            os.replace(backup.path, plain_copy)
            os.replace(tmp, backup.path)
            keyfile_path(backup.path).write_bytes(slots.read_bytes())
            os.chmod(keyfile_path(backup.path), 0o600)
            shred(plain_copy)
            done += 1
        except (DatabaseError, OSError):
            tmp.unlink(missing_ok=True)
            left += 1
    return done, left


def _undo(db_file: Path, plain_copy: Path | None, tmp: Path, sidecar: Path, old_sidecar: bytes | None) -> None:
    if plain_copy is not None and plain_copy.exists():
        if db_file.exists() and is_encrypted(db_file):
            db_file.unlink()
        for suffix in ("-wal", "-shm"):
            db_file.with_name(db_file.name + suffix).unlink(missing_ok=True)
            extra = plain_copy.with_name(plain_copy.name + suffix)
            if extra.exists():
                os.replace(extra, db_file.with_name(db_file.name + suffix))
        os.replace(plain_copy, db_file)
    tmp.unlink(missing_ok=True)
    if old_sidecar is None:
        sidecar.unlink(missing_ok=True)
    else:
        sidecar.write_bytes(old_sidecar)

