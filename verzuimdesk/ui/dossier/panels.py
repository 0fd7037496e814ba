"""The Contacten and Interventies tabs of the Dossier screen (domain.md §10)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from verzuimdesk.model import dutch
from verzuimdesk.model.law import dossier
from verzuimdesk.model.letters.moments import contact_moment
from verzuimdesk.model.school.records import guardians_of
from verzuimdesk.model.tables.law import ContactMoment, Intervention
from verzuimdesk.ui.context import DOSSIER, AppContext
from verzuimdesk.ui.dossier.dialogs import ContactDialog, EvaluationDialog, InterventionDialog
from verzuimdesk.ui.forms import confirm, fit_columns, selected_row, table_view
from verzuimdesk.ui.letters.dialog import open_letter_dialog
from verzuimdesk.ui.widgets import Column, RowsModel

OVERDUE, PLANNED = QColor("#FBE3E4"), QColor("#FFF4D6")
EFFECTIVE = {True: "ja", False: "nee", None: "onbekend"}


def _key(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def _guardians(session: Any, pupil_id: int) -> list[str]:
    rows = guardians_of(session, pupil_id)
    return [f"{g.name} ({g.relation})" if g.relation else g.name for g in rows if g.name]


def _detached(session: Any, rows: list[Any]) -> list[Any]:
    for row in rows:
        session.expunge(row)
    return rows


class _Panel(QWidget):
    """A table with buttons below; hooks ``open_dialog`` and ``confirm`` are replaced by tests."""

    def __init__(self, ctx: AppContext, today: Callable[[], dt.date], columns: list[Column[Any]],
                 widths: list[int]) -> None:
        super().__init__()
        self.ctx = ctx
        self.today = today
        self.pupil_id: int | None = None
        self.model: RowsModel[Any] = RowsModel(columns)
        self.view, self.proxy = table_view(self.model)
        fit_columns(self.view, widths)
        self.buttons = QHBoxLayout()
        self.note = QLabel()
        self.note.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.view, 1)
        layout.addLayout(self.buttons)
        self.view.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())

    def add_button(self, text: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text)
        button.clicked.connect(slot)
        self.buttons.addWidget(button)
        return button

    def finish_buttons(self) -> None:
        self.buttons.addSpacing(12)
        self.buttons.addWidget(self.note, 1)

    def selected(self) -> Any | None:
        return selected_row(self.view, self.proxy)

    def select_id(self, row_id: int) -> None:
        for row in range(self.proxy.rowCount()):
            if self.model.row_at(self.proxy.mapToSource(self.proxy.index(row, 0)).row()).id == row_id:
                self.view.selectRow(row)
                return

    def set_pupil(self, pupil_id: int | None) -> None:
        self.pupil_id = pupil_id
        self.refresh()

    def refresh(self) -> None:
        current = self.selected()
        self.model.set_rows(self.ctx.read(self.load, self.pupil_id) if self.pupil_id is not None else [])
        if current is not None:
            self.select_id(current.id)
        self._update_buttons()

    def load(self, session: Any, pupil_id: int) -> list[Any]:
        raise NotImplementedError

    def _update_buttons(self) -> None:
        pass

    def open_dialog(self, dialog: QDialog) -> bool:
        return bool(dialog.exec())

    def confirm(self, title: str, question: str) -> bool:
        return confirm(self, title, question)


class ContactsPanel(_Panel):
    def __init__(self, ctx: AppContext, today: Callable[[], dt.date]) -> None:
        columns: list[Column[ContactMoment]] = [
            Column("Datum", lambda c: c.date, sort_key=lambda c: _key(c.date),
                   background=lambda c: PLANNED if c.planned else None),
            Column("Soort", lambda c: c.kind),
            Column("Met wie", lambda c: c.with_whom),
            Column("Status", lambda c: "gepland" if c.planned else "gehouden",
                   background=lambda c: PLANNED if c.planned else None),
            Column("Samenvatting", lambda c: c.summary, tooltip=lambda c: c.summary),
            Column("Afspraken", lambda c: c.agreements, tooltip=lambda c: c.agreements),
        ]  # fmt: skip
        super().__init__(ctx, today, columns, [90, 90, 170, 80, 330])
        self.new_button = self.add_button("Nieuw contact…", self.new_contact)
        self.edit_button = self.add_button("Bewerken…", self.edit_contact)
        self.held_button = self.add_button("Gesprek gehouden…", self.mark_held)
        self.delete_button = self.add_button("Verwijderen", self.delete_contact)
        self.letter_button = self.add_button("Brief maken…", self.make_letter)
        self.finish_buttons()
        self.view.doubleClicked.connect(lambda _i: self.edit_contact())

    def load(self, session: Any, pupil_id: int) -> list[ContactMoment]:
        return _detached(session, dossier.contacts(session, pupil_id))

    def _update_buttons(self) -> None:
        row = self.selected()
        self.new_button.setEnabled(self.pupil_id is not None)
        for button in (self.edit_button, self.delete_button, self.letter_button):
            button.setEnabled(row is not None)
        self.held_button.setEnabled(row is not None and row.planned)
        planned = sum(1 for c in self.model.rows if c.planned)
        self.note.setText(f"{dutch.plural(planned, 'gepland gesprek', 'geplande gesprekken')} nog te voeren" if planned else "")

    def make_letter(self) -> None:
        """Invitation (planned), record with agreements or reminder (held): ui/letters/dialog.py."""
        row = self.selected()
        if row is not None and row.id is not None:
            open_letter_dialog(self.ctx, self, lambda s: contact_moment(s, row.id), self.today(), self.open_dialog)

    def _dialog(self, contact: ContactMoment | None = None, held: bool = False) -> ContactDialog:
        assert self.pupil_id is not None
        guardians = self.ctx.read(_guardians, self.pupil_id)
        return ContactDialog(self.today(), guardians, self, contact=contact, held=held)

    def new_contact(self) -> None:
        if self.pupil_id is None:
            return
        dialog = self._dialog()
        if self.open_dialog(dialog):
            v = dialog.value()
            created = self.ctx.run({DOSSIER}, dossier.add_contact, self.pupil_id, v.pop("date"), v.pop("kind"),
                                   by=self.ctx.user, **v)  # fmt: skip
            if created is not None:
                self.select_id(created.id)

    def edit_contact(self) -> None:
        row = self.selected()
        if row is not None:
            dialog = self._dialog(row)
            if self.open_dialog(dialog):
                self.ctx.run({DOSSIER}, dossier.update_contact, row.id, by=self.ctx.user,
                             expected_version=row.version, **dialog.value())  # as listed (issue 14)

    def mark_held(self) -> None:
        row = self.selected()
        if row is not None and row.planned:
            dialog = self._dialog(row, held=True)
            if self.open_dialog(dialog):
                v = dialog.value()
                self.ctx.run({DOSSIER}, dossier.mark_contact_held, row.id, by=self.ctx.user, summary=v["summary"],
                             agreements=v["agreements"], on=v["date"], expected_version=row.version)  # fmt: skip

    def delete_contact(self) -> None:
        row = self.selected()
        if row is not None and self.confirm("Contact verwijderen", f"Het contact van {dutch.date_short(row.date)} "
                                            f"({row.kind}) verwijderen?"):  # fmt: skip
            self.ctx.run({DOSSIER}, dossier.delete_contact, row.id, by=self.ctx.user, expected_version=row.version)


class InterventionsPanel(_Panel):
    def __init__(self, ctx: AppContext, today: Callable[[], dt.date]) -> None:
        def overdue(i: Intervention) -> QColor | None:
            due = i.evaluated_on is None and i.evaluation_date is not None and i.evaluation_date <= today()
            return OVERDUE if due else None

        columns: list[Column[Intervention]] = [
            Column("Start", lambda i: i.start_date, sort_key=lambda i: _key(i.start_date)),
            Column("Interventie / plan van aanpak", lambda i: i.title, tooltip=lambda i: i.description),
            Column("Evalueren op", lambda i: i.evaluation_date, sort_key=lambda i: _key(i.evaluation_date),
                   background=overdue,
                   tooltip=lambda i: "De evaluatie is te laat." if overdue(i) is not None else ""),
            Column("Geëvalueerd", lambda i: i.evaluated_on, sort_key=lambda i: _key(i.evaluated_on)),
            Column("Effectief", lambda i: EFFECTIVE[i.effective] if i.evaluated_on else ""),
            Column("Uitkomst", lambda i: i.outcome, tooltip=lambda i: i.outcome),
        ]  # fmt: skip
        super().__init__(ctx, today, columns, [90, 280, 100, 95, 75])
        self.overdue = overdue
        self.new_button = self.add_button("Nieuwe interventie…", self.new_intervention)
        self.edit_button = self.add_button("Bewerken…", self.edit_intervention)
        self.evaluate_button = self.add_button("Evalueren…", self.evaluate)
        self.delete_button = self.add_button("Verwijderen", self.delete_intervention)
        self.finish_buttons()
        self.view.doubleClicked.connect(lambda _i: self.edit_intervention())

    def load(self, session: Any, pupil_id: int) -> list[Intervention]:
        return _detached(session, dossier.interventions(session, pupil_id))

    def _update_buttons(self) -> None:
        row = self.selected()
        self.new_button.setEnabled(self.pupil_id is not None)
        for button in (self.edit_button, self.evaluate_button, self.delete_button):
            button.setEnabled(row is not None)
        late = sum(1 for i in self.model.rows if self.overdue(i) is not None)
        self.note.setText(f"<span style='color:#B00020'>{dutch.plural(late, 'evaluatie', 'evaluaties')} te laat "
                          "(rood)</span>" if late else "")  # fmt: skip

    def new_intervention(self) -> None:
        if self.pupil_id is None:
            return
        dialog = InterventionDialog(self.today(), self)
        if self.open_dialog(dialog):
            v = dialog.value()
            created = self.ctx.run({DOSSIER}, dossier.add_intervention, self.pupil_id, v.pop("title"),
                                   v.pop("start_date"), by=self.ctx.user, **v)  # fmt: skip
            if created is not None:
                self.select_id(created.id)

    def edit_intervention(self) -> None:
        row = self.selected()
        if row is not None:
            dialog = InterventionDialog(self.today(), self, item=row)
            if self.open_dialog(dialog):
                self.ctx.run({DOSSIER}, dossier.update_intervention, row.id, by=self.ctx.user,
                             expected_version=row.version, **dialog.value())  # as listed (issue 14)

    def evaluate(self) -> None:
        row = self.selected()
        if row is not None:
            dialog = EvaluationDialog(self.today(), row, self)
            if self.open_dialog(dialog):
                self.ctx.run({DOSSIER}, dossier.evaluate_intervention, row.id, by=self.ctx.user,
                             expected_version=row.version, **dialog.value())

    def delete_intervention(self) -> None:
        row = self.selected()
        if row is not None and self.confirm("Interventie verwijderen", f"De interventie '{row.title}' verwijderen?"):
            self.ctx.run({DOSSIER}, dossier.delete_intervention, row.id, by=self.ctx.user,
                         expected_version=row.version)
