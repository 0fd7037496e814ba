"""The ``schoolgids`` and ``evaluatie`` verbs, called through ``run`` with a Namespace as cli.py will."""

from __future__ import annotations

import argparse
import datetime as dt

import docx
from pypdf import PdfReader

from verzuimdesk.cli import schoolgids as cli_policy
from verzuimdesk.model.policy.versions import record_consent, save_version


def _guide(**kw):
    base = dict(verb="schoolgids", docx=None, pdf=None, tekst=False, versie=None, schooljaar="2026-2027")
    base.update(kw)
    return argparse.Namespace(**base)


def test_register_adds_both_verbs_once():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="verb")
    cli_policy.register(sub)
    cli_policy.register(sub)  # wired twice (once per verb): harmless
    args = parser.parse_args(["schoolgids", "--docx", "x.docx", "--versie", "2"])
    assert (args.verb, args.docx, args.versie, args.tekst) == ("schoolgids", "x.docx", 2, False)
    args = parser.parse_args(["evaluatie", "2025-2026", "--pdf", "e.pdf", "--datum", "30-06-2026"])
    assert (args.verb, args.schooljaar, args.pdf, args.datum) == ("evaluatie", "2025-2026", "e.pdf", dt.date(2026, 6, 30))


def test_schoolgids_outputs(db, school, tmp_path, capsys):
    assert cli_policy.run(db, _guide(tekst=True)) == 0
    out = capsys.readouterr().out
    assert out.startswith("VERZUIMBELEID") and "Signaal zorgelijk verzuim" in out
    path = tmp_path / "beleid.docx"
    assert cli_policy.run(db, _guide(docx=str(path))) == 0
    assert "Werkwijze na constatering van verzuim" in [p.text for p in docx.Document(str(path)).paragraphs]
    pdf = tmp_path / "beleid.pdf"
    assert cli_policy.run(db, _guide(pdf=str(pdf))) == 0
    assert "Taakverdeling binnen de school" in PdfReader(str(pdf)).pages[0].extract_text() + "".join(
        p.extract_text() for p in PdfReader(str(pdf)).pages)


def test_schoolgids_version_and_warning(db, school, capsys):
    with db.transaction() as s:
        v = save_version(s, school_year="2026-2027", by="test")
        record_consent(s, v.id, dt.date(2026, 6, 1), today=dt.date(2026, 11, 23))
        vid = v.id
    assert cli_policy.run(db, _guide(tekst=True, versie=vid)) == 0
    assert f"Versie {vid}, opgeslagen op" in capsys.readouterr().out
    assert cli_policy.run(db, _guide(tekst=True, versie=999)) == 1
    assert "Versie 999" in capsys.readouterr().err
    from verzuimdesk.model.policy.inputs import save_policy_settings

    with db.transaction() as s:
        save_policy_settings(s, {"rol_ib": "Kees Bakker"})
    assert cli_policy.run(db, _guide(tekst=True)) == 0
    assert "Let op:" in capsys.readouterr().err


def test_evaluatie(db, school, tmp_path, capsys):
    path = tmp_path / "evaluatie.pdf"
    args = argparse.Namespace(verb="evaluatie", schooljaar="2025-2026", pdf=str(path), docx=None,
                              datum=dt.date(2025, 11, 21))
    assert cli_policy.run(db, args) == 0
    assert "Jaarevaluatie 2025-2026 geschreven" in capsys.readouterr().out
    assert "Cijfers per kwartaal" in PdfReader(str(path)).pages[0].extract_text()
    args.schooljaar = "2025"
    assert cli_policy.run(db, args) == 1
    assert "geen schooljaar" in capsys.readouterr().err
