"""Signalen: the morning inbox — a due 16-hour melding on top with its days, drafted into a Melding in one
step; dismissing needs a reason and new absence brings the signal back marked; care signals never get a
melding; tiers in the register grid and the Leerlingen list."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QDialog
from sqlmodel import select

from tests.builders import build_small_school
from tests.signals.util import absent
from verzuimdesk.model.register.entries import report_absence
from verzuimdesk.model.register.tiers import TierPolicy, save_tier_policy
from verzuimdesk.model.register.view import load_register_day
from verzuimdesk.model.tables.law import Melding, SignalHandling
from verzuimdesk.ui.context import AppContext
from verzuimdesk.ui.register.grid import TIER_ROLE, RegisterGridModel
from verzuimdesk.ui.signals.dialogs import DismissDialog, PlanConversationDialog, SignalMeldingDialog
from verzuimdesk.ui.signals.models import DUTY_COLUMN, NEW_COLUMN, SINCE_COLUMN
from verzuimdesk.ui.signals.page import SignalsPage

D = dt.date
TODAY = D(2025, 11, 10)


@pytest.fixture
def setup(qtbot, sqlite_db):  # type: ignore[no-untyped-def]
    school = build_small_school(sqlite_db)
    piet = school.pupils["1001"]
    with sqlite_db.transaction() as s:
        absent(s, piet, D(2025, 11, 3))  # 6 h
        absent(s, piet, D(2025, 11, 4))  # 12 h
        absent(s, piet, D(2025, 11, 5), range(1, 5))  # 16 h = 960 minutes: V3 due on Wednesday 5 November
    ctx = AppContext(sqlite_db)
    messages: list[str] = []
    ctx.show_error = messages.append
    page = SignalsPage(ctx)
    page.today = lambda: TODAY
    page.set_date(TODAY)
    page.confirm = lambda *_a: False  # type: ignore[method-assign]
    qtbot.addWidget(page)
    page.refresh()
    return ctx, page, school, messages


def _select(page: SignalsPage, pupil_id: int, kind: str) -> None:
    for row in page.rows():
        if row.signal.pupil_id == pupil_id and row.signal.kind == kind:
            assert page.select_signal(row.signal.key)
            return
    raise AssertionError(f"geen signaal {kind} voor leerling {pupil_id}")


def test_mandatory_v3_on_top_with_its_days_and_explanation(setup) -> None:  # type: ignore[no-untyped-def]
    _ctx, page, school, messages = setup
    first = page.rows()[0]
    assert first.signal.kind == "V3" and first.signal.pupil_id == school.pupils["1001"]
    assert first.label == "16 uur in 4 lesweken (V3)"
    assert first.signal.minutes == 960 and first.signal.days_overdue == 5
    index = page.proxy.index(0, SINCE_COLUMN)
    # issue 9 point 1: a duty says since how many school days it is due (Wed 5 Nov → Mon 10 Nov: 6, 7, 10 Nov)
    assert page.proxy.data(index) == "sinds 3 schooldagen – meld nu"
    assert first.signal.school_days_due == 3
    assert page.proxy.data(page.proxy.index(0, DUTY_COLUMN)) == "verplicht"
    assert page.proxy.data(index, Qt.ItemDataRole.ForegroundRole).name().lower() == "#b00020"
    assert page.selected() is first
    detail = page.detail.toPlainText()
    assert "Uren per lesweek" in detail and "16,00" in detail and "Het verzuim erachter" in detail
    assert page.melding_button.isEnabled() and not page.signaal_button.isEnabled()
    assert "niveau 1:" in page.tier_label.text() and "1 open signaal" in page.count_label.text()
    assert not messages


def test_melding_opstellen_creates_the_melding_and_the_signal_disappears(setup, qtbot, sqlite_db) -> None:  # type: ignore[no-untyped-def]
    ctx, page, school, messages = setup
    signal = page.rows()[0].signal
    opened: list[int] = []
    page.open_melding = opened.append  # type: ignore[method-assign]
    page.confirm = lambda *_a: True  # type: ignore[method-assign]

    def fill(dialog: QDialog) -> bool:
        assert isinstance(dialog, SignalMeldingDialog)
        qtbot.addWidget(dialog)
        assert dialog.kind.currentData() == "V3"
        assert dialog.begin.date_value() == signal.begin and dialog.end.optional_value() == signal.end
        dialog.presumed_reason.setText("Spijbelt met een vriend")
        dialog.school_action.setText("Gesprek met moeder gepland")
        dialog.accept()
        return dialog.result() == QDialog.DialogCode.Accepted

    page.open_dialog = fill  # type: ignore[method-assign]
    melding_id = page.draft_melding()
    assert melding_id is not None and opened == [melding_id] and not messages
    with sqlite_db.session() as s:
        melding = s.get(Melding, melding_id)
        assert melding is not None and melding.kind == "V3"
        assert (melding.begin_date, melding.end_date) == (D(2025, 11, 3), D(2025, 11, 5))
        assert melding.minutes_unauthorised == 960 and melding.presumed_reason == "Spijbelt met een vriend"
        handling = s.exec(select(SignalHandling)).one()
        assert handling.action == "melding" and handling.melding_id == melding_id
    assert all(r.signal.kind != "V3" for r in page.rows())


def test_dismiss_needs_a_reason_and_new_absence_brings_it_back(setup, qtbot, sqlite_db) -> None:  # type: ignore[no-untyped-def]
    ctx, page, school, messages = setup
    sanne = school.pupils["1002"]
    with sqlite_db.transaction() as s:
        absent(s, sanne, D(2025, 11, 3))
        absent(s, sanne, D(2025, 11, 4), range(1, 3))  # 8 h: zorgelijk (default rule: 8 uur in 4 lesweken)
    ctx.changed.emit(frozenset({"register"}))
    page.refresh()
    _select(page, sanne, "zorgelijk")
    assert page.selected().label.startswith("Zorgelijk verzuim: ")  # type: ignore[union-attr]
    assert page.signaal_button.isEnabled() and not page.melding_button.isEnabled()
    reasons = ["", "Afspraak met ouders, verzuim is besproken"]

    def fill(dialog: QDialog) -> bool:
        assert isinstance(dialog, DismissDialog)
        qtbot.addWidget(dialog)
        dialog.reason.setPlainText(reasons.pop(0))
        dialog.accept()
        return dialog.result() == QDialog.DialogCode.Accepted

    page.open_dialog = fill  # type: ignore[method-assign]
    assert not page.dismiss()  # empty reason: refused, nothing stored
    with sqlite_db.session() as s:
        assert s.exec(select(SignalHandling)).all() == []
    _select(page, sanne, "zorgelijk")
    assert page.dismiss()
    assert all(not (r.signal.pupil_id == sanne and r.signal.kind == "zorgelijk") for r in page.rows())
    with sqlite_db.transaction() as s:
        absent(s, sanne, D(2025, 11, 4), [3])  # new absence behind the same signal
    page.refresh()
    back = next(r for r in page.rows() if r.signal.pupil_id == sanne and r.signal.kind == "zorgelijk")
    assert back.signal.new_since_handling
    assert page.select_signal(back.signal.key)
    row = page.view.selectionModel().selectedRows()[0].row()
    assert page.proxy.data(page.proxy.index(row, NEW_COLUMN)) == "nieuw verzuim"
    pupil = page.selected_pupil()
    assert pupil is not None and pupil.pupil_id == sanne
    assert page.pupil_proxy.data(page.pupil_proxy.index(page.pupils().index(pupil), 6)) == "nieuw verzuim"
    assert not messages


def test_care_signal_has_no_melding_action(setup, qtbot, sqlite_db) -> None:  # type: ignore[no-untyped-def]
    ctx, page, school, messages = setup
    noor = school.pupils["2001"]
    with sqlite_db.transaction() as s:
        report_absence(s, noor, D(2025, 11, 3), D(2025, 11, 11), "Z", by="ouder")  # the 7th school day sick
    page.set_date(D(2025, 11, 12))
    page.refresh()
    _select(page, noor, "zorg")
    row = page.selected()
    assert row is not None and row.label.startswith("Zorgsignaal (MAZL): ")
    assert not page.melding_button.isEnabled() and not page.signaal_button.isEnabled()
    assert page.gesprek_button.isEnabled() and page.dismiss_button.isEnabled()
    assert "geen melding: zorgsignaal voor intern begeleider / jeugdarts" in page.note.text().lower()
    assert page.draft_melding() is None and page.draft_signaal() is None

    def plan(dialog: QDialog) -> bool:
        assert isinstance(dialog, PlanConversationDialog)
        qtbot.addWidget(dialog)
        dialog.date.set_date(D(2025, 11, 14))
        dialog.accept()
        return True

    page.open_dialog = plan  # type: ignore[method-assign]
    assert page.plan_conversation()
    assert all(not (r.signal.pupil_id == noor and r.signal.kind == "zorg") for r in page.rows())
    assert not messages


def test_tier_badge_in_register_and_column_in_leerlingen(setup, qtbot, sqlite_db) -> None:  # type: ignore[no-untyped-def]
    from verzuimdesk.ui.setup.pupils import PupilsPage

    ctx, page, school, messages = setup
    with sqlite_db.transaction() as s:
        save_tier_policy(s, TierPolicy(weeks=2))  # the last 2 weeks: 16 of 60 hours absent = 26,7 %: niveau 3
    with sqlite_db.session() as s:
        view = load_register_day(s, school.g5, TODAY)
    model = RegisterGridModel()
    model.set_view(view)
    rows = {r.pupil_id: i for i, r in enumerate(view.rows)}
    piet = rows[school.pupils["1001"]]
    assert model.headerData(piet, Qt.Orientation.Vertical, TIER_ROLE) == 3
    assert isinstance(model.headerData(piet, Qt.Orientation.Vertical, Qt.ItemDataRole.DecorationRole), QIcon)
    assert "Niveau 3" in model.headerData(piet, Qt.Orientation.Vertical, Qt.ItemDataRole.ToolTipRole)
    assert model.headerData(rows[school.pupils["1003"]], Qt.Orientation.Vertical, TIER_ROLE) == 1

    pupils = PupilsPage(ctx)
    qtbot.addWidget(pupils)
    pupils.today = lambda: TODAY
    pupils.refresh()
    column = [c.header for c in pupils.model.columns].index("Niveau")
    shown = {pupils.model.row_at(i).key: pupils.model.data(pupils.model.index(i, column))
             for i in range(pupils.model.rowCount())}
    assert shown["1001"] == "niveau 3" and shown["1003"] == "niveau 1"
    page.refresh()
    assert "niveau 3: 1" in page.tier_label.text()


def test_signal_badges_are_symbols_that_no_reason_code_can_be() -> None:
    from verzuimdesk.model.school.reasons import DEFAULT_REASONS
    from verzuimdesk.ui.signals.models import MARKERS

    badges = [text for text, _colour, _tip in MARKERS.values()]
    assert len(set(badges)) == len(badges)
    assert not any(ch.isalnum() for badge in badges for ch in badge)  # a letter would read as a reason code
    assert not set(badges) & {code for code, *_rest in DEFAULT_REASONS}


def test_lrv_is_drafted_with_an_open_einddatum_and_a_check_has_no_melding(setup, qtbot, sqlite_db) -> None:  # type: ignore[no-untyped-def]
    """Issue 9: the LRV melding starts with an open einddatum; "controleren" offers no melding."""
    ctx, page, school, _messages = setup
    sanne, emre = school.pupils["1002"], school.pupils["1003"]
    with sqlite_db.transaction() as s:
        for day in [D(2025, 10, 6) + dt.timedelta(days=n) for n in range(36)]:
            if day.weekday() < 5 and not D(2025, 10, 18) <= day <= D(2025, 10, 26):
                absent(s, sanne, day)  # from 6 October, over the autumn holiday, still away
        absent(s, emre, D(2025, 10, 17), [6])  # the last lesson before the autumn holiday
    page.refresh()
    _select(page, emre, "luxe_controle")
    row = page.view.selectionModel().selectedRows()[0].row()
    assert page.proxy.data(page.proxy.index(row, DUTY_COLUMN)) == "controleren"
    assert not page.melding_button.isEnabled()
    _select(page, sanne, "LRV")
    assert page.melding_button.isEnabled()
    seen: list[object] = []

    def fill(dialog: QDialog) -> bool:
        assert isinstance(dialog, SignalMeldingDialog)
        qtbot.addWidget(dialog)
        seen.append((dialog.kind.currentData(), dialog.end.optional_value()))
        return False

    page.open_dialog = fill  # type: ignore[method-assign]
    page.draft_melding()
    assert seen == [("LRV", None)]


def test_the_inbox_has_one_row_per_pupil_with_the_count(qtbot, sqlite_db) -> None:  # type: ignore[no-untyped-def]
    """A morning shows how many children need attention: the demo school's signals grouped per pupil, the
    pupil with the most urgent signal first, and the selected pupil's signals listed below."""
    from verzuimdesk.demo import create_demo_school

    today = D(2026, 11, 23)
    create_demo_school(sqlite_db, today=today)
    ctx = AppContext(sqlite_db)
    ctx.show_error = lambda _m: None
    page = SignalsPage(ctx)
    qtbot.addWidget(page)
    page.today = lambda: today
    page.set_date(today)
    page.refresh()
    assert page.inbox is not None
    signals = page.inbox.rows
    pupils = page.pupils()
    children = {r.signal.pupil_id for r in signals}
    assert len(pupils) == len(children) < len(signals)  # some child has more than one signal
    assert sorted(r.signal.key for r in page.rows()) == sorted(r.signal.key for r in signals)
    assert pupils[0].first is signals[0]  # the most urgent signal's pupil on top
    several = next(p for p in pupils if len(p.rows) > 1)
    index = pupils.index(several)
    assert page.pupil_proxy.data(page.pupil_proxy.index(index, 3)) == f"{len(several.rows)} signalen"
    assert page.pupil_proxy.data(page.pupil_proxy.index(index, 4)).startswith(several.first.label + " + ")
    page.pupil_view.selectRow(index)
    listed = [page.model.row_at(page.proxy.mapToSource(page.proxy.index(i, 0)).row()) for i in range(page.proxy.rowCount())]
    assert listed == list(several.rows) and page.selected() == several.first
    assert several.first.signal.pupil_name in page.signals_heading.text()
    assert page.count_label.text().startswith(f"<b>{len(children)} leerlingen</b> met {len(signals)} open signalen")
