"""Imports: EDEXML, pupils and groups from a spreadsheet, the school set-up file, absence history.

Every import takes a :class:`~verzuimdesk.model.db.Database` and a file, runs in one transaction and is
all-or-nothing: on any problem it raises :class:`~verzuimdesk.model.errors.ImportFailed` with Dutch
per-row messages and nothing is changed. It never changes another pupil than the row names, never
rewrites the timetable of past days, and refuses what guard.py does not accept before parsing. The
option ``progress(done, total)`` reports progress; raising ``guard.ImportCancelled`` from it (the GUI's
Annuleren) rolls the import back. Formats and what is refused: docs/imports.md.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from verzuimdesk.imports.common import FAILED, ImportResult
from verzuimdesk.model.db import Database
from verzuimdesk.model.errors import ImportFailed

KINDS: dict[str, str] = {
    "edexml": "EDEXML-bestand uit de leerlingadministratie (.xml)",
    "leerlingen": "leerlingen uit Excel of CSV (.xlsx, .csv)",
    "groepen": "groepen uit Excel of CSV (.xlsx, .csv)",
    "inrichting": "schoolinrichting (.toml)",
    "verzuim": "verzuimgeschiedenis uit Excel of CSV (.xlsx, .csv)",
}


def _importer(kind: str) -> Callable[..., ImportResult]:
    if kind == "edexml":
        from verzuimdesk.imports.edexml import import_edexml

        return import_edexml
    if kind == "leerlingen":
        from verzuimdesk.imports.spreadsheet import import_pupils

        return import_pupils
    if kind == "groepen":
        from verzuimdesk.imports.spreadsheet import import_groups

        return import_groups
    if kind == "inrichting":
        from verzuimdesk.imports.setup_file import import_setup_file

        return import_setup_file
    if kind == "verzuim":
        from verzuimdesk.imports.absence_history import import_absence_history

        return import_absence_history
    raise ImportFailed(FAILED, [f"Onbekende soort import '{kind}'. Kies uit: {', '.join(KINDS)}."])


def run_import(db: Database, kind: str, path: str | Path, **options: Any) -> ImportResult:
    """Run the import of ``kind`` ("edexml", "leerlingen", "groepen", "inrichting", "verzuim") on ``path``."""
    return _importer(kind.strip().lower())(db, path, **options)


__all__ = ["FAILED", "KINDS", "ImportFailed", "ImportResult", "run_import"]
