"""Real concurrency: Bram's save runs while Anna's is still open; lost connections and failures mid-action
(issue 14 point 3). Never a lost update, never a half write."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from tests.concurrency.conftest import MONDAY, TwoPcs, terminate
from tests.concurrency.test_conflicts import cell_versions, register
from verzuimdesk.model.errors import ConflictError, ConnectionLostError, DatabaseBusyError
from verzuimdesk.model.register import view
from verzuimdesk.model.register.view import register_cells
from verzuimdesk.model.store import get_setting, set_setting
from verzuimdesk.ui.context import REGISTER, AppContext


def test_b_waits_behind_a_and_then_gets_the_conflict_never_a_lost_update(pcs: TwoPcs) -> None:
    noor = pcs.school.pupils["1003"]
    seen = cell_versions(pcs.b, pcs.school.g5, [(noor, 3)])
    outcome: dict[str, object] = {}

    def bram() -> None:
        try:
            with pcs.b.transaction() as s:
                register_cells(s, MONDAY, [(noor, 3)], "O", by="bram", versions=seen)
            outcome["bram"] = "opgeslagen"
        except Exception as exc:  # noqa: BLE001 - the outcome is checked below
            outcome["bram"] = exc

    with pcs.a.transaction() as s:
        register_cells(s, MONDAY, [(noor, 3)], "Z", by="anna", versions=seen)
        thread = threading.Thread(target=bram)
        thread.start()
        thread.join(timeout=1.5)
        # PostgreSQL: Bram waits for the lock on the pupil's row; SQLite: for the write lock (BEGIN IMMEDIATE).
        assert thread.is_alive(), f"Bram's save did not wait for Anna's: {outcome}"
    thread.join(timeout=15)
    assert not thread.is_alive()
    assert isinstance(outcome["bram"], ConflictError), outcome
    assert "door anna" in str(outcome["bram"])
    assert register(pcs.a) == [(noor, 3, "Z", "anna")]


def test_pg_server_process_ended_between_two_actions_goes_unnoticed(pg_pcs: TwoPcs) -> None:
    with pg_pcs.a.transaction() as s:
        set_setting(s, "melder_telefoon", "030-1")
    assert terminate("verzuimdesk_pc_a") >= 1  # the pooled connection of Anna's PC is gone
    with pg_pcs.a.transaction() as s:  # tested before use (pool_pre_ping) and replaced
        set_setting(s, "melder_telefoon", "030-2")
    with pg_pcs.b.session() as s:
        assert get_setting(s, "melder_telefoon") == "030-2"


def test_pg_server_process_ended_during_an_action_stores_nothing_and_a_retry_succeeds(pg_pcs: TwoPcs) -> None:
    piet, sanne = pg_pcs.school.pupils["1001"], pg_pcs.school.pupils["1002"]
    with pytest.raises(ConnectionLostError) as info, pg_pcs.a.transaction() as s:
        register_cells(s, MONDAY, [(piet, 1)], "Z", by="anna")  # written to the server, not committed
        assert terminate("verzuimdesk_pc_a") >= 1
        register_cells(s, MONDAY, [(sanne, 1)], "Z", by="anna")
    assert "verbinding met de databaseserver is verbroken" in str(info.value)
    assert "niets opgeslagen" in str(info.value)
    assert register(pg_pcs.b) == []  # not half: not even Piet's lesson
    with pg_pcs.a.transaction() as s:  # the same action again, in a new transaction
        register_cells(s, MONDAY, [(piet, 1), (sanne, 1)], "Z", by="anna")
    assert register(pg_pcs.b) == [(piet, 1, "Z", "anna"), (sanne, 1, "Z", "anna")]


def lost(statement: str = "UPDATE absenceentry") -> sa.exc.OperationalError:
    """What SQLAlchemy raises when the server connection breaks under a statement."""
    return sa.exc.OperationalError(statement, {}, Exception("server closed the connection unexpectedly"),
                                   connection_invalidated=True)  # fmt: skip


def test_failure_mid_action_leaves_the_database_unchanged_and_the_gui_retries_the_whole_action(
    qtbot, pcs: TwoPcs, monkeypatch: pytest.MonkeyPatch  # type: ignore[no-untyped-def]
) -> None:
    piet, sanne = pcs.school.pupils["1001"], pcs.school.pupils["1002"]
    real = view.register_lesson
    calls: list[int] = []

    def flaky(session: Session, pupil_id: int, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(pupil_id)
        if len(calls) == 2:  # the first attempt breaks on its second cell, after the first was written
            raise lost()
        return real(session, pupil_id, *args, **kwargs)

    monkeypatch.setattr(view, "register_lesson", flaky)
    with pytest.raises(ConnectionLostError), pcs.a.transaction() as s:
        register_cells(s, MONDAY, [(piet, 1), (sanne, 1)], "Z", by="anna")
    assert register(pcs.b) == []
    calls.clear()
    ctx = AppContext(pcs.a)
    offered: list[str] = []
    ctx.ask_retry = lambda message: (offered.append(message), True)[1]  # the user chooses "Opnieuw proberen"
    done = ctx.run({REGISTER}, register_cells, MONDAY, [(piet, 1), (sanne, 1)], "Z", by="anna")
    assert done is not None and len(offered) == 1 and "Opnieuw proberen" in offered[0]
    assert calls == [piet, sanne, piet, sanne]  # the whole action ran again, from its first cell
    assert register(pcs.b) == [(piet, 1, "Z", "anna"), (sanne, 1, "Z", "anna")]


def test_a_busy_database_is_a_dutch_message_not_a_library_error(pcs: TwoPcs, monkeypatch: pytest.MonkeyPatch) -> None:
    def busy(*_a: object, **_k: object) -> None:
        raise sa.exc.OperationalError("INSERT", {}, Exception("database is locked"))

    monkeypatch.setattr(view, "register_lesson", busy)
    with pytest.raises(DatabaseBusyError, match="bezet"), pcs.a.transaction() as s:
        register_cells(s, MONDAY, [(pcs.school.pupils["1001"], 1)], "Z", by="anna")


def test_command_line_prints_the_dutch_message_and_exits_non_zero(
    pcs: TwoPcs, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import argparse

    from verzuimdesk.cli import leave as cli_leave

    def broken(*_a: object, **_k: object) -> None:
        raise lost("SELECT pupil")

    monkeypatch.setattr(cli_leave, "find_pupil", broken)
    parser = argparse.ArgumentParser(prog="verzuimdesk")
    cli_leave.register(parser.add_subparsers(dest="verb"))
    args = parser.parse_args(["verlof", "toets", "1001", "vakantieverlof", "2025-11-03", "2025-11-07"])
    assert cli_leave.run(pcs.a, args) != 0
    err = capsys.readouterr().err
    assert "De verbinding met de databaseserver is verbroken" in err and "Traceback" not in err


def test_register_taken_at_the_same_moment_on_two_pcs_is_stored_once_and_the_second_is_told(pcs: TwoPcs) -> None:
    from sqlmodel import select

    from verzuimdesk.model.register.entries import set_register_taken
    from verzuimdesk.model.tables import RegisterTaken

    outcome: dict[str, object] = {}

    def bram() -> None:
        try:
            with pcs.b.transaction() as s:
                outcome["bram"] = set_register_taken(s, pcs.school.g5, MONDAY, 2, True, by="bram", seen=None)
        except Exception as exc:  # noqa: BLE001 - the outcome is checked below
            outcome["bram"] = exc

    with pcs.a.transaction() as s:
        set_register_taken(s, pcs.school.g5, MONDAY, 2, True, by="anna", seen=None)
        thread = threading.Thread(target=bram)
        thread.start()
        thread.join(timeout=1.5)
        assert thread.is_alive(), f"Bram did not wait for Anna: {outcome}"  # the group's lock (PG), the write lock
    thread.join(timeout=15)
    # Both backends: Bram waited, then found Anna's mark; it stays, and his status line says whose it is.
    assert isinstance(outcome["bram"], str) and "intussen al genomen door anna" in outcome["bram"], outcome
    with pcs.b.session() as s:
        assert [r.taken_by for r in s.exec(select(RegisterTaken))] == ["anna"]


def test_school_details_saved_at_the_same_moment_wait_and_the_second_gets_the_conflict(pcs: TwoPcs) -> None:
    from verzuimdesk.model.school.records import get_school
    from verzuimdesk.model.setup.settings import save_school_details

    with pcs.b.session() as s:
        seen = get_school(s).version  # type: ignore[union-attr]
    outcome: dict[str, object] = {}

    def bram() -> None:
        try:
            with pcs.b.transaction() as s:
                save_school_details(s, {"phone": "030-2"}, expected_version=seen)
            outcome["bram"] = "opgeslagen"
        except Exception as exc:  # noqa: BLE001 - the outcome is checked below
            outcome["bram"] = exc

    with pcs.a.transaction() as s:
        save_school_details(s, {"phone": "030-1"}, expected_version=seen)
        thread = threading.Thread(target=bram)
        thread.start()
        thread.join(timeout=1.5)
        assert thread.is_alive(), f"Bram's save did not wait for Anna's: {outcome}"
    thread.join(timeout=15)
    assert isinstance(outcome["bram"], ConflictError) and "door anna" in str(outcome["bram"]), outcome
    with pcs.b.session() as s:
        assert get_school(s).phone == "030-1"  # type: ignore[union-attr]


def test_two_pcs_starting_at_once_record_each_due_melding_once(pcs: TwoPcs) -> None:
    import datetime as dt

    from sqlmodel import select

    from verzuimdesk.model.law.signals.duties import record_duties
    from verzuimdesk.model.tables.law import DutyMark

    piet = pcs.school.pupils["1001"]
    with pcs.a.transaction() as s:  # 18 hours truant in one week: a melding is due (art. 21 Lpw)
        for offset in range(3):
            register_cells(s, MONDAY + dt.timedelta(days=offset), [(piet, n) for n in range(1, 7)], "O", by="anna")
    on = MONDAY + dt.timedelta(days=4)
    outcome: dict[str, object] = {}

    def bram() -> None:
        try:
            with pcs.b.transaction() as s:
                outcome["bram"] = record_duties(s, on)
        except Exception as exc:  # noqa: BLE001 - the outcome is checked below
            outcome["bram"] = exc

    with pcs.a.transaction() as s:  # both PCs start in the morning; each searches for due meldingen
        outcome["anna"] = record_duties(s, on)
        thread = threading.Thread(target=bram)
        thread.start()
        thread.join(timeout=1.5)
        assert thread.is_alive(), f"Bram's search did not wait for Anna's: {outcome}"
    thread.join(timeout=30)
    assert isinstance(outcome["anna"], int) and outcome["anna"] >= 1, outcome
    assert outcome["bram"] == 0, outcome  # no error, no duplicate: Bram found Anna's marks
    with pcs.b.session() as s:
        marks = [(m.pupil_id, m.kind, m.begin_date) for m in s.exec(select(DutyMark))]
    assert len(marks) == len(set(marks)) == outcome["anna"]
