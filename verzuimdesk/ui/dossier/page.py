"""Dossier: one pupil's absence story — header (group, age, leerplicht, parents' phones), the school
year's figures, a timeline of absence, leave, signals, meldingen, calls, contacts and interventions, and
the contacts and interventions / plan van aanpak themselves (domain.md §10), and the pupil's part of the
audit trail (Logboek)."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSettings, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from verzuimdesk.model import dutch
from verzuimdesk.model.errors import VerzuimdeskError
from verzuimdesk.model.law.dossier import TimelineItem, art11a_notes, timeline
from verzuimdesk.model.law.views import pupil_header, school_year_figures
from verzuimdesk.model.register.tiers import pupil_tiers
from verzuimdesk.model.school.calendar import school_year_for
from verzuimdesk.ui.backup.trail import TrailTable
from verzuimdesk.ui.context import PUPILS, REGISTER, SETTINGS, SIGNALS, AppContext
from verzuimdesk.ui.dossier.panels import DOSSIER, ContactsPanel, InterventionsPanel
from verzuimdesk.ui.forms import fit_columns, table_view
from verzuimdesk.ui.leave.dialogs import LEAVE
from verzuimdesk.ui.leave.widgets import PupilPicker, dot_icon
from verzuimdesk.ui.meldingen.dialogs import MELDINGEN
from verzuimdesk.ui.widgets import Column, DateEdit, RowsModel, long_date, restore_layout, save_layout

REFRESH_ON = frozenset({DOSSIER, LEAVE, MELDINGEN, REGISTER, PUPILS, SIGNALS, SETTINGS})
TIMELINE_KINDS = {  # kind → (label, colour of its dot)
    "verzuim": ("Verzuim", "#D9822B"), "verlofaanvraag": ("Verlofaanvraag", "#7FA7D9"),
    "verlofbesluit": ("Verlofbesluit", "#1F5FAF"), "melding": ("Melding", "#B00020"),
    "signaal": ("Signaal", "#8E44AD"), "nabellen": ("Nabellen", "#7F8C8D"), "contact": ("Contact", "#2E7D32"),
    "interventie": ("Interventie", "#00897B"), "evaluatie": ("Evaluatie", "#827717"),
    "brief": ("Brief", "#5D4037"),
}  # fmt: skip


TIER_COLORS = {1: "#2E7D32", 2: "#D9822B", 3: "#B00020"}  # aanwezigheidsniveau 1/2/3 (domain.md §10)


def kind_text(kind: str) -> str:
    return TIMELINE_KINDS.get(kind, (kind.capitalize(), ""))[0]


class TimelineModel(RowsModel[TimelineItem]):
    """Rows of the timeline; the Soort column shows a coloured dot per kind."""

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DecorationRole and index.isValid() and index.column() == 1:
            kind = self.rows[index.row()].kind
            return dot_icon(TIMELINE_KINDS.get(kind, ("", "#999999"))[1])
        return super().data(index, role)


class KindFilter(QSortFilterProxyModel):
    def __init__(self) -> None:
        super().__init__()
        self.kind: str | None = None

    def set_kind(self, kind: str | None) -> None:
        self.beginFilterChange()
        self.kind = kind
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        model = self.sourceModel()
        assert isinstance(model, RowsModel)
        return self.kind is None or model.row_at(source_row).kind == self.kind


class DossierPage(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.today: Callable[[], dt.date] = dt.date.today
        today = lambda: self.today()  # noqa: E731
        self.pupil_id: int | None = None
        self.picker = PupilPicker(ctx, self.today(), include_left=True)
        self.date_from, self.date_to = DateEdit(), DateEdit()
        self.year_button = QPushButton("Dit schooljaar")
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Leerling:"))
        bar.addWidget(self.picker, 2)
        bar.addSpacing(12)
        bar.addWidget(QLabel("Periode:"))
        bar.addWidget(self.date_from)
        bar.addWidget(QLabel("t/m"))
        bar.addWidget(self.date_to)
        bar.addWidget(self.year_button)
        bar.addStretch(1)

        self.header = QLabel()
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.header.setWordWrap(True)
        self.header.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.figures = QLabel()
        self.figures.setTextFormat(Qt.TextFormat.RichText)
        figures_box = QGroupBox("Verzuim dit schooljaar")
        QVBoxLayout(figures_box).addWidget(self.figures)
        figures_box.setMinimumWidth(330)
        head = QHBoxLayout()
        head.addWidget(self.header, 1)
        head.addWidget(figures_box)

        self.timeline_model = TimelineModel([
            Column("Datum", lambda it: long_date(it.date), sort_key=lambda it: it.date.isoformat()),
            Column("Soort", lambda it: kind_text(it.kind)),
            Column("Omschrijving", lambda it: it.text, tooltip=lambda it: it.text),
        ])  # fmt: skip
        self.timeline_view, _plain = table_view(self.timeline_model)
        self.timeline_proxy = KindFilter()
        self.timeline_proxy.setSourceModel(self.timeline_model)
        self.timeline_view.setModel(self.timeline_proxy)
        self.timeline_view.setSortingEnabled(False)
        fit_columns(self.timeline_view, [215, 130])
        self.kind_filter = QComboBox()
        self.kind_filter.addItem("alles", None)
        for kind, (label, color) in TIMELINE_KINDS.items():
            self.kind_filter.addItem(dot_icon(color), label, kind)
        self.timeline_count = QLabel()
        timeline_tab = QWidget()
        filter_row = QHBoxLayout()
        filter_row.addWidget(QLabel("Toon:"))
        filter_row.addWidget(self.kind_filter)
        filter_row.addWidget(self.timeline_count, 1)
        t_layout = QVBoxLayout(timeline_tab)
        t_layout.setContentsMargins(4, 4, 4, 4)
        t_layout.addLayout(filter_row)
        t_layout.addWidget(self.timeline_view, 1)
        self.contacts = ContactsPanel(ctx, today)
        self.interventions = InterventionsPanel(ctx, today)
        self.tabs = QTabWidget()
        self.tabs.addTab(timeline_tab, "&Tijdlijn")
        self.tabs.addTab(self.contacts, "&Contacten")
        self.tabs.addTab(self.interventions, "&Interventies / plan van aanpak")
        self.trail = TrailTable(ctx)  # this pupil's part of the audit trail (issue 10 §5)
        self.tabs.addTab(self.trail, "&Logboek")
        self.empty = QLabel("Kies hierboven een leerling om het dossier te openen.")
        self.empty.setStyleSheet("color: #666; font-size: 11pt;")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)

        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<h2>Dossier</h2>"))
        layout.addLayout(bar)
        layout.addWidget(line)
        layout.addLayout(head)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.empty, 1)

        self.picker.pupil_changed.connect(self._picked)
        self.date_from.dateChanged.connect(lambda _d: self.refresh_timeline())
        self.date_to.dateChanged.connect(lambda _d: self.refresh_timeline())
        self.year_button.clicked.connect(self.this_school_year)
        self.kind_filter.currentIndexChanged.connect(self._kind_changed)
        ctx.changed.connect(self._on_changed)
        self.this_school_year()
        self._show_empty(True)

    # ------------------------------------------------------------------------------------ public
    def show_pupil(self, pupil_id: int) -> None:
        """Open the dossier of ``pupil_id`` (other screens call this)."""
        if not self.picker.set_pupil(pupil_id):
            self.picker.reload(self.ctx, self.today(), include_left=True)
            self.picker.set_pupil(pupil_id)
        if self.pupil_id != pupil_id:
            self._picked(pupil_id)

    def this_school_year(self) -> None:
        year = self.ctx.read(school_year_for, self.today())
        start, end = (year.start_date, year.end_date) if year else (self.today() - dt.timedelta(days=365), self.today())
        for edit, day in ((self.date_from, start), (self.date_to, end)):
            edit.blockSignals(True)
            edit.set_date(day)
            edit.blockSignals(False)
        self.refresh_timeline()

    # ------------------------------------------------------------------------------------ data
    def _show_empty(self, empty: bool) -> None:
        self.empty.setVisible(empty)
        self.tabs.setVisible(not empty)
        self.header.setVisible(not empty)
        self.figures.parentWidget().setVisible(not empty)

    def _picked(self, pupil_id: object) -> None:
        if pupil_id is None:
            return
        assert isinstance(pupil_id, int)
        self.pupil_id = pupil_id
        self._show_empty(False)
        self.refresh()

    def _on_changed(self, kinds: frozenset[str]) -> None:
        if PUPILS in kinds:
            self.picker.reload(self.ctx, self.today(), include_left=True)
        if kinds & REFRESH_ON and self.pupil_id is not None:
            self.refresh()

    def refresh(self) -> None:
        if self.pupil_id is None:
            return
        self.refresh_header()
        self.refresh_timeline()
        self.contacts.set_pupil(self.pupil_id)
        self.interventions.set_pupil(self.pupil_id)
        self.trail.load(self.pupil_id)

    def refresh_header(self) -> None:
        assert self.pupil_id is not None
        h = self.ctx.read(pupil_header, self.pupil_id, self.today())
        e = html.escape
        age = f"{h.age} jaar" if h.age is not None else "leeftijd onbekend"
        born = f" (geboren {dutch.date_short(h.birth_date)})" if h.birth_date else ""
        phones = "<br>".join(e(p) for p in h.phones) or "<i>geen telefoonnummer van ouders bekend</i>"
        notes = self.ctx.read(art11a_notes, self.pupil_id, self.today())
        art11a = ""
        if notes:  # art. 11a Lpw: the same findings as the Verlof screen, where the user looks at this child
            more = f" (en nog {dutch.plural(len(notes) - 1, 'bevinding', 'bevindingen')})" if len(notes) > 1 else ""
            art11a = (f"<br><span style='color:#A15C00'><b>Thuisblijven vijfjarige (art. 11a):</b> {e(notes[0])}"
                      f"{more}</span>")
        self.header.setText(
            f"<span style='font-size:14pt'><b>{e(h.name)}</b></span> &nbsp; leerlingnummer {e(h.key)}<br>"
            f"{e(h.group) or 'geen groep'} · {age}{born} · <b>{e(h.status)}</b>{art11a}<br>"
            f"<span style='color:#444'>Ouders/verzorgers:</span><br>{phones}"
        )  # fmt: skip
        result = self.ctx.read(school_year_figures, self.pupil_id, self.today())
        if result is None:
            self.figures.setText("<i>Geen schooljaar ingericht voor vandaag.</i>")
            return
        year, f = result
        rows = [
            ("Schooljaar", f"{year} (t/m vandaag)"),
            ("Ingeroosterd", f"{dutch.hours(f.net_scheduled, trim=False)} uur op {dutch.plural(f.school_days, 'schooldag', 'schooldagen')}"),
            ("Aanwezig", dutch.percent(f.present_pct)),
            ("Geoorloofd afwezig", f"{dutch.hours(f.authorised, trim=False)} uur ({dutch.percent(f.authorised_pct)})"),
            ("Ongeoorloofd afwezig", f"{dutch.hours(f.unauthorised, trim=False)} uur "
                                     f"({dutch.percent(f.unauthorised_pct)})"),
            ("Te laat", f"{f.late_count} keer"),
        ]  # fmt: skip
        tier = self.ctx.read(pupil_tiers, self.today(), [self.pupil_id]).get(self.pupil_id)
        if tier is not None:
            pct = dutch.number(tier.absent_pct, 1)
            color = TIER_COLORS.get(tier.tier, "#000000")
            rows.append(("Aanwezigheidsniveau", f"<span style='color:{color}'>niveau {tier.tier}</span> "
                                                f"<span style='font-weight:normal'>({pct} % afwezig, "
                                                f"{dutch.date_short(tier.start)} t/m {dutch.date_short(tier.end)})</span>"))
        color = "#B00020" if f.unauthorised else "#000000"
        body = "".join(f"<tr><td style='padding-right:10px'>{k}</td><td><b>{v}</b></td></tr>" for k, v in rows)
        self.figures.setText(f"<table>{body}</table>".replace(f"{rows[4][1]}</b>",
                                                               f"<span style='color:{color}'>{rows[4][1]}</span></b>"))

    def refresh_timeline(self) -> None:
        if self.pupil_id is None:
            return
        try:
            items = self.ctx.read(timeline, self.pupil_id, self.date_from.date_value(), self.date_to.date_value())
        except VerzuimdeskError as exc:
            self.timeline_model.set_rows([])
            self.timeline_count.setText(str(exc))
            return
        self.timeline_model.set_rows(items)
        self._update_timeline_count()

    def _kind_changed(self, _index: int) -> None:
        self.timeline_proxy.set_kind(self.kind_filter.currentData())
        self._update_timeline_count()

    def _update_timeline_count(self) -> None:
        shown, total = self.timeline_proxy.rowCount(), self.timeline_model.rowCount()
        self.timeline_count.setText(f"{shown} van {total} gebeurtenissen, nieuwste eerst")

    def timeline_rows(self) -> list[TimelineItem]:
        """The visible timeline items, in display order (tests and other screens)."""
        return [self.timeline_model.row_at(self.timeline_proxy.mapToSource(self.timeline_proxy.index(r, 0)).row())
                for r in range(self.timeline_proxy.rowCount())]  # fmt: skip

    # ------------------------------------------------------------------------------------ state
    def on_shown(self) -> None:
        if self.pupil_id is None:
            self.picker.setFocus()

    def save_state(self, settings: QSettings) -> None:
        save_layout(settings, {"dossier/tijdlijn": self.timeline_view.horizontalHeader()})

    def restore_state(self, settings: QSettings) -> None:
        restore_layout(settings, {"dossier/tijdlijn": self.timeline_view.horizontalHeader()})
