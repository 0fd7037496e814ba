"""Due meldingen that were found are kept until they are closed (issue 9 point 1; art. 21a Lpw: a melding that
was due stays due until it is made).

:func:`record_duties` runs the full search of :func:`~verzuimdesk.model.law.signals.inbox.compute_signals`
(``deep=True``: every pupil's open absence counted back to the look-back of the previous school year, and further
for pupils with an open mark) and stores a :class:`DutyMark` for every melding signal (V3, V4, LRV, L, RMC) it
finds, plus the day of the search (:class:`DutyScan`). The program records once a day (the first start of the
day, after the window is shown) and when the demo school is made.

What the marks buy:

- **Never disappears.** An open mark makes the signals count that pupil's absence from before the mark, however
  old it is: a duty left unhandled for years is still in the inbox (the search alone stops at the previous school
  year, :func:`~verzuimdesk.model.law.signals.inbox.deep_bound`).
- **Speed.** After a search in the current school year, the everyday signals count older absence only for pupils
  with an open mark, instead of for every pupil with any unauthorised absence since the previous school year
  (bench/README.md). Choosing those pupils is exact: the older absence changes a pupil's signals only through a
  duty that became due before the school year's look-back, and every such duty was marked by the search. The
  test ``tests/signals/test_duty_marks.py`` compares both ways on a generated school.

A mark is open while no stored melding (not withdrawn) or handled duty (melding made, or dismissed with a reason)
ends on or after its einddatum. The marks are derived from the register, which is audited itself, and are not
in the logboek; a purge removes them with the pupil (they refer to ``pupil``).
"""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, col, select

from verzuimdesk.model.concurrency import lock_name
from verzuimdesk.model.law.signals.inbox import compute_signals
from verzuimdesk.model.law.signals.texts import MELDING_SIGNALS
from verzuimdesk.model.tables.law import DutyMark, DutyScan


def record_duties(session: Session, on: dt.date) -> int:
    """Search every pupil for due meldingen on ``on`` and keep the new ones; returns how many were new. Two PCs
    starting at the same moment take turns (the lock): the second finds the first one's marks (issue 14)."""
    lock_name(session, "dutymarks")
    known = {(pid, kind, begin) for pid, kind, begin in session.exec(
        select(col(DutyMark.pupil_id), col(DutyMark.kind), col(DutyMark.begin_date))).all()}  # fmt: skip
    new = 0
    for signal in compute_signals(session, on, deep=True):
        if signal.kind in MELDING_SIGNALS and (signal.pupil_id, signal.kind, signal.begin) not in known:
            session.add(DutyMark(pupil_id=signal.pupil_id, kind=signal.kind, begin_date=signal.begin,
                                 end_date=signal.until or signal.end, recorded_on=on))
            known.add((signal.pupil_id, signal.kind, signal.begin))
            new += 1
    scan = session.get(DutyScan, 1)
    if scan is None:
        session.add(DutyScan(id=1, scanned_on=on))
    elif on > scan.scanned_on:
        scan.scanned_on = on
    session.flush()
    return new


def searched_on(session: Session) -> dt.date | None:
    """The day of the latest full search (None: never)."""
    scan = session.get(DutyScan, 1)
    return scan.scanned_on if scan is not None else None
