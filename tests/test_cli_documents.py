"""Every document from the command line, on the demo school: each verb writes a file that opens and is right.

PDFs open with pypdf, are A4 and have the expected number of pages; workbooks open with openpyxl; Word files
are A4 (the section's page size, python-docx). The same run collects every text the program shows for the
demo school (command-line output and the text of the documents) for the Dutch-language checks below.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import docx
import openpyxl
import pytest
from docx.shared import Mm
from pypdf import PdfReader

from verzuimdesk.cli.main import main
from verzuimdesk.demo import create_demo_school
from verzuimdesk.model import dutch
from verzuimdesk.model.db import open_database

TODAY = dt.date(2026, 11, 23)
A4_POINTS = (595.3, 841.9)


@dataclass
class Run:
    """The demo school's database, the folder with the documents, and everything printed."""

    database: str
    out: Path
    printed: dict[str, str] = field(default_factory=dict)

    def cli(self, name: str, *args: str) -> str:
        """Run ``verzuimdesk --database … ARGS`` in-process; the exit status must be 0."""
        stdout, stderr = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            status = main(["--database", self.database, *args])
        assert status == 0, f"{args}: {stderr.getvalue()}"
        self.printed[name] = stdout.getvalue()
        return stdout.getvalue()

    def path(self, name: str) -> str:
        return str(self.out / name)


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    folder = tmp_path_factory.mktemp("demo")
    database = str(folder / "demo.sqlite")
    db = open_database(database)
    create_demo_school(db, today=TODAY)
    db.close()
    r = Run(database, folder)
    day = ("--datum", TODAY.isoformat())
    r.cli("leerling", "overzicht", "leerling", "1151", "--pdf", r.path("leerling.pdf"), *day)
    r.cli("leerling-ziekte", "overzicht", "leerling", "1151", "--pdf", r.path("leerling-ziekte.pdf"),
          "--van", "2025-09-01", "--tot", "2026-06-30", "--met-ziekte", *day)  # fmt: skip
    r.cli("groep-pdf", "overzicht", "groep", "Groep 3", "--pdf", r.path("groep.pdf"), *day)
    r.cli("groep-xlsx", "overzicht", "groep", "groep 3", "--xlsx", r.path("groep.xlsx"), *day)
    r.cli("school-pdf", "overzicht", "school", "--pdf", r.path("school.pdf"), "--zonder-namen", *day)
    r.cli("school-xlsx", "overzicht", "school", "--xlsx", r.path("school.xlsx"), "--kwartaal", "1", *day)
    r.cli("jaar", "overzicht", "jaar", "2025-2026", "--xlsx", r.path("jaar.xlsx"), *day)
    r.cli("per-leerling", "overzicht", "groep", "Groep 8", "--per-leerling", r.path("groep8"), *day)
    r.cli("alle-leerlingen", "overzicht", "groep", "Groep 8", "--alle-leerlingen", r.path("groep8.pdf"), *day)
    r.cli("schoolgids-docx", "schoolgids", "--docx", r.path("schoolgids.docx"), "--schooljaar", "2026-2027")
    r.cli("schoolgids-pdf", "schoolgids", "--pdf", r.path("schoolgids.pdf"))
    r.cli("schoolgids-tekst", "schoolgids", "--tekst")
    r.cli("evaluatie-docx", "evaluatie", "2025-2026", "--docx", r.path("evaluatie.docx"), *day)
    r.cli("evaluatie-pdf", "evaluatie", "2025-2026", "--pdf", r.path("evaluatie.pdf"), *day)
    r.cli("meldingen", "duo", "meldingen")
    r.cli("meldingen-json", "duo", "meldingen", "--json")
    first = json.loads(r.printed["meldingen-json"])[0]["nr"]
    r.cli("melding-pdf", "duo", "melding", str(first), "--pdf", r.path("melding.pdf"))
    r.cli("melding-tekst", "duo", "melding", str(first), "--tekst")
    r.cli("aggregaat", "duo", "aggregaat", "--periode", "2025-2026/3", "--preview")
    r.cli("signalen", "signalen", "--datum", TODAY.isoformat())
    r.cli("signalen-json", "signalen", "--datum", TODAY.isoformat(), "--json")
    r.cli("cijfers", "cijfers", "--per", "groep", "--tot", TODAY.isoformat())
    r.cli("verlof", "verlof", "lijst")
    r.cli("verlof-json", "verlof", "lijst", "--json")
    decided = next(x["id"] for x in json.loads(r.printed["verlof-json"]) if x["status"] == "geweigerd")
    r.cli("verlofbrief", "verlof", "brief", str(decided), "--pdf", r.path("verlofbrief.pdf"))
    return r


def _pdf(path: str) -> PdfReader:
    reader = PdfReader(path)
    for page in reader.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(A4_POINTS, abs=1)
    return reader


