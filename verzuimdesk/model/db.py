"""The one door to the database: :func:`open_database` (architecture.md §1–2).

Why this file is long: opening a database is one sequence (file checks, the single-writer lock, the engine,
the schema check and the upgrade with its backup) whose steps share the file's state; backups are in backups.py.

Used by the GUI, the CLI and every test. Default: a SQLite file in the user data directory; any
SQLAlchemy URL (PostgreSQL included) can be given with ``--database`` or ``VERZUIMDESK_DATABASE``.
The schema is versioned with Alembic; a database made by a newer program is refused, and a SQLite
file is copied to a backup before it is upgraded (issue 10 §6–8, docs/reliability.md):

- an upgrade on SQLite is one transaction (an explicit ``BEGIN IMMEDIATE``: Python's sqlite3 would
  otherwise commit every DDL statement on its own), so a failure or a SIGKILL leaves the old schema;
  the error names the backup made just before;
- on opening, ``PRAGMA quick_check`` runs; a damaged or empty (0-byte) file is never written to: it is
  refused with :class:`DatabaseDamagedError`, which names the newest good backup;
- every connection runs with ``synchronous=FULL`` (WAL): a confirmed commit is on disk;
- the instance lock is taken on the resolved file (a symlink leads to the same lock) and, on POSIX, on
  the database file itself with ``flock`` (a hard link is the same inode, so the same lock);
- several PCs on one database (issue 14): a write transaction begins with ``BEGIN IMMEDIATE`` on SQLite,
  PostgreSQL runs at READ COMMITTED with row versions, a server connection is pinged before use, and library
  errors of lost connections and stale rows become Dutch errors (model/concurrency.py, docs/postgresql.md).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session
from sqlmodel.sql.expression import Select

import verzuimdesk.model.audit  # noqa: F401  (registers the audit trail on every session's flush)
from verzuimdesk.model.actor import SESSION_KEY, Actor
from verzuimdesk.model.backups import (
    PRIVATE_DIR,
    PRIVATE_FILE,
    check_file,
    copy_database,
    make_backup,
    newest_good_backup,
)
from verzuimdesk.model.concurrency import begin_write, translated_errors
from verzuimdesk.model.errors import (
    DatabaseDamagedError,
    DatabaseError,
    DatabaseInUseError,
    SchemaTooNewError,
)

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
    """An OS lock so that a second program instance (or a writing verb) is refused while one has the file.

    Taken on a lock file next to the *resolved* database file (a symlink under another name finds the same
    lock) and, on POSIX, with ``flock`` on the database file itself (a hard link is the same inode). flock
    does not interact with SQLite's own POSIX byte-range locks."""

    def __init__(self, db_file: Path) -> None:
        self.db_file = db_file.resolve()
        self.path = self.db_file.with_name(self.db_file.name + ".lock")
        self._handles: list[IO[str]] = []

    def acquire(self) -> None:
        targets = [self.path] + ([self.db_file] if sys.platform != "win32" and self.db_file.exists() else [])
        for target in targets:
            # The lock file is created private to the user (issue 11); the database file is only locked.
            fh = open(os.open(target, os.O_CREAT | os.O_RDWR, PRIVATE_FILE), "a+") if target == self.path \
                else open(target, "a+")
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
                self.release()
                raise DatabaseInUseError(
                    f"De database {self.db_file.name} is al geopend in een ander venster of op een andere "
                    "computer. Sluit verzuimdesk daar eerst af en probeer het opnieuw. Opdrachten die alleen "
                    "lezen (zoals 'verzuimdesk figures') werken wel."
                ) from None
            self._handles.append(fh)

    def release(self) -> None:
        for fh in self._handles:
            fh.close()
        self._handles = []


