"""The bridge between widgets and the model: operations run as one transaction, then announce changes.

Widgets never open sessions themselves for writing: they call :meth:`AppContext.run` with a model
operation (a function taking a session first). On success the context emits ``changed`` with the kinds
of data that changed, and every screen that shows such data refreshes (architecture.md §3, after Anki's
``CollectionOp``/``OpChanges``). A domain error is shown as a Dutch message and nothing is written.

Several PCs on one database (issue 14 point 3): when another user changed what this screen showed, the model
raises :class:`~verzuimdesk.model.errors.ConflictError`; :meth:`AppContext.run` shows the dialog "Intussen gewijzigd"
(who, when, and the user's own unsaved input) and its button "Opnieuw laden" announces the action's kinds as
changed, so every screen that shows them reloads. A lost connection (or a busy database) is offered again with
"Opnieuw proberen": the whole action runs again in a new transaction (nothing of the failed one was stored).

Both doors check the logged-in user's role first (:func:`~verzuimdesk.model.security.operations.check_operation`,
issue 11): a refused read raises :class:`~verzuimdesk.model.errors.AccessDeniedError` (the global handler shows it),
a refused write is reported like any domain error.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget
from sqlmodel import Session

from verzuimdesk.model.actor import Actor
from verzuimdesk.model.db import Database
from verzuimdesk.model.errors import (
    ChangeReasonRequired,
    ConflictError,
    TransientDatabaseError,
    VerzuimdeskError,
)
from verzuimdesk.model.security.operations import check_operation
from verzuimdesk.model.store import current_user

log = logging.getLogger(__name__)
T = TypeVar("T")

# Kinds of change announced after an operation.
REGISTER = "register"
PUPILS = "pupils"
GROUPS = "groups"
CALENDAR = "calendar"
SETTINGS = "settings"
REASONS = "reasons"
LEAVE = "verlof"
MELDINGEN = "meldingen"
DOSSIER = "dossier"
SIGNALS = "signals"
ALL = frozenset({REGISTER, PUPILS, GROUPS, CALENDAR, SETTINGS, REASONS, LEAVE, MELDINGEN, DOSSIER, SIGNALS})


class AppContext(QObject):
    """One per open database; handed to every screen."""

    changed = Signal(object)  # frozenset[str] of kinds
    error = Signal(str)  # a Dutch message that was shown to the user
    reloaded = Signal(object)  # frozenset[str]: the user chose "Opnieuw laden" after a conflict (issue 14)

    def __init__(self, db: Database, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.dialog_parent: QWidget | None = None
        # Tests replace these to capture messages instead of showing a modal dialog.
        self.show_error: Callable[[str], None] = self._show_error_dialog
        self.show_conflict: Callable[[ConflictError], bool] = self._show_conflict_dialog  # True: "Opnieuw laden"
        self.ask_retry: Callable[[str], bool] = self._ask_retry_dialog  # True: "Opnieuw proberen"

    @property
    def actor(self) -> Actor | None:
        """The logged-in user (None only in tests of screens that run without a log-in)."""
        return self.db.actor

    def may(self, permission: str) -> bool:
        return self.db.actor is None or self.db.actor.role == "beheerder" or self.db.actor.may(permission)

    def sees_group(self, group_id: int | None) -> bool:
        """Is this group's register open to the logged-in user (all groups, or a leerkracht's own)?"""
        actor = self.db.actor
        if actor is None or actor.role == "beheerder" or actor.may("register_lezen"):
            return True
        return group_id is not None and group_id in actor.group_ids

    @property
    def user(self) -> str:
        with self.db.session() as s:
            return current_user(s)

    def read(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a read-only model function in a fresh session."""
        with self.db.session() as s:
            check_operation(s, self.db.actor, fn, args)
            return fn(s, *args, **kwargs)

    def run(self, kinds: set[str] | frozenset[str], fn: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
        """Run ``fn(session, *args)`` as one transaction; on a domain error show it and return None."""
        try:
            done, result = self._transaction(kinds, fn, args, kwargs, check=True)
        except VerzuimdeskError as exc:
            self.report(str(exc))
            return None
        if not done:
            return None
        self.changed.emit(frozenset(kinds))
        return result

    def _transaction(self, kinds: set[str] | frozenset[str], fn: Callable[..., T], args: tuple[Any, ...],
                     kwargs: dict[str, Any], *, check: bool) -> tuple[bool, T | None]:  # fmt: skip
        """The one place a write runs: (True, result) when committed; (False, None) after a conflict or a lost
        connection the user did not retry (both shown here). Other domain errors go to the caller."""
        while True:
            try:
                with self.db.transaction() as s:
                    if check:
                        check_operation(s, self.db.actor, fn, args, kinds, write=True)
                    return True, fn(s, *args, **kwargs)
            except ConflictError as exc:
                log.info("Conflict: %s", exc)
                self.error.emit(str(exc))
                if self.show_conflict(exc):
                    self.changed.emit(frozenset(kinds) or ALL)  # "Opnieuw laden": the screens read it again
                    self.reloaded.emit(frozenset(kinds) or ALL)  # open dialogs take the new versions
                return False, None
            except TransientDatabaseError as exc:
                log.warning("Database tijdelijk niet bereikbaar: %s", exc)
                if not self.ask_retry(str(exc)):
                    self.error.emit(str(exc))
                    return False, None

    def run_with_reason(self, ask: Callable[[str], str | None], kinds: set[str] | frozenset[str],
                        fn: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
        """:meth:`run` for a change of the register: when the model asks for a reason (an old registration,
        issue 10 §5), ``ask`` shows its message and returns the reason (None = cancel); then it runs again
        with ``change_reason``. Nothing is written until a reason is given."""
        try:
            done, result = self._transaction(kinds, fn, args, kwargs, check=False)
        except ChangeReasonRequired as exc:
            why = ask(str(exc))
            if not why or not why.strip():
                return None
            return self.run(kinds, fn, *args, change_reason=why.strip(), **kwargs)
        except VerzuimdeskError as exc:
            self.report(str(exc))
            return None
        if not done:
            return None
        self.changed.emit(frozenset(kinds))
        return result

    def session(self) -> Session:
        """A read session for item models that need to load several things at once (close it!)."""
        return self.db.new_session()

    def report(self, message: str) -> None:
        log.info("Melding aan gebruiker: %s", message)
        self.error.emit(message)
        self.show_error(message)

    def _show_error_dialog(self, message: str) -> None:
        QMessageBox.warning(self.dialog_parent, "verzuimdesk", message)

    def _show_conflict_dialog(self, exc: ConflictError) -> bool:
        from verzuimdesk.ui.conflict import ConflictDialog

        return ConflictDialog(exc, self.dialog_parent).ask()

    def _ask_retry_dialog(self, message: str) -> bool:
        box = QMessageBox(QMessageBox.Icon.Warning, "Niet opgeslagen", message, parent=self.dialog_parent)
        retry = box.addButton("Opnieuw proberen", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("Annuleren", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(retry)
        box.exec()
        return box.clickedButton() is retry
