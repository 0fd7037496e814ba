"""Several schools in one PostgreSQL database: one schema per school and the board's own schema (issue 14
point 4; docs/postgresql.md §8 "Several schools of a board").

A database is a *board* (bestuur) when it has the schema ``bestuur`` with the registry of its schools. Each
school's tables live, unchanged, in its own schema ``school_<brin><vestiging>`` (lower case). Opening a school
gives an engine whose connections start with ``search_path`` set to that schema only (the libpq start-up option,
so even SQLAlchemy's first look at the server sees it): every query — the ORM's, raw SQL, Alembic's version
table — reads and writes that school and nothing else. A database without the ``bestuur`` schema is one school in
``public``, as before; a SQLite file is always one school.

This is a ground-floor module because :func:`verzuimdesk.model.db.open_database` calls it; what a board *does*
(schools, accounts, grants, the overview) is in :mod:`verzuimdesk.model.board`.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from verzuimdesk.model.errors import DatabaseError

BOARD_SCHEMA = "bestuur"
SCHOOL_ENV = "VERZUIMDESK_SCHOOL"
CODE_RE = re.compile(r"^[0-9]{2}[A-Z]{2}[0-9]{2}$")  # BRIN (2 digits, 2 letters) + vestiging (2 digits)

board_metadata = sa.MetaData(schema=BOARD_SCHEMA)
# The registry: one row per school of the board (the schema holds that school's tables).
school_table = sa.Table(
    "school", board_metadata,
    sa.Column("code", sa.String(6), primary_key=True),  # BRIN + vestiging, e.g. "12AB00"
    sa.Column("brin", sa.String(4), nullable=False),
    sa.Column("vestiging", sa.String(2), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("schema_name", sa.String(63), nullable=False, unique=True),
    sa.Column("created_at", sa.DateTime, nullable=False),
)
# Board accounts (argon2id hashes, as the school accounts); ``board_admin`` may add schools and grant access.
account_table = sa.Table(
    "account", board_metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("username", sa.String(40), nullable=False, unique=True),
    sa.Column("full_name", sa.String(200), nullable=False, server_default=""),
    sa.Column("password_hash", sa.String(300), nullable=False),
    sa.Column("board_admin", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("failed_attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("locked_until", sa.DateTime, nullable=True),
    sa.Column("created_at", sa.DateTime, nullable=False),
)
# Access: an account's role in one school ("beheerder" | "ib" | "leerkracht", or "bestuur": the overview only).
grant_table = sa.Table(
    "toegang", board_metadata,
    sa.Column("account_id", sa.Integer, sa.ForeignKey(f"{BOARD_SCHEMA}.account.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("school_code", sa.String(6), sa.ForeignKey(f"{BOARD_SCHEMA}.school.code", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("role", sa.String(20), nullable=False),
)

# The board's own logboek: who added a school or an account, who granted or revoked access (AVG art. 32: changes
# of access are traceable), hash-chained as a school's audit trail (model/board/registry.py ``write_log``). A
# school's own changes stay in that school's audit trail.
board_log_table = sa.Table(
    "logboek", board_metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.DateTime, nullable=False),
    sa.Column("by", sa.String(40), nullable=False),
    sa.Column("action", sa.String(60), nullable=False),
    sa.Column("detail", sa.String(300), nullable=False, server_default=""),
    sa.Column("prev_hash", sa.String(64), nullable=True),  # empty only before the board's upgrade chains it
    sa.Column("hash", sa.String(64), nullable=True),
)


@dataclass
class SchoolScope:
    """The school of a board that an open database is scoped to (``Database.school``)."""

    code: str
    schema: str
    name: str
    board_user: str = ""  # the board account that logged in (empty for a school's own account)


def school_code(brin: str, vestiging: str = "00") -> str:
    code = f"{brin.strip().upper()}{vestiging.strip() or '00'}"
    if not CODE_RE.match(code):
        raise DatabaseError(f"'{brin} {vestiging}' is geen geldig BRIN-nummer met vestiging (zoals 12AB 00).")
    return code


def normalise_code(code: str) -> str:
    """'12ab00', '12AB 00', '12AB-00' → '12AB00' (Dutch error when it is not BRIN + vestiging)."""
    text = re.sub(r"[\s\-_]", "", code).upper()
    if len(text) == 4:
        text += "00"
    if not CODE_RE.match(text):
        raise DatabaseError(f"'{code}' is geen school: geef het BRIN-nummer met vestiging op, zoals 12AB00.")
    return text


def schema_for(code: str) -> str:
    return f"school_{normalise_code(code).lower()}"


def split_school(url: str, school: str | None) -> tuple[str, str]:
    """The URL without a ``?school=`` parameter, and the school asked for (argument, URL, ``VERZUIMDESK_SCHOOL``)."""
    u = sa.engine.make_url(url)
    from_url = u.query.get("school")
    if from_url is not None:
        u = u.difference_update_query(["school"])
        url = u.render_as_string(hide_password=False)
    chosen = school or (from_url if isinstance(from_url, str) else "") or os.environ.get(SCHOOL_ENV, "")
    return url, chosen.strip()


def is_board(conn: sa.Connection) -> bool:
    if conn.dialect.name != "postgresql":
        return False
    return conn.exec_driver_sql("SELECT to_regclass('bestuur.school')").scalar() is not None


def registered_school(conn: sa.Connection, code: str) -> SchoolScope | None:
    row = conn.execute(sa.select(school_table.c.code, school_table.c.schema_name, school_table.c.name)
                       .where(school_table.c.code == code)).first()
    return SchoolScope(row[0], row[1], row[2]) if row else None


def school_codes(conn: sa.Connection) -> list[str]:
    return [r[0] for r in conn.execute(sa.select(school_table.c.code).order_by(school_table.c.code))]


def scoped_engine(url: str, schema: str) -> Engine:
    """An engine whose every connection sees only ``schema`` (libpq start-up option ``search_path``)."""
    if not re.match(r"^(public|school_[0-9a-z]{6})$", schema):
        raise DatabaseError(f"Ongeldige schemanaam '{schema}'.")
    # pool_pre_ping: a server connection may have died between two actions (restart, network; issue 14).
    return sa.create_engine(url, future=True, pool_pre_ping=True, connect_args={"options": f"-csearch_path={schema}"})


def open_engine(url: str, school: str) -> tuple[Engine, SchoolScope | None]:
    """The engine of the database at ``url``: scoped to ``school`` when the database is a board.

    A board opened without a school, a school that the board does not have, or a school asked of a database
    that is no board: a Dutch :class:`DatabaseError`, and nothing is opened."""
    engine = sa.create_engine(url, future=True, pool_pre_ping=sa.engine.make_url(url).get_backend_name() != "sqlite")
    if engine.dialect.name != "postgresql":
        if school:
            engine.dispose()
            raise DatabaseError("Een school kiezen kan alleen bij een PostgreSQL-database van een bestuur; "
                                "een SQLite-bestand is altijd één school.")
        return engine, None
    try:
        with engine.connect() as conn:
            board = is_board(conn)
            scope = registered_school(conn, normalise_code(school)) if board and school else None
            codes = school_codes(conn) if board else []
    except sa.exc.SQLAlchemyError:
        return engine, None  # open_database reports a connection that fails, in its own words
    if not board:
        if school:
            engine.dispose()
            raise DatabaseError(f"Deze database is geen bestuur met meerdere scholen; school {school} bestaat "
                                "hier niet. Open de database zonder school te kiezen.")
        return engine, None
    engine.dispose()
    if not school:
        raise DatabaseError("Deze database is van een bestuur met meerdere scholen. Kies een school met --school "
                            f"(of {SCHOOL_ENV}): {', '.join(codes) or 'er zijn nog geen scholen'}.")
    if scope is None:
        raise DatabaseError(f"School {normalise_code(school)} hoort niet bij dit bestuur. Scholen van het bestuur: "
                            f"{', '.join(codes) or 'nog geen'}.")
    return scoped_engine(url, scope.schema), scope