def database_in_use(db_file: Path) -> bool:
    """Whether another program instance holds the lock of ``db_file`` (without keeping it)."""
    lock = _InstanceLock(db_file)
    try:
        lock.acquire()
    except DatabaseInUseError:
        return True
    lock.release()
    return False


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
        with translated_errors(), self.new_session() as s:
            yield s

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One user action: committed as a whole on success, rolled back as a whole on any error. A lost
        connection, a busy database or a row changed by another PC is a Dutch error (model/concurrency.py)."""
        with translated_errors(), self.new_session() as s:
            with s.begin():
                begin_write(s)
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
    cur.execute("PRAGMA synchronous=FULL")  # a confirmed registration survives a power cut
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
        if db_file.exists() and db_file.stat().st_size == 0:
            raise _damaged(db_file, "het bestand is leeg (0 bytes)")
        make_private(db_file)
        if exclusive:
            lock = _InstanceLock(db_file)
            lock.acquire()
    try:
        # A server connection may have died between two actions (restart, network): test it before use (issue 14).
        engine = sa.create_engine(url, future=True, pool_pre_ping=sa.engine.make_url(url).get_backend_name() != "sqlite")
        if engine.dialect.name == "sqlite":
            sa.event.listen(engine, "connect", _set_sqlite_pragmas)
        try:
            with engine.connect() as conn:
                if db_file is not None and db_file.exists():
                    result = conn.exec_driver_sql("PRAGMA quick_check").fetchall()
                    if [tuple(r) for r in result] != [("ok",)]:
                        engine.dispose()
                        raise _damaged(db_file, "; ".join(str(r[0]) for r in result[:3]))
        except sa.exc.DatabaseError as exc:
            engine.dispose()
            if db_file is not None and db_file.exists():
                raise _damaged(db_file, str(exc.orig) if exc.orig else exc.__class__.__name__) from exc
            raise DatabaseError(
                f"De database kon niet worden geopend ({url_for_display(url)}): {exc.__class__.__name__}. "
                "Controleer het adres en of u er rechten op hebt."
            ) from exc
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


def _begin_immediate(conn: sa.Connection) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def _damaged(db_file: Path, what: str) -> DatabaseDamagedError:
    """The Dutch refusal of a damaged file, naming the newest good backup (nothing is written)."""
    good = newest_good_backup(db_file)
    offer = (f"De nieuwste goede reservekopie is {good}. Zet die terug met 'verzuimdesk herstel {good}' of "
             "via het venster dat verzuimdesk nu toont." if good else
             "Er is geen goede reservekopie gevonden; neem contact op met de leverancier.")  # fmt: skip
    return DatabaseDamagedError(
        f"De database {db_file} is beschadigd ({what}). verzuimdesk schrijft er niets in en vervangt hem "
        f"niet zonder uw toestemming. {offer}",
        db_file=db_file, backup=good,
    )


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
        db.backup_path = make_backup(db_file, "voor-upgrade")
    from alembic import command

    sqlite = db.engine.dialect.name == "sqlite"
    try:
        with db.engine.connect() as conn:
            if sqlite:
                # SQLite migrations rebuild tables (batch mode); with enforced foreign keys dropping a referenced
                # table fails. Checks are off during the upgrade and the whole database is verified before
                # commit. Python's sqlite3 commits DDL on its own unless we open the transaction ourselves.
                conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
                conn.commit()
                raw = conn.connection.driver_connection
                assert raw is not None
                legacy = raw.isolation_level
                raw.isolation_level = None  # the driver begins nothing itself; the listener below does
                begin = _begin_immediate
                sa.event.listen(conn, "begin", begin)
                try:
                    with conn.begin():
                        command.upgrade(_alembic_config(db.engine, conn), "head")
                        if conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall():
                            raise DatabaseError(
                                "Het bijwerken van de database is afgebroken: de gegevens verwijzen niet meer "
                                "naar elkaar zoals het hoort. Er is niets gewijzigd; neem contact op met de "
                                "leverancier."
                            )
                finally:
                    sa.event.remove(conn, "begin", begin)
                    raw.isolation_level = legacy
                    conn.exec_driver_sql("PRAGMA foreign_keys=ON")
                    conn.commit()
            else:
                with conn.begin():
                    command.upgrade(_alembic_config(db.engine, conn), "head")
    except Exception as exc:
        where = (f" Er is vooraf een reservekopie gemaakt: {db.backup_path}." if db.backup_path else "")
        if isinstance(exc, DatabaseError):
            raise DatabaseError(f"{exc}{where}") from exc
        raise DatabaseError(
            f"Het bijwerken van de database naar schemaversie {head} is mislukt ({exc.__class__.__name__}: "
            f"{exc}). De database is teruggezet zoals hij was.{where}"
        ) from exc


def restore_database(db_file: Path, source: Path) -> Path | None:
    """Put the backup ``source`` in place of ``db_file`` (issue 10 §7). The file must not be open in another
    program. What it replaces is kept first as a ``voor-herstel`` backup (returned; None when there was
    nothing to keep). A damaged current file is kept as it is, byte for byte."""
    source = Path(source).resolve()
    verdict = check_file(source)
    if verdict != "ok":
        raise DatabaseError(f"De reservekopie {source} is niet goed ({verdict}); er is niets teruggezet.")
    db_file = db_file.resolve()
    lock = _InstanceLock(db_file)
    lock.acquire()
    try:
        kept = _keep_current(db_file)
        tmp = db_file.with_name(db_file.name + ".herstel.tmp")
        copy_database(source, tmp)
        for suffix in ("-wal", "-shm"):  # the old file's journal must never be applied to the restored one
            db_file.with_name(db_file.name + suffix).unlink(missing_ok=True)
        os.replace(tmp, db_file)
        if sys.platform != "win32":
            fd = os.open(db_file.parent, os.O_RDONLY)
            os.fsync(fd)
            os.close(fd)
        return kept
    finally:
        lock.release()


def _keep_current(db_file: Path) -> Path | None:
    if not db_file.exists() or db_file.stat().st_size == 0:
        return None
    if check_file(db_file) == "ok":
        return make_backup(db_file, "voor-herstel")
    import shutil  # a damaged file is kept byte for byte, with its journal, for the supplier to look at

    folder = db_file.parent / f"{db_file.stem}-reservekopieen"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{db_file.stem}-{dt.datetime.now():%Y%m%d-%H%M%S-%f}-beschadigd.sqlite"
    shutil.copy2(db_file, target)
    for suffix in ("-wal", "-shm"):
        extra = db_file.with_name(db_file.name + suffix)
        if extra.exists():
            shutil.copy2(extra, target.with_name(target.name + suffix))
    return target


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
