"""The letters on screen: "Brief maken" from Signalen, Dossier and Meldingen in two clicks (the button, then
"PDF maken"), the template editor with live preview and versions, and the week's batch."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QUrl
from sqlmodel import select

from tests.letters.conftest import TODAY
from verzuimdesk.model.db import Database
from verzuimdesk.model.letters.record import letters_of
from verzuimdesk.model.tables import Pupil
from verzuimdesk.model.tables.law import Melding, SignalHandling
from verzuimdesk.model.tables.letters import LetterRecord
from verzuimdesk.ui.context import AppContext
from verzuimdesk.ui.dossier.page import DossierPage
from verzuimdesk.ui.letters import dialog as dialog_module
from verzuimdesk.ui.letters import page as page_module
from verzuimdesk.ui.letters.dialog import LetterDialog
from verzuimdesk.ui.letters.page import LettersPage
from verzuimdesk.ui.meldingen.page import MeldingenPage
from verzuimdesk.ui.signals.page import SignalsPage


class _Desktop:
    opened: list[QUrl] = []

    @staticmethod
    def openUrl(url: QUrl) -> bool:  # noqa: N802
        _Desktop.opened.append(url)
        return True


@pytest.fixture
def env(qtbot, demo: Database, tmp_path: Path, monkeypatch):  # type: ignore[no-untyped-def]
    folder = tmp_path / "brieven"
    monkeypatch.setattr(dialog_module, "letters_folder", lambda: folder)
    monkeypatch.setattr(page_module, "letters_folder", lambda: folder)
    monkeypatch.setattr(dialog_module, "QDesktopServices", _Desktop)
    monkeypatch.setattr(page_module, "QDesktopServices", _Desktop)
    _Desktop.opened = []
    ctx = AppContext(demo)
    messages: list[str] = []
    ctx.show_error = messages.append
    return ctx, folder, messages


def _click_pdf(dialog: Any) -> bool:
    assert isinstance(dialog, LetterDialog) and dialog.letters and not dialog.error.text()
    return dialog.make("pdf")


def test_from_a_signal_in_two_clicks(qtbot, env) -> None:  # type: ignore[no-untyped-def]
    ctx, folder, messages = env
    page = SignalsPage(ctx)
    qtbot.addWidget(page)
    page.today = lambda: TODAY
    page.open_dialog = _click_pdf
    page.set_date(TODAY)
    page.refresh()
    row = next(r for r in page.rows() if r.signal.kind in ("zorgelijk", "te_laat_ladder"))
    assert page.select_signal(row.signal.key) and page.letter_button.isEnabled()
    dialog = page.make_letter()
    assert dialog is not None and dialog.made and messages == []
    files = list(folder.glob("*.pdf"))
    assert len(files) == 1 and _Desktop.opened == [QUrl.fromLocalFile(str(files[0]))]
    assert row.signal.key not in [r.signal.key for r in page.rows()]  # handled with the letter
    with ctx.db.session() as s:
        handling = s.exec(select(SignalHandling).where(SignalHandling.action == "brief")).one()
        assert handling.pupil_id == row.signal.pupil_id
        assert letters_of(s, row.signal.pupil_id)[0].file_name == files[0].name


def test_from_a_melding_and_an_open_mandatory_signal_is_explained(qtbot, env) -> None:  # type: ignore[no-untyped-def]
    ctx, folder, messages = env
    page = MeldingenPage(ctx)
    qtbot.addWidget(page)
    page.today = lambda: TODAY
    page.open_dialog = _click_pdf
    with ctx.db.session() as s:
        melding = s.exec(select(Melding).order_by(Melding.id)).all()[-1]
    assert page.select_melding(melding.id or 0) and page.letter_button.isEnabled()
    dialog = page.make_letter()
    assert dialog is not None and len(dialog.made) == 1 and dialog.made[0].melding_id == melding.id


def test_from_a_conversation_in_the_dossier_two_letters_for_separated_parents(qtbot, env) -> None:  # type: ignore[no-untyped-def]
    ctx, folder, messages = env
    page = DossierPage(ctx)
    qtbot.addWidget(page)
    page.today = lambda: TODAY
    with ctx.db.session() as s:
        pupil = s.exec(select(Pupil).where(Pupil.key == "1049")).one()
    page.show_pupil(pupil.id or 0)
    panel = page.contacts
    held = next(i for i, c in enumerate(panel.model.rows) if not c.planned and c.date >= TODAY.replace(month=9))
    panel.view.selectRow(held)
    seen: list[Any] = []

    def make_docx(dialog: Any) -> bool:
        seen.append(dialog)
        assert dialog.evaluation_row.isVisibleTo(dialog) and dialog.template.count() == 2
        return dialog.make("docx")

    panel.open_dialog = make_docx
    panel.make_letter()
    assert messages == [] and len(seen[0].made) == 2 and len(list(folder.glob("*.docx"))) == 1


def test_template_editor_previews_live_refuses_unknown_fields_and_keeps_versions(qtbot, env) -> None:  # type: ignore[no-untyped-def]
    ctx, folder, messages = env
    page = LettersPage(ctx)
    qtbot.addWidget(page)
    page.today = lambda: TODAY
    page.on_shown()
    editor = page.editor
    editor.list.setCurrentRow(1)  # te_laat_2
    assert "Teun" not in editor.preview.toPlainText() and "Sanne" in editor.preview.toPlainText()
    editor.body.setPlainText("Beste {ouder.nam},")
    editor.update_preview()
    assert "Bedoelt u {ouder.naam}?" in editor.error.text() and not editor.save_button.isEnabled()
    editor.body.setPlainText("Beste {ouder.naam},\n\n{leerling.roepnaam} kwam {ladder.keer} keer te laat.")
    editor.note.setText("korter")
    editor.update_preview()
    assert "Sanne kwam 6 keer te laat." in editor.preview.toPlainText()
    assert editor.save() and messages == []
    assert editor.versions.count() == 2 and "korter" in editor.versions.item(0).text()
    editor.versions.setCurrentRow(1)
    assert editor.restore() and editor.versions.count() == 3
    assert "{ladder.overzicht}" in editor.body.toPlainText()  # the default text is back, as version 2


def test_the_week_batch_makes_one_pdf(qtbot, env) -> None:  # type: ignore[no-untyped-def]
    ctx, folder, messages = env
    page = LettersPage(ctx)
    qtbot.addWidget(page)
    page.today = lambda: TODAY
    page.on_shown()
    week = page.week
    due = week.list.count()
    assert due > 0 and week.make_button.isEnabled()
    path = week.make()
    assert path is not None and path.exists() and messages == []
    assert week.list.count() == 0 and not week.make_button.isEnabled()
    with ctx.db.session() as s:
        assert len(s.exec(select(LetterRecord).where(LetterRecord.file_name == path.name)).all()) >= due
