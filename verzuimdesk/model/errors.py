"""Domain errors: each carries a Dutch message that says what is wrong and what to do."""

from __future__ import annotations


class VerzuimdeskError(Exception):
    """Base class; ``str(error)`` is a Dutch message fit for a dialog."""


class DatabaseError(VerzuimdeskError):
    pass


class SchemaTooNewError(DatabaseError):
    pass


class DatabaseInUseError(DatabaseError):
    pass


class ValidationError(VerzuimdeskError):
    """Bad input from the user; nothing was written."""


class ImportFailed(VerzuimdeskError):
    """An import was refused as a whole; ``problems`` lists the Dutch per-row messages."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        self.problems = list(problems or [])
        full = message
        if self.problems:
            shown = self.problems[:50]
            full += "\n" + "\n".join(f"- {p}" for p in shown)
            if len(self.problems) > len(shown):
                full += f"\n… en nog {len(self.problems) - len(shown)} andere fouten."
        super().__init__(full)
        self.summary = message


class ChangeReasonRequired(ValidationError):
    """A registration older than the set number of school days is changed without a reason; the screen
    asks for one and tries again (issue 10 §5)."""


class DatabaseDamagedError(DatabaseError):
    """The database file fails ``quick_check`` or is empty; nothing was written. ``backup`` is the newest
    backup that passed ``integrity_check`` (or None)."""

    def __init__(self, message: str, *, db_file: object = None, backup: object = None) -> None:
        super().__init__(message)
        self.db_file = db_file
        self.backup = backup


class AccessDeniedError(VerzuimdeskError):
    """The logged-in user's role does not allow this; nothing was read or written (issue 11 point 1)."""


class LoginError(VerzuimdeskError):
    """A log-in was refused (wrong name or password, account locked); ``wait_seconds`` before the next try."""

    def __init__(self, message: str, wait_seconds: float = 0.0) -> None:
        super().__init__(message)
        self.wait_seconds = wait_seconds


class ConflictError(VerzuimdeskError):
    """Someone else changed what the user saw since the screen loaded it (issue 14 point 3); nothing of this
    save was stored. ``changed_by``/``changed_at`` say who and when (from the audit trail); ``attempted`` lists
    the user's own unsaved input, so that the screen can show it and nothing is lost silently."""

    def __init__(self, message: str, *, changed_by: str = "", changed_at: object = None,
                 attempted: tuple[str, ...] = ()) -> None:  # fmt: skip
        super().__init__(message)
        self.changed_by = changed_by
        self.changed_at = changed_at
        self.attempted = tuple(attempted)


class TransientDatabaseError(DatabaseError):
    """The action failed on its way to the database and was rolled back as a whole; running the same action
    again in a new transaction may succeed (the GUI offers "Opnieuw proberen")."""


class ConnectionLostError(TransientDatabaseError):
    """The connection with the database server broke (server restart, network); nothing was stored."""


class DatabaseBusyError(TransientDatabaseError):
    """Another program kept the database busy for too long (SQLite's lock, a PostgreSQL deadlock)."""
