"""Verlof: a request checked live against the Leerplichtwet, the decision, the letter, withdrawing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QDialog
from sqlmodel import select

from verzuimdesk.model.tables import AbsenceEntry, Reason
from verzuimdesk.model.tables.law import LeaveKind, LeaveRequest
from verzuimdesk.ui.leave import page as leave_page_module
from verzuimdesk.ui.leave.dialogs import LeaveDecisionDialog, LeaveRequestDialog
from verzuimdesk.ui.leave.lpa import LpaDecisionDialog
from verzuimdesk.ui.leave.page import LeavePage

TODAY = dt.date(2025, 11, 3)
D = dt.date


@pytest.fixture
def setup(small_school_page):  # type: ignore[no-untyped-def]
    return small_school_page(LeavePage, TODAY, load="reload_years")


def _fill(dialog: LeaveRequestDialog, pupil_id: int, start: dt.date, end: dt.date, *,
          kind: str = LeaveKind.HOLIDAY.value, attachments: str = "werkgeversverklaring") -> None:
    assert dialog.pupil.set_pupil(pupil_id)
    dialog.kind.setCurrentIndex(dialog.kind.findData(kind))
    dialog.date_from.set_date(start)
    dialog.date_to.set_date(end)
    dialog.requested_by.setText("moeder")
    dialog.reason.setPlainText("Vader werkt in de horeca; geen vakantie in de zomer")
    dialog.attachments.setText(attachments)


def _new_request(page: LeavePage, qtbot, pupil_id: int, start: dt.date, end: dt.date, **kw) -> int:  # type: ignore[no-untyped-def]
    def fill_and_accept(dialog: QDialog) -> bool:
        assert isinstance(dialog, LeaveRequestDialog)
        qtbot.addWidget(dialog)
        _fill(dialog, pupil_id, start, end, **kw)
        dialog.accept()
        return dialog.result() == QDialog.DialogCode.Accepted

    page.open_dialog = fill_and_accept  # type: ignore[method-assign]
    page.new_request()
    row = page.selected()
    assert row is not None and row.request.pupil_id == pupil_id
    return row.id


def test_eleven_days_of_holiday_leave_show_the_violation_live(setup, qtbot) -> None:  # type: ignore[no-untyped-def]
    ctx, page, school, messages = setup
    dialog = LeaveRequestDialog(ctx, TODAY, page)
    qtbot.addWidget(dialog)
    assert "Kies eerst een leerling" in dialog.check_label.text()
    _fill(dialog, school.pupils["1001"], D(2026, 1, 12), D(2026, 1, 16))  # asked more than eight weeks ahead
    assert "Geen bezwaren" in dialog.check_label.text() and "5 schooldagen" in dialog.days_label.text()
    dialog.date_to.set_date(D(2026, 1, 26))  # 11 school days: art. 13a lid 2
    assert "11 schooldagen" in dialog.days_label.text()
    assert "art. 13a lid 2 Lpw" in dialog.check_label.text() and "#B00020" in dialog.check_label.text()
    dialog.attachments.clear()  # no employer's statement: a warning in amber
    assert "werkgeversverklaring" in dialog.check_label.text() and "#A15C00" in dialog.check_label.text()
    dialog.accept()
    assert dialog.request_id is not None and not messages  # a request is stored; the law applies at the decision

    page.refresh()
    assert page.select_request(dialog.request_id)
    decision = LeaveDecisionDialog(ctx, dialog.request_id, TODAY, page)
    qtbot.addWidget(decision)
    assert not decision.grant_button.isEnabled()
    assert "Toekennen kan niet" in decision.explanation.text()
    assert not decision.forward_button.isEnabled()  # vakantieverlof is never forwarded
    assert "ten hoogste 10 schooldagen" in decision.motivation.toPlainText()  # prefilled for a refusal


def test_important_circumstances_above_ten_days_are_forwarded(setup, qtbot) -> None:  # type: ignore[no-untyped-def]
    ctx, page, school, messages = setup
    rid = _new_request(page, qtbot, school.pupils["1002"], D(2025, 11, 10), D(2025, 11, 25),
                       kind=LeaveKind.IMPORTANT.value)
    dialog = LeaveDecisionDialog(ctx, rid, TODAY, page)
    qtbot.addWidget(dialog)
    assert "doorgestuurd naar de leerplichtambtenaar" in dialog.check_label.text().lower()
    assert "#1F5FAF" in dialog.check_label.text()
    assert not dialog.grant_button.isEnabled() and dialog.forward_button.isEnabled()
    assert dialog.choose("doorgestuurd") and not messages
    page.refresh()
    assert page.selected().status_text == "doorgestuurd naar de leerplichtambtenaar"
    # The forwarded-decision step: the head no longer decides; the leerplichtambtenaar's decision is recorded.
    assert not page.decide_button.isEnabled() and page.lpa_button.isEnabled()
    assert "wacht op het besluit van de leerplichtambtenaar" in page.summary.text()

    def record(dialog: QDialog) -> bool:
        assert isinstance(dialog, LpaDecisionDialog)
        qtbot.addWidget(dialog)
        dialog.lpa_name.clear()
        dialog.accept()  # refused inline: who decided is required
        assert "welke leerplichtambtenaar" in dialog.error.text() and dialog.done_decision is None
        dialog.lpa_name.setText("M. de Vries")
        dialog.decided_on.set_date(D(2025, 11, 6))
        dialog.decision.setCurrentIndex(dialog.decision.findData("toegekend"))
        dialog.accept()
        return dialog.result() == QDialog.DialogCode.Accepted

    page.open_dialog = record  # type: ignore[method-assign]
    messages.clear()
    page.record_lpa_selected()
    row = page.selected()
    assert row.request.lpa_decided_by == "M. de Vries" and row.request.lpa_decided_on == D(2025, 11, 6)
    assert row.status_text == "toegekend door de leerplichtambtenaar"
    assert "Besluit leerplichtambtenaar:</b> toegekend door M. de Vries op 6 november 2025" in page.summary.text()
    with ctx.db.session() as s:  # the granted days are in the register
        assert len(s.exec(select(AbsenceEntry).where(AbsenceEntry.leave_request_id == rid)).all()) == 12 * 6


def test_granted_request_registers_leave_and_the_letter_is_written(setup, qtbot, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    ctx, page, school, messages = setup
    piet = school.pupils["1001"]
    rid = _new_request(page, qtbot, piet, D(2025, 11, 10), D(2025, 11, 14))
    assert page.selected().status_text == "ingediend" and page.decide_button.isEnabled()
    assert not page.letter_button.isEnabled()

    target = tmp_path / "brief.pdf"
    monkeypatch.setattr(leave_page_module.QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "PDF-bestanden (*.pdf)")))
    opened: list[QUrl] = []
    page.open_url = opened.append  # type: ignore[method-assign]
    questions: list[str] = []
    page.confirm = lambda title, q: questions.append(q) or True  # type: ignore[method-assign]

    def grant(dialog: QDialog) -> bool:
        assert isinstance(dialog, LeaveDecisionDialog)
        qtbot.addWidget(dialog)
        assert dialog.grant_button.isEnabled()
        dialog.grant_button.click()
        return dialog.result() == QDialog.DialogCode.Accepted

    page.open_dialog = grant  # type: ignore[method-assign]
    page.decide_selected()
    assert not messages, messages
    row = page.selected()
    assert row is not None and row.id == rid and row.status_text == "toegekend"
    assert page.model.data(page.model.index(0, 6)) == "toegekend"
    with ctx.db.session() as s:
        entries = s.exec(select(AbsenceEntry).where(AbsenceEntry.leave_request_id == rid)).all()
        reasons = {s.get(Reason, e.reason_id).code for e in entries}
    assert len({e.date for e in entries}) == 5 and len(entries) == 30  # five school days of six lessons
    assert reasons == {"V"}  # reason V: art. 11 onder f
    assert questions and "besluitbrief" in questions[0]
    assert target.read_bytes().startswith(b"%PDF")
    text = "".join(p.extract_text() for p in PdfReader(str(target)).pages)
    assert "Piet Jansen" in text and "13a" in text
    assert opened and Path(opened[0].toLocalFile()) == target
    assert "vakantieverlof" in page.summary.text() and "1× toegekend, samen 5 schooldagen" in page.summary.text()

    # Withdrawing removes the register entries again.
    page.ask_text = lambda title, q: "Reis gaat niet door"  # type: ignore[method-assign]
    page.withdraw_selected()
    assert page.selected().status_text == "ingetrokken"
    with ctx.db.session() as s:
        assert not s.exec(select(AbsenceEntry).where(AbsenceEntry.leave_request_id == rid)).all()


def test_refused_with_motivation(setup, qtbot) -> None:  # type: ignore[no-untyped-def]
    ctx, page, school, messages = setup
    rid = _new_request(page, qtbot, school.pupils["1003"], D(2025, 12, 15), D(2025, 12, 19), attachments="")
    dialog = LeaveDecisionDialog(ctx, rid, TODAY, page)
    qtbot.addWidget(dialog)
    assert dialog.grant_button.isEnabled()  # only a warning: the head may grant
    assert dialog.motivation.toPlainText() == ""
    assert not dialog.choose("geweigerd")  # a refusal needs a motivation (art. 3:46 Awb)
    assert messages and "motivering" in messages[-1] and dialog.error.isVisibleTo(dialog)
    dialog.motivation.setPlainText("Er is geen werkgeversverklaring overgelegd.")
    assert dialog.choose("geweigerd")
    page.refresh()
    assert page.selected().status_text == "geweigerd" and page.letter_button.isEnabled()
    with ctx.db.session() as s:
        request = s.get(LeaveRequest, rid)
        assert request.motivation == "Er is geen werkgeversverklaring overgelegd." and request.decided_on == TODAY
        assert not s.exec(select(AbsenceEntry).where(AbsenceEntry.leave_request_id == rid)).all()
    # Filter by status and search.
    page.status.setCurrentIndex(page.status.findData("toegekend"))
    assert page.proxy.rowCount() == 0
    page.status.setCurrentIndex(0)
    page.search.setText("yılmaz")
    assert page.proxy.rowCount() == 1


def test_the_letter_folder_is_kept_in_the_windows_settings_only(setup, qtbot, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Started with its own settings file, the program writes no global settings (issue 12 point 6)."""
    from PySide6.QtCore import QSettings

    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(tmp_path / "globaal"))
    ctx, page, school, messages = setup
    own = QSettings(str(tmp_path / "eigen.ini"), QSettings.Format.IniFormat)
    page.restore_state(own)
    rid = _new_request(page, qtbot, school.pupils["1001"], D(2025, 11, 10), D(2025, 11, 14))

    def grant(dialog: QDialog) -> bool:
        qtbot.addWidget(dialog)
        dialog.grant_button.click()
        return dialog.result() == QDialog.DialogCode.Accepted

    page.open_dialog = grant  # type: ignore[method-assign]
    page.confirm = lambda title, q: False  # type: ignore[method-assign]
    page.decide_selected()
    letters = tmp_path / "brieven"
    letters.mkdir()
    offered: list[str] = []

    def save_as(_parent, _title, suggested, _filter):  # type: ignore[no-untyped-def]
        offered.append(suggested)
        return str(letters / "besluit.pdf"), _filter

    monkeypatch.setattr(leave_page_module.QFileDialog, "getSaveFileName", staticmethod(save_as))
    page.open_url = lambda _url: None  # type: ignore[method-assign]
    assert page.save_letter(rid) == letters / "besluit.pdf" and not messages
    own.sync()
    assert QSettings(str(tmp_path / "eigen.ini"), QSettings.Format.IniFormat).value("verlof/map") == str(letters)
    assert QSettings("verzuimdesk", "verzuimdesk").value("verlof/map") is None
    assert not (tmp_path / "globaal").exists()
    page.save_letter(rid)
    assert Path(offered[-1]).parent == letters  # the next letter is offered in the same folder
