"""The board's registry: making a board, adding a school (its schema made and migrated), board accounts and
their access per school (issue 14 point 4; docs/postgresql.md §8 "Several schools of a board").

Choices (docs/postgresql.md §8):

- A board account's password is an argon2id hash (the school accounts' hashing, ``security/passwords.py``).
- Access is per school with a role: one of the school roles (beheerder, intern begeleider, leerkracht: within
  the school the existing rules apply unchanged) or ``bestuur``: the school's figures in the board overview only,
  without opening the school (AVG art. 5 sub 1c: the board needs figures, not pupils).
- The board's first account (made with the board) is the *bestuursbeheerder*: it adds schools and grants access,
  and sees every school in the overview. It opens a school only with a grant, like everyone.
- A database whose ``public`` schema already holds a school (a single-school database from before) keeps that
  school: making the board registers it, with its own BRIN and vestiging, as the board's first school.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa

from verzuimdesk.model.audit import GENESIS, content_digest, line_hash
from verzuimdesk.model.db import Database, open_database
from verzuimdesk.model.errors import AccessDeniedError, DatabaseError, ValidationError
from verzuimdesk.model.schemas import (
    BOARD_SCHEMA,
    account_table,
    board_log_table,
    board_metadata,
    grant_table,
    is_board,
    normalise_code,
    schema_for,
    school_code,
    school_table,
)
from verzuimdesk.model.school.records import check_brin, setup_school
from verzuimdesk.model.security.passwords import check_new_password, hash_password
from verzuimdesk.model.security.roles import ROLES

BOARD_ROLE = "bestuur"  # the overview of the school only
GRANT_ROLES = (*ROLES, BOARD_ROLE)


@dataclass(frozen=True)
class BoardSchool:
    code: str
    brin: str
    vestiging: str
    name: str
    schema: str
    role: str = ""  # the account's role in the school ("" for the bestuursbeheerder without a grant)

    @property
    def may_open(self) -> bool:
        return self.role in ROLES


class Board:
    """A board database at ``url``: an engine without a school scope, for the registry only."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = sa.create_engine(url, future=True)
        if self.engine.dialect.name != "postgresql":
            self.engine.dispose()
            raise DatabaseError("Een bestuur met meerdere scholen kan alleen in een PostgreSQL-database.")

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Board:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_board(url: str) -> Board:
    """The board at ``url`` (Dutch error when the database is no board)."""
    board = Board(url)
    try:
        with board.engine.begin() as conn:
            if not is_board(conn):
                raise DatabaseError("Deze database is (nog) geen bestuur. Maak het bestuur met 'verzuimdesk bestuur "
                                    "maak'.")
            upgrade_board(conn)
    except sa.exc.SQLAlchemyError as exc:
        board.close()
        raise DatabaseError(f"De database kon niet worden geopend: {exc.__class__.__name__}.") from exc
    except BaseException:
        board.close()
        raise
    return board


BOARD_CHAIN_LOCK = 72_010_014  # pg_advisory_xact_lock key: one writer extends the board's chain at a time


def log_line_hash(prev_hash: str, at: dt.datetime, by: str, action: str, detail: str) -> str:
    """A board logboek line's hash: a school audit line's (``model/audit.py`` ``line_hash``) without a pupil, over
    the digest of its detail."""
    return line_hash(prev_hash, at, by, action, None, content_digest(detail, "", "", ""))


def write_log(conn: sa.Connection, by: str, action: str, detail: str) -> None:
    """Append a line to the board's logboek, chained onto the last one, in the caller's transaction."""
    conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({BOARD_CHAIN_LOCK})")
    prev = conn.execute(sa.select(board_log_table.c.hash).order_by(board_log_table.c.id.desc()).limit(1)).scalar()
    prev = prev or GENESIS
    at, who = dt.datetime.now(), by or "?"
    conn.execute(board_log_table.insert().values(at=at, by=who, action=action, detail=detail, prev_hash=prev,
                                                 hash=log_line_hash(prev, at, who, action, detail)))  # fmt: skip


