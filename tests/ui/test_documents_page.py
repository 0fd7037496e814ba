"""Overzichten screen: preview with the model's figures, save, Excel, batch in a worker with cancel,
remembered choices."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QSettings

from tests.builders import SmallSchool, build_small_school
from verzuimdesk.model.db import Database
from verzuimdesk.model.register.entries import register_lesson
from verzuimdesk.ui.context import AppContext
from verzuimdesk.ui.documents.overviews import DocumentsPage

MONDAY = dt.date(2025, 11, 3)
TODAY = dt.date(2025, 11, 7)


@pytest.fixture
def school(sqlite_db: Database) -> SmallSchool:
    school = build_small_school(sqlite_db)
    with sqlite_db.transaction() as s:
        register_lesson(s, school.pupils["1001"], MONDAY, 1, "Z", by="test")
        register_lesson(s, school.pupils["1001"], MONDAY, 2, "T", by="test", minutes_late=15)
    return school


@pytest.fixture
def page(qtbot, sqlite_db: Database, school: SmallSchool) -> DocumentsPage:  # type: ignore[no-untyped-def]
    ctx = AppContext(sqlite_db)
    ctx.errors = []  # type: ignore[attr-defined]
    ctx.show_error = ctx.errors.append  # type: ignore[attr-defined]
    widget = DocumentsPage(ctx, today=TODAY)
    qtbot.addWidget(widget)
    widget.resize(1200, 800)
    return widget


def choose_week(page: DocumentsPage) -> None:
    page.period_kind.setCurrentIndex(5)
    page.date_from.set_date(MONDAY)
    page.date_to.set_date(TODAY)


def test_preview_of_a_pupil(page: DocumentsPage, school: SmallSchool, tmp_path: Path) -> None:
    # GIVEN Piet chosen by searching, and the week of 3 November
    page.search.setText("jans")
    visible = [page.pupil_list.item(i) for i in range(page.pupil_list.count())
               if not page.pupil_list.item(i).isHidden()]
    assert [i.text() for i in visible] == ["Jansen, Piet (1001)"]
    page.pupil_list.setCurrentItem(visible[0])
    choose_week(page)
    # WHEN the preview is made
    assert page.make_preview()
    # THEN the PDF and the preview say 95,8 % present; no sickness reason
    assert page.pdf is not None and page.pdf_path is not None and page.pdf_path.exists()
    text = " ".join(p.extract_text() for p in PdfReader(page.pdf_path).pages)
    assert "95,8 %" in text
    assert "Ziek" not in text
    # The preview shows the rendered pages of that PDF, A4-shaped.
    assert len(page.preview.page_labels) == len(PdfReader(page.pdf_path).pages)
    first = page.preview.page_labels[0].pixmap()
    assert first.height() / first.width() == pytest.approx(297 / 210, rel=0.01)
    page.grab().save(str(Path("/tmp") / "overzichten-page.png"))


def test_no_pupil_chosen_is_reported(page: DocumentsPage) -> None:
    page.pupil_list.setCurrentRow(-1)
    assert not page.make_preview()
    assert page.ctx.errors  # type: ignore[attr-defined]


def test_group_excel_export(page: DocumentsPage, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook
    from PySide6.QtWidgets import QFileDialog

    page.set_kind("groep")
    page.group.setCurrentText("Groep 5")
    choose_week(page)
    target = tmp_path / "g5.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    page.export_excel()
    rows = list(load_workbook(target)["Leerlingen"].iter_rows(min_row=2, values_only=True))
    assert {r[0] for r in rows} == {"1001", "1002", "1003"}


def test_batch_in_worker_thread(qtbot, page: DocumentsPage, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page.set_kind("school")
    choose_week(page)
    target = tmp_path / "out" / "alle.pdf"
    target.parent.mkdir()
    page.start_batch(str(target))
    qtbot.waitUntil(lambda: page.last_batch is not None, timeout=30000)
    assert page.last_batch == (target,)
    assert len(PdfReader(target).pages) >= 4


def test_batch_cancel(qtbot, page: DocumentsPage, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page.set_kind("school")
    choose_week(page)
    target = tmp_path / "out" / "alle.pdf"
    target.parent.mkdir()
    page.start_batch(str(target))
    assert page.worker is not None
    page.progress.canceled.emit()  # the progress dialog's "Annuleren"
    qtbot.waitUntil(lambda: page.thread is not None and page.thread.isFinished(), timeout=30000)
    assert page.last_batch is None
    assert list(target.parent.iterdir()) == []


def test_choices_are_remembered(page: DocumentsPage, school: SmallSchool, tmp_path: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    page.set_kind("groep")
    page.group.setCurrentText("Groep 1/2")
    page.period_kind.setCurrentIndex(2)
    page.sickness.setChecked(True)
    page.save_state(settings)
    other = DocumentsPage(page.ctx, today=TODAY)
    qtbot.addWidget(other)
    other.restore_state(settings)
    assert other.kind() == "groep" and other.group.currentText() == "Groep 1/2"
    assert other.period_kind.currentIndex() == 2 and other.sickness.isChecked()


def test_printing_draws_every_page(page: DocumentsPage, tmp_path: Path) -> None:
    """What the print dialog would send to a printer, here a PDF printer: the same number of pages."""
    from PySide6.QtPrintSupport import QPrinter

    from verzuimdesk.ui.documents.preview import print_to

    page.search.setText("jans")
    page.pupil_list.setCurrentRow(0)
    for i in range(page.pupil_list.count()):
        if not page.pupil_list.item(i).isHidden():
            page.pupil_list.setCurrentRow(i)
            break
    assert page.make_preview() and page.pdf_path is not None
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    out = tmp_path / "afdruk.pdf"
    printer.setOutputFileName(str(out))
    pages = print_to(page.pdf_path, printer)
    assert pages == len(PdfReader(page.pdf_path).pages) >= 1
    assert len(PdfReader(out).pages) == pages
