"""The inzage export of one pupil (issue 11 point 4; AVG art. 15): a PDF for the parents and a ZIP with the
same data for machines (``gegevens.json`` with every stored column, one CSV per table, and the PDF).

The PDF shows every table the program holds on the pupil, in people's words (Dutch headings, reasons and groups
by name, dates as dd-mm-jjjj); internal row numbers are left out. The JSON and CSV files hold every column as
stored (AVG art. 15 sub 3: a copy of the data; art. 20: in a structured, machine-readable form).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from verzuimdesk.model.security.inzage import InzageExport
from verzuimdesk.model.security.pupil_data import TABLE_LABELS
from verzuimdesk.reports.pdf_common import FRAME_W, DocHeader, build_pdf, grid_table, para

TITLE = "Inzage: alle gegevens over deze leerling"
# Dutch column headings; columns not named here are shown under their stored name.
COLUMN_LABELS: dict[str, str] = {
    "key": "leerlingnummer", "achternaam": "achternaam", "voorvoegsel": "voorvoegsel", "voornamen": "voornamen",
    "roepnaam": "roepnaam", "birth_date": "geboortedatum", "gender": "geslacht", "bsn": "BSN",
    "onderwijsnummer": "onderwijsnummer", "bsn_last4": "BSN (laatste 4)", "woongemeente": "woongemeente",
    "address": "adres", "postcode": "postcode", "city": "woonplaats", "enrolled_on": "ingeschreven",
    "left_on": "uitgeschreven", "notes": "notities", "name": "naam", "relation": "relatie", "phone": "telefoon",
    "email": "e-mail", "group_id": "groep", "date_from": "van", "date_to": "tot en met", "date": "datum",
    "lesson_number": "les", "start_minute": "van", "end_minute": "tot", "reason_id": "reden",
    "outcome_reason_id": "reden", "minutes_late": "min. te laat", "source": "bron", "note": "notitie",
    "created_by": "door", "created_at": "vastgelegd", "updated_at": "gewijzigd", "called_at": "gebeld op",
    "called_by": "gebeld door", "reached": "bereikt", "contact": "met", "kind": "soort", "description": "omschrijving",
    "reason_text": "reden", "requested_by": "aangevraagd door", "received_on": "ontvangen", "attachments": "bijlagen",
    "status": "stand", "decided_on": "besloten op", "decided_by": "besloten door", "motivation": "motivering",
    "begin_date": "begin", "end_date": "einde", "action": "afhandeling", "reason": "toelichting",
    "handled_by": "door", "with_whom": "met", "summary": "besproken", "agreements": "afspraken",
    "planned": "gepland", "title": "aanpak", "start_date": "gestart", "evaluation_date": "evaluatie",
    "evaluated_on": "geëvalueerd", "outcome": "uitkomst", "effective": "effectief",
}  # fmt: skip
HIDDEN = {"id", "pupil_id", "melding_id", "deviation_id", "rule_id", "leave_request_id", "fingerprint",
          "vestiging_id"}  # internal row numbers: meaningless to a parent (they are in the JSON)
MINUTE_COLUMNS = {"start_minute", "end_minute"}


def _text(column: str, value: Any, data: InzageExport) -> str:
    if value is None or value == "":
        return ""
    if column in ("reason_id", "outcome_reason_id"):
        return data.reasons.get(int(value), str(value))
    if column == "group_id":
        return data.groups.get(int(value), str(value))
    if column in MINUTE_COLUMNS:
        return f"{int(value) // 60:02d}:{int(value) % 60:02d}"
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, dt.datetime):
        return value.strftime("%d-%m-%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y")
    return str(value)


def _section(name: str, rows: list[dict[str, Any]], data: InzageExport) -> list[Flowable]:
    columns = [c for c in rows[0] if c not in HIDDEN and any(r[c] not in (None, "") for r in rows)]
    title = f"{TABLE_LABELS.get(name, name).capitalize()} ({len(rows)})"
    if name == "pupil":  # one row: as a two-column list
        table_rows: list[list[Any]] = [["Gegeven", "Waarde"]]
        table_rows += [[COLUMN_LABELS.get(c, c), para(_text(c, rows[0][c], data), "cell")] for c in columns]
        return [para(title, "h2"), grid_table(table_rows, [45 * mm, FRAME_W - 45 * mm])]
    head = [COLUMN_LABELS.get(c, c) for c in columns]
    texts = [[_text(c, r[c], data) for c in columns] for r in rows]
    body = [[para(t, "cell") for t in row] for row in texts]
    widths = _widths(head, texts)
    table = grid_table([head, *body], widths)
    return [KeepTogether([para(title, "h2"), table])] if len(body) <= 3 else [para(title, "h2"), table]


CHAR_MM = 1.75  # about one character of the table font in millimetres (cell padding added below)
MAX_CHARS = 45


def _widths(head: list[str], texts: list[list[str]]) -> list[float]:
    """Each column as wide as its longest text needs; when they do not fit, the widest columns give way first
    (one cap for all columns, found by bisection), so dates and numbers keep their one line."""
    need = [(min(MAX_CHARS, max(len(h) * 0.8, *(len(row[i]) for row in texts))) * CHAR_MM + 5) * mm
            for i, h in enumerate(head)]
    total = sum(need)
    if total <= FRAME_W:
        return [w * FRAME_W / total for w in need]
    lo, hi = 0.0, max(need)
    for _ in range(40):
        cap = (lo + hi) / 2
        lo, hi = (cap, hi) if sum(min(w, cap) for w in need) < FRAME_W else (lo, cap)
    return [min(w, lo) for w in need]


def inzage_pdf(data: InzageExport) -> bytes:
    story: list[Flowable] = [
        para(f"Dit overzicht bevat alles wat {data.school or 'de school'} in de verzuimregistratie over "
             f"{data.pupil_name} heeft vastgelegd, op {data.made_on:%d-%m-%Y}, gemaakt door {data.made_by} op "
             "verzoek van de ouders (artikel 15 AVG). Klopt er iets niet, dan kunt u de school vragen het te "
             "verbeteren of, waar de wet dat toestaat, te verwijderen. De bijgevoegde bestanden gegevens.json en "
             "de CSV-bestanden bevatten dezelfde gegevens in een vorm voor computers.", "body"),
        Spacer(1, 2 * mm),
    ]  # fmt: skip
    for name, rows in data.tables.items():
        story += _section(name, rows, data)
    header = DocHeader(data.school, TITLE, f"{data.pupil_name} (nr. {data.pupil_key})", "", data.made_on)
    return build_pdf(story, header)


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date | dt.datetime) else value


def inzage_zip(data: InzageExport) -> bytes:
    """The ZIP: inzage.pdf, gegevens.json (all tables, all columns) and one CSV per table (UTF-8, ';')."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("inzage.pdf", inzage_pdf(data))
        payload = {
            "school": data.school, "leerlingnummer": data.pupil_key, "naam": data.pupil_name,
            "gemaakt_op": data.made_on.isoformat(), "gemaakt_door": data.made_by,
            "tabellen": {name: [{k: _jsonable(v) for k, v in r.items()} for r in rows]
                         for name, rows in data.tables.items()},
            "redenen": {str(k): v for k, v in data.reasons.items()},
            "groepen": {str(k): v for k, v in data.groups.items()},
        }  # fmt: skip
        z.writestr("gegevens.json", json.dumps(payload, ensure_ascii=False, indent=2))
        for name, rows in data.tables.items():
            out = io.StringIO()
            writer = csv.writer(out, delimiter=";")
            writer.writerow(list(rows[0]))
            for r in rows:
                writer.writerow([_csv_safe(_jsonable(v)) for v in r.values()])
            z.writestr(f"{name}.csv", out.getvalue())
    return buffer.getvalue()


def _csv_safe(value: Any) -> Any:
    """Formula-like text gets a leading apostrophe, so a spreadsheet shows it as text (OWASP CSV injection)."""
    if isinstance(value, str) and value.startswith(("=", "+", "-", "@", "\t", "\r")):
        return "'" + value
    return "" if value is None else value
