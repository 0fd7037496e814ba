"""The board as the Bestuur screens see it (issue 14 point 4): the database (without a school scope), the logged-in
board account, and where a Dutch message goes. The same screens serve the Bestuur screen inside a school's window
(:meth:`BoardAccess.of_school`) and the board window of a board-only account (``ui/board/window.py``).

A screen never opens a session: it hands a model function of ``model/board`` to :meth:`BoardAccess.read` or
:meth:`BoardAccess.run`, which open the board's registry for that one call (one transaction in the model). The
board's functions check the board account themselves (``model/board/registry.py`` ``require_board_admin``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from verzuimdesk.model.board.overview import SchoolFigures, overview_for
from verzuimdesk.model.board.registry import BoardSchool, is_board_admin, open_board, schools_of
from verzuimdesk.model.errors import VerzuimdeskError
from verzuimdesk.ui.context import AppContext

T = TypeVar("T")


class BoardAccess(QObject):
    """One logged-in board account on one board database."""

    changed = Signal()  # after a change of accounts or access: the screens read again

    def __init__(self, url: str, username: str, *, current_code: str = "",
                 report: Callable[[str], None] | None = None, parent: QObject | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.url = url
        self.username = username
        self.current_code = current_code  # the school open in this window ("" in the board window)
        self.dialog_parent: QWidget | None = None
        # Tests replace this to capture messages instead of showing a modal dialog.
        self.show_error: Callable[[str], None] = report or self._show_error_dialog

    @classmethod
    def of_school(cls, ctx: AppContext) -> BoardAccess:
        """The board account logged in to this school of the board."""
        actor = ctx.actor
        access = cls(ctx.db.url, actor.username if actor is not None else "",
                     current_code=ctx.db.school.code if ctx.db.school else "", report=ctx.report, parent=ctx)
        return access

    def read(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """``fn(board, *args)`` on the board's registry; a Dutch error goes to the global handler."""
        with open_board(self.url) as board:
            return fn(board, *args, **kwargs)

    def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
        """A change on the board, done by the logged-in account (``by``); a domain error is shown in Dutch and
        None returned. On success the screens are told to read again."""
        try:
            with open_board(self.url) as board:
                result = fn(board, *args, by=self.username, **kwargs)
        except VerzuimdeskError as exc:
            self.report(str(exc))
            return None
        self.changed.emit()
        return result

    def is_admin(self) -> bool:
        return self.read(is_board_admin, self.username)

    def schools(self) -> list[BoardSchool]:
        return self.read(schools_of, self.username)

    def overview(self, on: dt.date) -> list[SchoolFigures]:
        return overview_for(self.url, self.username, on)

    def report(self, message: str) -> None:
        self.show_error(message)

    def _show_error_dialog(self, message: str) -> None:
        QMessageBox.warning(self.dialog_parent, "verzuimdesk", message)
