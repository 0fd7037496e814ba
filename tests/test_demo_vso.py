"""The demo's vso department shows the law for 16- to 18-year-olds (issue 9 point 6; verzuimdesk/demo/vso.py):
an 18-year-old whose V4 is offered, not a duty, and whose minutes before the birthday do not count toward it;
a 16-year-old in uitstroomprofiel dagbesteding who is not kwalificatieplichtig (art. 4a lid 2 Lpw); and an RMC
case. Checked through the same functions the Signalen screen and the pupil list use."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlmodel import select

from verzuimdesk.model.db import Database, open_database
from verzuimdesk.model.law.leerplicht import LeerplichtStatus, add_years
from verzuimdesk.model.law.signals.views import load_inbox
from verzuimdesk.model.setup.pupils_groups import pupil_rows
from verzuimdesk.model.tables import AbsenceEntry, Group, Pupil, Reason

TODAY = dt.date(2026, 11, 23)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Database:
    from verzuimdesk.demo import create_demo_school

    path: Path = tmp_path_factory.mktemp("vso") / "demo.sqlite"
    db = open_database(str(path))
    create_demo_school(db, today=TODAY)
    return db


def _pupil(db: Database, key: str) -> Pupil:
    with db.session() as s:
        return s.exec(select(Pupil).where(Pupil.key == key)).one()


def _rows(db: Database, key: str):  # type: ignore[no-untyped-def]
    pupil = _pupil(db, key)
    with db.transaction() as s:
        return [r for r in load_inbox(s, TODAY).rows if r.signal.pupil_id == pupil.id]


def _unauthorised_minutes(db: Database, pupil_id: int, start: dt.date, end: dt.date) -> int:
    with db.session() as s:
        rows = s.exec(select(AbsenceEntry, Reason).join(Reason).where(
            AbsenceEntry.pupil_id == pupil_id, AbsenceEntry.date >= start, AbsenceEntry.date <= end,
            Reason.category == "ongeoorloofd")).all()  # fmt: skip
    return sum(e.end_minute - e.start_minute for e, _r in rows)


def test_the_department_is_vso_with_its_profiles(demo: Database) -> None:
    with demo.session() as s:
        vso = {g.key: g.uitstroomprofiel for g in s.exec(select(Group).where(Group.department == "vso")).all()}
    assert vso == {"vso-vervolg": "vervolgonderwijs", "vso-dagbesteding": "dagbesteding"}


def test_an_eighteen_year_old_gets_v4_offered_and_only_minutes_from_the_birthday_count(demo: Database) -> None:
    daan = _pupil(demo, "3001")
    birthday = add_years(daan.birth_date, 18)
    assert daan.birth_date is not None and dt.date(2026, 8, 1) < birthday < TODAY
    rows = _rows(demo, "3001")
    kinds = {r.signal.kind for r in rows}
    assert "V3" not in kinds
    (v4,) = [r for r in rows if r.signal.kind == "V4"]
    assert v4.label == "16 uur in 4 lesweken, 18+ (V4, optioneel)"
    assert not v4.signal.mandatory and v4.signal.optional_melding and v4.signal.duty_label == "optioneel"
    assert v4.signal.title.startswith("Melding mogelijk, niet verplicht")
    assert v4.signal.begin == birthday and min(v4.signal.days) >= birthday  # nothing before the birthday
    before = _unauthorised_minutes(demo, daan.id or 0, birthday - dt.timedelta(days=14), birthday - dt.timedelta(days=1))
    assert 0 < before < 960  # the two days before the birthday: absent, below the V3 threshold, not in the V4
    assert v4.signal.minutes == _unauthorised_minutes(demo, daan.id or 0, birthday, v4.signal.end) >= 960
    with demo.session() as s:
        (row,) = [r for r in pupil_rows(s, TODAY) if r.key == "3001"]
    assert row.status == LeerplichtStatus.ADULT.value and row.age == 18


def test_dagbesteding_is_not_kwalificatieplichtig_and_gets_no_v3(demo: Database) -> None:
    mila = _pupil(demo, "3002")
    with demo.session() as s:
        (row,) = [r for r in pupil_rows(s, TODAY) if r.key == "3002"]
    assert row.age == 16 and row.group == "VSO-DB"
    assert row.status == "niet kwalificatieplichtig (vso-uitstroomprofiel, art. 4a lid 2)"
    # 18 hours without a reason within two weeks: for a kwalificatieplichtige pupil a V3, here no signal at all.
    assert _unauthorised_minutes(demo, mila.id or 0, TODAY - dt.timedelta(days=28), TODAY) >= 960
    assert _rows(demo, "3002") == []


def test_rmc_is_a_duty_for_a_pupil_without_kwalificatieplicht_a_month_away(demo: Database) -> None:
    rows = _rows(demo, "3003")
    assert [r.signal.kind for r in rows] == ["RMC"]  # no V3, no LRV, no zorgelijk: not under the Lpw
    (rmc,) = rows
    assert rmc.signal.mandatory and rmc.signal.duty_label == "verplicht"
    assert rmc.label == "RMC: een maand niet op school (tot 23 jaar)"
    assert rmc.signal.minutes == sum(m for _w, m in rmc.signal.weeks) > 0  # the registered hours, not 0
    assert all(les.minutes == les.end - les.start for les in rmc.signal.lessons)
    with demo.session() as s:
        (row,) = [r for r in pupil_rows(s, TODAY) if r.key == "3003"]
    assert row.age == 17 and row.status.startswith("niet kwalificatieplichtig")
