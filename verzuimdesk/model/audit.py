"""The audit trail: who did what, when (architecture.md §13)."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session

from verzuimdesk.model.store import current_user
from verzuimdesk.model.tables import AuditLog


def audit(session: Session, action: str, detail: str = "", *, by: str | None = None) -> None:
    session.add(AuditLog(at=dt.datetime.now(), by=by or current_user(session), action=action, detail=detail))
