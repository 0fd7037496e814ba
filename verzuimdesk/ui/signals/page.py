"""Signalen: the morning inbox (issue 3 part 7; domain.md §7, §10).

Why this file is long: one screen (filters, the inbox table and its item model, the explanation panel and the
handling buttons) over one list of signals.

Every open signal on the chosen day, most urgent first: the meldingen the law requires (16 uur in 4
lesweken, art. 21a Lpw; langdurig relatief verzuim; luxe verzuim) with the number of days since they
became due, then the school's own zorgelijk-verzuim rules and lateness ladder, then care signals (MAZL).
The panel below explains the selected signal: the hours per lesweek and the absence behind them. Acting
on a signal (melding, signaal zorgelijk verzuim, gesprek, afwijzen) records the handling; a handled
signal disappears and only returns when new absence arises.

Computing all signals takes about a second for a large school, so it runs when the screen is shown or
the data changed, after the screen has painted its "bezig…" state.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from verzuimdesk.model import dutch
from verzuimdesk.model.law.signals import ensure_default_rules
from verzuimdesk.model.law.signals.views import KIND_FILTERS, Inbox, InboxRow, load_inbox
from verzuimdesk.model.letters.moments import signal_moment
from verzuimdesk.model.school.records import active_groups
from verzuimdesk.ui.context import (
    CALENDAR,
    GROUPS,
    LEAVE,
    MELDINGEN,
    PUPILS,
    REASONS,
    REGISTER,
    SETTINGS,
    SIGNALS,
    AppContext,
)
from verzuimdesk.ui.forms import confirm, fit_columns, selected_row, table_view
from verzuimdesk.ui.letters.dialog import open_letter_dialog
from verzuimdesk.ui.signals.dialogs import DismissDialog, PlanConversationDialog, SignalMeldingDialog
from verzuimdesk.ui.signals.models import (
    CARE_NOTE,
    COLUMNS,
    PUPIL_COLUMNS,
    RED,
    PupilSignals,
    PupilsModel,
    SignalsModel,
    marker,
    per_pupil,
)
from verzuimdesk.ui.widgets import DateEdit

REFRESH_ON = frozenset({REGISTER, SIGNALS, MELDINGEN, PUPILS, GROUPS, CALENDAR, SETTINGS, REASONS, LEAVE})
def _split_explanation(text: str) -> str:
    """The sentences of the explanation before its lists (the lists are shown as tables)."""
    head = []
    for line in text.splitlines():
        if line.startswith(("Per lesweek:", "Verzuim (ongeoorloofd):", "  ", "Totaal:")):
            continue
        head.append(line)
    return "<br>".join(html.escape(line) for line in head)


def detail_html(row: InboxRow) -> str:
    """The explanation of a signal: what happened, hours per lesweek and the entries behind it."""
    s = row.signal
    e = html.escape
    color = marker(s)[1]
    parts = [f"<p style='margin:0 0 4px 0'><span style='font-size:12pt'><b>{e(s.pupil_name)}</b></span> "
             f"({e(s.pupil_key)}{', ' + e(row.group) if row.group else ''}) &nbsp; "
             f"<span style='color:{color}'><b>{e(row.label)}</b></span></p>"]
    parts.append(f"<p style='margin:0 0 6px 0'>{_split_explanation(s.explanation)}</p>")
    if s.kind == "zorg":
        parts.append(f"<p style='color:#5E35B1'><b>{CARE_NOTE}</b></p>")
    tables = []
    if s.weeks:
        body = "".join(
            f"<tr><td>week van {dutch.date_short(w)}</td><td align='right'>{dutch.hours(m, trim=False)}</td></tr>" for w, m in s.weeks)
        total = sum(m for _w, m in s.weeks)
        body += f"<tr><td><b>samen</b></td><td align='right'><b>{dutch.hours(total, trim=False)}</b></td></tr>"
        tables.append("<td valign='top' style='padding-right:24px'><b>Uren per lesweek</b>"
                      "<table cellspacing='0' cellpadding='3' border='1' style='border-color:#ccc'>"
                      f"<tr><th align='left'>Lesweek</th><th align='right'>Uren</th></tr>{body}</table></td>")
    if s.lessons:
        body = "".join(
            f"<tr><td>{['ma', 'di', 'wo', 'do', 'vr', 'za', 'zo'][les.date.weekday()]} {dutch.date_short(les.date)}</td>"
            f"<td align='right'>{les.lesson_number}</td><td>{dutch.clock(les.start)}–{dutch.clock(les.end)}</td>"
            f"<td>{e('/'.join(les.reason_codes))}{' (te laat)' if les.lateness else ''}</td>"
            f"<td align='right'>{les.minutes}</td></tr>" for les in s.lessons)
        tables.append("<td valign='top'><b>Het verzuim erachter</b>"
                      "<table cellspacing='0' cellpadding='3' border='1' style='border-color:#ccc'>"
                      "<tr><th align='left'>Datum</th><th>Les</th><th align='left'>Tijd</th>"
                      f"<th align='left'>Reden</th><th align='right'>Minuten</th></tr>{body}</table></td>")
    if tables:
        parts.append(f"<table><tr>{''.join(tables)}</tr></table>")
    elif s.days:
        parts.append("<p><b>Dagen:</b> " + ", ".join(f"{dutch.date_short(d)}" for d in s.days) + "</p>")
    return "".join(parts)


class SignalsPage(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.today: Callable[[], dt.date] = dt.date.today
        self.inbox: Inbox | None = None
        self._stale = True
        self._pending = False
        self._own_change = False
        self._rules_checked = False

        # One row per pupil (how many children need attention), and the selected pupil's signals.
        self.pupil_model: PupilsModel = PupilsModel(PUPIL_COLUMNS)
        self.pupil_view, self.pupil_proxy = table_view(self.pupil_model, stretch=4)
        fit_columns(self.pupil_view, [26, 170, 75, 80, 280, 190, 110])
        self.model: SignalsModel = SignalsModel(COLUMNS)
        self.view, self.proxy = table_view(self.model, stretch=3)
        fit_columns(self.view, [26, 160, 70, 230, 90, 160, 50, 240, 110])
        self.view.setColumnHidden(1, True)  # the pupil is the one selected above
        self.view.setColumnHidden(2, True)
        self.signals_heading = QLabel()
        self.signals_heading.setMinimumHeight(self.signals_heading.fontMetrics().lineSpacing() + 4)

        self.date = DateEdit(self.today())
        self.group = QComboBox()
        self.group.setMinimumWidth(140)
        self.kind = QComboBox()
        for label, value in KIND_FILTERS:
            self.kind.addItem(label, value)
        self.refresh_button = QPushButton("&Vernieuwen")
        self.tier_label = QLabel()
        self.tier_label.setWordWrap(True)
        self.tier_label.setStyleSheet("color: #333;")
        # a wrapped label in a row gets too little height when the screen is full: keep room for its two lines
        self.tier_label.setMinimumHeight(2 * self.tier_label.fontMetrics().lineSpacing() + 4)
        self.state = QLabel()
        self.state.setWordWrap(True)
        self.state.setStyleSheet("color: #555;")

        self.melding_button = QPushButton("&Melding opstellen…")
        self.signaal_button = QPushButton("&Signaal zorgelijk verzuim opstellen…")
        self.gesprek_button = QPushButton("&Gesprek plannen…")
        self.dismiss_button = QPushButton("&Afwijzen…")
        self.dossier_button = QPushButton("&Dossier")
        self.letter_button = QPushButton("&Brief maken…")
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.detail = QTextBrowser()
        self.detail.setOpenLinks(False)

        title = QHBoxLayout()
        title.addWidget(QLabel("<h2>Signalen</h2>"))
        title.addSpacing(20)
        title.addWidget(self.tier_label, 1)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Datum:"))
        bar.addWidget(self.date)
        bar.addWidget(QLabel("Groep:"))
        bar.addWidget(self.group)
        bar.addWidget(QLabel("Soort:"))
        bar.addWidget(self.kind)
        bar.addWidget(self.refresh_button)
        bar.addWidget(self.state, 1)
        actions = QHBoxLayout()
        for b in (self.melding_button, self.signaal_button, self.gesprek_button, self.dismiss_button,
                  self.letter_button, self.dossier_button):
            actions.addWidget(b)
        actions.addStretch(1)
        middle = QWidget()
        middle_layout = QVBoxLayout(middle)
        middle_layout.setContentsMargins(0, 4, 0, 0)
        # The heading on a row of its own: beside the (wrapping) note it was squeezed to a letter.
        middle_layout.addWidget(self.signals_heading)
        middle_layout.addWidget(self.note)
        middle_layout.addWidget(self.view, 1)
        middle_layout.addLayout(actions)
        self.view.setMinimumHeight(70)
        self.pupil_view.setMinimumHeight(90)
        self.detail.setMinimumHeight(90)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.pupil_view)
        self.splitter.addWidget(middle)
        self.splitter.addWidget(self.detail)
        for i, factor in enumerate((3, 1, 2)):
            self.splitter.setStretchFactor(i, factor)
        self.splitter.setSizes([220, 190, 220])
        self.count_label = QLabel()
        layout = QVBoxLayout(self)
        layout.addLayout(title)
        layout.addLayout(bar)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.count_label)

        self.date.dateChanged.connect(lambda _d: self.request_refresh())
        self.group.currentIndexChanged.connect(lambda _i: self.request_refresh())
        self.kind.currentIndexChanged.connect(lambda _i: self.request_refresh())
        self.refresh_button.clicked.connect(self.request_refresh)
        self.melding_button.clicked.connect(lambda: self.draft_melding())
        self.signaal_button.clicked.connect(lambda: self.draft_signaal())
        self.gesprek_button.clicked.connect(lambda: self.plan_conversation())
        self.dismiss_button.clicked.connect(lambda: self.dismiss())
        self.dossier_button.clicked.connect(self.show_dossier)
        self.letter_button.clicked.connect(lambda: self.make_letter())
        self.view.doubleClicked.connect(lambda _i: self.show_dossier())
        self.pupil_view.doubleClicked.connect(lambda _i: self.show_dossier())
        self.pupil_view.selectionModel().selectionChanged.connect(lambda *_a: self._pupil_changed())
        self.view.selectionModel().selectionChanged.connect(lambda *_a: self._selection_changed())
        ctx.changed.connect(self._on_changed)
        self.reload_groups()
        self._selection_changed()
        self.state.setText("")

    # ------------------------------------------------------------------------------------ data
    def reload_groups(self) -> None:
        current = self.group.currentData()
        self.group.blockSignals(True)
        self.group.clear()
        self.group.addItem("alle groepen", None)
        for g in self.ctx.read(active_groups, include_composite=True):
            self.group.addItem(g.name, g.id)
        self.group.setCurrentIndex(max(self.group.findData(current), 0))
        self.group.blockSignals(False)

    def set_date(self, day: dt.date) -> None:
        self.date.blockSignals(True)
        self.date.set_date(day)
        self.date.blockSignals(False)

    def _on_changed(self, kinds: frozenset[str]) -> None:
        if GROUPS in kinds:
            self.reload_groups()
        if not kinds & REFRESH_ON or self._own_change:
            return
        if self.isVisible():
            self.request_refresh()
        else:
            self._stale = True

    def request_refresh(self) -> None:
        """Show "bezig…" and compute once the screen has painted (several requests make one computation)."""
        if self._pending:
            return
        self._pending = True
        self.state.setText("Bezig met berekenen van de signalen…")
        self.view.setEnabled(False)
        self.pupil_view.setEnabled(False)
        if self.isVisible():
            self.state.repaint()
        QTimer.singleShot(0, self._deferred_refresh)

    def _deferred_refresh(self) -> None:
        if self._pending:
            self.refresh()

    def refresh(self) -> None:
        """Compute the inbox now (tests call this directly)."""
        self._pending = False
        if not self._rules_checked:  # the default rules are stored once, so their ids stay the same
            self.ctx.run(set(), ensure_default_rules)
            self._rules_checked = True
        current = self.selected()
        key = current.signal.key if current else None
        started = dt.datetime.now()
        self.inbox = self.ctx.read(load_inbox, self.date.date_value(), self.group.currentData(),
                                   self.kind.currentData())  # fmt: skip
        seconds = (dt.datetime.now() - started).total_seconds()
        self._stale = False
        self.pupil_model.set_rows(per_pupil(self.inbox.rows))
        self.model.set_rows([])
        self.view.setEnabled(True)
        self.pupil_view.setEnabled(True)
        self.state.setText(f"berekend in {dutch.number(seconds, 1)} s")
        if key is None or not self.select_signal(key):
            if self.pupil_proxy.rowCount():
                self.pupil_view.selectRow(0)
        self._pupil_changed(keep=True)
        self._update_labels()
        self._selection_changed()

    def _update_labels(self) -> None:
        assert self.inbox is not None
        rows = self.inbox.rows
        mandatory = sum(1 for r in rows if r.signal.mandatory)
        overdue = sum(1 for r in rows if r.signal.mandatory and r.signal.school_days_due > 5)
        children = self.pupil_model.rowCount()
        text = (f"<b>{dutch.plural(children, 'leerling', 'leerlingen')}</b> met "
                f"{dutch.plural(len(rows), 'open signaal', 'open signalen')}")
        if mandatory:
            text += f" · {dutch.plural(mandatory, 'verplichte melding', 'verplichte meldingen')}"
            text += (f", waarvan <b style='color:{RED}'>{overdue} langer dan 5 schooldagen open</b>"
                     if overdue else "")
        self.count_label.setText(text)
        t = self.inbox.tiers
        scope = self.group.currentText() if self.group.currentData() is not None else "School"
        if t.start is None:
            self.tier_label.setText(f"{scope}: geen schooljaar ingericht voor deze datum.")
            return
        pct = f" · afwezig {dutch.percent(t.absent_pct)}" if t.absent_pct is not None else ""
        self.tier_label.setText(
            f"<b>{html.escape(scope)}</b> — niveau 1: {t.counts[1]} · niveau 2: {t.counts[2]} · "
            f"<span style='color:{RED if t.counts[3] else '#333'}'>niveau 3: {t.counts[3]}</span>{pct}"
            f"<br><span style='color:#666'>aanwezigheidsniveaus over {dutch.date_long(t.start)} t/m "
            f"{dutch.date_long(t.end)} (geoorloofd en ongeoorloofd verzuim samen)</span>"
        )  # fmt: skip

    def pupils(self) -> list[PupilSignals]:
        """The pupils in the order shown."""
        return [self.pupil_model.row_at(self.pupil_proxy.mapToSource(self.pupil_proxy.index(i, 0)).row())
                for i in range(self.pupil_proxy.rowCount())]  # fmt: skip

    def rows(self) -> list[InboxRow]:
        """Every open signal, pupil by pupil in the order shown."""
        return [row for pupil in self.pupils() for row in pupil.rows]

    def selected_pupil(self) -> PupilSignals | None:
        return selected_row(self.pupil_view, self.pupil_proxy)

    def selected(self) -> InboxRow | None:
        return selected_row(self.view, self.proxy)

    def select_signal(self, key: tuple[Any, ...]) -> bool:
        """Select the pupil of the signal with ``key``, then the signal itself."""
        for i, pupil in enumerate(self.pupils()):
            if any(r.signal.key == key for r in pupil.rows):
                self.pupil_view.selectRow(i)
                for j in range(self.proxy.rowCount()):
                    if self.model.row_at(self.proxy.mapToSource(self.proxy.index(j, 0)).row()).signal.key == key:
                        self.view.selectRow(j)
                        return True
        return False

    def _pupil_changed(self, keep: bool = False) -> None:
        """Show the selected pupil's signals and select the most urgent (or keep the one selected)."""
        pupil = self.selected_pupil()
        rows = list(pupil.rows) if pupil else []
        current = self.selected()
        if keep and current is not None and current in rows:
            return
        self.model.set_rows(rows)
        if pupil is None:
            self.signals_heading.setText("")
        else:
            name = html.escape(pupil.first.signal.pupil_name)
            self.signals_heading.setText(f"<b>Signalen van {name}</b> ({pupil.count_text()})")
        if self.proxy.rowCount():
            self.view.selectRow(0)
        self._selection_changed()

    def _selection_changed(self) -> None:
        row = self.selected()
        s = row.signal if row else None
        self.melding_button.setEnabled(s is not None and (s.mandatory or s.optional_melding))
        self.signaal_button.setEnabled(s is not None and s.kind in ("zorgelijk", "te_laat_ladder"))
        self.gesprek_button.setEnabled(s is not None)
        self.dismiss_button.setEnabled(s is not None)
        self.dossier_button.setEnabled(s is not None)
        self.letter_button.setEnabled(s is not None)
        if s is not None and s.kind == "zorg":
            self.note.setText(f"<span style='color:#5E35B1'>{CARE_NOTE}</span>")
        elif s is not None and s.optional_melding:
            self.note.setText("<span style='color:#5C7A99'>Melding mogelijk, niet verplicht (18+, V4): de school "
                              "mag melden, de leerling valt niet meer onder de meldplicht.</span>")  # fmt: skip
        elif s is not None and s.check:
            self.note.setText("<span style='color:#2F80ED'>Controleren: geen meldplicht. Was het een hele dag "
                              "naast de vakantie, registreer dan het verzuim; dan volgt de verplichte melding.</span>")
        elif s is not None and s.kind in ("zorgelijk", "te_laat_ladder"):
            self.note.setText("<span style='color:#666'>Een signaal zorgelijk verzuim alleen in situaties die de "
                              "schoolgids beschrijft.</span>")  # fmt: skip
        else:
            self.note.setText("")
        if row is None:
            empty = "Geen open signalen." if self.inbox is not None and not self.inbox.rows else \
                "Kies een signaal om de uitleg te zien."
            self.detail.setHtml(f"<p style='color:#666'>{empty}</p>")
        else:
            self.detail.setHtml(detail_html(row))

    # ------------------------------------------------------------------------------------ actions
    def _after(self, ok: bool) -> None:
        if ok:
            self.refresh()

    def _run_dialog(self, dialog: QDialog) -> bool:
        self._own_change = True
        try:
            return self.open_dialog(dialog)
        finally:
            self._own_change = False

    def draft_melding(self) -> int | None:
        row = self.selected()
        if row is None or not (row.signal.mandatory or row.signal.optional_melding):
            return None
        dialog = SignalMeldingDialog(self.ctx, row.signal, row.label, self.date.date_value(), self)
        ok = self._run_dialog(dialog) and dialog.melding_id is not None
        self._after(ok)
        if ok and dialog.melding_id is not None:
            if self.confirm("Melding opgesteld", "De melding is als concept opgesteld. Wilt u haar nu openen in "
                                                 "het scherm Meldingen om te controleren en te versturen?"):  # fmt: skip
                self.open_melding(dialog.melding_id)
            return dialog.melding_id
        return None

    def draft_signaal(self) -> int | None:
        row = self.selected()
        if row is None or row.signal.kind not in ("zorgelijk", "te_laat_ladder"):
            return None
        dialog = SignalMeldingDialog(self.ctx, row.signal, row.label, self.date.date_value(), self, zorgelijk=True)
        ok = self._run_dialog(dialog) and dialog.melding_id is not None
        self._after(ok)
        if ok and dialog.melding_id is not None:
            if self.confirm("Signaal opgesteld", "Het signaal zorgelijk verzuim is als concept-melding (soort O) "
                                                 "opgesteld. Wilt u het nu openen in het scherm Meldingen?"):  # fmt: skip
                self.open_melding(dialog.melding_id)
            return dialog.melding_id
        return None

    def plan_conversation(self) -> bool:
        row = self.selected()
        if row is None:
            return False
        dialog = PlanConversationDialog(self.ctx, row.signal, row.label, self.date.date_value(), self)
        ok = self._run_dialog(dialog) and dialog.done_ok
        self._after(ok)
        return ok

    def dismiss(self) -> bool:
        row = self.selected()
        if row is None:
            return False
        dialog = DismissDialog(self.ctx, row.signal, row.label, self)
        ok = self._run_dialog(dialog) and dialog.done_ok
        self._after(ok)
        return ok

    def make_letter(self) -> Any:
        """The letter to the parents that fits the selected signal (ui/letters/dialog.py)."""
        row = self.selected()
        if row is None:
            return None
        dialog = open_letter_dialog(self.ctx, self, lambda s: signal_moment(s, row.signal), self.date.date_value(),
                                    self.open_dialog)  # fmt: skip
        self._after(bool(dialog and dialog.made))
        return dialog

    def show_dossier(self) -> None:
        row = self.selected()
        if row is not None:
            self.open_dossier(row.signal.pupil_id)

    # ------------------------------------------------------------------------------------ hooks (tests replace)
    def open_dialog(self, dialog: QDialog) -> bool:
        return bool(dialog.exec())

    def confirm(self, title: str, question: str) -> bool:
        return confirm(self, title, question)

    def open_melding(self, melding_id: int) -> None:
        window = self.window()
        if hasattr(window, "show_page"):
            page = window.show_page("Meldingen")
            page.refresh()  # type: ignore[attr-defined]
            page.select_melding(melding_id)  # type: ignore[attr-defined]

    def open_dossier(self, pupil_id: int) -> None:
        window = self.window()
        if hasattr(window, "show_page"):
            window.show_page("Dossier").show_pupil(pupil_id)  # type: ignore[attr-defined]

    def on_shown(self) -> None:
        if self.inbox is None:
            self.set_date(self.today())
        if self._stale or self.inbox is None or self.inbox.on != self.date.date_value():
            self.request_refresh()

    def _layout_parts(self) -> tuple[tuple[str, Any], ...]:
        return (("signalen/kolommen", self.view.horizontalHeader()),
                ("signalen/leerlingkolommen", self.pupil_view.horizontalHeader()),
                ("signalen/verdeling", self.splitter))  # fmt: skip

    def save_state(self, settings: QSettings) -> None:
        for key, target in self._layout_parts():
            settings.setValue(key, target.saveState())

    def restore_state(self, settings: QSettings) -> None:
        for key, target in self._layout_parts():
            state = settings.value(key)
            if state:
                target.restoreState(state)