def upgrade_board(conn: sa.Connection) -> bool:
    """Bring the ``bestuur`` schema of a board made by an earlier version up to date (its tables are made by
    :func:`create_board`, not by Alembic): the logboek gets its hash chain, and the lines already in it are chained
    in their order (they were not protected before; from now on a change of any of them shows). True when done."""
    found = conn.execute(sa.text("SELECT 1 FROM information_schema.columns WHERE table_schema = :s AND "
                                 "table_name = 'logboek' AND column_name = 'hash'"), {"s": BOARD_SCHEMA}).first()
    if found is not None:
        return False
    conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({BOARD_CHAIN_LOCK})")
    conn.exec_driver_sql(f"ALTER TABLE {BOARD_SCHEMA}.logboek ADD COLUMN IF NOT EXISTS prev_hash VARCHAR(64), "
                         "ADD COLUMN IF NOT EXISTS hash VARCHAR(64)")
    prev = GENESIS
    rows = conn.execute(sa.select(board_log_table.c.id, board_log_table.c.at, board_log_table.c.by,
                                  board_log_table.c.action, board_log_table.c.detail)
                        .order_by(board_log_table.c.id)).all()  # fmt: skip
    for row in rows:
        line = log_line_hash(prev, row.at, row.by, row.action, row.detail)
        conn.execute(board_log_table.update().where(board_log_table.c.id == row.id).values(prev_hash=prev, hash=line))
        prev = line
    return True


def board_log(board: Board) -> list[tuple[dt.datetime, str, str, str]]:
    """The board's logboek, oldest first: (when, who, what, detail)."""
    with board.engine.connect() as conn:
        rows = conn.execute(sa.select(board_log_table.c.at, board_log_table.c.by, board_log_table.c.action,
                                      board_log_table.c.detail).order_by(board_log_table.c.id))
        return [(r[0], r[1], r[2], r[3]) for r in rows]


def _check_username(username: str) -> str:
    name = username.strip().lower()
    if not name or not all(c.isalnum() or c in "._-" for c in name) or len(name) > 40:
        raise ValidationError("Een gebruikersnaam bestaat uit letters, cijfers, punt, streepje of liggend streepje.")
    return name


def create_board(url: str, username: str, password: str, *, full_name: str = "",
                 now: dt.datetime | None = None) -> list[str]:
    """Make the board in the database at ``url`` with its bestuursbeheerder; returns the schools it already has
    (a school in ``public`` is registered). One transaction: on any error nothing is made."""
    name = _check_username(username)
    check_new_password(password)
    board = Board(url)
    try:
        with board.engine.begin() as conn:
            if is_board(conn):
                raise ValidationError("Deze database is al een bestuur.")
            conn.exec_driver_sql(f"CREATE SCHEMA {BOARD_SCHEMA}")
            board_metadata.create_all(conn)
            conn.execute(account_table.insert().values(
                username=name, full_name=full_name.strip(), password_hash=hash_password(password), board_admin=True,
                active=True, failed_attempts=0, created_at=now or dt.datetime.now()))  # fmt: skip
            write_log(conn, name, "bestuur gemaakt", f"bestuursbeheerder {name}")
            adopted = _adopt_public_school(conn, now or dt.datetime.now())
            for code in adopted:
                write_log(conn, name, "school toegevoegd", f"{code} (de school die al in de database stond)")
            return adopted
    finally:
        board.close()


def _adopt_public_school(conn: sa.Connection, now: dt.datetime) -> list[str]:
    if conn.exec_driver_sql("SELECT to_regclass('public.school')").scalar() is None:
        return []
    row = conn.exec_driver_sql("SELECT name, brin, vestiging FROM public.school ORDER BY id LIMIT 1").first()
    if row is None or not row[1]:
        return []
    code = school_code(row[1], row[2] or "00")
    conn.execute(school_table.insert().values(code=code, brin=code[:4], vestiging=code[4:], name=row[0],
                                              schema_name="public", created_at=now))  # fmt: skip
    return [code]


