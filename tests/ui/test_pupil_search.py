"""Search "Voornaam Achternaam" finds the pupil on every screen with a search (issue 12 point 6), whether
the list shows "Roepnaam voorvoegsel Achternaam" or "Achternaam, Roepnaam voorvoegsel"."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import QSettings

from verzuimdesk.demo import create_demo_school
from verzuimdesk.model.school.names import display_name, name_matches, sort_name
from verzuimdesk.model.tables import Pupil
from verzuimdesk.ui.context import AppContext
from verzuimdesk.ui.main_window import MainWindow

TODAY = dt.date(2026, 11, 23)


def _shown(page) -> list[str]:  # type: ignore[no-untyped-def]
    proxy = page.proxy
    return [str(proxy.index(i, 1).data()) for i in range(proxy.rowCount())]


def test_first_and_last_name_find_the_pupil_on_every_screen(qtbot, sqlite_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    create_demo_school(sqlite_db, today=TODAY)
    ctx = AppContext(sqlite_db)
    ctx.show_error = lambda _m: None
    window = MainWindow(ctx, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)

    leave = window.show_page("Verlof")
    leave.today = lambda: TODAY
    leave.refresh()
    someone = leave.model.rows[0].pupil_name  # "Roepnaam [voorvoegsel] Achternaam"
    first, last = someone.split()[0], someone.split()[-1]
    leave.search.setText(f"{first} {last}")
    assert leave.proxy.rowCount() >= 1 and all(r.request.pupil_id == leave.model.rows[0].request.pupil_id
                                               for r in (leave.model.row_at(leave.proxy.mapToSource(
                                                   leave.proxy.index(i, 0)).row()) for i in range(leave.proxy.rowCount())))

    meldingen = window.show_page("Meldingen")
    meldingen.refresh()
    named = meldingen.model.rows[0].pupil_name
    meldingen.search.setText(f"{named.split()[-1]} {named.split()[0]}")  # the other way round
    assert meldingen.proxy.rowCount() >= 1
    assert all(meldingen.model.row_at(meldingen.proxy.mapToSource(meldingen.proxy.index(i, 0)).row()).pupil_name
               == named for i in range(meldingen.proxy.rowCount()))

    pupils = window.show_page("Leerlingen")
    pupils.search.setText(f"{first} {last}")
    assert pupils.proxy.rowCount() >= 1
    assert all(first in n and last in n for n in _shown(pupils))

    overviews = window.show_page("Overzichten")
    overviews.search.setText(f"{first} {last}")  # the list says "Achternaam, Roepnaam voorvoegsel (nummer)"
    visible = [overviews.pupil_list.item(i).text() for i in range(overviews.pupil_list.count())
               if not overviews.pupil_list.item(i).isHidden()]
    assert visible and all(n.startswith(last) and first in n for n in visible)

    dossier = window.show_page("Dossier")
    picker = dossier.picker
    picker.lineEdit().setText(f"{first} {last}")
    picker.lineEdit().textEdited.emit(f"{first} {last}")
    offered = [str(picker.matches.index(i, 0).data()) for i in range(picker.matches.rowCount())]
    assert offered and all(first in o and last in o for o in offered)
    assert any(o.startswith(someone) for o in offered)


names = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéë-'", min_size=1, max_size=12)


@given(first=names, prefix=st.sampled_from(["", "van", "de", "van der", "el"]), last=names)
def test_every_spelling_of_a_name_matches_both_ways_of_writing_it(first: str, prefix: str, last: str) -> None:
    pupil = Pupil(key="1", roepnaam=first.title(), voorvoegsel=prefix, achternaam=last.title())
    shown = (display_name(pupil), sort_name(pupil))
    for query in (f"{first} {last}", f"{last} {first}", f"{first} {prefix} {last}", f"{last}, {first}",
                  first.upper(), last):
        assert name_matches(query, *shown[:1]) and name_matches(query, *shown[1:]), query
    assert name_matches("", "iets")
    assert not name_matches(f"{first} {last}0", *shown)  # a word that is in neither
