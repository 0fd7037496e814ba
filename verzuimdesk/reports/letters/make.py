"""Making letters in one step, as the screens and the command line do: merge the template for the moment, write
the file (PDF or DOCX) and record each letter in the dossier (model/letters/record.py), in the caller's
transaction; and the week's batch of due letters as one PDF."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session

from verzuimdesk.model.errors import ValidationError
from verzuimdesk.model.law.signals.inbox import handle_signal
from verzuimdesk.model.letters.compose import Letter, prepare_letters
from verzuimdesk.model.letters.moments import Moment, fitting_templates
from verzuimdesk.model.letters.record import due_letters, record_letters
from verzuimdesk.model.school.calendar import week_monday
from verzuimdesk.model.tables.letters import LetterRecord
from verzuimdesk.reports.letters.parents import letters_docx, letters_pdf


@dataclass
class MadeLetters:
    data: bytes
    file_name: str
    letters: list[Letter]
    records: list[LetterRecord]


def file_name_for(letters: list[Letter], fmt: str) -> str:
    first = letters[0]
    safe = "".join(c if c.isalnum() or c in " -_" else "_" for c in f"{first.template.title} {first.pupil_name}")
    return f"{' '.join(safe.split())} {first.date.isoformat()}.{fmt}"


def write(session: Session, letters: list[Letter], fmt: str) -> bytes:
    if fmt == "pdf":
        return letters_pdf(session, letters)
    if fmt == "docx":
        return letters_docx(session, letters)
    raise ValidationError(f"Onbekend bestandsformaat '{fmt}'; kies pdf of docx.")


def make_letters(session: Session, moment: Moment, *, key: str | None = None, fmt: str = "pdf",
                 on: dt.date | None = None, by: str | None = None, extra: dict[str, str] | None = None,
                 record: bool = True, now: dt.datetime | None = None) -> MadeLetters:  # fmt: skip
    """The letter(s) of template ``key`` (default: the fitting one) for ``moment``, one per addressee, in one
    file; recorded in the dossier unless ``record`` is False (a preview)."""
    key = key or fitting_templates(session, moment)[0]
    letters = prepare_letters(session, key, moment, on or dt.date.today(), extra=extra)
    data = write(session, letters, fmt)
    name = file_name_for(letters, fmt)
    records = record_letters(session, letters, fmt=fmt, data=data, file_name=name, by=by, now=now) if record else []
    return MadeLetters(data, name, letters, records)


def make_week_batch(session: Session, week_of: dt.date, *, on: dt.date | None = None, by: str | None = None,
                    now: dt.datetime | None = None) -> MadeLetters:  # fmt: skip
    """Every letter due in the week of ``week_of`` in one PDF, each recorded (record.due_letters); a signal that
    shares its letter with another of the same pupil is marked handled with that letter too."""
    due = due_letters(session, week_of)
    if not due:
        raise ValidationError(f"In de week van {week_monday(week_of):%d-%m-%Y} zijn geen brieven te maken.")
    per_group = [(ms, prepare_letters(session, key, ms[0], on or dt.date.today())) for key, ms in due]
    letters = [letter for _ms, group in per_group for letter in group]
    data = letters_pdf(session, letters)
    name = f"Brieven week van {week_monday(week_of).isoformat()}.pdf"
    records: list[LetterRecord] = []
    for ms, group in per_group:
        records += record_letters(session, group, fmt="pdf", data=data, file_name=name, by=by, now=now)
        for other in ms[1:]:
            assert other.signal is not None
            handle_signal(session, other.signal, "brief", f"{group[0].template.title} gemaakt, samen met: "
                          f"{ms[0].describe()}", by=by, now=now)  # fmt: skip
    return MadeLetters(data, name, letters, records)
