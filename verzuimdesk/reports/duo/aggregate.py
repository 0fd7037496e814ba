"""Writers of the aggregated DUO file, format 0.1-voorlopig: XML (with its XSD) and CSV.

Both files of one delivery carry the same *controlegetal*: the SHA-256 (lower-case hex) of the canonical
text, which is the CSV file up to (not including) its last line, UTF-8 with LF line ends. The XML holds
the same values, so :func:`canonical_text_from_xml` rebuilds that text from an XML file to check it.
No timestamps and a fixed order: the same data give the same bytes (docs/duo-formats.md).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from lxml import etree
from sqlmodel import Session

from verzuimdesk.model.errors import ValidationError
from verzuimdesk.model.law.aggregate import (
    CATEGORY_LABELS,
    AggregateReport,
    AggregateRow,
    Period,
    build_aggregate,
    delivery_refusal,
    format_percent,
    klokuren,
)
from verzuimdesk.model.law.exports import record_aggregate_delivery, sha256
from verzuimdesk.resources import resource

FORMAT_VERSION = "0.1-voorlopig"
NAMESPACE = "urn:verzuimdesk:verzuimaggregaat:0.1"
XSD_NAME = "xsd/verzuimaggregaat-0.1.xsd"
_NS = "{" + NAMESPACE + "}"
XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'
FIXED_COLUMNS = ("Formaatversie", "BRIN", "Vestiging", "Periode", "Begindatum", "Einddatum", "Indeling",
                 "Onderverdeling", "Leerlingen", "Lestijd (uren)")


def _nl(value: Decimal) -> str:
    """A decimal in the CSV file: comma, exactly the digits of the XML, never a thousands separator (a file
    format, so not :func:`verzuimdesk.model.dutch.number`)."""
    return format(value, "f").replace(".", ",")


def csv_header(report: AggregateReport) -> list[str]:
    cols = list(FIXED_COLUMNS)
    for cat in report.settings.categories:
        cols += [f"{CATEGORY_LABELS[cat]}: leerlingen", f"{CATEGORY_LABELS[cat]}: uren"]
    cols += [f"Leerlingen meer dan {_nl(b.normalize())}% afwezig" for b in report.settings.bands]
    return cols


def _csv_values(report: AggregateReport, row: AggregateRow) -> list[str]:
    p = report.period
    out = [FORMAT_VERSION, report.brin, report.vestiging, p.code, p.start.isoformat(), p.end.isoformat(),
           report.settings.subdivision, row.subdivision, str(row.pupils), _nl(klokuren(row.scheduled_minutes))]
    for cat in report.settings.categories:
        out += [str(row.pupils_with[cat]), _nl(row.hours(cat))]
    return out + [str(n) for n in row.bands]


def _line(values: list[str]) -> str:
    for v in values:
        if any(c in v for c in ';"\r\n'):
            raise ValidationError(f"De waarde '{v}' bevat een puntkomma, aanhalingsteken of regeleinde; pas de "
                                  "naam van de afdeling of het uitstroomprofiel aan.")  # fmt: skip
    return ";".join(values) + "\n"


def canonical_text(report: AggregateReport) -> str:
    """The text the controlegetal is computed over (the CSV without its last line)."""
    return _line(csv_header(report)) + "".join(_line(_csv_values(report, row)) for row in report.rows)


def controlegetal(report: AggregateReport) -> str:
    return sha256(canonical_text(report))


def aggregate_csv(report: AggregateReport) -> bytes:
    text = canonical_text(report)
    return (text + _line(["Controlegetal", "SHA-256", sha256(text)])).encode("utf-8")


def aggregate_xml(report: AggregateReport) -> bytes:
    root = etree.Element(_NS + "verzuimaggregaat", nsmap={None: NAMESPACE})
    root.set("formaatversie", FORMAT_VERSION)
    etree.SubElement(root, _NS + "school", brin=report.brin, vestiging=report.vestiging)
    p = report.period
    etree.SubElement(root, _NS + "periode", code=p.code, begindatum=p.start.isoformat(),
                     einddatum=p.end.isoformat())  # fmt: skip
    etree.SubElement(root, _NS + "indeling").text = report.settings.subdivision
    for row in report.rows:
        el = etree.SubElement(root, _NS + ("schooltotaal" if row.is_total else "rij"),
                              onderverdeling=row.subdivision, leerlingen=str(row.pupils),
                              lestijdUren=format(klokuren(row.scheduled_minutes), "f"))  # fmt: skip
        for cat in report.settings.categories:
            etree.SubElement(el, _NS + "categorie", code=cat, leerlingen=str(row.pupils_with[cat]),
                             uren=format(row.hours(cat), "f"))  # fmt: skip
        for band, count in zip(report.settings.bands, row.bands, strict=True):
            etree.SubElement(el, _NS + "grens", procent=format_percent(band), leerlingen=str(count))
    etree.SubElement(root, _NS + "controlegetal", algoritme="SHA-256").text = controlegetal(report)
    etree.indent(root, space="  ")
    return XML_DECLARATION + etree.tostring(root, xml_declaration=False, encoding="UTF-8", pretty_print=True)


def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(resource(XSD_NAME))))


def validate_xml(data: bytes) -> list[str]:
    """XSD errors of an aggregate file, in a Dutch line each (empty when valid)."""
    xsd = schema()
    try:
        doc = etree.fromstring(data)
    except etree.XMLSyntaxError as exc:
        return [f"Het bestand is geen geldige XML: {exc}"]
    if xsd.validate(doc):
        return []
    return [f"Regel {e.line}: voldoet niet aan het schema ({e.message})" for e in xsd.error_log]


def canonical_text_from_xml(data: bytes) -> str:
    """Rebuild the canonical text from an XML file (to check its controlegetal)."""
    root = etree.fromstring(data)
    school, period = root.find(_NS + "school"), root.find(_NS + "periode")
    assert school is not None and period is not None
    fixed = [root.get("formaatversie", ""), school.get("brin", ""), school.get("vestiging", ""),
             period.get("code", ""), period.get("begindatum", ""), period.get("einddatum", ""),
             root.findtext(_NS + "indeling") or ""]  # fmt: skip
    rows = [el for el in root if el.tag in (_NS + "rij", _NS + "schooltotaal")]
    first = rows[-1]  # the school total: always there
    header = list(FIXED_COLUMNS)
    for cat in first.findall(_NS + "categorie"):
        label = CATEGORY_LABELS[cat.get("code", "")]
        header += [f"{label}: leerlingen", f"{label}: uren"]
    header += [f"Leerlingen meer dan {g.get('procent', '').replace('.', ',')}% afwezig"
               for g in first.findall(_NS + "grens")]  # fmt: skip
    lines = [_line(header)]
    for el in rows:
        values = fixed + [el.get("onderverdeling", ""), el.get("leerlingen", ""),
                          el.get("lestijdUren", "").replace(".", ",")]  # fmt: skip
        for cat in el.findall(_NS + "categorie"):
            values += [cat.get("leerlingen", ""), cat.get("uren", "").replace(".", ",")]
        values += [g.get("leerlingen", "") for g in el.findall(_NS + "grens")]
        lines.append(_line(values))
    return "".join(lines)


def build_files(report: AggregateReport) -> tuple[bytes, bytes]:
    """(XML, CSV) of a report, the XML checked against its XSD."""
    xml = aggregate_xml(report)
    errors = validate_xml(xml)
    if errors:
        raise ValidationError("Het aggregaatbestand voldoet niet aan het schema:\n" + "\n".join(errors))
    return xml, aggregate_csv(report)


def export_aggregate(
    session: Session, period: Period, *, xml_path: str | Path | None, csv_path: str | Path | None, by: str,
    now: dt.datetime | None = None, today: dt.date | None = None,
) -> AggregateReport:  # fmt: skip
    """Write the XML and/or CSV file of ``period`` and record each in the delivery log.

    Refused (ValidationError, Dutch) for a niet-bekostigde school, without a BRIN code, and for a period that
    has not ended on ``today`` (default: the date of ``now``, else today): nothing unfinished is delivered."""
    today = today or (now.date() if now is not None else dt.date.today())
    refusal = delivery_refusal(session, period, today)
    if refusal:
        raise ValidationError(refusal)
    if xml_path is None and csv_path is None:
        raise ValidationError("Kies waar het XML- of CSV-bestand moet komen.")
    report = build_aggregate(session, period, today=today)
    assert not report.running  # delivery_refusal refused every period that has not ended
    xml, csv = build_files(report)
    check = controlegetal(report)
    for fmt, path, data in (("xml", xml_path, xml), ("csv", csv_path, csv)):
        if path is None:
            continue
        try:
            Path(path).write_bytes(data)
        except OSError as exc:
            raise ValidationError(f"Het bestand {path} kon niet worden geschreven: {exc.strerror or exc}.") from None
        record_aggregate_delivery(session, period_label=period.label, start=period.start, end=period.end, fmt=fmt,
                                  version=FORMAT_VERSION, checksum=check, by=by, file_name=Path(path).name,
                                  now=now)  # fmt: skip
    return report

