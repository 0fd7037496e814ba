"""A save carries the version the user saw; a change made meanwhile on another PC is a conflict that names who
and when, and nothing of the refused save is stored (issue 14 point 3). On SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlmodel import col, select

from tests.concurrency.conftest import MONDAY, TwoPcs
from verzuimdesk.model import dutch
from verzuimdesk.model.db import Database
from verzuimdesk.model.errors import ConflictError
from verzuimdesk.model.law.leave import decide_leave_request, submit_leave_request
from verzuimdesk.model.law.meldingen import create_melding, set_duo_number, set_melding_status
from verzuimdesk.model.law.signals.policy import get_lateness_policy, get_melding_policy
from verzuimdesk.model.law.signals.rules import POLICY_KEYS, save_policies
from verzuimdesk.model.register.tiers import get_tier_policy
from verzuimdesk.model.register.view import load_register_day, register_cells
from verzuimdesk.model.store import get_setting, set_setting, setting_versions
from verzuimdesk.model.tables import AbsenceEntry, AuditLog, Reason
from verzuimdesk.model.tables.law import LeaveRequest, Melding, MeldingStatus


def cell_versions(db: Database, group_id: int, cells: list[tuple[int, int]]) -> dict[tuple[int, int], str]:
    """What the register grid keeps: each shown cell's version."""
    with db.session() as s:
        view = load_register_day(s, group_id, MONDAY)
    out = {}
    for pupil_id, number in cells:
        row = next(r for r in view.rows if r.pupil_id == pupil_id)
        column = next(i for i, les in enumerate(view.lessons) if les.number == number)
        out[(pupil_id, number)] = row.cells[column].version
    return out


def register(db: Database) -> list[tuple[int, int | None, str, str]]:
    with db.session() as s:
        codes = {r.id: r.code for r in s.exec(select(Reason)).all()}
        return sorted((e.pupil_id, e.lesson_number, codes[e.reason_id], e.created_by)
                      for e in s.exec(select(AbsenceEntry)).all())  # fmt: skip


def trail_by(db: Database, user: str) -> list[str]:
    with db.session() as s:
        return [f"{line.action}: {line.detail}" for line in s.exec(select(AuditLog).where(AuditLog.by == user))]


def assert_names_anna_and_time(exc: ConflictError, before: dt.datetime) -> None:
    text = str(exc)
    assert "door anna" in text and exc.changed_by == "anna"
    assert isinstance(exc.changed_at, dt.datetime) and exc.changed_at >= before.replace(microsecond=0)
    assert f"op {dutch.date_long(exc.changed_at.date())} om {exc.changed_at:%H:%M}" in text
    assert "niets van deze wijziging opgeslagen" in text and "Opnieuw laden" in text
    assert not re.search(r"[Vv]ersion|Stale|UPDATE", text)  # no library words in the user's message


def test_register_cell_changed_by_a_is_a_conflict_for_b_and_nothing_of_b_is_stored(pcs: TwoPcs) -> None:
    piet, sanne = pcs.school.pupils["1001"], pcs.school.pupils["1002"]
    with pcs.a.transaction() as s:  # the cell as both PCs load it: Piet ill in lesson 1
        register_cells(s, MONDAY, [(piet, 1)], "Z", by="anna")
    cells = [(piet, 1), (sanne, 1)]
    seen_by_a = cell_versions(pcs.a, pcs.school.g5, cells)
    seen_by_b = cell_versions(pcs.b, pcs.school.g5, cells)
    assert seen_by_a == seen_by_b and seen_by_b[(piet, 1)] and seen_by_b[(sanne, 1)] == ""
    before = dt.datetime.now()
    with pcs.a.transaction() as s:  # Anna: not ill, truant
        register_cells(s, MONDAY, [(piet, 1)], "O", by="anna", versions=seen_by_a)
    stored = register(pcs.a)
    with pytest.raises(ConflictError) as info, pcs.b.transaction() as s:  # Bram, on what he saw: both present
        register_cells(s, MONDAY, cells, "M", by="bram", versions=seen_by_b,
                       attempted={c: f"les {c[1]} van {c[0]}: M" for c in cells})
    assert_names_anna_and_time(info.value, before)
    assert "Les 1 van Piet Jansen op 3 november 2025" in str(info.value)
    assert "les 1 van " in info.value.attempted[0]  # the user's own input travels with the conflict
    assert register(pcs.b) == stored == [(piet, 1, "O", "anna")]  # Sanne's cell was not written either
    assert trail_by(pcs.b, "bram") == []
    # After reloading, Bram's save goes through.
    with pcs.b.transaction() as s:
        register_cells(s, MONDAY, cells, "M", by="bram", versions=cell_versions(pcs.b, pcs.school.g5, cells))
    assert register(pcs.a) == [(piet, 1, "M", "bram"), (sanne, 1, "M", "bram")]


