"""Stored data of the outputs for DUO and the schoolgids (schema 0003): what was exported when, and the
versions of the verzuimbeleid text with the MR's consent."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime
from sqlmodel import Field, SQLModel


class MeldingExport(SQLModel, table=True):
    """One export of a melding (structured file, printable form or web-form text), recorded with it."""

    id: int | None = Field(default=None, primary_key=True)
    melding_id: int = Field(foreign_key="melding.id", index=True, ondelete="CASCADE")
    format: str  # "xml" | "pdf" | "tekst"
    format_version: str = ""
    file_name: str = ""
    checksum: str = ""  # SHA-256 of the bytes written
    exported_by: str
    exported_at: dt.datetime = Field(sa_type=DateTime)


class AggregateDelivery(SQLModel, table=True):
    """The delivery log of the periodic aggregated absence file for DUO (domain.md §8; provisional)."""

    id: int | None = Field(default=None, primary_key=True)
    period_label: str  # e.g. "2025-2026 kwartaal 1"
    start_date: dt.date
    end_date: dt.date
    format: str  # "xml" | "csv"
    format_version: str
    file_name: str = ""
    checksum: str = ""
    exported_by: str
    exported_at: dt.datetime = Field(sa_type=DateTime)


class PolicyVersion(SQLModel, table=True):
    """A version of the verzuimbeleid chapter of the schoolgids (domain.md §9).

    ``sections_json`` holds the (possibly edited) sections; ``settings_fingerprint`` the school settings the
    generated text was based on, so the program can warn when the rules changed since the MR consented."""

    id: int | None = Field(default=None, primary_key=True)
    title: str = "Verzuimbeleid"
    school_year: str = ""
    sections_json: str = "[]"
    settings_fingerprint: str = ""
    mr_consent_date: dt.date | None = None
    note: str = ""
    created_by: str = ""
    created_at: dt.datetime = Field(sa_type=DateTime)
