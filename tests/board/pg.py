"""Emptying the PostgreSQL test database of the board tests (every school schema, the board, public)."""

from __future__ import annotations

import sqlalchemy as sa


def reset_board_database(url: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        names = conn.execute(sa.text("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'school\\_%' "
                                     "OR nspname IN ('bestuur', 'public')")).scalars().all()
        for name in names:
            conn.exec_driver_sql(f'DROP SCHEMA "{name}" CASCADE')
        conn.exec_driver_sql("CREATE SCHEMA public")
    engine.dispose()
