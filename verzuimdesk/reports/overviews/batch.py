"""Per-pupil overviews for a group or the whole school, as one PDF or one file per pupil (issue 4 part 4).

:func:`run_batch` is a generator that yields a :class:`BatchProgress` after each pupil, so that the GUI
runs it in a worker thread with a progress bar and a cancel button. It opens its own database session
(sessions are not shared between threads). Memory stays flat: each overview is rendered on its own and
written to disk straight away (one PDF: appended object by object, :mod:`verzuimdesk.reports.pdf_merge`).
A file is written under a temporary name and renamed when complete, so a cancelled or failed run leaves
no half file behind.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session, select

from verzuimdesk.model.db import Database
from verzuimdesk.model.school.names import sort_name
from verzuimdesk.model.tables import Pupil
from verzuimdesk.reports.data import Period
from verzuimdesk.reports.overviews.pupil import pupil_overview_pdf
from verzuimdesk.reports.pdf_merge import StreamingPdfWriter
from verzuimdesk.reports.source import ReportSource, group_members

PART = ".deel"  # suffix of a file being written


@dataclass(frozen=True)
class BatchProgress:
    done: int
    total: int
    current: str = ""  # the pupil just finished
    finished: bool = False
    paths: tuple[Path, ...] = ()  # the files written (when finished)


@dataclass(frozen=True)
class BatchPupil:
    pupil_id: int
    name: str  # sort name
    key: str
    group: str


def batch_pupils(session: Session, source: ReportSource, group_id: int | None) -> list[BatchPupil]:
    """The pupils with scheduled time in the period (of the group, or of the school), by group and name."""
    period = source.period
    ids = group_members(session, [group_id], period.start, period.end) if group_id is not None else source.engine.pupil_ids
    pupils = {p.id: p for p in session.exec(select(Pupil)).all()}
    out = []
    for pid in ids:
        if not source.engine.pupil_period(pid).scheduled:
            continue
        gid = source.group_of_range(pid, period.start, period.end)
        group = source.schedule.groups[gid].name if gid in source.schedule.groups else ""
        out.append(BatchPupil(pid, sort_name(pupils[pid]), pupils[pid].key, group))
    out.sort(key=lambda b: (b.group, b.name.lower()))
    return out


def safe_name(text: str) -> str:
    return re.sub(r'[\\/:*?"<>|]+', "-", text).strip(" .") or "leerling"


def run_batch(
    db: Database,
    period: Period,
    target: str | Path,
    *,
    group_id: int | None = None,
    one_file: bool = True,
    include_sickness_details: bool = False,
    today: dt.date | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Iterator[BatchProgress]:
    """Write the overviews; ``target`` is the PDF file (``one_file``) or the folder for one file per pupil.

    Stops early when ``cancelled()`` turns true or the consumer closes the generator; then the file being
    written is removed (finished per-pupil files stay)."""
    today = today or dt.date.today()
    period = period.clipped(today)
    target = Path(target)
    with db.session() as session:
        pupil_ids = group_members(session, [group_id], period.start, period.end) if group_id is not None else None
        source = ReportSource(session, period, pupil_ids)
        source.prefetch_open_signals(period.end)
        pupils = batch_pupils(session, source, group_id)
        total = len(pupils)
        yield BatchProgress(0, total)
        partial: Path | None = None
        written: list[Path] = []
        try:
            if one_file:
                partial = target.with_name(target.name + PART)
                with open(partial, "wb") as fh:
                    writer = StreamingPdfWriter(fh)
                    for done, p in enumerate(pupils, start=1):
                        if cancelled is not None and cancelled():
                            return
                        writer.append(_render(session, p, period, source, include_sickness_details, today))
                        yield BatchProgress(done, total, p.name)
                    writer.close()
                os.replace(partial, target)
                partial = None
                written.append(target)
            else:
                target.mkdir(parents=True, exist_ok=True)
                for done, p in enumerate(pupils, start=1):
                    if cancelled is not None and cancelled():
                        return
                    path = target / safe_name(f"{p.group} - {p.name} ({p.key}).pdf")
                    partial = path.with_name(path.name + PART)
                    partial.write_bytes(_render(session, p, period, source, include_sickness_details, today))
                    os.replace(partial, path)
                    partial = None
                    written.append(path)
                    yield BatchProgress(done, total, p.name)
            yield BatchProgress(total, total, finished=True, paths=tuple(written))
        finally:
            if partial is not None and partial.exists():
                partial.unlink()


def _render(session: Session, p: BatchPupil, period: Period, source: ReportSource, sickness: bool,
            today: dt.date) -> bytes:
    return pupil_overview_pdf(session, p.pupil_id, period, include_sickness_details=sickness, today=today,
                              source=source)  # fmt: skip
