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
    restore_slots,
)
from verzuimdesk.model.concurrency import begin_write, translated_errors
from verzuimdesk.model.errors import (
    DatabaseDamagedError,
    DatabaseError,
    DatabaseInUseError,
    SchemaTooNewError,
)
from verzuimdesk.model.keyfile import (
    encrypt_new_files,
    forget_key,
    is_encrypted,
    key_for,
    key_pragma,
    keyfile_path,
    new_key,
    remember_key,
    save_slots,
    setup_key,
    setup_slot,
)
from verzuimdesk.model.schemas import SchoolScope, open_engine, split_school

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

    def __init__(self, url: str, engine: Engine, lock: _InstanceLock | None, key: bytes | None = None) -> None:
        self.url = url
        self.engine = engine
        self._lock = lock
        self.key = key  # the data key of an encrypted SQLite file (model/keyfile.py), else None
        self.backup_path: Path | None = None
        self.actor: Actor | None = None  # the logged-in user, carried by every session (model/actor.py)
        self.school: SchoolScope | None = None  # the school of a board this database is scoped to (schemas.py)

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
        db_file = sqlite_path(self.url)
        if self.key is not None and db_file is not None:
            forget_key(db_file)
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
    cur.execute("PRAGMA secure_delete=ON")  # removed rows are overwritten, not left in free pages (AVG purge)
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


def open_database(url: str | None = None, *, exclusive: bool = False, upgrade: bool = True, key: bytes | None = None,
                  encrypt: bool | None = None, school: str | None = None) -> Database:
    """Open (and create or upgrade) the database at ``url``.

    ``school`` (or ``?school=`` in the URL, or ``VERZUIMDESK_SCHOOL``): BRIN + vestiging of one school of a
    board on PostgreSQL; the database is then scoped to that school's schema (model/schemas.py).

    ``exclusive`` takes an instance lock for a SQLite file (the GUI does); a second holder is refused
    with :class:`DatabaseInUseError`. A database whose schema is newer than this program knows is
    refused with :class:`SchemaTooNewError`.

    Encryption (issue 11 point 2, model/keyfile.py): a new SQLite file is encrypted unless ``encrypt`` is False (or
    the environment says ``VERZUIMDESK_VERSLEUTELEN=nee``: tests and experts only); its key starts in the
    ``inrichting`` slot until the first account has one. An encrypted file needs ``key`` (from
    :func:`~verzuimdesk.model.keyfile.unlock_with_password` or ``unlock_with_code``), else :class:`KeyRequiredError`.
    A plain file opens as before (``key`` is then not used).
    """
    url, school = split_school(normalise_url(url) if url else default_url(), school)
    db_file = sqlite_path(url)
    lock: _InstanceLock | None = None
    cipher = False
    if db_file is not None:
        db_file.parent.mkdir(parents=True, exist_ok=True)
        if db_file.exists() and db_file.stat().st_size == 0:
            raise _damaged(db_file, "het bestand is leeg (0 bytes)")
        key, cipher = _key_for_opening(db_file, key, encrypt)
        make_private(db_file)
        if exclusive:
            lock = _InstanceLock(db_file)
            lock.acquire()
    try:
        if cipher and db_file is not None and key is not None:
            if school:
                raise DatabaseError("Een school kiezen kan alleen bij een PostgreSQL-database van een bestuur; "
                                    "een SQLite-bestand is altijd één school.")
            engine, scope = _cipher_engine(url, key), None
            remember_key(db_file, key, engine)  # backups and checks of this file use it (model/backups.py)
        else:
            engine, scope = open_engine(url, school)
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
        db = Database(url, engine, lock, key if cipher else None)
        db.school = scope
        _check_and_upgrade(db, db_file, upgrade)
        return db
    except BaseException:
        if cipher and db_file is not None:
            forget_key(db_file)
        if lock is not None:
            lock.release()
        raise


class KeyRequiredError(DatabaseError):
    """An encrypted file was opened without its key (log in first); nothing was read or changed."""


def _key_for_opening(db_file: Path, key: bytes | None, encrypt: bool | None) -> tuple[bytes | None, bool]:
    """(the key, whether to open with SQLCipher) for ``db_file``; a new file gets a key and its set-up slot."""
    if not db_file.exists():
        if encrypt if encrypt is not None else encrypt_new_files():
            key = key or new_key()
            save_slots(db_file, [setup_slot(key)])
            return key, True
        return None, False
    if not is_encrypted(db_file):
        return None, False
    if key is None and keyfile_path(db_file).exists():
        key = setup_key(db_file)
        if key is None:
            raise KeyRequiredError(f"De database {db_file.name} is versleuteld. Log in met uw gebruikersnaam en "
                                   "wachtwoord (of gebruik de herstelcode) om hem te openen; er is niets gewijzigd.")
    return key, key is not None  # no key file at all: opened as it is, so a file that is no database says so


