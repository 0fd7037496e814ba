"""DUO-levering page: the period picker, the preview per subdivision and total, the settings dialog, the
export of both files with the delivery log; the Meldingen page's three export buttons."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog

from tests.duo.conftest import build_duo_school
from verzuimdesk.model.law.exports import melding_exports
from verzuimdesk.model.law.meldingen import create_melding
from verzuimdesk.model.register.entries import report_absence
from verzuimdesk.model.school.records import get_school
from verzuimdesk.ui.context import AppContext
from verzuimdesk.ui.documents.duo import CUSTOM, AggregateSettingsDialog, DuoPage
from verzuimdesk.ui.main_window import PAGES
from verzuimdesk.ui.meldingen.page import MeldingenPage

D = dt.date
GOLDEN = Path(__file__).resolve().parents[1] / "duo" / "golden"


@pytest.fixture
def setup(qtbot, sqlite_db):  # type: ignore[no-untyped-def]
    duo = build_duo_school(sqlite_db)
    ctx = AppContext(sqlite_db)
    messages: list[str] = []
    ctx.show_error = messages.append
    return ctx, duo, messages


def _page(qtbot, ctx: AppContext) -> DuoPage:  # type: ignore[no-untyped-def]
    page = DuoPage(ctx)
    qtbot.addWidget(page)
    page.period_box.setCurrentIndex(page.period_box.findText("2025-2026 kwartaal 1"))
    return page


def _cells(page: DuoPage) -> list[list[str]]:
    table = page.preview
    return [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]


def test_page_is_listed_under_verantwoording() -> None:
    from verzuimdesk.ui.main_window import SECTIONS

    labels = [p[0] for p in PAGES]
    assert SECTIONS["DUO-levering"] == "Verantwoording"  # the first screen of that section
    assert labels.index("Meldingen") < labels.index("DUO-levering")
    assert ("DUO-levering", "verzuimdesk.ui.documents.duo", "DuoPage") in PAGES


def test_preview_per_subdivision_and_total(qtbot, setup) -> None:  # type: ignore[no-untyped-def]
    ctx, _duo, _messages = setup
    page = _page(qtbot, ctx)
    assert [page.period_box.itemText(i) for i in range(4)] == [f"2025-2026 kwartaal {n}" for n in range(1, 5)]
    rows = _cells(page)
    assert [r[0] for r in rows] == ["onderbouw (groep 1 t/m 4)", "bovenbouw (groep 5 t/m 8)", "totaal school"]
    assert rows[2][:3] == ["totaal school", "4", "1062,00"]
    assert rows[2][3:] == ["3", "24,00", "2", "12,00", "3", "32,25", "4", "56,25", "1", "1", "0"]
    assert "1 ingeschreven leerling telt niet mee" in page.notice.text()
    page.period_box.setCurrentIndex(page.period_box.findData(CUSTOM))
    page.van.set_date(D(2025, 10, 6))
    page.tot.set_date(D(2025, 10, 10))
    assert _cells(page)[1][:3] == ["bovenbouw (groep 5 t/m 8)", "3", "90,00"]


def test_settings_dialog_changes_the_preview(qtbot, setup) -> None:  # type: ignore[no-untyped-def]
    ctx, _duo, messages = setup
    page = _page(qtbot, ctx)

    def fill(dialog: QDialog) -> bool:
        assert isinstance(dialog, AggregateSettingsDialog)
        qtbot.addWidget(dialog)
        dialog.bands.setText("20; 5")
        dialog.accept()  # refused inline: not from low to high
        assert "van laag naar hoog" in dialog.error.text() and dialog.result() != QDialog.DialogCode.Accepted
        dialog.bands.setText("7,5; 11")
        dialog.schorsing.setChecked(True)
        dialog.accept()
        return dialog.result() == QDialog.DialogCode.Accepted

    page.open_dialog = fill  # type: ignore[method-assign]
    page.edit_settings()
    headers = [page.preview.horizontalHeaderItem(c).text() for c in range(page.preview.columnCount())]
    assert "Schorsing en verwijdering\nuren" in headers and "> 7,5%\nleerlingen" in headers
    assert _cells(page)[2][-4:-2] == ["1", "12,00"] and not messages


def test_export_writes_both_files_and_logs(qtbot, setup, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ctx, _duo, messages = setup
    page = _page(qtbot, ctx)
    informed: list[str] = []
    page.ask_save_path = lambda suggested: str(tmp_path / suggested)  # type: ignore[method-assign]
    page.inform = lambda title, text: informed.append(text)  # type: ignore[method-assign]
    page.export()
    xml, csv = tmp_path / "verzuimaggregaat-2025-2026-1.xml", tmp_path / "verzuimaggregaat-2025-2026-1.csv"
    assert xml.read_bytes() == (GOLDEN / "aggregaat-2025-2026-1.xml").read_bytes()
    assert csv.read_bytes() == (GOLDEN / "aggregaat-2025-2026-1.csv").read_bytes()
    assert page.log.rowCount() == 2 and page.log.item(0, 2).text() == "2025-2026 kwartaal 1"
    assert {page.log.item(r, 3).text() for r in range(2)} == {"XML", "CSV"}
    assert informed and not messages


def test_niet_bekostigd_cannot_export(qtbot, setup, sqlite_db) -> None:  # type: ignore[no-untyped-def]
    ctx, _duo, _messages = setup
    with sqlite_db.transaction() as s:
        school = get_school(s)
        school.niet_bekostigd = True
        s.add(school)
    page = _page(qtbot, ctx)
    assert not page.export_button.isEnabled()
    assert "niet-bekostigd" in page.notice.text()
    assert page.preview.rowCount() == 3  # the school may still look at its own figures


def test_meldingen_page_export_buttons(qtbot, setup, sqlite_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ctx, duo, messages = setup
    piet, sanne = duo.pupils["1001"], duo.pupils["1002"]
    with sqlite_db.transaction() as s:
        report_absence(s, piet, D(2025, 11, 3), D(2025, 11, 7), "O", by="test")
        report_absence(s, sanne, D(2025, 11, 3), D(2025, 11, 3), "O", by="test")
        good = create_melding(s, piet, "V3", D(2025, 11, 3), D(2025, 11, 7), by="J. de Boer",
                              presumed_reason="Spijbelen", school_action="Gesprek met ouders").id
        bad = create_melding(s, sanne, "O", D(2025, 11, 3), D(2025, 11, 3), by="J. de Boer").id
    page = MeldingenPage(ctx)
    qtbot.addWidget(page)
    assert [b.text() for b in (page.xml_button, page.pdf_button, page.text_button)] == [
        "XML voor eigen administratie…", "Meldingsformulier (PDF)…", "Tekst voor DUO-webformulier"]
    assert "eigen formaat van verzuimdesk" in page.xml_button.toolTip()
    assert "verzuimloket" in page.xml_button.toolTip()
    shown: list[str] = []
    page.exporter.ask_save_path = lambda name, _filter: str(tmp_path / name)  # type: ignore[method-assign]
    page.exporter.show_text = shown.append  # type: ignore[method-assign]
    assert page.select_melding(good)
    page.xml_button.click()
    page.pdf_button.click()
    page.text_button.click()
    assert (tmp_path / f"verzuimmelding-{good}.xml").exists() and (tmp_path / f"verzuimmelding-{good}.pdf").exists()
    assert shown and "BSN: 111222333" in shown[0]
    assert QGuiApplication.clipboard().text() == shown[0]
    with sqlite_db.session() as s:
        assert [e.format for e in melding_exports(s, good)] == ["xml", "pdf", "tekst"]
    assert page.select_melding(bad)
    page.xml_button.click()
    assert messages and "BSN of onderwijsnummer van Sanne van den Berg ontbreekt" in messages[-1]
    assert not (tmp_path / f"verzuimmelding-{bad}.xml").exists()


def test_running_period_is_a_marked_preview_and_a_future_one_is_refused(qtbot, setup) -> None:  # type: ignore[no-untyped-def]
    ctx, _duo, _messages = setup
    page = DuoPage(ctx)
    qtbot.addWidget(page)
    page.today = lambda: D(2025, 10, 8)
    page.period_box.setCurrentIndex(page.period_box.findText("2025-2026 kwartaal 1"))
    assert "lopende periode, tot en met 07-10-2025" in page.notice.text()
    assert page.report is not None and page.report.running
    assert not page.export_button.isEnabled() and "loopt nog" in page.export_button.toolTip()
    page.period_box.setCurrentIndex(page.period_box.findText("2025-2026 kwartaal 2"))
    assert "nog niet begonnen" in page.notice.text()
    assert page.preview.rowCount() == 0 and not page.export_button.isEnabled()
