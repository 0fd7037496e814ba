"""Storing rows and the school's key/value settings, shared by every package of the model.

The recorded user name (:func:`current_user`) lives here too: the logged-in user the session carries
(:mod:`verzuimdesk.model.actor`), else the setting "gebruiker"."""

from __future__ import annotations

import getpass
import json
from typing import Any, TypeVar

from sqlmodel import Session

from verzuimdesk.model.actor import actor_of
from verzuimdesk.model.errors import ValidationError
from verzuimdesk.model.tables import Setting

T = TypeVar("T")


def current_user(session: Session | None = None) -> str:
    """The name recorded with every action: the logged-in user, else the setting "gebruiker", else the OS
    login name (internal work without a login, such as building the demo school)."""
    if session is not None:
        actor = actor_of(session)
        if actor is not None:
            return actor.username
        name = get_setting(session, "gebruiker", "")
        if name:
            return name
    try:
        return getpass.getuser()
    except Exception:  # pragma: no cover - no login name on some systems
        return "beheerder"


def get_setting(session: Session, key: str, default: str = "") -> str:
    row = session.get(Setting, key)
    return row.value if row is not None else default


def set_setting(session: Session, key: str, value: str) -> None:
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
