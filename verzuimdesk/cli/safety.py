"""The verbs that keep the record safe (issue 10 §5, §7):

    verzuimdesk logboek [--leerling N] [--van D] [--tot D] [--json] [--controleer]
    verzuimdesk backup [--lijst]
    verzuimdesk herstel BESTAND        (runs without opening the database: it may be damaged)
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from sqlmodel import select

from verzuimdesk.cli.common import parse_date
from verzuimdesk.cli.login import PERSONAL_DATA_NOTE
from verzuimdesk.model.db import Database, default_url, normalise_url, restore_database, sqlite_path
from verzuimdesk.model.errors import VerzuimdeskError


def register(subparsers: Any) -> None:
    log = subparsers.add_parser("logboek", help="toon het logboek van alle wijzigingen (wie, wanneer, oud → nieuw)"
                                                        + PERSONAL_DATA_NOTE)
    log.add_argument("--leerling", help="alleen deze leerling (leerlingnummer)")
    log.add_argument("--van", type=parse_date, help="vanaf deze datum")
    log.add_argument("--tot", type=parse_date, help="tot en met deze datum")
    log.add_argument("--json", action="store_true", help="uitvoer als JSON")
    log.add_argument("--controleer", action="store_true",
                     help="controleer of het logboek ongeschonden is (de hashketen)")  # fmt: skip
    backup = subparsers.add_parser("backup", help="maak nu een gecontroleerde reservekopie van de database")
    backup.add_argument("--lijst", action="store_true", help="toon de bestaande reservekopieën")
    restore = subparsers.add_parser("herstel", help="zet een reservekopie terug (het huidige bestand wordt bewaard)")
    restore.add_argument("bestand", help="de reservekopie (een .sqlite-bestand)")


def run(db: Database, args: argparse.Namespace) -> int:
    if args.verb == "logboek":
        return _logbook(db, args)
    return _backup(db, args)


def _logbook(db: Database, args: argparse.Namespace) -> int:
    from verzuimdesk.model.audit import line_as_dict, readable, trail, verify_trail
    from verzuimdesk.model.tables import Pupil

    with db.session() as s:
        if args.controleer:
            check = verify_trail(s)
            if check.intact:
                print(f"Het logboek is ongeschonden: {check.lines} regels, laatste hash {check.last_hash}.")
                return 0
            print(f"Het logboek is NIET ongeschonden ({len(check.problems)} problemen):", file=sys.stderr)
            for problem in check.problems[:50]:
                print(f"- {problem}", file=sys.stderr)
            return 1
        pupil_id = None
        if args.leerling:
            pupil = s.exec(select(Pupil).where(Pupil.key == args.leerling.strip())).first()
            if pupil is None:
                print(f"Fout: er is geen leerling met leerlingnummer {args.leerling}.", file=sys.stderr)
                return 1
            pupil_id = pupil.id
        lines = trail(s, pupil_id=pupil_id, start=args.van, end=args.tot)
        shown = readable(s, lines)
    if args.json:  # the stored text (what the hash covers) and the readable one
        print(json.dumps([line_as_dict(x) | {"leesbaar": {"actie": r.action, "omschrijving": r.detail,
                                                          "leerling": r.pupil, "oud": r.old, "nieuw": r.new}}
                          for x, r in zip(lines, shown)], ensure_ascii=False, indent=2))  # fmt: skip
        return 0
    if not lines:
        print("Het logboek heeft geen regels in deze keuze.")
        return 0
    for r in shown:
        change = f"  {r.old or '—'} → {r.new or '—'}" if (r.old or r.new) else ""
        why = f"  reden: {r.reason}" if r.reason else ""
        who = f" [{r.pupil}]" if r.pupil and r.pupil not in r.detail else ""
        print(f"{r.at_text}  {r.by}  {r.action}: {r.detail}{who}{change}{why}")
    return 0


def _backup(db: Database, args: argparse.Namespace) -> int:
    from verzuimdesk.model.backups import KEEP_KEY, keep_count, list_backups, make_backup
    from verzuimdesk.model.store import get_setting

    db_file = sqlite_path(db.url)
    if db_file is None:
        print("Fout: reservekopieën maakt verzuimdesk alleen van een SQLite-bestand; bij PostgreSQL maakt de "
              "databasebeheerder ze (pg_dump).", file=sys.stderr)  # fmt: skip
        return 1
    if args.lijst:
        backups = list_backups(db_file)
        if not backups:
            print("Er zijn nog geen reservekopieën.")
        for b in backups:
            print(f"{b.made:%d-%m-%Y %H:%M:%S}  {b.kind_label:<26} {b.size // 1024:>7} kB  {b.path}")
        return 0
    with db.session() as s:
        keep = keep_count(get_setting(s, KEEP_KEY, ""))
    path = make_backup(db_file, "handmatig", keep=keep)
    print(f"Reservekopie gemaakt en gecontroleerd (integrity_check): {path}")
    return 0


def restore(database: str | None, source: str, username: str | None = None) -> int:
    """``verzuimdesk herstel BESTAND``: without opening the (possibly damaged) database. An encrypted backup (or
    database) asks for a user name and password first: they open the key slots of the database, else those saved
    with the backup (the data key of a database never changes)."""
    db_file = sqlite_path(normalise_url(database) if database else default_url())
    if db_file is None:
        print("Fout: terugzetten kan alleen bij een SQLite-bestand.", file=sys.stderr)
        return 1
    if not Path(source).is_file():
        print(f"Fout: het bestand {source} bestaat niet.", file=sys.stderr)
        return 1
    try:
        key = _restore_key(db_file, Path(source), username)
        kept = restore_database(db_file, Path(source), key=key)
    except VerzuimdeskError as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return 2
    print(f"De reservekopie {source} is teruggezet in {db_file}.")
    if kept is not None:
        print(f"Het bestand dat is vervangen, is bewaard als {kept}.")
    return 0


def _restore_key(db_file: Path, source: Path, username: str | None) -> bytes | None:
    from verzuimdesk.cli.login import read_password, user_name
    from verzuimdesk.model.errors import LoginError
    from verzuimdesk.model.keyfile import is_encrypted, keyfile_path, unlock_with_password

    if not is_encrypted(source) and not is_encrypted(db_file):
        return None
    name = user_name(username)
    password = read_password(name)
    for holder in (db_file, source):
        if keyfile_path(holder).exists():
            try:
                return unlock_with_password(holder, name, password)
            except LoginError:
                continue
    raise LoginError("Met deze gebruikersnaam en dit wachtwoord is de versleutelde reservekopie niet te openen; er is "
                     "niets teruggezet.")
