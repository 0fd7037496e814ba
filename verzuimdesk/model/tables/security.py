"""Accounts of the people who use the program (schema 0008; issue 11 point 1; docs/security.md).

A password is stored only as an argon2id hash. ``failed_attempts`` and ``locked_until`` implement the lockout
after repeated failed log-ins. A leerkracht's own groups are in :class:`UserGroup`.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime
from sqlmodel import Field, SQLModel


class UserAccount(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(index=True, unique=True)  # stored in lower case
    full_name: str = ""
    role: str  # "beheerder" | "ib" | "leerkracht" (verzuimdesk.model.security.roles.ROLES)
    password_hash: str
    active: bool = True
    failed_attempts: int = 0
    locked_until: dt.datetime | None = Field(default=None, sa_type=DateTime)
    last_login: dt.datetime | None = Field(default=None, sa_type=DateTime)
    created_at: dt.datetime = Field(sa_type=DateTime)


class UserGroup(SQLModel, table=True):
    """A group whose register a leerkracht keeps (own groups)."""

    user_id: int = Field(foreign_key="useraccount.id", primary_key=True, ondelete="CASCADE")
    group_id: int = Field(foreign_key="group.id", primary_key=True, ondelete="CASCADE")
