"""The record of what left the program for DUO: melding exports and aggregated deliveries (schema 0003).

Every file, form or text made for DUO is recorded with who made it, when, in which format and version,
and a SHA-256 checksum, so the school can show the Inspectie what it handed in (domain.md §7.6, §8).
"""

from __future__ import annotations

import datetime as dt
import hashlib

from sqlmodel import Session, col, select

from verzuimdesk.model.audit import audit
from verzuimdesk.model.errors import ValidationError
from verzuimdesk.model.tables.documents import AggregateDelivery, MeldingExport
from verzuimdesk.model.tables.law import Melding

MELDING_FORMATS = ("xml", "pdf", "tekst")
AGGREGATE_FORMATS = ("xml", "csv")


def sha256(data: bytes | str) -> str:
    """Hex SHA-256 of ``data`` (text as UTF-8)."""
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


def record_melding_export(
    session: Session, melding_id: int, fmt: str, data: bytes | str, *, by: str, version: str = "",
    file_name: str = "", now: dt.datetime | None = None,
) -> MeldingExport:  # fmt: skip
    """Record one export of a melding; ``data`` is what was written or shown (its SHA-256 is kept)."""
    if fmt not in MELDING_FORMATS:
        raise ValidationError(f"Onbekend exportformaat '{fmt}'; kies xml, pdf of tekst.")
    if session.get(Melding, melding_id) is None:
        raise ValidationError("Deze melding bestaat niet (meer).")
    row = MeldingExport(melding_id=melding_id, format=fmt, format_version=version, file_name=file_name,
                        checksum=sha256(data), exported_by=by, exported_at=now or dt.datetime.now())  # fmt: skip
    session.add(row)
    session.flush()
    audit(session, "melding geëxporteerd", f"melding {melding_id}: {fmt} {version} {file_name}".strip(), by=by)
    return row


def melding_exports(session: Session, melding_id: int) -> list[MeldingExport]:
    q = (select(MeldingExport).where(MeldingExport.melding_id == melding_id)
         .order_by(col(MeldingExport.exported_at), col(MeldingExport.id)))  # fmt: skip
    return list(session.exec(q).all())


def record_aggregate_delivery(
    session: Session, *, period_label: str, start: dt.date, end: dt.date, fmt: str, version: str,
    checksum: str, by: str, file_name: str = "", now: dt.datetime | None = None,
) -> AggregateDelivery:  # fmt: skip
    """Record one file of an aggregated delivery; ``checksum`` is the controlegetal written in the file."""
    if fmt not in AGGREGATE_FORMATS:
        raise ValidationError(f"Onbekend leverformaat '{fmt}'; kies xml of csv.")
    row = AggregateDelivery(period_label=period_label, start_date=start, end_date=end, format=fmt,
                            format_version=version, file_name=file_name, checksum=checksum, exported_by=by,
                            exported_at=now or dt.datetime.now())  # fmt: skip
    session.add(row)
    session.flush()
    audit(session, "DUO-levering", f"{period_label}: {fmt} {version} {file_name}".strip(), by=by)
    return row


def aggregate_deliveries(session: Session) -> list[AggregateDelivery]:
    """The delivery log, newest first."""
    q = select(AggregateDelivery).order_by(col(AggregateDelivery.exported_at).desc(), col(AggregateDelivery.id).desc())
    return list(session.exec(q).all())
