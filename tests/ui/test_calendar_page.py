"""Kalender: year view, counts, days off add/edit/delete, a new school year."""

from __future__ import annotations

import datetime as dt

import pytest

from verzuimdesk.model.tables import DayOff, DayOffKind
from verzuimdesk.ui.setup.calendar import CalendarPage, DayOffDialog

TODAY = dt.date(2025, 11, 3)


@pytest.fixture
def setup(small_school_page):  # type: ignore[no-untyped-def]
    return small_school_page(CalendarPage, TODAY, confirm=lambda _q: True)


def test_year_view_shows_months_counts_and_lesweken(setup) -> None:  # type: ignore[no-untyped-def]
    _ctx, page, _school, _ = setup
    assert page.year_combo.currentText() == "2025-2026"
    assert len(page.year_view.months) == 12 and page.year_view.months[0].month == 8
    ov = page.overview
    assert ov is not None and ov.lesweek_number(dt.date(2025, 8, 25)) == 1
    assert f"{ov.school_days}</b> schooldagen" in page.counts.text()
    october = page.year_view.months[2]
    assert "Herfstvakantie" in october.tooltip_for(dt.date(2025, 10, 21))
    assert october.tooltip_for(dt.date(2025, 10, 28)).endswith("schooldag")


def test_add_studiedag_changes_counts(setup, qtbot) -> None:  # type: ignore[no-untyped-def]
    ctx, page, _school, messages = setup
    before_days, before_weeks = page.overview.school_days, len(page.overview.lesweken)

    def fill(dialog: DayOffDialog) -> bool:
        dialog.description.setText("")
        dialog.date_from.set_date(dt.date(2025, 11, 10))
        dialog.date_to.set_date(dt.date(2025, 11, 14))
        dialog.accept()  # no description: refused
        assert "omschrijving" in messages[-1] and dialog.error.text() == messages[-1]
        qtbot.keyClicks(dialog.description, "Studieweek team")
        dialog.accept()
        return dialog.result() == 1

    page.open_dialog = fill  # type: ignore[method-assign]
    page.add_day_off()
    assert page.overview.school_days == before_days - 5
    assert len(page.overview.lesweken) == before_weeks - 1
    assert f"<b>{before_weeks - 1}</b> lesweken" in page.counts.text()
    row = next(r for r in page.model.rows if r.description == "Studieweek team")
    assert row.kind == "Studiedag"

    # edit: only the Monday remains
    def shorten(dialog: DayOffDialog) -> bool:
        dialog.date_to.set_date(dt.date(2025, 11, 10))
        dialog.accept()
        return dialog.result() == 1

    def select_studieweek() -> None:
        page.view.selectRow(next(i for i in range(page.proxy.rowCount())
                                 if page.proxy.index(i, 3).data() == "Studieweek team"))

    page.open_dialog = shorten  # type: ignore[method-assign]
    select_studieweek()
    page.edit_selected()
    assert page.overview.school_days == before_days - 1 and len(page.overview.lesweken) == before_weeks
    select_studieweek()
    page.delete_selected()
    assert page.overview.school_days == before_days
    with ctx.db.session() as s:
        from sqlmodel import select

        assert s.exec(select(DayOff).where(DayOff.description == "Studieweek team")).first() is None


def test_group_friday_afternoon_free(setup) -> None:  # type: ignore[no-untyped-def]
    ctx, page, school, messages = setup
    dialog = DayOffDialog(ctx, None, page, default_date=dt.date(2025, 8, 1))
    dialog.date_to.set_date(dt.date(2026, 7, 31))
    dialog.kind.setCurrentIndex(dialog.kind.findData(DayOffKind.OTHER.value))
    dialog.description.setText("Vrijdagmiddag vrij")
    dialog.group.setCurrentIndex(dialog.group.findData(school.g12))
    dialog.weekday.setCurrentIndex(dialog.weekday.findData(4))
    dialog.part.setChecked(True)
    dialog.start.set_minutes(720)
    dialog.end.set_minutes(870)
    dialog.accept()
    assert dialog.result() == 1 and not messages
    september = page.year_view.months[1]
    assert "Vrijdagmiddag vrij (Groep 1/2 12:00–14:30)" in september.tooltip_for(dt.date(2025, 9, 5))
    row = next(r for r in page.model.rows if r.description == "Vrijdagmiddag vrij")
    assert (row.group, row.weekday, row.times) == ("Groep 1/2", "vr", "12:00–14:30")


def test_new_school_year_from_regional_table(setup) -> None:  # type: ignore[no-untyped-def]
    _ctx, page, _school, messages = setup
    page.create_next_year()
    assert not messages and page.year_combo.currentText() == "2026-2027"
    assert any(r.description == "Kerstvakantie" for r in page.model.rows)
    assert page.overview is not None and len(page.overview.lesweken) > 30
