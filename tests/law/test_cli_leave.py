"""``verzuimdesk verlof``: the leave checks headless (exit code 1 on violations) and the list."""

from __future__ import annotations

import argparse
import datetime as dt
import json

import pytest

from tests.builders import SmallSchool
from verzuimdesk.cli import leave as cli_leave
from verzuimdesk.model.db import Database
from verzuimdesk.model.law.leave import decide_leave_request, record_lpa_decision, submit_leave_request


def _run(db: Database, *argv: str) -> int:
    parser = argparse.ArgumentParser(prog="verzuimdesk")
    cli_leave.register(parser.add_subparsers(dest="verb"))
    return cli_leave.run(db, parser.parse_args(["verlof", *argv]))


def test_check_ok(db: Database, school: SmallSchool, capsys: pytest.CaptureFixture[str]) -> None:
    code = _run(db, "toets", "1001", "vakantieverlof", "2025-11-03", "2025-11-14", "--ontvangen", "2025-09-01",
                "--bijlage", "werkgeversverklaring")
    out = capsys.readouterr().out
    assert code == 0
    assert "10 schooldagen" in out and "geen bezwaren" in out


def test_check_violation_exit_code_and_json(db: Database, school: SmallSchool,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    code = _run(db, "check", "1001", "v", "03-11-2025", "17-11-2025", "--ontvangen", "2025-09-01", "--json")
    data = json.loads(capsys.readouterr().out)
    assert code == 1
    assert data["schooldagen"] == 11 and data["toekenbaar"] is False and data["doorsturen"] is False
    assert {(b["code"], b["ernst"]) for b in data["bevindingen"]} == {
        ("te_lang", "overtreding"), ("werkgeversverklaring", "waarschuwing")}
    assert data["bevindingen"][0]["artikel"] == "art. 13a lid 2 Lpw"


def test_check_religious_late_notice_and_forwarding(db: Database, school: SmallSchool,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(db, "check", "1001", "religieus", "2026-03-20", "2026-03-20", "--ontvangen", "2026-03-19") == 1
    assert "art. 13 Lpw" in capsys.readouterr().out
    assert _run(db, "check", "1001", "gewichtig", "2025-11-03", "2025-11-17", "--ontvangen", "2025-09-01") == 1
    assert "doorsturen naar de leerplichtambtenaar" in capsys.readouterr().out


def test_unknown_pupil_and_bad_kind(db: Database, school: SmallSchool, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(db, "check", "9999", "vakantieverlof", "2025-11-03", "2025-11-03") == 2
    assert "Er is geen leerling met leerlingnummer '9999'" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        _run(db, "check", "1001", "carnaval", "2025-11-03", "2025-11-03")


def test_list(db: Database, school: SmallSchool, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(db, "lijst") == 0
    assert "Geen verlofaanvragen" in capsys.readouterr().out
    with db.transaction() as s:
        r = submit_leave_request(s, school.pupils["1001"], "gewichtige_omstandigheden", dt.date(2025, 11, 3),
                                 dt.date(2025, 11, 4), received_on=dt.date(2025, 10, 1), by="admin")
        decide_leave_request(s, r.id, "toegekend", by="directeur", on=dt.date(2025, 10, 2))
        submit_leave_request(s, school.pupils["1002"], "vakantieverlof", dt.date(2026, 2, 2),
                             dt.date(2026, 2, 6), received_on=dt.date(2025, 10, 1), by="admin")
    assert _run(db, "lijst", "--leerling", "1001", "--json") == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["leerling"], r["schooldagen"], r["status"]) for r in rows] == [("1001", 2, "toegekend")]
    assert _run(db, "lijst", "--schooljaar", "2025-2026") == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split()[:3] == ["nr", "leerling", "soort"] and len(out) == 4
    assert any("verlof wegens gewichtige omstandigheden" in line and "03-11-2025" in line for line in out)
    assert "gewichtige_omstandigheden" not in "\n".join(out)  # Dutch labels, no internal keys
    assert out[-1] == "2 verlofaanvragen."
    assert _run(db, "lijst", "--status", "ingediend", "--json") == 0
    assert [r["leerling"] for r in json.loads(capsys.readouterr().out)] == ["1002"]
    with db.transaction() as s:  # a forwarded request decided by the leerplichtambtenaar shows who and when
        r = submit_leave_request(s, school.pupils["1003"], "gewichtige_omstandigheden", dt.date(2025, 11, 3),
                                 dt.date(2025, 11, 17), received_on=dt.date(2025, 10, 1), by="admin")
        decide_leave_request(s, r.id, "doorgestuurd", by="directeur", on=dt.date(2025, 10, 2))
        record_lpa_decision(s, r.id, "toegekend", lpa_name="R. Smit", on=dt.date(2025, 10, 9), by="admin")
    assert _run(db, "lijst", "--leerling", "1003", "--json") == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert (row["status"], row["besluit_leerplichtambtenaar"]) == ("toegekend", "toegekend door R. Smit op 2025-10-09")
