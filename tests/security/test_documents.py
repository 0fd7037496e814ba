"""Nothing leaks through documents (issue 11 point 5): the per-pupil overview without sickness details shows
no health information, spreadsheets hold no formulas, and the exports meant for the MR or DUO carry no names,
BSNs, dates of birth or pupil numbers of the demo school's pupils."""

from __future__ import annotations

import io
import re
import zipfile

import docx
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlmodel import col, select

from tests.security.conftest import DEMO_TODAY
from verzuimdesk.model.db import Database
from verzuimdesk.model.law.aggregate import build_aggregate, period_by_code
from verzuimdesk.model.policy.versions import policy_document
from verzuimdesk.model.security.masking import mask_number
from verzuimdesk.model.tables import GroupMembership, Pupil
from verzuimdesk.model.tables.law import ContactMoment
from verzuimdesk.reports.data import school_year_period
from verzuimdesk.reports.duo.aggregate import aggregate_csv, aggregate_xml
from verzuimdesk.reports.overviews.group import group_overview_pdf
from verzuimdesk.reports.overviews.group_data import build_group_overview
from verzuimdesk.reports.overviews.pupil import pupil_overview_pdf
from verzuimdesk.reports.overviews.xlsx import Col, add_sheet, group_overview_xlsx, school_year_workbook
from verzuimdesk.reports.schoolgids.evaluation import evaluation_docx, evaluation_pdf
from verzuimdesk.reports.schoolgids.evaluation_data import build_evaluation
from verzuimdesk.reports.schoolgids.policy import policy_docx, policy_pdf, policy_text

YEAR = "2025-2026"
# Words that reveal health information (reason names of the demo school, care signals, notes about illness).
HEALTH_WORDS = re.compile(r"\b(?:ziek\w*|\w*arts|mazl|zorgsignaa\w*|medisch\w*|vermoeid\w*|tandarts)\b", re.I)


