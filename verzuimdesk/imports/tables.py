"""Reading a table (.xlsx sheet or .csv file) for the spreadsheet imports, within the limits of guard.py:
no zip bombs, no more than MAX_ROWS rows, csv errors and damaged workbooks as Dutch messages, and per row
the text checks (control characters, maximum lengths) on the columns that are used.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from verzuimdesk.imports.common import cell_text, normalise_header, shown
from verzuimdesk.imports.guard import (
    KEY_MAX,
    MAX_ROWS,
    MAX_UNZIPPED_BYTES,
    NAME_MAX,
    NOTE_MAX,
    TEXT_MAX,
    check_file,
    fail,
    text_problem,
)
from verzuimdesk.model.errors import ImportFailed

# ------------------------------------------------------------------------------------------- tables


@dataclass
class Table:
    """A sheet or csv file: header row and data rows with their row numbers as the user sees them."""

    headers: list[str]
    rows: list[tuple[int, list[object]]]
    sheet: str = ""
    warnings: list[str] = field(default_factory=list)


def read_table(path: str | Path, sheet_hint: str = "") -> Table:
    """Read the first table of an .xlsx (a sheet whose name contains ``sheet_hint`` if any, else the first) or .csv."""
    p = check_file(path)
    suffix = p.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(p, sheet_hint)
    if suffix in (".csv", ".txt"):
        return _read_csv(p)
    raise fail(f"Het bestand {p.name} is geen .xlsx- of .csv-bestand. Sla het in Excel op als .xlsx of .csv.")


def _table_from_rows(raw: Iterable[tuple[int, list[object]]], sheet: str) -> Table:
    header: list[str] | None = None
    rows: list[tuple[int, list[object]]] = []
    for number, values in raw:
        if not any(cell_text(v) for v in values):
            continue
        if header is None:
            header = [cell_text(v) for v in values]
            continue
        if len(rows) >= MAX_ROWS:
            raise fail(f"Het bestand heeft meer dan {MAX_ROWS} regels; verzuimdesk leest er hoogstens {MAX_ROWS} "
                       "in één keer. Splits het bestand, bijvoorbeeld per schooljaar.")
        rows.append((number, list(values)))
    if header is None:
        raise fail("Het bestand is leeg: er staat geen kopregel met kolomnamen in.")
    return Table(header, rows, sheet)


def _not_xlsx(path: Path) -> ImportFailed:
    return fail(f"{path.name} kan niet als Excel-bestand (.xlsx) worden gelezen: het is beschadigd of geen "
                "Excel-bestand. Open het in Excel en sla het opnieuw op als .xlsx (of als CSV).")


def _read_xlsx(path: Path, sheet_hint: str) -> Table:
    import zipfile

    import openpyxl

    try:  # an .xlsx is a zip archive: refuse one that unpacks to far more than it seems (before openpyxl)
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise _not_xlsx(path) from None
    if unpacked > MAX_UNZIPPED_BYTES:
        raise fail(f"{path.name} pakt uit tot meer dan {MAX_UNZIPPED_BYTES // 1024 // 1024} MB; zo'n groot "
                   "Excel-bestand leest verzuimdesk niet. Sla alleen het tabblad met de gegevens op als CSV.")
    try:  # openpyxl raises many kinds of exceptions on damaged files; each becomes the one Dutch message
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:
        raise _not_xlsx(path) from None
    try:
        if not wb.worksheets:
            raise fail(f"{path.name} heeft geen tabbladen met gegevens.")
        ws = wb.worksheets[0]
        hint = normalise_header(sheet_hint)
        for candidate in wb.worksheets:
            if hint and hint in normalise_header(candidate.title):
                ws = candidate
                break
        raw = ((i, list(r)) for i, r in enumerate(ws.iter_rows(values_only=True), start=1))
        return _table_from_rows(raw, ws.title)
    except ImportFailed:
        raise
    except Exception:  # the sheets are read lazily: damage inside a sheet shows up here
        raise _not_xlsx(path) from None
    finally:
        wb.close()


def _read_csv(path: Path) -> Table:
    data = path.read_bytes()
    warnings: list[str] = []
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
        warnings.append(
            f"{path.name} is geen UTF-8; het is gelezen als Windows-tekst (cp1252). Controleer letters met "
            "accenten, of sla het bestand op als 'CSV UTF-8'."
        )
    if "\x00" in text:
        raise fail(f"{path.name} bevat nul-tekens: het is geen tekstbestand (CSV). Sla het in Excel op als 'CSV UTF-8'.")
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = ";" if first.count(";") >= first.count(",") and ";" in first else ","
    if "\t" in first and first.count("\t") > first.count(delimiter):
        delimiter = "\t"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        table = _table_from_rows(((i, list(r)) for i, r in enumerate(reader, start=1)), "")
    except csv.Error as exc:
        line = reader.line_num
        if "field larger" in str(exc):
            raise fail(f"Regel {line} van {path.name} heeft een veld van meer dan {csv.field_size_limit()} tekens; "
                       "waarschijnlijk ontbreekt er een afsluitend aanhalingsteken (\"). Verbeter de regel.") from None
        raise fail(f"Regel {line} van {path.name} is geen geldige CSV-regel (een aanhalingsteken staat verkeerd). "
                   "Verbeter de regel of sla het bestand opnieuw op als CSV.") from None
    table.warnings = warnings
    return table


FIELD_LIMITS = {"achternaam": NAME_MAX, "voorvoegsel": NAME_MAX, "voornamen": NAME_MAX, "roepnaam": NAME_MAX,
                "name": NAME_MAX, "note": NOTE_MAX, "notes": NOTE_MAX, "key": KEY_MAX, "pupil": KEY_MAX,
                "group": NAME_MAX, "vestiging": NAME_MAX}


def row_text_problems(table: Table, row: list[object], columns: dict[str, int], label: str) -> list[str]:
    """Control characters and over-long text in the used columns of one row (limits: guard.py)."""
    problems = []
    for name, i in columns.items():
        value = row[i] if i < len(row) else None
        if not isinstance(value, str):
            continue
        header = table.headers[i] if i < len(table.headers) else name
        problem = text_problem(value, f"de kolom '{shown(header)}'", FIELD_LIMITS.get(name, TEXT_MAX))
        if problem:
            problems.append(f"{label}: {problem}.")
    return problems


def get(row: list[object], columns: dict[str, int], name: str) -> object:
    i = columns.get(name)
    if i is None or i >= len(row):
        return None
    return row[i]


def text(row: list[object], columns: dict[str, int], name: str) -> str:
    return cell_text(get(row, columns, name))
