"""Which permission an operation needs, as data, and the one check the operation layer makes (issue 11
point 1). ``ui/context.py`` (``ctx.read``/``ctx.run``) and ``cli/main.py`` call :func:`check_operation`
before they run a model function, so a hidden button is never the only guard.

Rules are matched on the function's dotted name, the most specific prefix first; a function the table does not
know needs "overzichten" (closed by default: a leerkracht cannot reach it). Writes also need the permission of
every kind of data they change. The register permission is scoped: a leerkracht ("register_eigen") may read
and write only the groups in their own list, checked on the group or the pupils the operation names.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from sqlmodel import Session, col, or_, select

from verzuimdesk.model.actor import Actor
from verzuimdesk.model.errors import AccessDeniedError
from verzuimdesk.model.security.roles import PERMISSIONS
from verzuimdesk.model.tables import GroupMembership

REGISTER = "register"  # resolved per actor: register_lezen / register_schrijven, or register_eigen in scope
NOBODY_EXTRA = ""  # every logged-in account may
DEFAULT_PERMISSION = "overzichten"

READ_RULES: tuple[tuple[str, str], ...] = (
    ("verzuimdesk.model.register.view.call_list", "nabellen"),
    ("verzuimdesk.model.register.entries.record_call", "nabellen"),
    ("verzuimdesk.model.register.view.active_reasons", NOBODY_EXTRA),
    ("verzuimdesk.model.register.view", REGISTER),
    ("verzuimdesk.model.register.entries", REGISTER),
    ("verzuimdesk.model.register", "overzichten"),
    ("verzuimdesk.model.school", NOBODY_EXTRA),  # the school, group names, reasons and calendar
    ("verzuimdesk.model.law.dossier", "dossier"),
    ("verzuimdesk.model.law.meldingen", "meldingen"),
    ("verzuimdesk.model.law.leave", "verlof"),
    ("verzuimdesk.model.law.signals", "signalen"),
    ("verzuimdesk.model.law", "overzichten"),
    ("verzuimdesk.model.letters", "dossier"),  # letters to parents belong to the pupil's dossier
    ("verzuimdesk.model.audit", "privacy"),  # the logboek shows every change, sickness included
    ("verzuimdesk.model.backups", "instellingen"),
    ("verzuimdesk.model.store.setting_versions", "instellingen"),  # the settings screens (issue 14)
    ("verzuimdesk.model.security.accounts.set_password", NOBODY_EXTRA),  # own password only (see below)
    ("verzuimdesk.model.security.accounts.authenticate", NOBODY_EXTRA),  # the lock screen
    ("verzuimdesk.model.security.accounts.security_setting", NOBODY_EXTRA),
    ("verzuimdesk.model.security.retention", "privacy"),
    ("verzuimdesk.model.security.inzage", "privacy"),
    ("verzuimdesk.model.security", "gebruikers"),
    ("verzuimdesk.model.policy", "overzichten"),
    ("verzuimdesk.model.setup.pupils_groups.pupil_rows", "overzichten"),  # the pupil picker of dossier, overviews
    ("verzuimdesk.model.setup", "instellingen"),
    ("verzuimdesk.model.board", NOBODY_EXTRA),  # the board's functions check the board account themselves
    ("verzuimdesk.reports", "overzichten"),
)
# Kinds of change (ui/context.py) → the permission a write of that kind needs.
WRITE_KINDS: dict[str, str] = {
    "register": REGISTER, "pupils": "instellingen", "groups": "instellingen", "calendar": "instellingen",
    "settings": "instellingen", "reasons": "instellingen", "verlof": "verlof", "meldingen": "meldingen",
    "dossier": "dossier", "signals": "signalen", "accounts": "gebruikers", "privacy": "privacy",
}  # fmt: skip
# Where a register operation names its group or pupils: function name → (what, position after the session).
SCOPES: dict[str, tuple[str, int]] = {
    "load_register_day": ("group", 0), "school_day_near": ("group", 0), "mark_register_taken": ("group", 0),
    "unmark_register_taken": ("group", 0), "register_cells": ("cells", 1), "report_absence": ("pupil", 0),
    "register_lesson": ("pupil", 0), "record_call": ("pupil", 0), "restore_days": ("snapshots", 0),
    "set_register_taken": ("group", 0),
}  # fmt: skip


def operation_name(fn: Callable[..., Any]) -> str:
    return f"{getattr(fn, '__module__', '')}.{getattr(fn, '__qualname__', getattr(fn, '__name__', ''))}"


def required_permission(fn: Callable[..., Any]) -> str:
    name = operation_name(fn)
    for prefix, permission in READ_RULES:
        if name == prefix or name.startswith(prefix + "."):
            return permission
    return DEFAULT_PERMISSION


def check_operation(session: Session, actor: Actor | None, fn: Callable[..., Any], args: tuple[Any, ...],
                    kinds: Iterable[str] = (), *, write: bool = False) -> None:
    """Raise :class:`AccessDeniedError` (Dutch) when ``actor`` may not run ``fn(session, *args)``.

    ``actor`` None is internal work without a log-in (the model's own tests, the demo builder); the GUI and the
    CLI never run an operation before a log-in."""
    if actor is None or actor.role == "beheerder":
        return
    needed = {required_permission(fn)} | {WRITE_KINDS.get(k, "instellingen") for k in kinds}
    needed.discard(NOBODY_EXTRA)
    if getattr(fn, "__name__", "") == "set_password" and (not args or str(args[0]).lower() != actor.username):
        raise AccessDeniedError("U kunt alleen uw eigen wachtwoord wijzigen; de beheerder stelt dat van een ander in.")
    for permission in sorted(needed):
        if permission == REGISTER:
            _check_register(session, actor, fn, args, write)
        elif not actor.may(permission):
            raise AccessDeniedError(f"Uw account ({actor.username}, {_role_label(actor)}) mag dit niet: "
                                    f"{PERMISSIONS.get(permission, permission)}. Vraag het de beheerder.")


def _role_label(actor: Actor) -> str:
    from verzuimdesk.model.security.roles import ROLES

    return ROLES[actor.role].label if actor.role in ROLES else actor.role


def _check_register(session: Session, actor: Actor, fn: Callable[..., Any], args: tuple[Any, ...],
                    write: bool) -> None:
    if actor.may("register_schrijven" if write else "register_lezen"):
        return
    if actor.may("nabellen") and required_permission(fn) == "nabellen":
        return
    if not actor.may("register_eigen"):
        what = "invullen" if write else "inzien"
        raise AccessDeniedError(f"Uw account ({actor.username}, {_role_label(actor)}) mag het register niet {what}.")
    groups = _groups_named(session, getattr(fn, "__name__", ""), args)
    if groups is None:
        raise AccessDeniedError("Dit deel van het register is alleen voor de beheerder.")
    outside = groups - actor.group_ids
    if outside or not groups:
        raise AccessDeniedError("U kunt alleen het register van uw eigen groep(en) inzien en invullen. "
                                "Vraag de beheerder om u aan deze groep te koppelen.")


def _groups_named(session: Session, name: str, args: tuple[Any, ...]) -> set[int] | None:
    """The groups an operation touches (None when the operation does not say, so it is refused)."""
    if name not in SCOPES:
        return None
    what, position = SCOPES[name]
    if len(args) <= position:
        return None
    value = args[position]
    if what == "group":
        return {int(value)} if value is not None else set()
    if what == "pupil":
        day = next((a for a in args[position + 1:] if isinstance(a, dt.date)), dt.date.today())
        return _groups_of(session, [int(value)], day)
    if what == "cells":
        day = args[0] if isinstance(args[0], dt.date) else dt.date.today()
        return _groups_of(session, sorted({int(pid) for pid, _lesson in value}), day)
    pupils_days = [(s.pupil_id, s.date) for s in value]  # snapshots
    out: set[int] = set()
    for pid, day in pupils_days:
        out |= _groups_of(session, [pid], day)
    return out


def _groups_of(session: Session, pupil_ids: list[int], day: dt.date) -> set[int]:
    """The groups the pupils are in on ``day``; a pupil in no group counts as outside every group (-1)."""
    rows = session.exec(select(GroupMembership.pupil_id, GroupMembership.group_id).where(
        col(GroupMembership.pupil_id).in_(pupil_ids), GroupMembership.date_from <= day,
        or_(col(GroupMembership.date_to).is_(None), col(GroupMembership.date_to) >= day),
    )).all()  # fmt: skip
    found = {gid for _pid, gid in rows}
    if {pid for pid, _gid in rows} != set(pupil_ids):
        found.add(-1)
    return found
