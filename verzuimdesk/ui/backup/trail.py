"""A table of audit-trail lines (who, when, what, old → new, why), shown in the Dossier for one pupil
and on the Reservekopieën screen for the whole school."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from verzuimdesk.model.audit import readable_trail
from verzuimdesk.model.audit_names import TrailLine
from verzuimdesk.ui.context import AppContext
from verzuimdesk.ui.forms import fit_columns, table_view
from verzuimdesk.ui.widgets import Column, RowsModel

COLUMNS: list[Column[TrailLine]] = [
    Column("Tijdstip", lambda x: x.at_text, sort_key=lambda x: x.id),
    Column("Gebruiker", lambda x: x.by),
    Column("Wat", lambda x: x.action),
    Column("Waarover", lambda x: x.detail if not x.pupil or x.pupil in x.detail else f"{x.detail} — {x.pupil}",
           tooltip=lambda x: x.detail if not x.pupil or x.pupil in x.detail else f"{x.detail} — {x.pupil}"),
    Column("Was", lambda x: x.old, tooltip=lambda x: x.old),
    Column("Wordt", lambda x: x.new, tooltip=lambda x: x.new),
    Column("Reden", lambda x: x.reason, tooltip=lambda x: x.reason),
]


class TrailTable(QWidget):
    """The newest lines first; ``limit`` keeps the school-wide view quick."""

    def __init__(self, ctx: AppContext, *, limit: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.limit = limit
        self.model: RowsModel[TrailLine] = RowsModel(COLUMNS)
        self.view, self.proxy = table_view(self.model, stretch=5)
        fit_columns(self.view, [120, 110, 200, 230, 220])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)

    def load(self, pupil_id: int | None = None) -> None:
        lines = self.ctx.read(readable_trail, pupil_id=pupil_id, limit=self.limit)
        self.model.set_rows(list(reversed(lines)))