def _text(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def test_pupil_overview_is_one_or_two_a4_pages(run: Run) -> None:
    for name in ("leerling.pdf", "leerling-ziekte.pdf"):
        reader = _pdf(run.path(name))
        assert 1 <= len(reader.pages) <= 2
        assert "Max Jacobs" in _text(reader)
    assert "1 september 2025 t/m 30 juni 2026" in _text(_pdf(run.path("leerling-ziekte.pdf")))
    # A period that runs past the reference date ends there: no future in the document.
    assert "1 augustus 2026 t/m 23 november 2026" in run.printed["leerling"]


def test_group_and_school_overviews_as_pdf_and_excel(run: Run) -> None:
    group = _pdf(run.path("groep.pdf"))
    assert len(group.pages) >= 1 and "Groep 3" in _text(group)
    school = _text(_pdf(run.path("school.pdf")))
    assert "Zonder namen van leerlingen" in school and "Max Jacobs" not in school
    for name in ("groep.xlsx", "school.xlsx"):
        book = openpyxl.load_workbook(run.path(name))
        assert "Leerlingen" in book.sheetnames and book["Leerlingen"].max_row > 1
    assert "Groepen" in openpyxl.load_workbook(run.path("school.xlsx")).sheetnames


def test_school_year_workbook(run: Run) -> None:
    book = openpyxl.load_workbook(run.path("jaar.xlsx"))
    assert {"Leerlingen", "Groepen", "Per week", "Per reden"} <= set(book.sheetnames)
    assert book["Per week"].max_row > 30  # a school year has some forty lesweken


def test_batch_per_pupil_and_in_one_file(run: Run) -> None:
    files = sorted((run.out / "groep8").glob("*.pdf"))
    assert len(files) >= 10 and all(f.name.startswith("Groep 8 - ") for f in files)
    assert all(1 <= len(_pdf(str(f)).pages) <= 2 for f in files)
    assert f"{len(files)} leerlingoverzichten" in run.printed["per-leerling"]
    together = _pdf(run.path("groep8.pdf"))
    assert len(files) <= len(together.pages) <= 2 * len(files)


def test_schoolgids_and_evaluation_word_files_are_a4(run: Run) -> None:
    for name in ("schoolgids.docx", "evaluatie.docx"):
        section = docx.Document(run.path(name)).sections[0]
        assert (section.page_width, section.page_height) == pytest.approx((Mm(210), Mm(297)), abs=Mm(1))
    assert len(_pdf(run.path("schoolgids.pdf")).pages) >= 2
    assert len(_pdf(run.path("evaluatie.pdf")).pages) >= 1


def test_leave_decision_letter(run: Run) -> None:
    letter = _pdf(run.path("verlofbrief.pdf"))
    assert 1 <= len(letter.pages) <= 2 and "bezwaar" in _text(letter).lower()


def test_duo_meldingen_lists_what_the_melding_verb_takes(run: Run) -> None:
    rows = json.loads(run.printed["meldingen-json"])
    assert rows and {"nr", "leerling", "soort", "begindatum", "einddatum", "status"} <= set(rows[0])
    table = run.printed["meldingen"].splitlines()
    assert table[0].split()[:3] == ["nr", "leerling", "naam"]
    assert any(line.split()[0] == str(rows[0]["nr"]) and rows[0]["naam"] in line for line in table[1:])
    assert "luxe verzuim" in table[-1]  # the kinds are explained
    assert len(_pdf(run.path("melding.pdf")).pages) >= 1
    assert "Verzuimuren" in run.printed["melding-tekst"]


# ------------------------------------------------------------------------------- Dutch as a person writes it

# "1 …en" / "1 …s": a count of one with a plural noun. Not plurals: month names (1 augustus), "les 1 les 2"
# (a table heading), "er is 1 binnen 2 dagen".
PLURAL_FAULT = re.compile(r"(?<![\d,.\-/])\b1 ([a-zë]+(?:en|s))\b")
NOT_PLURAL = {*dutch.MONTH_NAMES, "les", "binnen"}


def _all_texts(run: Run) -> dict[str, str]:
    texts = dict(run.printed)
    for pdf in sorted(run.out.glob("*.pdf")):
        texts[pdf.name] = _text(PdfReader(str(pdf)))
    for name in ("schoolgids.docx", "evaluatie.docx"):
        texts[name] = "\n".join(p.text for p in docx.Document(run.path(name)).paragraphs)
    texts["toelichtingen"] = "\n".join(s["toelichting"] for s in json.loads(run.printed["signalen-json"]))
    return texts


def test_no_plural_after_one_and_no_plural_in_brackets(run: Run) -> None:
    faults = []
    for name, text in _all_texts(run).items():
        flat = " ".join(text.split())
        faults += [f"{name}: …{flat[max(m.start() - 30, 0):m.end() + 10]}…" for m in PLURAL_FAULT.finditer(flat)
                   if m.group(1) not in NOT_PLURAL]  # fmt: skip
        faults += [f"{name}: {m.group(0)}" for m in re.finditer(r"\w+\((?:en|s)\)", flat)]
    assert faults == [], "\n".join(faults)


def test_numbers_take_a_decimal_comma_and_no_internal_keys_show(run: Run) -> None:
    for name in ("cijfers", "signalen", "meldingen", "aggregaat", "verlof"):
        text = run.printed[name]
        assert not re.search(r"(?<![\d.])\d+\.\d{1,2}(?![\d.])", text), (name, text[:400])
        assert "gewichtige_omstandigheden" not in text and "te_laat_ladder" not in text
    assert re.search(r"\d,\d\d", run.printed["cijfers"])
