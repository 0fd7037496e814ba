"""Who is acting: the logged-in user that every session of an open database carries (issue 11 point 1).

A bottom room next to ``store`` and ``audit``: the audit trail records ``Actor.username`` (via
:func:`verzuimdesk.model.store.current_user`), and the operation layer (``ui/context.py``, ``cli/main.py``)
checks ``Actor.permissions`` before it runs a model function (:mod:`verzuimdesk.model.security.operations`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session

SESSION_KEY = "actor"


@dataclass(frozen=True)
class Actor:
    username: str
    role: str
    permissions: frozenset[str]
    group_ids: frozenset[int] = field(default_factory=frozenset)  # a leerkracht's own groups
    full_name: str = ""

    def may(self, permission: str) -> bool:
        return permission in self.permissions


def actor_of(session: Session) -> Actor | None:
    """The user the session acts for; None in internal work (building the demo, tests of the model)."""
    actor = session.info.get(SESSION_KEY)
    return actor if isinstance(actor, Actor) else None