def test_a_cell_both_saw_empty_is_a_conflict_for_the_second_not_a_duplicate(pcs: TwoPcs) -> None:
    noor = pcs.school.pupils["1003"]
    seen = cell_versions(pcs.b, pcs.school.g5, [(noor, 2)])
    assert seen == {(noor, 2): ""}
    with pcs.a.transaction() as s:
        register_cells(s, MONDAY, [(noor, 2)], "Z", by="anna", versions=seen)
    with pytest.raises(ConflictError) as info, pcs.b.transaction() as s:
        register_cells(s, MONDAY, [(noor, 2)], "O", by="bram", versions=seen)
    assert "door anna" in str(info.value)
    assert register(pcs.a) == [(noor, 2, "Z", "anna")]  # one entry, Anna's: no duplicate, no overwrite


def test_leave_decision_taken_meanwhile_is_a_conflict(pcs: TwoPcs) -> None:
    piet = pcs.school.pupils["1001"]
    with pcs.a.transaction() as s:
        request = submit_leave_request(s, piet, "gewichtige_omstandigheden", dt.date(2025, 11, 10),
                                       dt.date(2025, 11, 11), received_on=dt.date(2025, 10, 1), by="anna")
    with pcs.b.session() as s:
        seen_by_b = s.get(LeaveRequest, request.id).version  # type: ignore[union-attr]
    before = dt.datetime.now()
    with pcs.a.transaction() as s:
        decide_leave_request(s, request.id, "geweigerd", by="anna", motivation="Geen bewijs van de bruiloft.",
                             on=dt.date(2025, 10, 2), expected_version=request.version)
    with pytest.raises(ConflictError) as info, pcs.b.transaction() as s:
        decide_leave_request(s, request.id, "toegekend", by="bram", on=dt.date(2025, 10, 3),
                             expected_version=seen_by_b)
    assert_names_anna_and_time(info.value, before)
    assert "De verlofaanvraag van Piet Jansen" in str(info.value) and info.value.attempted == ("Besluit: toegekend",)
    with pcs.b.session() as s:
        stored = s.get(LeaveRequest, request.id)
        assert stored is not None and (stored.status, stored.decided_by) == ("geweigerd", "anna")
        assert not s.exec(select(AbsenceEntry)).all()  # Bram's grant did not register the leave
    assert trail_by(pcs.b, "bram") == []
    with pcs.b.transaction() as s:  # reloaded: Bram may change the decision knowingly
        decide_leave_request(s, request.id, "toegekend", by="bram", on=dt.date(2025, 10, 3),
                             expected_version=stored.version)
    assert {e[2] for e in register(pcs.a)} == {"G"}