def _cipher_engine(url: str, key: bytes) -> Engine:
    """An engine over SQLCipher (the ``sqlcipher3`` module of sqlcipher3-wheels): every connection gives the raw key
    first, before anything reads the file."""
    import sqlcipher3.dbapi2 as cipher

    plan = sa.create_engine(url, module=cipher)
    cargs, cparams = plan.dialect.create_connect_args(plan.url)
    plan.dispose()

    def connect() -> Any:
        conn = cipher.connect(*cargs, **cparams)  # type: ignore[arg-type]  # the args pysqlite itself would use
        conn.execute("PRAGMA cipher_log_level = NONE")  # a wrong key is our Dutch message, not a line on stderr
        conn.execute(key_pragma(key))
        return conn

    return sa.create_engine(url, future=True, module=cipher, creator=connect)


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


def restore_database(db_file: Path, source: Path, *, key: bytes | None = None) -> Path | None:
    """Put the backup ``source`` in place of ``db_file`` (issue 10 §7). The file must not be open in another
    program. What it replaces is kept first as a ``voor-herstel`` backup (returned; None when there was
    nothing to keep). A damaged current file is kept as it is, byte for byte.

    An encrypted backup is checked and copied with ``key`` (the database's data key, which never changes); the key
    slots that were saved with it (``<backup>.sleutels``) come back with it, so the accounts and their slots match."""
    source = Path(source).resolve()
    db_file = db_file.resolve()
    had_key = key_for(db_file)
    key = key or had_key
    if key is not None:
        remember_key(db_file, key)
    try:
        verdict = check_file(source, key)
        if verdict != "ok":
            raise DatabaseError(f"De reservekopie {source} is niet goed ({verdict}); er is niets teruggezet.")
        lock = _InstanceLock(db_file)
        lock.acquire()
        try:
            kept = _keep_current(db_file)
            tmp = db_file.with_name(db_file.name + ".herstel.tmp")
            copy_database(source, tmp, key)
            for suffix in ("-wal", "-shm"):  # the old file's journal must never be applied to the restored one
                db_file.with_name(db_file.name + suffix).unlink(missing_ok=True)
            restore_slots(source, db_file)
            os.replace(tmp, db_file)
            if sys.platform != "win32":
                fd = os.open(db_file.parent, os.O_RDONLY)
                os.fsync(fd)
                os.close(fd)
            return kept
        finally:
            lock.release()
    finally:
        if had_key is None:
            forget_key(db_file)


def _keep_current(db_file: Path) -> Path | None:
    if not db_file.exists() or db_file.stat().st_size == 0:
        return None
    if check_file(db_file, key_for(db_file)) == "ok":
        return make_backup(db_file, "voor-herstel")
    import shutil  # a damaged file is kept byte for byte, with its journal, for the supplier to look at

    folder = db_file.parent / f"{db_file.stem}-reservekopieen"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{db_file.stem}-{dt.datetime.now():%Y%m%d-%H%M%S-%f}-beschadigd.sqlite"
    shutil.copy2(db_file, target)
    for suffix in ("-wal", "-shm", ".sleutels"):
        extra = db_file.with_name(db_file.name + suffix)
        if extra.exists():
            shutil.copy2(extra, target.with_name(target.name + suffix))
    return target


def files_dir(db: Database) -> Path:
    """Where the program keeps files that belong to the school's data (e.g. the logo): next to a SQLite
    file, else in the user data directory (for a school of a board: in a folder named after its code)."""
    db_file = sqlite_path(db.url)
    folder = db_file.parent if db_file is not None else default_data_dir()
    if db.school is not None:  # each school of a board keeps its own files
        folder = folder / db.school.code
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def select_columns(*columns: Any) -> Select[*tuple[Any, ...]]:
    """``select(a, b, c, d, e, ...)`` for five or more columns.

    :func:`sqlmodel.select` has typed overloads for at most four entities; at run time it builds this
    same :class:`~sqlmodel.sql.expression.Select` for any number of them. Rows come back as tuples.
    """
    return Select(*columns)


def fetch_tuples(session: Session, statement: Any) -> list[tuple[Any, ...]]:
    """The rows of a Core ``select`` of plain columns as tuples: for the few reads of tens of thousands of
    rows (the absence entries of a school year for the figures and signals).

    Speed: on SQLite the statement, compiled for the session's dialect, runs on the session's own DBAPI
    cursor (same connection, same transaction), without SQLAlchemy's Row objects and result processors,
    which cost more than SQLite's reading itself. Date columns therefore come back as ISO text there; pass
    them through :class:`IsoDates`. Other databases execute the statement as usual (their drivers give
    dates)."""
    conn = session.connection()
    if conn.dialect.name != "sqlite":
        return [tuple(row) for row in conn.execute(statement).fetchall()]
    compiled = statement.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
    params = compiled.construct_params()
    values = [_sqlite_param(params[name]) for name in compiled.positiontup or ()]
    cursor = conn.connection.cursor()
    try:
        cursor.execute(str(compiled), values)
        return list(cursor.fetchall())
    finally:
        cursor.close()


def _sqlite_param(value: Any) -> Any:
    """A bound value as SQLAlchemy's SQLite dialect stores it (dates as ISO text)."""
    if isinstance(value, dt.datetime):
        return value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


class IsoDates(dict[Any, dt.date]):
    """A date column value of :func:`fetch_tuples` → ``datetime.date`` (ISO text on SQLite, a date
    elsewhere), each distinct value converted once."""

    def __missing__(self, value: Any) -> dt.date:
        day = dt.date.fromisoformat(value) if isinstance(value, str) else value
        self[value] = day
        return day
