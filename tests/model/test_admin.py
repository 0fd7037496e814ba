"""Administration operations (model/setup/pupils_groups.py, model/setup/settings.py), without widgets."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.builders import YEAR_START, build_small_school
from verzuimdesk.model.db import Database
from verzuimdesk.model.errors import ValidationError
from verzuimdesk.model.register.entries import set_entry
from verzuimdesk.model.register.timetable import add_deviation
from verzuimdesk.model.school.calendar import add_day_off
from verzuimdesk.model.school.reasons import reason_by_code
from verzuimdesk.model.school.records import get_school, school_years
from verzuimdesk.model.setup import pupils_groups as admin
from verzuimdesk.model.setup import settings as admin_settings
from verzuimdesk.model.tables import DayOff, DayOffKind, Group, Pupil, ReasonMappingChange

D = dt.date
TODAY = D(2025, 11, 3)


@pytest.fixture
def small(sqlite_db: Database):  # type: ignore[no-untyped-def]
    return sqlite_db, build_small_school(sqlite_db)


def test_pupil_rows_show_group_age_and_status(small) -> None:  # type: ignore[no-untyped-def]
    db, _school = small
    with db.session() as s:
        rows = {r.key: r for r in admin.pupil_rows(s, TODAY)}
    assert rows["1001"].group == "Groep 5"
    assert rows["1001"].age == 9
    assert rows["1001"].status == "leerplichtig"
    with db.session() as s:
        early = {r.key: r for r in admin.pupil_rows(s, D(2025, 6, 1))}
    assert early["2001"].status == "nog niet leerplichtig"  # five on 15 June 2025: leerplichtig from 1 July
    assert [r.key for r in rows.values()][:1] == ["1002"]  # "Berg, Sanne van den" sorts first


def test_save_pupil_details_creates_with_guardians_and_group(small) -> None:  # type: ignore[no-untyped-def]
    db, school = small
    with db.transaction() as s:
        key = admin.next_pupil_key(s)
        p = admin.save_pupil_details(
            s, None, {"key": key, "achternaam": "Bakker", "roepnaam": "Lotte", "enrolled_on": D(2025, 9, 1)},
            [admin.GuardianData("M. Bakker", "moeder", "06-12345678", "m@bakker.nl"), admin.GuardianData("")],
            group_id=school.g5, group_from=D(2025, 9, 1),
        )  # fmt: skip
        pid = p.id
    assert key == "2002"
    with db.session() as s:
        assert admin.guardians_of(s, pid) == [admin.GuardianData("M. Bakker", "moeder", "06-12345678", "m@bakker.nl")]
        assert [m.group for m in admin.membership_history(s, pid)] == ["Groep 5"]


def test_update_pupil_refuses_invalid_bsn_and_duplicate_key(small) -> None:  # type: ignore[no-untyped-def]
    db, school = small
    pid = school.pupils["1002"]
    with pytest.raises(ValidationError, match="geen geldig BSN"), db.transaction() as s:
        admin.save_pupil_details(s, pid, {"bsn": "123456789"})
    with pytest.raises(ValidationError, match="al een leerling"), db.transaction() as s:
        admin.save_pupil_details(s, pid, {"key": "1001"})
    with db.transaction() as s:
        admin.save_pupil_details(s, pid, {"achternaam": "Bergh", "notes": "broertje in groep 1/2"})
    with db.session() as s:
        p = s.get(Pupil, pid)
        assert p is not None and (p.achternaam, p.bsn, p.key) == ("Bergh", "", "1002")


def test_guardians_need_a_name_and_valid_email(small) -> None:  # type: ignore[no-untyped-def]
    db, school = small
    pid = school.pupils["1001"]
    with pytest.raises(ValidationError, match="naam"), db.transaction() as s:
        admin.save_guardians(s, pid, [admin.GuardianData("", "vader", "06-1")])
    with pytest.raises(ValidationError, match="e-mailadres"), db.transaction() as s:
        admin.save_guardians(s, pid, [admin.GuardianData("Jan", "vader", "", "geen-mail")])


def test_change_group_keeps_history(small) -> None:  # type: ignore[no-untyped-def]
    db, school = small
    pid = school.pupils["1003"]
    with db.transaction() as s:
        admin.change_group(s, pid, school.g12, D(2026, 1, 5))
    with db.session() as s:
        hist = admin.membership_history(s, pid)
    assert [(h.group, h.date_from, h.date_to) for h in hist] == [
        ("Groep 1/2", D(2026, 1, 5), None), ("Groep 5", YEAR_START, D(2026, 1, 4)),
    ]  # fmt: skip


def test_end_deviation(small) -> None:  # type: ignore[no-untyped-def]
    db, school = small
    pid = school.pupils["2001"]
    with db.transaction() as s:
        dev = add_deviation(s, pid, "opbouwrooster", D(2025, 9, 1), None, [(0, 510, 690), (2, 510, 690)])
        dev_id = dev.id
    with pytest.raises(ValidationError, match="vóór de begindatum"), db.transaction() as s:
        admin.end_deviation(s, dev_id, D(2025, 8, 1))
    with db.transaction() as s:
        admin.end_deviation(s, dev_id, D(2025, 12, 19))
    with db.session() as s:
        (row,) = admin.deviations_of(s, pid)
    assert row.date_to == D(2025, 12, 19) and row.windows == "ma 08:30–11:30, wo 08:30–11:30"
    assert row.kind == "Opbouwrooster"


def test_group_rows_and_remove_group(small) -> None:  # type: ignore[no-untyped-def]
    db, school = small
    with db.session() as s:
        rows = {r.key: r for r in admin.group_rows(s, TODAY)}
    assert (rows["g5"].pupils, rows["g5"].lessons_per_week, rows["g5"].minutes_per_week) == (3, 30, 1800)
    assert (rows["g12"].pupils, rows["g12"].lessons_per_week) == (1, 28)
    with pytest.raises(ValidationError, match="niet actief"), db.transaction() as s:
        admin.remove_group(s, school.g5)
    with db.transaction() as s:
        g = admin.save_group_details(s, None, {"name": "Groep 8", "jaargroep": "8"})
        gid = g.id
    with db.transaction() as s:
        admin.remove_group(s, gid)
    with db.session() as s:
        assert s.get(Group, gid) is None


def test_copy_day_to_all() -> None:
    rows = [(0, 1, 510, 570, "rekenen"), (0, 2, 570, 630, ""), (3, 1, 600, 660, "oud")]
    out = admin.copy_day_to_all(rows)
    assert len(out) == 10 and (3, 1, 510, 570, "rekenen") in out and (3, 1, 600, 660, "oud") not in out


def test_lesweken_and_day_off_edits(small) -> None:  # type: ignore[no-untyped-def]
    db, _school = small
    with db.session() as s:
        year = school_years(s)[0]
        before = admin_settings.year_overview(s, year.id)
    weeks = admin_settings.lesweken_of_year
    assert before.lesweken[0] == (1, D(2025, 8, 25))  # noord: summer holiday until 24 August 2025
    # A study week takes the whole week of 15 September out: one lesweek and five school days fewer.
    with db.transaction() as s:
        row = add_day_off(s, D(2025, 9, 15), D(2025, 9, 19), "Studieweek", DayOffKind.STUDY_DAY.value)
        row_id = row.id
    with db.session() as s:
        after = admin_settings.year_overview(s, year.id)
        assert len(weeks(s, year.id)) == len(before.lesweken) - 1
    assert after.school_days == before.school_days - 5
    assert after.days[D(2025, 9, 16)].text == "Studieweek"
    with pytest.raises(ValidationError, match="vóór de begindatum"), db.transaction() as s:
        admin_settings.update_day_off(s, row_id, date_to=D(2025, 9, 1))
    with db.transaction() as s:
        admin_settings.update_day_off(s, row_id, date_to=D(2025, 9, 15), description="Studiedag")
    with db.session() as s:
        assert admin_settings.year_overview(s, year.id).school_days == before.school_days - 1
    with db.transaction() as s:
        admin_settings.delete_day_off(s, row_id)
    with db.session() as s:
        assert s.get(DayOff, row_id) is None


def test_group_free_period_is_marked_partial(small) -> None:  # type: ignore[no-untyped-def]
    db, school = small
    with db.transaction() as s:
        add_day_off(s, D(2025, 8, 1), D(2026, 7, 31), "Vrijdagmiddag vrij", group_id=school.g12, weekday=4,
                    start_minute=720, end_minute=870)
    with db.session() as s:
        year = school_years(s)[0]
        ov = admin_settings.year_overview(s, year.id)
        rows = admin_settings.days_off_of_year(s, year.id)
    assert ov.days[D(2025, 9, 5)].partial == ("Vrijdagmiddag vrij (Groep 1/2 12:00–14:30)",)
    assert any(r.group == "Groep 1/2" and r.weekday == "vr" for r in rows)


def test_region_change_updates_future_years_only(small) -> None:  # type: ignore[no-untyped-def]
    db, _school = small
    with db.transaction() as s:
        from verzuimdesk.model.school.calendar import create_school_year

        create_school_year(s, "2026-2027", "noord")
    with db.transaction() as s:
        admin_settings.save_school_details(s, {"region": "zuid"}, update_holidays_from=TODAY)
    with db.session() as s:
        assert get_school(s).region == "zuid"  # type: ignore[union-attr]
        years = {y.name: y.id for y in school_years(s)}
        autumn = [r for r in admin_settings.days_off_of_year(s, years["2026-2027"]) if r.description == "Herfstvakantie"]
        autumn_now = [r for r in admin_settings.days_off_of_year(s, years["2025-2026"]) if r.description == "Herfstvakantie"]
    assert autumn[0].date_from == D(2026, 10, 17)  # zuid 2026
    assert autumn_now[0].date_from == D(2025, 10, 18)  # noord 2025: the year had started
    with pytest.raises(ValidationError, match="regio"), db.transaction() as s:
        admin_settings.save_school_details(s, {"region": "oost"})


def test_leerplicht_contacts(small) -> None:  # type: ignore[no-untyped-def]
    db, _ = small
    with db.transaction() as s:
        c = admin_settings.save_leerplicht_contact(s, None, {"gemeente": "Zwolle", "name": "A. de Wit"})
        cid = c.id
    with pytest.raises(ValidationError, match="al een leerplichtambtenaar"), db.transaction() as s:
        admin_settings.save_leerplicht_contact(s, None, {"gemeente": "Zwolle"})
    with pytest.raises(ValidationError, match="gemeente"), db.transaction() as s:
        admin_settings.save_leerplicht_contact(s, cid, {"gemeente": " "})
    with db.transaction() as s:
        admin_settings.delete_leerplicht_contact(s, cid)


def test_reason_mapping_change_in_use_needs_why_and_is_recorded(small) -> None:  # type: ignore[no-untyped-def]
    db, school = small
    with db.transaction() as s:
        set_entry(s, school.pupils["1001"], D(2025, 11, 3), 510, 570, "M", by="test")
        rid = reason_by_code(s, "M").id
        unused = reason_by_code(s, "R").id
    with db.session() as s:
        assert admin_settings.mapping_change_needs_why(s, rid, "geoorloofd", "g")
        assert not admin_settings.mapping_change_needs_why(s, rid, "geoorloofd", "d")
        assert not admin_settings.mapping_change_needs_why(s, unused, "geoorloofd", "g")
    with pytest.raises(ValidationError, match="waarom"), db.transaction() as s:
        admin_settings.save_reason_details(s, rid, {"legal_ground": "g"}, by="directeur")
    with db.transaction() as s:
        admin_settings.save_reason_details(s, rid, {"legal_ground": "g", "name": "Medisch"}, by="directeur",
                                           why="Beleid 2025: medisch bezoek is gewichtige omstandigheid")
        admin_settings.save_reason_details(s, unused, {"color": "#123456"}, by="directeur")
    with db.session() as s:
        assert len(s.exec(__import__("sqlmodel").select(ReasonMappingChange)).all()) == 1
        (h,) = admin_settings.reason_mapping_history(s)
    assert (h.by, h.reason, h.old, h.new) == ("directeur", "M Medisch", ("geoorloofd", "d"), ("geoorloofd", "g"))
