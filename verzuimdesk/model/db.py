"""The one door to the database: :func:`open_database` (architecture.md §1–2).

Used by the GUI, the CLI and every test. Default: a SQLite file in the user data directory; any
SQLAlchemy URL (PostgreSQL included) can be given with ``--database`` or ``VERZUIMDESK_DATABASE``.
The schema is versioned with Alembic; a database made by a newer program is refused, and a SQLite
file is copied to a backup before it is upgraded.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session
from sqlmodel.sql.expression import Select

from verzuimdesk.model.actor import SESSION_KEY, Actor
from verzuimdesk.model.errors import DatabaseError, DatabaseInUseError, SchemaTooNewError

ENV_VAR = "VERZUIMDESK_DATABASE"
MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def default_data_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("verzuimdesk", appauthor=False))


def default_url() -> str:
    """The database URL in force: the environment variable, else the file in the user data dir."""
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        return normalise_url(env)
    return "sqlite:///" + str(default_data_dir() / "verzuimdesk.sqlite")


def normalise_url(url_or_path: str) -> str:
    """Accept a SQLAlchemy URL or a plain file path (taken as a SQLite file)."""
    if "://" in url_or_path:
        return url_or_path
    return "sqlite:///" + str(Path(url_or_path).expanduser().resolve())


def sqlite_path(url: str) -> Path | None:
    u = sa.engine.make_url(url)
    if u.get_backend_name() != "sqlite" or not u.database or u.database == ":memory:":
        return None
    return Path(u.database)


PRIVATE_FILE, PRIVATE_DIR = 0o600, 0o700
_COMPANIONS = ("-wal", "-shm", ".lock")


def make_private(db_file: Path) -> None:
    """The database file (created empty when new), its WAL/SHM/lock files and the program's own data folder
    readable by the user only (issue 11 point 2; AVG art. 32). On Linux/macOS: 0600 files and a 0700 data
    folder; a folder the user chose is left as it is. On Windows the default folder (%LOCALAPPDATA%) already
    has a per-user ACL; docs/security.md says what to do for another folder."""
    if os.name != "posix":
        return
    if db_file.parent == default_data_dir():
        os.chmod(db_file.parent, PRIVATE_DIR)
    if not db_file.exists():
        os.close(os.open(db_file, os.O_CREAT | os.O_WRONLY, PRIVATE_FILE))
    for path in [db_file, *(db_file.with_name(db_file.name + s) for s in _COMPANIONS)]:
        if path.exists() and (path.stat().st_mode & 0o777) != PRIVATE_FILE:
            os.chmod(path, PRIVATE_FILE)


class _InstanceLock:
    """An OS file lock next to a SQLite file, so that a second program instance is refused."""

    def __init__(self, db_file: Path) -> None:
        self.path = db_file.with_name(db_file.name + ".lock")
        self._fh: IO[str] | None = None

    def acquire(self) -> None:
        fh = open(os.open(self.path, os.O_CREAT | os.O_RDWR, PRIVATE_FILE), "a+")
        try:
            if sys.platform == "win32":
                import msvcrt

                fh.seek(0)
                msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            fh.close()
            raise DatabaseInUseError(
                f"De database {self.path.with_suffix('').name} is al geopend in een ander venster of op "
                "een andere computer. Sluit verzuimdesk daar eerst af en probeer het opnieuw."
            ) from None
        self._fh = fh

    def release(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None


def _alembic_config(engine: Engine | None, connection: sa.Connection | None = None) -> Any:
    from alembic.config import Config  # Alembic (with Mako) is imported only when it is needed

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["connection"] = connection
    return cfg


class Database:
    """An open database: an engine plus the way to run one user action as one transaction."""

    def __init__(self, url: str, engine: Engine, lock: _InstanceLock | None) -> None:
        self.url = url
        self.engine = engine
        self._lock = lock
        self.backup_path: Path | None = None
        self.actor: Actor | None = None  # the logged-in user, carried by every session (model/actor.py)

    def new_session(self) -> Session:
        """A session that carries the logged-in user (the caller closes it)."""
        return Session(self.engine, expire_on_commit=False, info={SESSION_KEY: self.actor})

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A read session; nothing it does is committed."""
        with self.new_session() as s:
            yield s

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One user action: committed as a whole on success, rolled back as a whole on any error."""
        with self.new_session() as s:
            with s.begin():
                yield s

    def close(self) -> None:
        self.engine.dispose()
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def _set_sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.close()


def current_revision(engine: Engine) -> str | None:
    """The schema version stored in the database (None for an empty database)."""
    if not sa.inspect(engine).has_table("alembic_version"):
        return None
    with engine.connect() as conn:
        return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


def known_revisions() -> list[str]:
    """Revision ids of the migrations this program ships, oldest first.

    Convention: each migration file is named ``NNNN_description.py`` with revision id ``NNNN`` and revises
    the one before it, so the order of the names is the order of the ladder (checked by a test)."""
    return sorted(p.name.split("_", 1)[0] for p in (MIGRATIONS_DIR / "versions").glob("[0-9][0-9][0-9][0-9]_*.py"))


def head_revision() -> str:
    return known_revisions()[-1]


def open_database(url: str | None = None, *, exclusive: bool = False, upgrade: bool = True) -> Database:
    """Open (and create or upgrade) the database at ``url``.

    ``exclusive`` takes an instance lock for a SQLite file (the GUI does); a second holder is refused
    with :class:`DatabaseInUseError`. A database whose schema is newer than this program knows is
    refused with :class:`SchemaTooNewError`.
    """
    url = normalise_url(url) if url else default_url()
    db_file = sqlite_path(url)
    lock: _InstanceLock | None = None
    if db_file is not None:
        db_file.parent.mkdir(parents=True, exist_ok=True)
        make_private(db_file)
        if exclusive:
            lock = _InstanceLock(db_file)
            lock.acquire()
    try:
        engine = sa.create_engine(url, future=True)
        if engine.dialect.name == "sqlite":
            sa.event.listen(engine, "connect", _set_sqlite_pragmas)
        try:
            with engine.connect():
                pass
        except sa.exc.SQLAlchemyError as exc:
            raise DatabaseError(
                f"De database kon niet worden geopend ({url_for_display(url)}): {exc.__class__.__name__}. "
                "Controleer het adres en of u er rechten op hebt."
            ) from exc
        db = Database(url, engine, lock)
        _check_and_upgrade(db, db_file, upgrade)
        return db
    except BaseException:
        if lock is not None:
            lock.release()
        raise


def url_for_display(url: str) -> str:
    return sa.engine.make_url(url).render_as_string(hide_password=True)


def _check_and_upgrade(db: Database, db_file: Path | None, upgrade: bool) -> None:
    head = head_revision()
    current = current_revision(db.engine)
    if current == head:
        return  # the everyday case: no Alembic import at all
    if current is not None and current not in known_revisions():
        raise SchemaTooNewError(
            "Deze database is gemaakt of bijgewerkt door een nieuwere versie van verzuimdesk "
            f"(schemaversie {current}). Installeer de nieuwste versie van verzuimdesk om hem te openen; "
            "er is niets gewijzigd."
        )
    if not upgrade:
        raise DatabaseError("Deze database moet worden bijgewerkt naar een nieuwere schemaversie.")
    if current is not None and db_file is not None and db_file.exists():
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        backup = db_file.with_name(f"{db_file.stem}.voor-{head}-{stamp}{db_file.suffix}")
        with db.engine.connect() as conn:  # fold the WAL into the main file before copying
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        shutil.copy2(db_file, backup)
        db.backup_path = backup
    from alembic import command

    sqlite = db.engine.dialect.name == "sqlite"
    with db.engine.connect() as conn:
        if sqlite:
            # SQLite migrations rebuild tables (batch mode); with enforced foreign keys dropping a referenced
            # table fails. Checks are off during the upgrade and the whole database is verified before commit.
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            conn.commit()
        try:
            with conn.begin():
                command.upgrade(_alembic_config(db.engine, conn), "head")
                if sqlite and conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall():
                    raise DatabaseError(
                        "Het bijwerken van de database is afgebroken: de gegevens verwijzen niet meer naar "
                        "elkaar zoals het hoort. Er is niets gewijzigd; neem contact op met de leverancier."
                    )
        finally:
            if sqlite:
                conn.exec_driver_sql("PRAGMA foreign_keys=ON")
                conn.commit()


def files_dir(db: Database) -> Path:
    """Where the program keeps files that belong to the school's data (e.g. the logo): next to a SQLite
    file, else in the user data directory."""
    db_file = sqlite_path(db.url)
    folder = db_file.parent if db_file is not None else default_data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def select_columns(*columns: Any) -> Select[*tuple[Any, ...]]:
    """``select(a, b, c, d, e, ...)`` for five or more columns.

    :func:`sqlmodel.select` has typed overloads for at most four entities; at run time it builds this
    same :class:`~sqlmodel.sql.expression.Select` for any number of them. Rows come back as tuples.
    """
    return Select(*columns)