def test_melding_status_set_meanwhile_is_a_conflict(pcs: TwoPcs) -> None:
    piet = pcs.school.pupils["1001"]
    with pcs.a.transaction() as s:
        melding = create_melding(s, piet, "O", MONDAY, dt.date(2025, 11, 7), by="anna")
        set_duo_number(s, melding.id, "123456", by="anna")
    with pcs.b.session() as s:
        seen = s.get(Melding, melding.id).version  # type: ignore[union-attr]
    before = dt.datetime.now()
    with pcs.a.transaction() as s:
        set_melding_status(s, melding.id, "geregistreerd", by="anna", expected_version=seen)
    with pytest.raises(ConflictError) as info, pcs.b.transaction() as s:
        set_melding_status(s, melding.id, "ingetrokken", by="bram", note="Toch geoorloofd.", expected_version=seen)
    assert_names_anna_and_time(info.value, before)
    assert "Toch geoorloofd." in info.value.attempted[0]
    with pcs.b.session() as s:
        assert s.get(Melding, melding.id).status == "geregistreerd"  # type: ignore[union-attr]
        history = [(r.status, r.set_by) for r in s.exec(select(MeldingStatus).order_by(col(MeldingStatus.id)))]
        assert history[-1] == ("geregistreerd", "anna") and all(by == "anna" for _, by in history)
        seen = s.get(Melding, melding.id).version  # type: ignore[union-attr]
    with pcs.b.transaction() as s:
        set_melding_status(s, melding.id, "ingetrokken", by="bram", note="Toch geoorloofd.", expected_version=seen)


def test_setting_changed_or_created_meanwhile_is_a_conflict(pcs: TwoPcs) -> None:
    keys = ["melder_telefoon", "melder_email"]
    with pcs.a.transaction() as s:
        set_setting(s, "melder_telefoon", "030-1")
    with pcs.b.session() as s:
        seen = setting_versions(s, keys)
    assert seen == {"melder_telefoon": 1, "melder_email": 0}
    before = dt.datetime.now()
    with pcs.a.transaction() as s:
        set_setting(s, "melder_email", "a@school.example", expected_version=seen["melder_email"])  # created
    with pytest.raises(ConflictError) as info, pcs.b.transaction() as s:
        set_setting(s, "melder_telefoon", "030-2", expected_version=seen["melder_telefoon"])  # unchanged: fine
        set_setting(s, "melder_email", "b@school.example", expected_version=seen["melder_email"])
    assert_names_anna_and_time(info.value, before)
    assert info.value.attempted == ("melder_email: b@school.example",)
    with pcs.b.session() as s:  # the whole action rolled back, the first setting too
        assert (get_setting(s, "melder_telefoon"), get_setting(s, "melder_email")) == ("030-1", "a@school.example")


def test_signal_policies_screen_save_is_refused_after_a_change_elsewhere(pcs: TwoPcs) -> None:
    with pcs.b.session() as s:
        seen = setting_versions(s, POLICY_KEYS)
        lateness, tier, melding = get_lateness_policy(s), get_tier_policy(s), get_melding_policy(s)
    with pcs.a.transaction() as s:
        save_policies(s, lateness, tier, melding, versions=seen)
    with pytest.raises(ConflictError, match="door anna"), pcs.b.transaction() as s:
        save_policies(s, lateness, tier, melding, versions=seen)
    with pcs.b.session() as s:
        again = setting_versions(s, POLICY_KEYS)
    with pcs.b.transaction() as s:
        save_policies(s, lateness, tier, melding, versions=again)


def test_undo_does_not_take_back_a_change_made_since_on_another_pc(pcs: TwoPcs) -> None:
    from verzuimdesk.model.register.view import restore_days

    piet = pcs.school.pupils["1001"]
    with pcs.a.transaction() as s:  # Anna: two steps on her screen, each with its undo snapshot
        first = register_cells(s, MONDAY, [(piet, 1)], "Z", by="anna")
    with pcs.a.transaction() as s:
        second = register_cells(s, MONDAY, [(piet, 2)], "Z", by="anna")
    with pcs.a.transaction() as s:  # her own steps undo one after the other
        restore_days(s, second)
    assert register(pcs.a) == [(piet, 1, "Z", "anna")]
    with pcs.b.transaction() as s:  # then Bram corrects lesson 1 on his PC
        register_cells(s, MONDAY, [(piet, 1)], "M", by="bram",
                       versions=cell_versions(pcs.b, pcs.school.g5, [(piet, 1)]))  # fmt: skip
    with pytest.raises(ConflictError) as info, pcs.a.transaction() as s:
        restore_days(s, first)  # Anna's Ctrl+Z would wipe Bram's correction
    assert "door bram" in str(info.value) and "De registratie van Piet Jansen op 3 november 2025" in str(info.value)
    assert register(pcs.a) == [(piet, 1, "M", "bram")]
