"""Storing rows and the school's key/value settings, shared by every package of the model.

Every change of a setting is written to the audit trail (old → new). The recorded user name
(:func:`current_user`) lives in :mod:`verzuimdesk.model.audit` and is offered here too."""

from __future__ import annotations

import json
from typing import Any, TypeVar

from sqlmodel import Session

from verzuimdesk.model.audit import current_user
from verzuimdesk.model.errors import ValidationError
from verzuimdesk.model.tables import Setting

__all__ = ["attach", "current_user", "get_setting", "load_json_setting", "set_setting", "store_json_setting"]
T = TypeVar("T")


def get_setting(session: Session, key: str, default: str = "") -> str:
    row = session.get(Setting, key)
    return row.value if row is not None else default


def set_setting(session: Session, key: str, value: str) -> None:
    """Store a setting; a real change is written to the audit trail (old → new) by the flush."""
    row = session.get(Setting, key) or Setting(key=key, value=value)
    row.value = value
    session.add(row)
    session.flush()


def attach(session: Session, obj: T) -> T:
    """Store ``obj``: added when new or already in this session, merged when it is a detached copy of a
    stored row (e.g. edited in a dialog after its session closed)."""
    if getattr(obj, "id", None) is not None and obj not in session:
        obj = session.merge(obj)
    else:
        session.add(obj)
    session.flush()
    return obj


def load_json_setting(session: Session, key: str) -> dict[str, Any]:
    """A setting stored as a JSON object ({} when absent); a damaged value is a Dutch error."""
    text = get_setting(session, key, "")
    if not text:
        return {}
    try:
        data = json.loads(text)
    except ValueError:
        raise ValidationError(f"De instelling '{key}' is beschadigd; sla het beleid opnieuw op.") from None
    return data if isinstance(data, dict) else {}


def store_json_setting(session: Session, key: str, data: dict[str, Any]) -> None:
    set_setting(session, key, json.dumps(data, ensure_ascii=False, sort_keys=True))