def add_school(url: str, brin: str, vestiging: str, name: str, *, set_up: bool = True, region: str = "midden",
               sector: str = "po", now: dt.datetime | None = None, by: str = "") -> BoardSchool:
    """A new school of the board: its schema is made, registered and migrated to the program's schema; with
    ``set_up`` the school row (name, BRIN, vestiging), default reasons and the current school year are made.
    All or nothing: when any step fails the schema and the registration are removed again."""
    if not name.strip():
        raise ValidationError("Geef de naam van de school op.")
    code = school_code(check_brin(brin), vestiging)
    schema = schema_for(code)
    with open_board(url) as board:
        with board.engine.begin() as conn:
            if conn.execute(sa.select(school_table.c.code).where(school_table.c.code == code)).first():
                raise ValidationError(f"School {code} hoort al bij dit bestuur.")
            conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
            conn.execute(school_table.insert().values(code=code, brin=code[:4], vestiging=code[4:],
                                                      name=name.strip(), schema_name=schema,
                                                      created_at=now or dt.datetime.now()))  # fmt: skip
            write_log(conn, by, "school toegevoegd", f"{code} {name.strip()}")
        try:
            with open_database(url, school=code) as db:  # makes the school's tables (Alembic, in its schema)
                if set_up:
                    with db.transaction() as s:
                        school = setup_school(s, name.strip(), brin=code[:4], region=region, sector=sector)
                        school.vestiging = code[4:]
                        s.add(school)
        except BaseException:
            with board.engine.begin() as conn:
                conn.execute(school_table.delete().where(school_table.c.code == code))
                conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
                write_log(conn, by, "school weer verwijderd", f"{code}: inrichten mislukt")
            raise
    return BoardSchool(code, code[:4], code[4:], name.strip(), schema)


def create_board_account(board: Board, username: str, password: str, *, full_name: str = "",
                         board_admin: bool = False, now: dt.datetime | None = None, by: str = "") -> str:
    """A new board account; its user name. ``by`` as in :func:`grant`."""
    if by:
        require_board_admin(board, by, "bestuursaccounts maken")
    name = _check_username(username)
    check_new_password(password)
    with board.engine.begin() as conn:
        if conn.execute(sa.select(account_table.c.id).where(account_table.c.username == name)).first():
            raise ValidationError(f"De gebruikersnaam '{name}' bestaat al bij het bestuur.")
        conn.execute(account_table.insert().values(
            username=name, full_name=full_name.strip(), password_hash=hash_password(password),
            board_admin=board_admin, active=True, failed_attempts=0, created_at=now or dt.datetime.now()))  # fmt: skip
        write_log(conn, by, "account aangemaakt", name + (" (bestuursbeheerder)" if board_admin else ""))
    return name


def account_id_of(conn: sa.Connection, username: str) -> int:
    found = conn.execute(sa.select(account_table.c.id).where(account_table.c.username == username.strip().lower()))
    account_id = found.scalar()
    if account_id is None:
        raise ValidationError(f"Er is geen bestuursaccount '{username}'.")
    return int(account_id)


def is_board_admin(board: Board, username: str) -> bool:
    with board.engine.connect() as conn:
        return bool(conn.execute(sa.select(account_table.c.board_admin).where(
            account_table.c.username == username.strip().lower(), account_table.c.active == sa.true())).scalar())


def require_board_admin(board: Board, username: str, what: str = "scholen toevoegen en toegang geven") -> None:
    if not is_board_admin(board, username):
        raise AccessDeniedError(f"Alleen de bestuursbeheerder mag {what}; '{username}' is dat niet.")


def grant(board: Board, username: str, code: str, role_key: str, *, by: str = "") -> str:
    """Give ``username`` access to school ``code`` with ``role_key`` (replaces an earlier grant); the school's code.
    ``by``: the bestuursbeheerder who does it (checked; empty only for the board's own set-up and tests)."""
    if by:
        require_board_admin(board, by, "toegang geven")
    if role_key not in GRANT_ROLES:
        raise ValidationError(f"Onbekende rol '{role_key}'. Kies uit: {', '.join(GRANT_ROLES)}.")
    code = normalise_code(code)
    with board.engine.begin() as conn:
        account_id = account_id_of(conn, username)
        if not conn.execute(sa.select(school_table.c.code).where(school_table.c.code == code)).first():
            raise ValidationError(f"School {code} hoort niet bij dit bestuur.")
        conn.execute(grant_table.delete().where(grant_table.c.account_id == account_id,
                                                grant_table.c.school_code == code))
        conn.execute(grant_table.insert().values(account_id=account_id, school_code=code, role=role_key))
        figures = ", alleen cijfers" if role_key == BOARD_ROLE else ""
        write_log(conn, by, "toegang gegeven", f"{username.strip().lower()}: {code} als {role_key}{figures}")
    return code


