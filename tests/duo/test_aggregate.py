"""The aggregated DUO file (domain.md §8): figures counted by hand against the small school, golden XML and
CSV, XSD validation, the controlegetal, no identifying data, determinism, scope and bands."""

from __future__ import annotations

import datetime as dt
import os
import re
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree
from sqlmodel import select

from tests.duo.conftest import DuoSchool
from verzuimdesk.model.db import Database
from verzuimdesk.model.errors import ValidationError
from verzuimdesk.model.law.aggregate import (
    AggregateSettings,
    aggregate_preview,
    build_aggregate,
    custom_period,
    load_settings,
    parse_bands,
    period_by_code,
    save_settings,
    school_year_periods,
)
from verzuimdesk.model.law.exports import aggregate_deliveries, sha256
from verzuimdesk.model.register.entries import register_lesson, report_absence
from verzuimdesk.model.register.figures import FiguresEngine
from verzuimdesk.model.school.records import get_school, save_group
from verzuimdesk.model.tables import Group, Pupil
from verzuimdesk.model.tables.documents import AggregateDelivery
from verzuimdesk.reports.duo.aggregate import (
    aggregate_csv,
    aggregate_xml,
    canonical_text,
    canonical_text_from_xml,
    controlegetal,
    export_aggregate,
    validate_xml,
)

D = dt.date
GOLDEN = Path(__file__).parent / "golden"
Q1 = period_by_code("2025-2026/1")


def _golden(name: str, data: bytes) -> None:
    path = GOLDEN / name
    if os.environ.get("VERZUIMDESK_UPDATE_GOLDEN"):
        path.write_bytes(data)
    assert data.decode("utf-8") == path.read_text(encoding="utf-8")


def _report(db: Database, period=Q1, settings: AggregateSettings | None = None):  # type: ignore[no-untyped-def]
    with db.session() as s:
        return build_aggregate(s, period, settings)


def test_periods_are_quarters_of_the_school_year() -> None:
    assert [(p.code, p.label, p.start, p.end) for p in school_year_periods("2025-2026")] == [
        ("2025-2026/1", "2025-2026 kwartaal 1", D(2025, 8, 1), D(2025, 10, 31)),
        ("2025-2026/2", "2025-2026 kwartaal 2", D(2025, 11, 1), D(2026, 1, 31)),
        ("2025-2026/3", "2025-2026 kwartaal 3", D(2026, 2, 1), D(2026, 4, 30)),
        ("2025-2026/4", "2025-2026 kwartaal 4", D(2026, 5, 1), D(2026, 7, 31)),
    ]
    halves = school_year_periods("2025-2026", (8, 1))
    assert [(p.label, p.end) for p in halves] == [("2025-2026 periode 1", D(2025, 12, 31)),
                                                 ("2025-2026 periode 2", D(2026, 7, 31))]
    with pytest.raises(ValidationError, match="geen periode"):
        period_by_code("2025-2026/5")


def test_figures_counted_by_hand(db: Database, duo_school: DuoSchool) -> None:
    report = _report(db)
    with db.session() as s:
        assert aggregate_preview(s, Q1) == report.rows  # what the preview screen shows
    onder, boven, total = report.rows
    assert [r.subdivision for r in report.rows] == ["onderbouw (groep 1 t/m 4)", "bovenbouw (groep 5 t/m 8)",
                                                   "totaal school"]
    # Onderbouw: only Noor; Lotte (4 years old) is not leerplichtig in the quarter.
    assert onder.pupils == 1 and report.excluded == 1
    assert onder.pupils_with == {"geoorloofd": 1, "ziekte": 1, "ongeoorloofd": 1, "totaal": 1}
    assert onder.minutes == {"geoorloofd": 360, "ziekte": 360, "ongeoorloofd": 15, "totaal": 375}
    # Bovenbouw: Piet Z 6 h + O 2 h, Sanne O 30 h, Emre S 12 h (geoorloofd, not ziekte).
    assert boven.pupils == 3
    assert boven.pupils_with == {"geoorloofd": 2, "ziekte": 1, "ongeoorloofd": 2, "totaal": 3}
    assert {c: boven.hours(c) for c in boven.minutes} == {
        "geoorloofd": Decimal("18.00"), "ziekte": Decimal("6.00"), "ongeoorloofd": Decimal("32.00"),
        "totaal": Decimal("50.00")}
    assert total.pupils == 4
    assert total.pupils_with == {"geoorloofd": 3, "ziekte": 2, "ongeoorloofd": 3, "totaal": 4}
    assert total.hours("ongeoorloofd") == Decimal("32.25") and total.hours("totaal") == Decimal("56.25")
    # Bands against each pupil's own time: Sanne 30 h of g5's quarter is between 10 % and 20 %.
    with db.session() as s:
        engine = FiguresEngine(s, Q1.start, Q1.end)
        sanne = engine.pupil_period(duo_school.pupils["1002"])
    assert 10 < sanne.absent_pct < 20
    assert boven.bands == [1, 1, 0] and onder.bands == [0, 0, 0] and total.bands == [1, 1, 0]
    assert total.scheduled_minutes == onder.scheduled_minutes + boven.scheduled_minutes
    assert boven.scheduled_minutes == 3 * sanne.net_scheduled


