"""The rest of what a school edits from several PCs (issue 14 point 3, the gaps of the last review): the school's
own record, leerplichtambtenaren, a pupil's card (details, parents, groups), groups, reasons, a parents' report on
cells that changed since the screen loaded, and "register genomen". Each: Bram saves on what his screen loaded after
Anna changed it; his save is refused naming Anna and nothing of it is stored. On SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import col, select

from tests.concurrency.conftest import MONDAY, TwoPcs
from tests.concurrency.test_conflicts import assert_names_anna_and_time, cell_versions, register, trail_by
from verzuimdesk.model.db import Database
from verzuimdesk.model.errors import ConflictError, ValidationError
from verzuimdesk.model.register.entries import report_absence, set_register_taken
from verzuimdesk.model.register.view import load_register_day, register_cells
from verzuimdesk.model.school.records import get_school, leerplicht_contacts
from verzuimdesk.model.setup import pupils_groups as admin
from verzuimdesk.model.setup import settings as adm
from verzuimdesk.model.tables import (
    Group,
    GroupMembership,
    LeerplichtContact,
    Pupil,
    Reason,
    RegisterTaken,
    School,
)


def version_of(db: Database, model: type, ident: object) -> int:
    with db.session() as s:
        row = s.get(model, ident)
        assert row is not None
        return int(row.version)


def school_version(db: Database) -> int:
    with db.session() as s:
        school = get_school(s)
        return school.version if school else 0


# ----------------------------------------------------------------------------------------- the school


def test_school_details_changed_meanwhile_are_a_conflict_and_nothing_of_the_second_save_is_stored(pcs: TwoPcs) -> None:
    seen = school_version(pcs.b)
    assert seen == school_version(pcs.a) >= 1
    before = dt.datetime.now()
    with pcs.a.transaction() as s:
        adm.save_school_details(s, {"name": "De Wilg", "brin": "12AB"}, expected_version=seen)
    with pytest.raises(ConflictError) as info, pcs.b.transaction() as s:
        adm.save_school_details(s, {"name": "De Proefschool", "brin": "99ZZ", "vestiging": "01", "phone": "030-9"},
                                expected_version=seen)  # fmt: skip
    assert_names_anna_and_time(info.value, before)
    assert "De gegevens van de school" in str(info.value)
    # Bram's input that differs from what is stored now travels with the conflict (to type it again).
    assert set(info.value.attempted) == {"naam: De Proefschool", "BRIN: 99ZZ", "vestiging: 01", "telefoon: 030-9"}
    with pcs.b.session() as s:
        school = get_school(s)
        assert school is not None and (school.name, school.brin, school.vestiging, school.phone) == \
            ("De Wilg", "12AB", "00", "")
    assert trail_by(pcs.b, "bram") == []
    with pcs.b.transaction() as s:  # reloaded: Bram's save goes through
        adm.save_school_details(s, {"phone": "030-9"}, expected_version=school_version(pcs.b))
    with pcs.a.session() as s:
        assert (get_school(s).name, get_school(s).phone) == ("De Wilg", "030-9")  # type: ignore[union-attr]


def test_a_logo_chosen_meanwhile_makes_the_school_screen_stale(pcs: TwoPcs, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from PIL import Image

    logo = tmp_path / "logo.png"
    Image.new("RGB", (40, 20), "navy").save(logo)
    seen = school_version(pcs.b)
    with pcs.a.transaction() as s:
        adm.set_school_logo(s, logo, tmp_path, expected_version=seen)
    with pytest.raises(ConflictError, match="door anna"), pcs.b.transaction() as s:
        adm.set_school_logo(s, None, tmp_path, expected_version=seen)  # Bram's screen still showed no logo
    with pcs.b.session() as s:
        assert get_school(s).logo_path.endswith("schoollogo.png")  # type: ignore[union-attr]


def test_two_pcs_setting_up_the_school_at_once_make_one_record(db_backend: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tests.concurrency.conftest import actor, school_url
    from verzuimdesk.model.db import open_database

    url = school_url(db_backend, tmp_path)
    a, b = open_database(url), open_database(url)
    a.actor, b.actor = actor("anna"), actor("bram")
    try:
        assert school_version(a) == school_version(b) == 0  # both screens: no school yet
        with a.transaction() as s:
            adm.save_school_details(s, {"name": "De Wilg"}, expected_version=0)
        with pytest.raises(ConflictError, match="door anna"), b.transaction() as s:
            adm.save_school_details(s, {"name": "De Eik"}, expected_version=0)
        with b.session() as s:
            assert [x.name for x in s.exec(select(School))] == ["De Wilg"]
    finally:
        a.close()
        b.close()


def test_leerplichtambtenaar_changed_or_removed_meanwhile_is_a_conflict(pcs: TwoPcs) -> None:
    with pcs.a.transaction() as s:
        contact = adm.save_leerplicht_contact(s, None, {"gemeente": "Utrecht", "name": "J. de Vries"})
    assert contact.id is not None
    seen = version_of(pcs.b, LeerplichtContact, contact.id)
    before = dt.datetime.now()
    with pcs.a.transaction() as s:
        adm.save_leerplicht_contact(s, contact.id, {"gemeente": "Utrecht", "name": "A. Bakker"},
                                    expected_version=seen)  # fmt: skip
    with pytest.raises(ConflictError) as info, pcs.b.transaction() as s:
        adm.save_leerplicht_contact(s, contact.id, {"gemeente": "Utrecht", "name": "J. de Vries",
                                                    "email": "jdv@utrecht.example"}, expected_version=seen)
    assert_names_anna_and_time(info.value, before)
    assert "De leerplichtambtenaar van Utrecht" in str(info.value)
    assert set(info.value.attempted) == {"naam: J. de Vries", "e-mail: jdv@utrecht.example"}
    with pytest.raises(ConflictError, match="door anna"), pcs.b.transaction() as s:
        adm.delete_leerplicht_contact(s, contact.id, expected_version=seen)  # would remove Anna's new name
    with pcs.b.session() as s:
        assert [(c.name, c.email) for c in leerplicht_contacts(s)] == [("A. Bakker", "")]
    with pcs.a.transaction() as s:  # Anna removes it; Bram's edit on the old screen: removed, by Anna
        adm.delete_leerplicht_contact(s, contact.id, expected_version=seen + 1)
    with pytest.raises(ConflictError) as info, pcs.b.transaction() as s:
        adm.save_leerplicht_contact(s, contact.id, {"gemeente": "Utrecht", "name": "X"}, expected_version=seen + 1)
    assert "is intussen verwijderd door anna" in str(info.value)


def test_the_same_gemeente_added_on_two_pcs_is_stored_once(pcs: TwoPcs) -> None:
    with pcs.a.transaction() as s:
        adm.save_leerplicht_contact(s, None, {"gemeente": "Zeist", "name": "A"})
    with pytest.raises(ValidationError, match="Voor de gemeente Zeist is al een leerplichtambtenaar"), \
            pcs.b.transaction() as s:
        adm.save_leerplicht_contact(s, None, {"gemeente": "Zeist", "name": "B"})
    with pcs.b.session() as s:
        assert [c.name for c in s.exec(select(LeerplichtContact))] == ["A"]


# ------------------------------------------------------------------------------------- pupils, groups, reasons


def pupil_fields(db: Database, pupil_id: int) -> dict[str, object]:
    with db.session() as s:
        pupil = s.get(Pupil, pupil_id)
        assert pupil is not None
        return pupil.model_dump(exclude={"id", "version"})


def test_pupil_card_changed_meanwhile_is_a_conflict_for_its_details_parents_and_group(pcs: TwoPcs) -> None:
    piet = pcs.school.pupils["1001"]
    seen = version_of(pcs.b, Pupil, piet)
    fields = pupil_fields(pcs.b, piet)
    before = dt.datetime.now()
    with pcs.a.transaction() as s:  # Anna: a new address
        admin.save_pupil_details(s, piet, {**fields, "address": "Dorpsstraat 2"}, expected_version=seen)
    parents = [admin.GuardianData("M. Jansen", "moeder", "06-1")]
    with pytest.raises(ConflictError) as info, pcs.b.transaction() as s:  # Bram: a phone note, on the old card
        admin.save_pupil_details(s, piet, {**fields, "notes": "Bellen na 10 uur"}, parents, expected_version=seen)
    assert_names_anna_and_time(info.value, before)
    assert "De gegevens van Piet Jansen" in str(info.value)
    assert "notities: Bellen na 10 uur" in info.value.attempted
    assert "ouder/verzorger 1: M. Jansen, moeder, 06-1" in info.value.attempted
    assert not any("111222333" in line for line in info.value.attempted)  # the BSN is not repeated
    stored = pupil_fields(pcs.b, piet)
    assert (stored["address"], stored["notes"]) == ("Dorpsstraat 2", "")
    with pcs.b.session() as s:
        assert admin.guardians_of(s, piet) == []  # Bram's parent was not stored either

    # The parents are part of the card: Anna adds one, Bram's stale save of the card is refused.
    seen = version_of(pcs.b, Pupil, piet)
    with pcs.a.transaction() as s:
        admin.save_pupil_details(s, piet, pupil_fields(pcs.a, piet), parents, expected_version=seen)
    assert version_of(pcs.a, Pupil, piet) == seen + 1
    with pytest.raises(ConflictError) as info, pcs.b.transaction() as s:
        admin.save_pupil_details(s, piet, stored, [], expected_version=seen)  # would remove Anna's parent
    assert "door anna" in str(info.value)
    with pcs.b.session() as s:
        assert [g.name for g in admin.guardians_of(s, piet)] == ["M. Jansen"]

    # So are the groups: Anna moves Piet to group 1/2; Bram's stale move (or save) is refused.
    seen = version_of(pcs.b, Pupil, piet)
    move_on = dt.date(2026, 1, 5)
    with pcs.a.transaction() as s:
        admin.change_group(s, piet, pcs.school.g12, move_on, expected_version=seen)
    with pytest.raises(ConflictError) as info, pcs.b.transaction() as s:
        admin.change_group(s, piet, pcs.school.g5, move_on, expected_version=seen)
    assert "door anna" in str(info.value) and info.value.attempted == ("Naar Groep 5 vanaf 5 januari 2026",)
    with pcs.b.session() as s:
        current = s.exec(select(GroupMembership).where(GroupMembership.pupil_id == piet)
                         .order_by(col(GroupMembership.date_from).desc())).first()  # fmt: skip
        assert current is not None and current.group_id == pcs.school.g12
    assert trail_by(pcs.b, "bram") == []
    with pcs.b.transaction() as s:  # reloaded, Bram's change goes through
        admin.save_pupil_details(s, piet, {**stored, "notes": "Bellen na 10 uur"}, parents,
                                 expected_version=version_of(pcs.b, Pupil, piet))  # fmt: skip
    assert pupil_fields(pcs.a, piet)["notes"] == "Bellen na 10 uur"


def test_group_and_reason_changed_meanwhile_are_conflicts(pcs: TwoPcs) -> None:
    g5 = pcs.school.g5
    seen = version_of(pcs.b, Group, g5)
    with pcs.a.transaction() as s:
        admin.save_group_details(s, g5, {"name": "Groep 5a"}, expected_version=seen)
    with pytest.raises(ConflictError) as info, pcs.b.transaction() as s:
        admin.save_group_details(s, g5, {"name": "Groep 5", "department": "Onderbouw"}, expected_version=seen)
    assert "De gegevens van groep Groep 5a" in str(info.value) and "door anna" in str(info.value)
    assert set(info.value.attempted) == {"naam: Groep 5", "afdeling: Onderbouw"}
    with pcs.b.session() as s:
        group = s.get(Group, g5)
        assert group is not None and (group.name, group.department) == ("Groep 5a", "")

    with pcs.b.session() as s:
        reason = s.exec(select(Reason).where(Reason.code == "Z")).one()
    with pcs.a.transaction() as s:
        adm.save_reason_details(s, reason.id, {"name": "Ziek gemeld"}, by="anna", expected_version=reason.version)
    with pytest.raises(ConflictError) as info, pcs.b.transaction() as s:
        adm.save_reason_details(s, reason.id, {"color": "#FF0000"}, by="bram", expected_version=reason.version)
    assert "De reden Z (Ziek gemeld)" in str(info.value) and "door anna" in str(info.value)
    with pcs.b.session() as s:
        assert s.get(Reason, reason.id).color != "#FF0000"  # type: ignore[union-attr]


# ------------------------------------------------------------------------------------ parents' report


def test_report_on_a_cell_changed_since_the_screen_loaded_is_a_conflict(pcs: TwoPcs) -> None:
    piet = pcs.school.pupils["1001"]
    with pcs.b.session() as s:  # Bram's register screen: Piet, all lessons present
        row = next(r for r in load_register_day(s, pcs.school.g5, MONDAY).rows if r.pupil_id == piet)
        lessons = load_register_day(s, pcs.school.g5, MONDAY).lessons
    seen = {MONDAY: {les.number: cell.version for les, cell in zip(lessons, row.cells)}}
    before = dt.datetime.now()
    with pcs.a.transaction() as s:  # the teacher: Piet truant in lesson 3
        register_cells(s, MONDAY, [(piet, 3)], "O", by="anna",
                       versions=cell_versions(pcs.a, pcs.school.g5, [(piet, 3)]))  # fmt: skip
    # A parent calls Bram: Piet is ill today and tomorrow. The report would overwrite the teacher's O.
    with pytest.raises(ConflictError) as info, pcs.b.transaction() as s:
        report_absence(s, piet, MONDAY, MONDAY + dt.timedelta(days=1), "Z", by="bram", note="moeder belde",
                       seen=seen)  # fmt: skip
    assert_names_anna_and_time(info.value, before)
    assert "Les 3 van Piet Jansen op 3 november 2025" in str(info.value)
    assert info.value.attempted == ("Melding Z (Ziek) van 3 november 2025 tot en met 4 november 2025: moeder belde",)
    assert register(pcs.b) == [(piet, 3, "O", "anna")]  # nothing of the report, on neither day
    # A report that leaves the changed lesson alone (from 11:30, after lesson 3) is not stale.
    with pcs.b.transaction() as s:
        created = report_absence(s, piet, MONDAY, MONDAY, "Z", by="bram", start=11 * 60 + 30, end=15 * 60, seen=seen)
    assert created and all(e.start_minute >= 11 * 60 + 30 for e in created)
    # After reloading, Bram's whole-day report goes through, knowingly replacing the O.
    with pcs.b.session() as s:
        row = next(r for r in load_register_day(s, pcs.school.g5, MONDAY).rows if r.pupil_id == piet)
    with pcs.b.transaction() as s:
        report_absence(s, piet, MONDAY, MONDAY, "Z", by="bram", change_reason="moeder belde",
                       seen={MONDAY: {les.number: c.version for les, c in zip(lessons, row.cells)}})
    assert {code for _p, _n, code, _by in register(pcs.a)} == {"Z"}


# ---------------------------------------------------------------------------------------- register taken


def taken(db: Database, group_id: int, number: int) -> list[tuple[str, dt.datetime]]:
    with db.session() as s:
        return [(r.taken_by, r.taken_at) for r in s.exec(select(RegisterTaken).where(
            RegisterTaken.group_id == group_id, RegisterTaken.lesson_number == number))]  # fmt: skip


def test_register_taken_on_two_pcs_keeps_the_first_mark_and_tells_the_second(pcs: TwoPcs) -> None:
    g5 = pcs.school.g5
    at = dt.datetime(2025, 11, 3, 8, 31)
    with pcs.a.transaction() as s:  # both screens showed lesson 1 as not taken
        assert set_register_taken(s, g5, MONDAY, 1, True, by="anna", seen=None, now=at) == "Register van les 1 genomen."
    with pcs.b.transaction() as s:
        line = set_register_taken(s, g5, MONDAY, 1, True, by="bram", seen=None)
    assert line == "Het register van les 1 was intussen al genomen door anna om 08:31; dat blijft zo staan."
    assert taken(pcs.b, g5, 1) == [("anna", at)]
    with pcs.a.transaction() as s:  # Anna's screen showed her mark: taking it again changes nothing
        assert set_register_taken(s, g5, MONDAY, 1, True, by="anna", seen=at) == "Het register van les 1 was al genomen."

    # Unmarking a mark the screen did not show would take back someone else's: a conflict.
    with pcs.a.transaction() as s:
        set_register_taken(s, g5, MONDAY, 1, False, by="anna", seen=at)
    again = dt.datetime(2025, 11, 3, 8, 45)
    with pcs.a.transaction() as s:
        set_register_taken(s, g5, MONDAY, 1, True, by="anna", seen=None, now=again)
    with pytest.raises(ConflictError) as info, pcs.b.transaction() as s:  # Bram's screen: Anna's first mark
        set_register_taken(s, g5, MONDAY, 1, False, by="bram", seen=at)
    assert "Het register van les 1 op 3 november 2025 is intussen gewijzigd door anna" in str(info.value)
    assert "om 08:45" in str(info.value)
    assert taken(pcs.b, g5, 1) == [("anna", again)]
    with pcs.a.transaction() as s:
        set_register_taken(s, g5, MONDAY, 1, False, by="anna", seen=again)
    with pcs.b.transaction() as s:  # already unmarked elsewhere: nothing to do, and the line says so
        line = set_register_taken(s, g5, MONDAY, 1, False, by="bram", seen=at)
    assert "stond intussen al op 'niet genomen'" in line and taken(pcs.b, g5, 1) == []


def test_timetable_and_day_off_changed_meanwhile_are_conflicts(pcs: TwoPcs) -> None:
    from tests.builders import lessons_full_days
    from verzuimdesk.model.register.timetable import set_group_timetable
    from verzuimdesk.model.school.calendar import add_day_off
    from verzuimdesk.model.setup.pupils_groups import timetable_on
    from verzuimdesk.model.tables import DayOff

    g5 = pcs.school.g5
    seen = version_of(pcs.b, Group, g5)  # Bram opens the timetable editor of group 5
    from_date = dt.date(2026, 1, 5)
    before = dt.datetime.now()
    with pcs.a.transaction() as s:  # Anna: five lessons a day from January
        set_group_timetable(s, g5, lessons_full_days(count=5), valid_from=from_date, expected_version=seen)
    with pytest.raises(ConflictError) as info, pcs.b.transaction() as s:  # Bram: seven, on the old editor
        set_group_timetable(s, g5, lessons_full_days(count=7), valid_from=from_date, expected_version=seen)
    assert_names_anna_and_time(info.value, before)
    assert "Het rooster van Groep 5" in str(info.value)
    assert info.value.attempted == ("Nieuw rooster vanaf 5 januari 2026: 35 lessen per week",)
    with pcs.b.session() as s:
        assert len(timetable_on(s, g5, from_date)) == 25
    # The group dialog is stale too: the timetable is part of the group's record.
    with pytest.raises(ConflictError, match="door anna"), pcs.b.transaction() as s:
        admin.save_group_details(s, g5, {"department": "Midden"}, expected_version=seen)

    with pcs.a.transaction() as s:
        day = add_day_off(s, dt.date(2026, 2, 2), dt.date(2026, 2, 2), "Studiedag", "studiedag")
    assert day.id is not None
    seen = version_of(pcs.b, DayOff, day.id)
    with pcs.a.transaction() as s:
        adm.update_day_off(s, day.id, expected_version=seen, date_from=dt.date(2026, 2, 3),
                           date_to=dt.date(2026, 2, 3))  # fmt: skip
    with pytest.raises(ConflictError) as info, pcs.b.transaction() as s:
        adm.update_day_off(s, day.id, expected_version=seen, description="Studiedag team", group_id=g5)
    assert "De vrije dag ‘Studiedag’" in str(info.value) and "door anna" in str(info.value)
    # what Bram typed, to type again: a group by its name, not its number
    assert info.value.attempted == ("omschrijving: Studiedag team", "groep: Groep 5")
    with pytest.raises(ConflictError, match="door anna"), pcs.b.transaction() as s:
        adm.delete_day_off(s, day.id, expected_version=seen)  # Bram's list still showed 2 February
    with pcs.b.session() as s:
        stored = s.get(DayOff, day.id)
        assert stored is not None and (stored.date_from, stored.description) == (dt.date(2026, 2, 3), "Studiedag")


def test_dossier_contact_and_intervention_changed_meanwhile_are_conflicts(pcs: TwoPcs) -> None:
    from verzuimdesk.model.law import dossier
    from verzuimdesk.model.tables.law import ContactMoment, Intervention

    piet = pcs.school.pupils["1001"]
    with pcs.a.transaction() as s:
        contact = dossier.add_contact(s, piet, dt.date(2025, 11, 10), "gesprek", by="anna", planned=True,
                                      with_whom="moeder")  # fmt: skip
        item = dossier.add_intervention(s, piet, "Ochtendgesprek met IB", dt.date(2025, 11, 3), by="anna",
                                        evaluation_date=dt.date(2025, 12, 1))  # fmt: skip
    seen_contact = version_of(pcs.b, ContactMoment, contact.id)
    seen_item = version_of(pcs.b, Intervention, item.id)
    before = dt.datetime.now()
    with pcs.a.transaction() as s:  # Anna writes the report of the conversation
        dossier.mark_contact_held(s, contact.id, by="anna", summary="Moeder vertelt over de verhuizing.",
                                  expected_version=seen_contact)  # fmt: skip
        dossier.evaluate_intervention(s, item.id, by="anna", on=dt.date(2025, 12, 1), outcome="Werkt.",
                                      effective=True, expected_version=seen_item)  # fmt: skip
    with pytest.raises(ConflictError) as info, pcs.b.transaction() as s:  # Bram, on his list of before
        dossier.mark_contact_held(s, contact.id, by="bram", summary="Gesprek ging over de bus.",
                                  expected_version=seen_contact)  # fmt: skip
    assert_names_anna_and_time(info.value, before)
    assert "Het contact van 10 november 2025 (gesprek)" in str(info.value)
    assert "verslag: Gesprek ging over de bus." in info.value.attempted
    with pytest.raises(ConflictError, match="door anna"), pcs.b.transaction() as s:
        dossier.update_contact(s, contact.id, by="bram", with_whom="vader", expected_version=seen_contact)
    with pytest.raises(ConflictError) as info, pcs.b.transaction() as s:
        dossier.update_intervention(s, item.id, by="bram", title="Ochtendgesprek", expected_version=seen_item)
    assert "De interventie ‘Ochtendgesprek met IB’" in str(info.value) and "door anna" in str(info.value)
    with pytest.raises(ConflictError, match="door anna"), pcs.b.transaction() as s:
        dossier.delete_intervention(s, item.id, by="bram", expected_version=seen_item)
    with pcs.b.session() as s:
        stored = s.get(ContactMoment, contact.id)
        assert stored is not None and (stored.summary, stored.with_whom) == ("Moeder vertelt over de verhuizing.",
                                                                             "moeder")
        kept = s.get(Intervention, item.id)
        assert kept is not None and (kept.title, kept.outcome) == ("Ochtendgesprek met IB", "Werkt.")


def test_account_changed_meanwhile_by_another_beheerder_is_a_conflict_a_log_in_is_not(pcs: TwoPcs) -> None:
    from verzuimdesk.model.security.accounts import account_rows, authenticate, create_account, update_account

    with pcs.a.transaction() as s:
        create_account(s, "anna", "een-lang-wachtwoord-0", "beheerder")
        create_account(s, "juf.anne", "een-lang-wachtwoord-1", "leerkracht", full_name="Anne de Wit",
                       group_ids=(pcs.school.g5,))  # fmt: skip
    with pcs.b.session() as s:  # Bram's Gebruikers screen
        seen = next(r for r in account_rows(s) if r.username == "juf.anne")
    with pcs.a.transaction() as s:  # Anne logs in meanwhile: her account row changes, the screen is not stale
        authenticate(s, "juf.anne", "een-lang-wachtwoord-1")
    with pcs.b.transaction() as s:
        update_account(s, "juf.anne", full_name="Anne de Wit-Bos", role_key="leerkracht",
                       group_ids=(pcs.school.g5,), seen=seen)  # fmt: skip
    with pcs.b.session() as s:
        seen = next(r for r in account_rows(s) if r.username == "juf.anne")
    before = dt.datetime.now()
    with pcs.a.transaction() as s:  # Anna gives her group 1/2 as well
        update_account(s, "juf.anne", group_ids=(pcs.school.g5, pcs.school.g12), seen=seen)
    with pytest.raises(ConflictError) as info, pcs.b.transaction() as s:  # Bram, on the old list: IB
        update_account(s, "juf.anne", role_key="ib", group_ids=(), full_name="Anne de Wit-Bos", seen=seen)
    assert_names_anna_and_time(info.value, before)
    assert "Het account juf.anne" in str(info.value) and "rol: intern begeleider" in info.value.attempted
    with pytest.raises(ConflictError, match="door anna"), pcs.b.transaction() as s:
        update_account(s, "juf.anne", active=False, seen=seen)  # "Uitschakelen" on the old list
    with pcs.b.session() as s:
        now = next(r for r in account_rows(s) if r.username == "juf.anne")
        assert (now.role, set(now.group_ids), now.active) == ("leerkracht", {pcs.school.g5, pcs.school.g12}, True)
