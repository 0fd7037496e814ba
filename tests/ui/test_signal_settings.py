"""Instellingen → Signalering: a zorgelijk rule edited changes its schoolgids text and what is detected; an
impossible rule is refused in Dutch; the lateness policy changes the counted minutes."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtWidgets import QDialog
from sqlmodel import select

from tests.builders import build_small_school
from tests.signals.util import absent, late
from verzuimdesk.model.law.signals import compute_signals
from verzuimdesk.model.law.signals.policy import get_lateness_policy
from verzuimdesk.model.register.tiers import get_tier_policy
from verzuimdesk.model.tables.law import RuleKind, SignalRule
from verzuimdesk.ui.context import AppContext
from verzuimdesk.ui.setup.settings import SettingsPage
from verzuimdesk.ui.setup.signal_settings import RuleDialog, SignalSettings

D = dt.date
TODAY = D(2025, 11, 10)


@pytest.fixture
def setup(qtbot, sqlite_db):  # type: ignore[no-untyped-def]
    school = build_small_school(sqlite_db)
    ctx = AppContext(sqlite_db)
    messages: list[str] = []
    ctx.show_error = messages.append
    widget = SignalSettings(ctx)
    qtbot.addWidget(widget)
    widget.refresh()
    return ctx, widget, school, messages


def _kinds(db, pupil_id: int, only: str | None = None, on: dt.date = TODAY) -> list[tuple[str, int]]:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        return [(x.kind, x.minutes) for x in compute_signals(s, on, [pupil_id]) if only in (None, x.kind)]


def _select_kind(widget: SignalSettings, kind: RuleKind) -> SignalRule:
    for i in range(widget.rules_proxy.rowCount()):
        rule = widget.rules_model.row_at(widget.rules_proxy.mapToSource(widget.rules_proxy.index(i, 0)).row())
        if rule.kind == kind.value:
            widget.rules.selectRow(i)
            return rule
    raise AssertionError(kind)


def test_tab_is_in_instellingen(qtbot, sqlite_db) -> None:  # type: ignore[no-untyped-def]
    build_small_school(sqlite_db)
    page = SettingsPage(AppContext(sqlite_db))
    qtbot.addWidget(page)
    labels = [page.tabs.tabText(i).replace("&", "") for i in range(page.tabs.count())]
    assert "Signalering" in labels


def test_edited_rule_changes_description_and_detection(setup, qtbot, sqlite_db) -> None:  # type: ignore[no-untyped-def]
    ctx, widget, school, messages = setup
    sanne = school.pupils["1002"]
    with sqlite_db.transaction() as s:
        absent(s, sanne, D(2025, 11, 3), range(1, 5))  # 4 hours unauthorised: below the default 8
    assert _kinds(sqlite_db, sanne) == []
    assert widget.rules_model.rowCount() == 7  # the default rules
    rule = _select_kind(widget, RuleKind.HOURS_UNAUTHORISED)
    assert "samen 8 uur of meer" in rule.description

    def fill(threshold: int, weeks: int):  # type: ignore[no-untyped-def]
        def run(dialog: QDialog) -> bool:
            assert isinstance(dialog, RuleDialog)
            qtbot.addWidget(dialog)
            dialog.threshold.setValue(threshold)
            dialog.weeks.setValue(weeks)
            assert f"samen {threshold} uur of meer" in dialog.preview.text()
            dialog.accept()
            return dialog.result() == QDialog.DialogCode.Accepted
        return run

    widget.open_dialog = fill(16, 4)  # type: ignore[method-assign]
    widget.edit_rule()
    assert messages and "16 uur" in messages[-1]  # refused: above the zorgelijk range (art. 21a Lpw)
    messages.clear()
    widget.open_dialog = fill(4, 6)  # type: ignore[method-assign]
    widget.edit_rule()
    assert not messages
    with sqlite_db.session() as s:
        stored = s.get(SignalRule, rule.id)
        assert stored is not None and stored.threshold == 4 and stored.weeks == 6
        assert stored.description.startswith("De leerling is in 6 opeenvolgende lesweken samen 4 uur of meer")
    shown = widget.rules_model.rows[[r.id for r in widget.rules_model.rows].index(rule.id)]
    assert shown.description == stored.description
    assert _kinds(sqlite_db, sanne) == [("zorgelijk", 240)]

    _select_kind(widget, RuleKind.HOURS_UNAUTHORISED)
    widget.toggle_rule()  # off: no longer applied
    assert _kinds(sqlite_db, sanne) == []


def test_lateness_policy_changes_the_minutes(setup, sqlite_db) -> None:  # type: ignore[no-untyped-def]
    ctx, widget, school, messages = setup
    emre = school.pupils["1003"]
    with sqlite_db.transaction() as s:
        for day in (D(2025, 11, 3), D(2025, 11, 4), D(2025, 11, 5)):
            late(s, emre, day, 10)  # three times 10 minutes late: ladder step 1
    assert _kinds(sqlite_db, emre, "te_laat_ladder") == [("te_laat_ladder", 30)]
    widget.mode.setCurrentIndex(widget.mode.findData("hele_les"))
    assert widget.save_policies() and not messages
    assert _kinds(sqlite_db, emre, "te_laat_ladder") == [("te_laat_ladder", 180)]
    widget.mode.setCurrentIndex(widget.mode.findData("vast_aantal"))
    widget.fixed.setValue(25)
    widget.tier_period.setCurrentIndex(1)
    widget.tier_weeks.setValue(6)
    widget.niveau2.setValue(4)
    assert widget.save_policies()
    assert _kinds(sqlite_db, emre, "te_laat_ladder") == [("te_laat_ladder", 75)]
    with sqlite_db.session() as s:
        assert get_lateness_policy(s).fixed_minutes == 25
        tier = get_tier_policy(s)
        assert (tier.niveau2_from, tier.weeks) == (4.0, 6)
    widget.ladder_on.setChecked(False)
    assert widget.save_policies()
    assert _kinds(sqlite_db, emre, "te_laat_ladder") == []


def test_bad_policy_is_refused_in_dutch(setup, sqlite_db) -> None:  # type: ignore[no-untyped-def]
    ctx, widget, school, messages = setup
    widget.niveau2.setValue(12)  # above niveau 3 (10 %)
    assert not widget.save_policies()
    assert messages and "niveau 3" in messages[-1]
    widget.refresh()
    widget.ladder.item(1, 0).setText("x")
    assert not widget.save_policies()
    assert "stap 2" in messages[-1]
    with sqlite_db.session() as s:
        assert s.exec(select(SignalRule)).all()  # the default rules are stored once
        assert get_tier_policy(s).niveau2_from == 5.0