def pdf_text(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages)


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def xlsx_texts(data: bytes) -> tuple[str, list[str]]:
    """All text cells of a workbook, and the raw sheet XML (to look for formulas)."""
    wb = load_workbook(io.BytesIO(data))
    texts = [str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheets = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/")]
    return "\n".join(texts), sheets


def identifiers(db: Database) -> dict[str, list[str]]:
    """What identifies a demo pupil. Last names alone are no identifier here: the demo's leerplichtambtenaar
    shares one with a pupil, and the schoolgids names her rightly."""
    with db.session() as s:
        pupils = s.exec(select(Pupil)).all()
    out: dict[str, list[str]] = {"naam": [], "bsn": [], "geboortedatum": [], "leerlingnummer": []}
    for p in pupils:
        last = f"{p.voorvoegsel} {p.achternaam}".strip()
        out["naam"] += [f"{p.roepnaam} {last}", f"{p.achternaam}, {p.roepnaam}"]
        out["bsn"] += [n for n in (p.bsn, p.onderwijsnummer) if n]
        if p.birth_date:
            out["geboortedatum"] += [p.birth_date.isoformat(), p.birth_date.strftime("%d-%m-%Y")]
        out["leerlingnummer"].append(p.key)
    return out


def leaks(text: str, ids: dict[str, list[str]], *, numbers: bool = True) -> list[str]:
    """The identifiers found in ``text``; ``numbers=False`` for files of counts, where a pupil number of four
    digits is indistinguishable from a count of minutes (those files are checked for their columns instead)."""
    found = []
    for kind, values in ids.items():
        if kind == "leerlingnummer" and not numbers:
            continue
        for v in set(values):
            # a pupil number stands alone: "1083,3" (hours) or "39.862" (thousands) are numbers, not pupils
            if v and re.search(r"(?<![\w.,-])" + re.escape(v) + r"(?![\w-]|[.,]\d)", text):
                found.append(f"{kind}: {v}")
    return sorted(found)


def test_pupil_overview_without_sickness_details_has_no_health_words(demo_db: Database) -> None:
    period = school_year_period(YEAR)
    with demo_db.session() as s:
        pids = sorted({c.pupil_id for c in s.exec(select(ContactMoment)
                                                   .where(col(ContactMoment.summary).contains("ziekteverzuim"))).all()})
        assert len(pids) >= 3
        with_details = [pdf_text(pupil_overview_pdf(s, pid, period, include_sickness_details=True, today=DEMO_TODAY))
                        for pid in pids]  # fmt: skip
        without = [pdf_text(pupil_overview_pdf(s, pid, period, today=DEMO_TODAY)) for pid in pids]
    # the demo dossiers do hold health information: the reason "Ziek", a zorgsignaal, notes about the jeugdarts
    shown = " ".join(with_details)
    assert "Ziek" in shown and "zorgsignaal" in shown and "jeugdarts" in shown
    for text in without:
        assert HEALTH_WORDS.findall(text) == []
        assert "weggelaten of ingekort" in text  # the document says that it left something out
        assert "Contacten en afspraken" in text and "(gaat over gezondheid; niet vermeld)" in text


def test_spreadsheet_writes_formula_like_text_as_text(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    evil = ["=HYPERLINK(\"http://x\",\"klik\")", "+31 6 1234", "-1+1", "@SUM(A1)", "\tTab", "\rCR", "=1+1"]
    add_sheet(wb, "Test", [Col(f"k{i}") for i in range(len(evil))], [evil, ["gewoon", 3, None]])
    path = tmp_path / "t.xlsx"
    wb.save(path)
    texts, sheets = xlsx_texts(path.read_bytes())
    assert all("<f>" not in sheet for sheet in sheets)
    ws = load_workbook(path)["Test"]
    row = [c for c in ws[2]]
    assert [c.value for c in row] == evil
    assert all(c.data_type == "s" and c.quotePrefix for c in row)
    assert [c.value for c in ws[3]][:3] == ["gewoon", 3, None] and not ws["A3"].quotePrefix


def test_exported_workbook_keeps_a_formula_name_as_text(demo_db: Database, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import shutil

    from verzuimdesk.model.db import open_database

    copy = tmp_path / "copy.sqlite"
    with demo_db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copy(demo_db.url.removeprefix("sqlite:///"), copy)
    with open_database(str(copy)) as db:
        with db.transaction() as s:
            member = s.exec(select(GroupMembership).where(col(GroupMembership.date_to).is_(None))).first()
            assert member is not None
            p = s.get_one(Pupil, member.pupil_id)
            p.roepnaam, p.achternaam = "=cmd|' /C calc'!A0", "@Kwaad"
        with db.session() as s:
            data = school_year_workbook(s, YEAR, today=DEMO_TODAY)
    texts, sheets = xlsx_texts(data)
    assert any(t.startswith("@Kwaad, =cmd|' /C calc'!A0") for t in texts.splitlines()) and all("<f>" not in sheet for sheet in sheets)


def test_exports_for_the_mr_and_duo_carry_no_identifiers(demo_db: Database) -> None:
    ids = identifiers(demo_db)
    period = school_year_period(YEAR)
    with demo_db.session() as s:
        g = build_group_overview(s, period, None, today=DEMO_TODAY, include_names=False)
        docs = {
            "schooloverzicht zonder namen (PDF)": pdf_text(group_overview_pdf(s, period, None, today=DEMO_TODAY,
                                                                              include_names=False)),
            "schooloverzicht zonder namen (Excel)": xlsx_texts(group_overview_xlsx(g))[0],
            "schooljaar zonder namen (Excel)": xlsx_texts(school_year_workbook(s, YEAR, today=DEMO_TODAY,
                                                                               include_names=False))[0],
        }
        ev = build_evaluation(s, YEAR, today=DEMO_TODAY)
        docs["evaluatie (PDF)"] = pdf_text(evaluation_pdf(ev))
        docs["evaluatie (Word)"] = docx_text(evaluation_docx(ev))
        report = build_aggregate(s, period_by_code(f"{YEAR}/1"))
        docs["DUO-cijfers (XML)"] = aggregate_xml(report).decode()
        docs["DUO-cijfers (CSV)"] = aggregate_csv(report).decode()
        policy = policy_document(s, school_year=YEAR)
        docs["schoolgids (PDF)"] = pdf_text(policy_pdf(policy))
        docs["schoolgids (Word)"] = docx_text(policy_docx(policy))
        docs["schoolgids (tekst)"] = policy_text(policy)
    assert "geen lijst per leerling" in docs["schooloverzicht zonder namen (PDF)"]  # the MR gets no per-pupil list
    found = {kind: leaks(text, ids, numbers="DUO" not in kind) for kind, text in docs.items()}
    assert {kind: f for kind, f in found.items() if f} == {}
    header = docs["DUO-cijfers (CSV)"].splitlines()[0].lower()
    assert not any(word in header for word in ("naam", "bsn", "geboortedatum", "leerlingnummer", "onderwijsnummer"))
    # the same scan does find them in the overview with names (so it can fail)
    with demo_db.session() as s:
        named = pdf_text(group_overview_pdf(s, period, None, today=DEMO_TODAY))
    assert leaks(named, ids)


def test_bsn_is_masked_in_lists() -> None:
    assert mask_number("123456782") == "••••••782"
    assert mask_number("") == "" and mask_number(None) == ""
    assert "123456" not in mask_number("123456782")


def test_anonymous_rows_are_not_in_name_or_number_order(demo_db: Database) -> None:
    period = school_year_period(YEAR)
    with demo_db.session() as s:
        named = build_group_overview(s, period, None, today=DEMO_TODAY)
        anonymous = build_group_overview(s, period, None, today=DEMO_TODAY, include_names=False)
    assert len(named.pupils) == len(anonymous.pupils)
    assert all(p.key == "" and re.fullmatch(r"leerling \d+", p.name) for p in anonymous.pupils)
    for group in {p.group for p in anonymous.pupils}:
        pcts = [p.figures.absent_pct for p in anonymous.pupils if p.group == group]
        assert pcts == sorted(pcts, reverse=True)