def test_golden_files_and_schema(db: Database, duo_school: DuoSchool) -> None:
    report = _report(db)
    xml, csv = aggregate_xml(report), aggregate_csv(report)
    _golden("aggregaat-2025-2026-1.xml", xml)
    _golden("aggregaat-2025-2026-1.csv", csv)
    assert validate_xml(xml) == []
    # One controlegetal for both files: SHA-256 over the CSV without its last line.
    text = csv.decode("utf-8")
    body, _sep, trailer = text.rstrip("\n").rpartition("\n")
    assert trailer == f"Controlegetal;SHA-256;{sha256(body + chr(10))}"
    assert canonical_text(report) == body + "\n" == canonical_text_from_xml(xml)
    root = etree.fromstring(xml)
    assert root.findtext("{urn:verzuimdesk:verzuimaggregaat:0.1}controlegetal") == controlegetal(report)


def test_schema_rejects_a_broken_file(db: Database, duo_school: DuoSchool) -> None:
    xml = aggregate_xml(_report(db)).replace(b'brin="99ZZ"', b'brin="Proefschool"')
    assert validate_xml(xml) and "schema" in validate_xml(xml)[0]


def _identifying(db: Database, duo: DuoSchool) -> list[str]:
    with db.session() as s:
        pupils = s.exec(select(Pupil)).all()
    out = []
    for p in pupils:
        out += [p.key, p.achternaam, p.roepnaam] + ([p.bsn] if p.bsn else [])
        if p.birth_date:
            out += [p.birth_date.isoformat(), f"{p.birth_date:%d-%m-%Y}", f"{p.birth_date:%Y%m%d}"]
    return out


@pytest.mark.parametrize("schorsing", [False, True])
def test_no_identifying_data_in_the_files(db: Database, duo_school: DuoSchool, schorsing: bool) -> None:
    report = _report(db, settings=AggregateSettings(schorsing=schorsing))
    for data in (aggregate_xml(report), aggregate_csv(report)):
        text = data.decode("utf-8").replace(controlegetal(report), "")  # a hex digest may contain digits
        for value in _identifying(db, duo_school):
            assert value not in text, value
        assert not re.search(r"\d{9}", text)  # no BSN- or onderwijsnummer-like numbers at all


def test_exporting_twice_gives_identical_bytes(db: Database, duo_school: DuoSchool, tmp_path: Path) -> None:
    paths = []
    for n, now in enumerate((dt.datetime(2025, 11, 3, 9), dt.datetime(2025, 11, 20, 16, 30))):
        xml, csv = tmp_path / f"a{n}.xml", tmp_path / f"a{n}.csv"
        with db.transaction() as s:
            export_aggregate(s, Q1, xml_path=xml, csv_path=csv, by="J. de Boer", now=now)
        paths.append((xml.read_bytes(), csv.read_bytes()))
    assert paths[0] == paths[1]
    with db.session() as s:
        log = aggregate_deliveries(s)
    assert [(d.format, d.period_label, d.exported_at) for d in log] == [  # newest first
        ("csv", "2025-2026 kwartaal 1", dt.datetime(2025, 11, 20, 16, 30)),
        ("xml", "2025-2026 kwartaal 1", dt.datetime(2025, 11, 20, 16, 30)),
        ("csv", "2025-2026 kwartaal 1", dt.datetime(2025, 11, 3, 9)),
        ("xml", "2025-2026 kwartaal 1", dt.datetime(2025, 11, 3, 9)),
    ]
    assert {d.checksum for d in log} == {controlegetal(_report(db))}
    assert {d.format_version for d in log} == {"0.1-voorlopig"} and log[0].exported_by == "J. de Boer"
    assert {d.file_name for d in log} == {"a0.xml", "a0.csv", "a1.xml", "a1.csv"}


def test_changed_data_changes_the_file(db: Database, duo_school: DuoSchool) -> None:
    before = aggregate_csv(_report(db))
    with db.transaction() as s:
        register_lesson(s, duo_school.pupils["1003"], D(2025, 10, 1), 4, "O", by="test")
    assert aggregate_csv(_report(db)) != before