def revoke(board: Board, username: str, code: str, *, by: str = "") -> bool:
    """Take ``username``'s access to school ``code`` away; False when there was none. ``by`` as in :func:`grant`."""
    if by:
        require_board_admin(board, by, "toegang intrekken")
    code = normalise_code(code)
    with board.engine.begin() as conn:
        account_id = account_id_of(conn, username)
        if not conn.execute(sa.select(school_table.c.code).where(school_table.c.code == code)).first():
            raise ValidationError(f"School {code} hoort niet bij dit bestuur.")
        done = conn.execute(grant_table.delete().where(grant_table.c.account_id == account_id,
                                                       grant_table.c.school_code == code))
        if done.rowcount:
            write_log(conn, by, "toegang ingetrokken", f"{username.strip().lower()}: {code}")
        return bool(done.rowcount)


def all_schools(conn: sa.Connection) -> list[BoardSchool]:
    rows = conn.execute(sa.select(school_table.c.code, school_table.c.brin, school_table.c.vestiging,
                                  school_table.c.name, school_table.c.schema_name).order_by(school_table.c.code))
    return [BoardSchool(*row) for row in rows]


def granted_schools(conn: sa.Connection, username: str) -> list[BoardSchool]:
    """The schools ``username`` sees, with the role in each: the granted ones, and for the bestuursbeheerder every
    school (role "" where there is no grant). An unknown or disabled account sees none."""
    name = username.strip().lower()
    account = conn.execute(sa.select(account_table.c.id, account_table.c.board_admin).where(
        account_table.c.username == name, account_table.c.active == sa.true())).first()  # fmt: skip
    if account is None:
        return []
    roles = dict(conn.execute(sa.select(grant_table.c.school_code, grant_table.c.role)
                              .where(grant_table.c.account_id == account[0])).all())
    return [BoardSchool(s.code, s.brin, s.vestiging, s.name, s.schema, roles.get(s.code, ""))
            for s in all_schools(conn) if account[1] or s.code in roles]


def schools_of(board: Board, username: str) -> list[BoardSchool]:
    with board.engine.connect() as conn:
        return granted_schools(conn, username)


def open_school(url: str, code: str) -> Database:
    """One school of the board, opened (scoped to its schema)."""
    return open_database(url, school=normalise_code(code))


MAX_FAILURES, LOCK_MINUTES = 5, 15  # as the school accounts' defaults (security/accounts.py)


def check_board_login(board: Board, username: str, password: str, *, now: dt.datetime | None = None) -> str:
    """A board account's log-in for the board's own commands; a wrong password counts towards a lockout
    (NIST SP 800-63B §5.2.2). Returns the user name; raises :class:`LoginError` in Dutch."""
    from verzuimdesk.model.errors import LoginError
    from verzuimdesk.model.security.accounts import WRONG, delay_after
    from verzuimdesk.model.security.passwords import verify_password

    now = now or dt.datetime.now()
    name = username.strip().lower()
    with board.engine.begin() as conn:
        account = conn.execute(sa.select(account_table).where(account_table.c.username == name)).mappings().first()
        if account is None or not account["active"]:
            raise LoginError(WRONG, delay_after(1))
        if account["locked_until"] is not None and account["locked_until"] > now:
            raise LoginError("Dit bestuursaccount is geblokkeerd na te veel mislukte pogingen; probeer het later "
                             "opnieuw.", (account["locked_until"] - now).total_seconds())
        if not verify_password(account["password_hash"], password):
            failures = account["failed_attempts"] + 1
            locked = now + dt.timedelta(minutes=LOCK_MINUTES) if failures >= MAX_FAILURES else None
            conn.execute(account_table.update().where(account_table.c.id == account["id"]).values(
                failed_attempts=0 if locked else failures, locked_until=locked))  # fmt: skip
            error = LoginError(WRONG, delay_after(failures))
        else:
            conn.execute(account_table.update().where(account_table.c.id == account["id"]).values(
                failed_attempts=0, locked_until=None))  # fmt: skip
            return name
    raise error


def is_board_url(url: str) -> bool:
    """Whether ``url`` is a PostgreSQL database of a board. False for any other database, and when the server
    cannot be reached (opening the database then says why, in Dutch)."""
    if sa.engine.make_url(url).get_backend_name() != "postgresql":
        return False
    engine = sa.create_engine(url, future=True)
    try:
        with engine.connect() as conn:
            return is_board(conn)
    except sa.exc.SQLAlchemyError:
        return False
    finally:
        engine.dispose()
