"""The ``signals`` verb, called through ``run`` with a Namespace as cli.py will."""

from __future__ import annotations

import argparse
import datetime as dt
import json

from sqlmodel import select

from tests.signals.util import D, absent, weekdays
from verzuimdesk.cli import signals as cli_signals
from verzuimdesk.model.tables import Pupil


def _args(**kw):
    base = dict(datum=D(2025, 11, 7), groep=None, leerling=None, json=True)
    base.update(kw)
    return argparse.Namespace(**base)


def test_json_per_signal(school_db, capsys):
    with school_db.transaction() as s:
        p = s.exec(select(Pupil.id).where(Pupil.key == "1001")).one()
        for day in weekdays(D(2025, 11, 3), D(2025, 11, 5)):
            absent(s, p, day)
    assert cli_signals.run(school_db, _args()) == 0
    rows = json.loads(capsys.readouterr().out)
    v3 = next(r for r in rows if r["soort"] == "V3")
    assert v3["leerling"] == "1001" and v3["verplicht"] is True
    assert (v3["begindatum"], v3["einddatum"], v3["minuten"], v3["uren"]) == ("2025-11-03", "2025-11-05", 1080, 18.0)
    assert v3["lesweken"][-1] == {"week": "2025-11-03", "minuten": 1080}
    assert "16 uur" in v3["toelichting"] and v3["dagen_sinds"] == 2
    assert rows[0]["soort"] == "V3"  # most urgent first

    assert cli_signals.run(school_db, _args(leerling="1002")) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert cli_signals.run(school_db, _args(groep="Groep 1/2")) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_table_and_errors(school_db, capsys):
    assert cli_signals.run(school_db, _args(json=False)) == 0
    assert "Geen open signalen op 07-11-2025" in capsys.readouterr().out
    assert cli_signals.run(school_db, _args(leerling="9999")) == 1
    assert "Er is geen leerling met leerlingnummer" in capsys.readouterr().err
    assert cli_signals.run(school_db, _args(groep="nope")) == 1


def test_register_adds_the_verb():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="verb")
    cli_signals.register(sub)
    args = parser.parse_args(["signals", "--datum", "03-11-2025", "--leerling", "1001", "--json"])
    assert (args.verb, args.datum, args.leerling, args.json) == ("signals", dt.date(2025, 11, 3), "1001", True)
