"""The Signalen screen's item models: the inbox per pupil (one row per child with the number of open
signals, so that a morning shows how many children need attention) and the selected pupil's signals.

The signals themselves and their labels come from ``model/law/signals``; this module only groups and
shows them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from verzuimdesk.model import dutch
from verzuimdesk.model.law.signals.inbox import Signal
from verzuimdesk.model.law.signals.views import InboxRow
from verzuimdesk.ui.widgets import Column, RowsModel

RED = "#B00020"
# Urgency marker per signal kind: (text, background, tooltip). Symbols, never letters: a letter would read
# as a reason code of the register (Z = ziek, T = te laat).
MARKERS = {
    "verplicht": ("!", RED, "Verplichte melding bij de leerplichtambtenaar (via DUO)"),
    "optioneel": ("○", "#5C7A99", "Melding mogelijk, niet verplicht (18 jaar of ouder, V4)"),
    "controleren": ("?", "#2F80ED", "Controleren: geen meldplicht, kijk na wat er aan de hand was"),
    "zorgelijk": ("▲", "#E69A28", "Zorgelijk verzuim volgens het verzuimbeleid van de school"),
    "te_laat_ladder": ("◷", "#F2C94C", "Stap van de ladder voor te laat komen"),
    "zorg": ("+", "#7E57C2", "Zorgsignaal (ziekteverzuim) voor intern begeleider of jeugdarts"),
}
CARE_NOTE = "Geen melding: zorgsignaal voor intern begeleider / jeugdarts."


def marker(s: Signal) -> tuple[str, str, str]:
    return MARKERS[s.duty_label or (s.kind if s.kind in MARKERS else "zorgelijk")]


def since_text(s: Signal) -> str:
    """ "sinds 3 dagen"; for a duty the school days since it became due ("sinds 4 schooldagen – onverwijld
    melden"), the Inspectie's measure (within 5 school days)."""
    if s.mandatory:
        n = s.school_days_due
        if n == 0:
            return "vandaag" if s.days_overdue == 0 else "sinds de laatste schooldag"
        return ("sinds 1 schooldag" if n == 1 else f"sinds {n} schooldagen") + " – meld nu"
    n = s.days_overdue
    return "vandaag" if n == 0 else f"sinds {dutch.plural(n, 'dag', 'dagen')}"


def duty_text(s: Signal) -> str:
    return {"verplicht": "verplicht", "optioneel": "aanbevolen, optioneel", "controleren": "controleren"}.get(
        s.duty_label, "")


def _since_tip(s: Signal) -> str:
    what = "de 16 uur bereikt werden" if s.kind in ("V3", "V4") else "het signaal ontstond"
    tip = f"{dutch.date_long(s.end, weekday=True)}: de dag waarop {what}."
    if s.mandatory:
        tip += (f" Verplicht te melden sinds {dutch.plural(s.school_days_due, 'schooldag', 'schooldagen')}; een verplichte melding doet de "
                "school onverwijld (art. 21a Leerplichtwet; Inspectie: binnen 5 schooldagen).")
    return tip


COLUMNS: list[Column[InboxRow]] = [
    Column("", lambda r: marker(r.signal)[0], sort_key=lambda r: r.signal.urgency,
           tooltip=lambda r: marker(r.signal)[2], background=lambda r: QColor(marker(r.signal)[1])),
    Column("Leerling", lambda r: r.signal.pupil_name, sort_key=lambda r: r.signal.pupil_name.lower(),
           tooltip=lambda r: f"leerlingnummer {r.signal.pupil_key}"),
    Column("Groep", lambda r: r.group),
    Column("Soort", lambda r: r.label, tooltip=lambda r: r.rule_text or r.signal.title),
    Column("Plicht", lambda r: duty_text(r.signal), sort_key=lambda r: r.signal.urgency[0],
           tooltip=lambda r: marker(r.signal)[2] if r.signal.duty_label else "geen melding"),
    Column("Periode", lambda r: r.period, sort_key=lambda r: (r.signal.begin, r.signal.end)),
    Column("Uren", lambda r: dutch.hours(r.signal.minutes, trim=False) if r.signal.minutes else "—",
           sort_key=lambda r: r.signal.minutes, align_right=True,
           tooltip=lambda r: "ongeoorloofde uren achter het signaal (te laat komen volgens het beleid)"),
    Column("Sinds", lambda r: since_text(r.signal), sort_key=lambda r: r.signal.days_overdue,
           tooltip=lambda r: _since_tip(r.signal)),
    Column("Na afhandeling", lambda r: "nieuw verzuim" if r.signal.new_since_handling else "",
           sort_key=lambda r: r.signal.new_since_handling,
           tooltip=lambda r: (f"Nieuw verzuim sinds afhandeling: eerder afgehandeld ({r.signal.previous_action}), "
                              "daarna is er nieuw verzuim bij gekomen." if r.signal.new_since_handling else "")),
]  # fmt: skip
SINCE_COLUMN, NEW_COLUMN, MARKER_COLUMN, DUTY_COLUMN = 7, 8, 0, 4


def emphasis(role: int, column: int, urgent: bool, s: Signal) -> Any:
    """Colour and weight of a cell: the badge column white on its colour (black on yellow/orange), urgent cells
    (a duty waiting, new absence after handling) red and bold."""
    if role == Qt.ItemDataRole.ForegroundRole:
        if column == MARKER_COLUMN:
            return QColor("white") if s.duty_label or s.kind == "zorg" else QColor("black")
        return QColor(RED) if urgent else None
    if urgent or column == MARKER_COLUMN:
        font = QFont()
        font.setBold(True)
        return font
    return None


class SignalsModel(RowsModel[InboxRow]):
    """The rows with the overdue days of mandatory meldingen in red."""

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and role in (Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.FontRole):
            s = self.rows[index.row()].signal
            column = index.column()
            urgent = (column == SINCE_COLUMN and s.mandatory and s.school_days_due > 0) or \
                     (column == NEW_COLUMN and s.new_since_handling)
            return emphasis(role, column, urgent, s)
        if index.isValid() and index.column() == MARKER_COLUMN and role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        return super().data(index, role)


@dataclass(frozen=True)
class PupilSignals:
    """One child in the inbox: the open signals, most urgent first (the order of the inbox)."""

    rows: tuple[InboxRow, ...]

    @property
    def first(self) -> InboxRow:
        return self.rows[0]

    @property
    def pupil_id(self) -> int:
        return self.first.signal.pupil_id

    @property
    def mandatory(self) -> int:
        return sum(1 for r in self.rows if r.signal.mandatory)

    @property
    def overdue(self) -> int:
        """School days the longest-waiting mandatory melding has been due (0 when none is)."""
        return max((r.signal.school_days_due for r in self.rows if r.signal.mandatory), default=0)

    @property
    def new_since_handling(self) -> bool:
        return any(r.signal.new_since_handling for r in self.rows)

    def count_text(self) -> str:
        return dutch.plural(len(self.rows), "signaal", "signalen")

    def kinds_text(self) -> str:
        """The labels of the signals, the most urgent first: "16 uur in 4 lesweken (V3) + 1 ander"."""
        others = len(self.rows) - 1
        more = "" if not others else " + 1 ander" if others == 1 else f" + {others} andere"
        return self.first.label + more


def per_pupil(rows: list[InboxRow]) -> list[PupilSignals]:
    """The inbox rows grouped per pupil, the pupil with the most urgent signal first."""
    grouped: dict[int, list[InboxRow]] = {}
    for row in rows:  # the inbox is most urgent first, so each pupil's first row is their most urgent
        grouped.setdefault(row.signal.pupil_id, []).append(row)
    return [PupilSignals(tuple(group)) for group in grouped.values()]


PUPIL_COLUMNS: list[Column[PupilSignals]] = [
    Column("", lambda p: marker(p.first.signal)[0], sort_key=lambda p: p.first.signal.urgency,
           tooltip=lambda p: marker(p.first.signal)[2], background=lambda p: QColor(marker(p.first.signal)[1])),
    Column("Leerling", lambda p: p.first.signal.pupil_name, sort_key=lambda p: p.first.signal.pupil_name.lower(),
           tooltip=lambda p: f"leerlingnummer {p.first.signal.pupil_key}"),
    Column("Groep", lambda p: p.first.group),
    Column("Signalen", lambda p: p.count_text(), sort_key=lambda p: len(p.rows), align_right=True,
           tooltip=lambda p: "\n".join(r.label for r in p.rows)),
    Column("Meest urgent", lambda p: p.kinds_text(), tooltip=lambda p: "\n".join(r.label for r in p.rows)),
    Column("Sinds", lambda p: since_text(p.first.signal), sort_key=lambda p: p.first.signal.days_overdue,
           tooltip=lambda p: _since_tip(p.first.signal)),
    Column("Na afhandeling", lambda p: "nieuw verzuim" if p.new_since_handling else "",
           sort_key=lambda p: p.new_since_handling,
           tooltip=lambda p: "Bij minstens één signaal is na de afhandeling nieuw verzuim bijgekomen."
           if p.new_since_handling else ""),
]  # fmt: skip
PUPIL_SINCE_COLUMN, PUPIL_NEW_COLUMN = 5, 6


class PupilsModel(RowsModel[PupilSignals]):
    """One row per pupil, coloured like the most urgent of their signals."""

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and role in (Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.FontRole):
            p = self.rows[index.row()]
            s = p.first.signal
            column = index.column()
            urgent = (column == PUPIL_SINCE_COLUMN and s.mandatory and s.school_days_due > 0) or \
                     (column == PUPIL_NEW_COLUMN and p.new_since_handling)
            return emphasis(role, column, urgent, s)
        if index.isValid() and index.column() == MARKER_COLUMN and role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        return super().data(index, role)