def test_pupil_counts_only_on_days_in_leerplicht(db: Database, duo_school: DuoSchool) -> None:
    lotte = duo_school.lotte  # leerplichtig from 1 April 2026 (first of the month after her 5th birthday)
    with db.transaction() as s:
        report_absence(s, lotte, D(2026, 3, 16), D(2026, 3, 16), "O", by="test")  # not yet leerplichtig
        register_lesson(s, lotte, D(2026, 4, 8), 2, "O", by="test")  # leerplichtig: counts
    q3 = period_by_code("2025-2026/3")
    onder = _report(db, q3).rows[0]
    with db.session() as s:
        engine = FiguresEngine(s, q3.start, q3.end)
        noor = engine.pupil_period(duo_school.pupils["2001"])
        april = engine.pupil_period(lotte, D(2026, 4, 1), q3.end)
    assert onder.pupils == 2
    assert onder.scheduled_minutes == noor.net_scheduled + april.net_scheduled  # her own time in scope only
    assert onder.minutes["ongeoorloofd"] == 60 and onder.pupils_with["ongeoorloofd"] == 1
    assert _report(db, q3).excluded == 0


def test_bands_use_each_pupils_own_scheduled_time(db: Database, duo_school: DuoSchool) -> None:
    # One week: g5 has 30 lessons, g1/2 28 (Friday four). Three lessons absent: 10 % of 30 (not more),
    # 10.7 % of 28 (more).
    week = custom_period(D(2025, 11, 10), D(2025, 11, 14))
    p = duo_school.pupils
    with db.transaction() as s:
        for pupil in (p["1001"], p["2001"]):
            for lesson in (1, 2, 3):
                register_lesson(s, pupil, D(2025, 11, 11), lesson, "O", by="test")
    report = _report(db, week, AggregateSettings(bands=(Decimal(10), Decimal("10.5"), Decimal(20))))
    onder, boven, total = report.rows
    assert boven.bands == [0, 0, 0]  # Piet: exactly 10 % is not more than 10 %
    assert onder.bands == [1, 1, 0]  # Noor: 3 of 28 hours
    assert total.bands == [1, 1, 0]


def test_schorsing_as_separate_category(db: Database, duo_school: DuoSchool) -> None:
    report = _report(db, settings=AggregateSettings(schorsing=True))
    total = report.rows[-1]
    assert total.pupils_with["schorsing"] == 1 and total.hours("schorsing") == Decimal("12.00")
    assert total.hours("geoorloofd") == Decimal("24.00")  # schorsing stays inside geoorloofd totaal
    xml = aggregate_xml(report)
    assert validate_xml(xml) == [] and b'code="schorsing"' in xml
    assert "Schorsing en verwijdering: uren" in aggregate_csv(report).decode()


def test_subdivision_per_department(db: Database, duo_school: DuoSchool) -> None:
    with db.transaction() as s:
        for key, dept in (("g5", "Midden"), ("g12", "Jonge kind")):
            group = s.exec(select(Group).where(Group.key == key)).one()
            group.department = dept
            save_group(s, group)
    report = _report(db, settings=AggregateSettings(subdivision="afdeling"))
    assert [(r.subdivision, r.pupils) for r in report.rows] == [("Jonge kind", 1), ("Midden", 3), ("totaal school", 4)]
    assert validate_xml(aggregate_xml(report)) == []
    only_total = _report(db, settings=AggregateSettings(subdivision="geen"))
    assert [r.subdivision for r in only_total.rows] == ["totaal school"]


def test_settings_are_stored_as_json(db: Database, duo_school: DuoSchool) -> None:
    with db.transaction() as s:
        assert load_settings(s) == AggregateSettings()  # po: onderbouw/bovenbouw, 5/10/20 %, no schorsing
        save_settings(s, AggregateSettings(bands=parse_bands("7,5; 15"), onderbouw_max=3, schorsing=True,
                                           period_months=(8, 1)))
    with db.session() as s:
        settings = load_settings(s)
    assert settings.bands == (Decimal("7.5"), Decimal(15)) and settings.onderbouw_max == 3
    assert settings.period_months == (8, 1) and settings.schorsing
    assert _report(db, settings=settings).rows[0].subdivision == "onderbouw (groep 1 t/m 3)"
    with db.transaction() as s, pytest.raises(ValidationError, match="van laag naar hoog"):
        save_settings(s, AggregateSettings(bands=(Decimal(20), Decimal(5))))


def test_niet_bekostigde_school_delivers_nothing(db: Database, duo_school: DuoSchool, tmp_path: Path) -> None:
    with db.transaction() as s:
        school = get_school(s)
        assert school is not None
        school.niet_bekostigd = True
        s.add(school)
    with db.transaction() as s, pytest.raises(ValidationError, match="niet-bekostigd"):
        export_aggregate(s, Q1, xml_path=tmp_path / "a.xml", csv_path=tmp_path / "a.csv", by="test")
    assert not (tmp_path / "a.xml").exists()
    with db.session() as s:
        assert s.exec(select(AggregateDelivery)).all() == []


def test_school_without_brin_is_refused(db: Database, duo_school: DuoSchool, tmp_path: Path) -> None:
    with db.transaction() as s:
        school = get_school(s)
        assert school is not None
        school.brin = ""
        s.add(school)
    with db.transaction() as s, pytest.raises(ValidationError, match="BRIN"):
        export_aggregate(s, Q1, xml_path=tmp_path / "a.xml", csv_path=None, by="test")
