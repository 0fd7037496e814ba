"""The Privacy screen: purge after confirmation, inzage ZIP, deletion with the retention warning (issue 11)."""

from __future__ import annotations

import zipfile
from pathlib import Path

from sqlmodel import select

from tests.builders import SmallSchool
from tests.security.test_retention_inzage import TODAY, school  # noqa: F401  (the fixture)
from verzuimdesk.model.db import Database
from verzuimdesk.model.tables import AuditLog, Pupil
from verzuimdesk.ui.context import AppContext
from verzuimdesk.ui.security.privacy import PrivacyPage


def page_for(qtbot, db: Database) -> tuple[PrivacyPage, list[str], list[str]]:  # type: ignore[no-untyped-def]
    ctx = AppContext(db)
    errors: list[str] = []
    ctx.show_error = errors.append
    page = PrivacyPage(ctx, today=lambda: TODAY)
    qtbot.addWidget(page)
    questions: list[str] = []
    page.confirm = lambda title, text: questions.append(text) or True
    return page, errors, questions


def test_purge_lists_the_due_pupil_and_removes_after_confirmation(qtbot, school: SmallSchool,  # noqa: F811  # type: ignore[no-untyped-def]
                                                                  sqlite_db: Database) -> None:
    page, errors, questions = page_for(qtbot, sqlite_db)
    assert page.model.rowCount() == 1 and page.model.rows[0].key == "2001"
    assert "tot 5 jaar na uitschrijving" in page.retention.text()
    page.purge_selected()
    assert "Kies eerst" in page.message.text() and questions == []
    page.view.selectAll()
    page.purge_selected()
    assert "- Noor Visser: leerlinggegevens 1" in questions[0] and "registraties 2" in questions[0]
    assert "niet ongedaan" in questions[0]
    assert errors == [] and page.model.rowCount() == 0 and not page.purge_button.isEnabled()
    with sqlite_db.session() as s:
        assert s.get(Pupil, school.pupils["2001"]) is None


def test_inzage_export_is_written_where_chosen(qtbot, school: SmallSchool, sqlite_db: Database,  # noqa: F811  # type: ignore[no-untyped-def]
                                               tmp_path: Path) -> None:
    page, errors, _questions = page_for(qtbot, sqlite_db)
    page.pupil.setCurrentIndex(page.pupil.findData(school.pupils["1001"]))
    target = tmp_path / "inzage.zip"
    page.ask_path = lambda default: str(target)
    page.export_inzage()
    assert errors == [] and "opgeslagen" in page.message.text()
    assert {"inzage.pdf", "gegevens.json"} <= set(zipfile.ZipFile(target).namelist())


def test_deleting_within_the_retention_warns_and_needs_a_reason(qtbot, school: SmallSchool,  # noqa: F811  # type: ignore[no-untyped-def]
                                                                sqlite_db: Database) -> None:
    page, errors, questions = page_for(qtbot, sqlite_db)
    page.pupil.setCurrentIndex(page.pupil.findData(school.pupils["1002"]))
    page.ask_reason = lambda text: ""
    page.delete_pupil()
    assert "wettelijke bewaartermijn" in questions[0] and "Zonder reden" in page.message.text()
    page.ask_reason = lambda text: "per vergissing ingeschreven"
    page.delete_pupil()
    assert errors == []
    with sqlite_db.session() as s:
        assert s.get(Pupil, school.pupils["1002"]) is None
        line = s.exec(select(AuditLog).where(AuditLog.action.startswith("verwijderd op verzoek"))).one()  # type: ignore[attr-defined]
    assert "per vergissing ingeschreven" in line.detail
