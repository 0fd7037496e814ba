"""Reasons and their legal mapping (domain.md §4.2: mapping changes of a reason in use are audited)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import select

from tests.builders import build_small_school
from verzuimdesk.model.errors import ValidationError
from verzuimdesk.model.register.entries import register_lesson
from verzuimdesk.model.school.reasons import reason_by_code, reasons_by_code, save_reason
from verzuimdesk.model.tables import Reason, ReasonMappingChange


def test_default_reasons_map_to_the_legal_categories(db) -> None:
    build_small_school(db)
    with db.session() as s:
        r = reasons_by_code(s)
    assert (r["Z"].category, r["Z"].legal_ground) == ("geoorloofd", "d")
    assert (r["V"].category, r["V"].legal_ground) == ("geoorloofd", "f")
    assert (r["G"].category, r["G"].legal_ground) == ("geoorloofd", "g")
    assert (r["R"].category, r["R"].legal_ground) == ("geoorloofd", "e")
    assert (r["S"].category, r["S"].legal_ground) == ("geoorloofd", "c")
    assert r["T"].category == "ongeoorloofd" and r["T"].is_lateness
    assert r["X"].category == "ongeoorloofd" and r["X"].is_unresolved
    assert r["LU"].category == "niet_meegeteld"
    # Issue 9 point 9: AO is present only with an approved afwijking onderwijstijd (off by default), VV
    # (school transport) is authorised absence, not "niet meegeteld"; art. 11a has two reasons of its own.
    assert r["AO"].category == "geoorloofd" and r["AO"].needs_afwijking
    assert (r["VV"].category, r["VV"].legal_ground) == ("geoorloofd", "")
    assert (r["K5"].art11a, r["K5T"].art11a) == ("melding", "toestemming")
    assert len(r) == 18


def test_afstandsonderwijs_is_present_only_with_an_approved_afwijking(db) -> None:
    from verzuimdesk.model.register.figures import pupil_figures
    from verzuimdesk.model.school.reasons import set_afwijking_onderwijstijd

    school = build_small_school(db)
    piet, day = school.pupils["1001"], dt.date(2025, 11, 3)
    with db.transaction() as s:
        for n in (1, 2):
            register_lesson(s, piet, day, n, "AO", by="test")
        register_lesson(s, piet, day, 3, "VV", by="test")
    with db.session() as s:  # no afwijking: three lessons authorised absence, none "not counted"
        fig = pupil_figures(s, piet, day, day)
        assert (fig.authorised, fig.not_counted, fig.present, fig.net_scheduled) == (180, 0, 180, 360)
    with pytest.raises(ValidationError, match="afwijking van de onderwijstijd"), db.transaction() as s:
        ao = reason_by_code(s, "AO")
        ao.category = "aanwezig"
        save_reason(s, ao, by="test", why="thuisonderwijs")
    with db.transaction() as s:
        changed = set_afwijking_onderwijstijd(s, True, by="directeur", now=dt.datetime(2025, 11, 4, 9))
        assert [r.code for r in changed] == ["AO"]
    with db.session() as s:
        fig = pupil_figures(s, piet, day, day)
        assert (fig.authorised, fig.present) == (60, 300)
        (change,) = s.exec(select(ReasonMappingChange)).all()  # AO was in use: the change is on record
        assert (change.old_category, change.new_category, change.changed_by) == ("geoorloofd", "aanwezig",
                                                                                 "directeur")  # fmt: skip
    with db.transaction() as s:
        set_afwijking_onderwijstijd(s, False, by="directeur")
    with db.session() as s:
        assert reason_by_code(s, "AO").category == "geoorloofd"


def test_mapping_change_of_a_reason_in_use_needs_a_why_and_is_recorded(db) -> None:
    school = build_small_school(db)
    with db.transaction() as s:
        register_lesson(s, school.pupils["1001"], dt.date(2025, 11, 3), 1, "M", by="test")
    with pytest.raises(ValidationError, match="Geef aan waarom"):
        with db.transaction() as s:
            m = reason_by_code(s, "M")
            m.legal_ground = "g"
            save_reason(s, m, by="directeur")
    with db.session() as s:
        assert reason_by_code(s, "M").legal_ground == "d"  # refused: nothing changed
    with db.transaction() as s:
        m = reason_by_code(s, "M")
        m.legal_ground = "g"
        save_reason(s, m, by="directeur", why="Schoolbeleid: medisch bezoek valt onder gewichtige omstandigheden")
    with db.session() as s:
        changes = s.exec(select(ReasonMappingChange)).all()
        assert [(c.old_legal_ground, c.new_legal_ground, c.changed_by) for c in changes] == [("d", "g", "directeur")]
        assert reason_by_code(s, "m").legal_ground == "g"


def test_renaming_is_free_but_codes_stay_unique(db) -> None:
    build_small_school(db)
    with db.transaction() as s:
        z = reason_by_code(s, "Z")
        z.name = "Ziek gemeld"
        save_reason(s, z, by="test")
        assert s.exec(select(ReasonMappingChange)).all() == []
        with pytest.raises(ValidationError, match="al in gebruik"):
            save_reason(s, Reason(code="z", name="Nog een", category="geoorloofd", legal_ground="d"), by="t")
        with pytest.raises(ValidationError, match="geen grond"):
            save_reason(s, Reason(code="Q", name="Q", category="ongeoorloofd", legal_ground="d"), by="t")


def test_detached_copies_edited_in_a_dialog_can_be_saved(db) -> None:
    """Screens edit copies after their session closed; saving them updates the stored row."""
    from verzuimdesk.model.school.records import save_pupil
    from verzuimdesk.model.tables import Pupil

    school = build_small_school(db)
    with db.session() as s:
        z = reason_by_code(s, "Z")
        piet = s.get(Pupil, school.pupils["1001"])
    z.name = "Ziek (gemeld door ouders)"
    piet.roepnaam = "Pieter"
    with db.transaction() as s:
        save_reason(s, z, by="test")
        save_pupil(s, piet)
    with db.session() as s:
        assert reason_by_code(s, "Z").name == "Ziek (gemeld door ouders)"
        assert s.get(Pupil, school.pupils["1001"]).roepnaam == "Pieter"
        assert len(reasons_by_code(s)) == 18
