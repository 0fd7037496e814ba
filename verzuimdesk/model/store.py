"""Storing rows and the school's key/value settings, shared by every package of the model.

Every change of a setting is written to the audit trail (old → new). The recorded user name
(:func:`current_user`) lives in :mod:`verzuimdesk.model.audit` and is offered here too."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from sqlmodel import Session, col, select

from verzuimdesk.model.audit import current_user
from verzuimdesk.model.concurrency import check_version, lock_name
from verzuimdesk.model.errors import ValidationError
from verzuimdesk.model.tables import Setting

__all__ = ["attach", "check_settings", "current_user", "get_setting", "load_json_setting", "set_setting",
           "setting_versions", "store_json_setting"]
T = TypeVar("T")


def get_setting(session: Session, key: str, default: str = "") -> str:
    row = session.get(Setting, key)
    return row.value if row is not None else default


def setting_versions(session: Session, keys: Iterable[str]) -> dict[str, int]:
    """The versions of settings as a screen loads them (0 = not stored yet), to be handed back on saving."""
    keys = list(keys)
    stored = {r.key: r.version for r in session.exec(select(Setting).where(col(Setting.key).in_(keys))).all()}
    return {key: stored.get(key, 0) for key in keys}


def check_settings(session: Session, versions: Mapping[str, int] | None, attempted: Mapping[str, str]) -> None:
    """Refuse (:class:`~verzuimdesk.model.errors.ConflictError`) when one of the settings changed since the screen
    loaded ``versions``; ``attempted`` (key → the user's value) is listed in the message's dialog."""
    if versions is None:
        return
    shown = tuple(f"{key}: {value}" for key, value in attempted.items())
    for key, version in sorted(versions.items()):
        lock_name(session, f"setting:{key}")
        check_version(session, Setting, key, version, f"De instelling '{key}'", shown)


def set_setting(session: Session, key: str, value: str, *, expected_version: int | None = None) -> None:
    """Store a setting; a real change is written to the audit trail (old → new) by the flush. With
    ``expected_version`` (0 = the screen saw no value) a setting changed by someone else meanwhile is refused."""
    if expected_version is not None:
        check_settings(session, {key: expected_version}, {key: value})
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


def store_json_setting(session: Session, key: str, data: dict[str, Any], *, expected_version: int | None = None) -> None:
    set_setting(session, key, json.dumps(data, ensure_ascii=False, sort_keys=True), expected_version=expected_version)
