"""``verzuimdesk brief`` and ``verzuimdesk brieven`` through the real parser."""

from __future__ import annotations

import email
import io
from email import policy as email_policy
from pathlib import Path

from docx import Document
from pypdf import PdfReader

from verzuimdesk.cli.main import main
from verzuimdesk.model.db import open_database
from verzuimdesk.model.letters.record import letters_of
from verzuimdesk.model.tables import Pupil


def _records(path: Path, key: str) -> list[str]:
    db = open_database(str(path))
    try:
        with db.session() as s:
            from sqlmodel import select

            pupil = s.exec(select(Pupil).where(Pupil.key == key)).one()
            return [r.template_key for r in letters_of(s, pupil.id or 0)]
    finally:
        db.close()


def test_brief_prints_without_recording_and_writes_pdf_docx_and_eml(demo_path: Path, tmp_path: Path,
                                                                     capsys) -> None:  # type: ignore[no-untyped-def]
    base = ["--database", str(demo_path), "brief"]
    before = _records(demo_path, "1049")
    assert main(base + ["verslag_gesprek", "--leerling", "1049", "--datum", "2025-12-03"]) == 0
    out = capsys.readouterr().out
    assert out.count("Betreft: Verslag van ons gesprek") == 2 and "Lindenhof 7" in out
    assert _records(demo_path, "1049") == before  # a printed preview is not a letter made

    pdf, eml = tmp_path / "brief.pdf", tmp_path / "brief.eml"
    assert main(base + ["verslag_gesprek", "--leerling", "1049", "--pdf", str(pdf), "--eml", str(eml),
                        "--datum", "2025-12-03"]) == 0
    assert len(PdfReader(io.BytesIO(pdf.read_bytes())).pages) == 2
    message = email.message_from_bytes(eml.read_bytes(), policy=email_policy.default)
    assert [a.get_filename() for a in message.iter_attachments()] == ["brief.pdf"]  # type: ignore[attr-defined]
    assert _records(demo_path, "1049")[:2] == ["verslag_gesprek", "verslag_gesprek"]

    docx = tmp_path / "brief.docx"
    assert main(base + ["melding", "--leerling", "1147", "--docx", str(docx), "--datum", "2025-12-03"]) == 0
    assert "Betreft: Melding van het verzuim" in "\n".join(p.text for p in Document(str(docx)).paragraphs)


def test_brief_errors_are_dutch(demo_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    base = ["--database", str(demo_path), "brief"]
    assert main(base + ["onbekend", "--leerling", "1049"]) == 1
    assert "Onbekend briefsjabloon 'onbekend'" in capsys.readouterr().err
    assert main(base + ["melding", "--leerling", "1049"]) == 1
    assert "geen melding gemaakt" in capsys.readouterr().err
    assert main(base + ["lijst"]) == 0
    assert "{leerling.roepnaam}" in capsys.readouterr().out


def test_brieven_writes_the_week_in_one_pdf(demo_path: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    pdf = tmp_path / "week.pdf"
    args = ["--database", str(demo_path), "brieven", "--week", "2025-12-03", "--pdf", str(pdf), "--datum", "2025-12-03"]
    assert main(args) == 0
    assert "brieven voor" in capsys.readouterr().out and len(PdfReader(str(pdf)).pages) >= 1
    assert main(args) == 1  # all made: nothing due any more
    assert "geen brieven" in capsys.readouterr().err
