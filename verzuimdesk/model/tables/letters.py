"""Stored data of the letters to parents (schema 0007): the school's own versions of the letter templates and
the record of every letter made (issue 13). Glossary of Dutch terms: ``docs/glossary.md``."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, UniqueConstraint
from sqlmodel import Field, SQLModel


class LetterTemplate(SQLModel, table=True):
    """One saved version of a letter template. Versions are never overwritten: saving adds a row with the
    next ``version``; the highest version of a ``key`` is the one in use. Version 0 is the built-in default
    text, which is not stored."""

    __table_args__ = (UniqueConstraint("key", "version", name="uq_lettertemplate_key_version"),)

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(index=True)  # e.g. "te_laat_2", "uitnodiging_zorgelijk", "melding"
    version: int
    title: str
    subject: str  # the "Betreft" line, with merge fields
    body: str  # the letter text, with merge fields
    note: str = ""  # why this version was made
    created_by: str
    created_at: dt.datetime = Field(sa_type=DateTime)


class LetterRecord(SQLModel, table=True):
    """A letter made for one addressee (a parent, or parents at one address), recorded in the dossier."""

    id: int | None = Field(default=None, primary_key=True)
    pupil_id: int = Field(foreign_key="pupil.id", index=True)
    template_key: str
    template_version: int = 0
    title: str = ""
    subject: str = ""  # as rendered
    addressee: str = ""  # the names on the letter
    guardian_ids: str = ""  # "3,4": the guardians this letter is addressed to
    made_on: dt.date  # the date on the letter
    format: str = "pdf"  # "pdf" | "docx"
    file_name: str = ""
    checksum: str = ""  # SHA-256 of the file written (shared by the letters of one file)
    signal_handling_id: int | None = Field(default=None, foreign_key="signalhandling.id")
    melding_id: int | None = Field(default=None, foreign_key="melding.id")
    contact_id: int | None = Field(default=None, foreign_key="contactmoment.id")
    sent_as: str = ""  # "" (printed), "eml" or "mailto": how it was prepared for sending
    made_by: str
    made_at: dt.datetime = Field(sa_type=DateTime)
