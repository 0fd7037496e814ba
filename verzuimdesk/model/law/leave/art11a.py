"""Art. 11a Lpw: a leerplichtig child of five may stay home up to five hours a week (domain.md §4.5).

Lid 1: up to 5 hours a week, when the parents have told the head ("melding"). Lid 2: the head may allow
up to 5 hours more a week ("toestemming"), so at most 10 hours a week in all. The school registers this
with a reason of its own (``Reason.art11a``: "melding" or "toestemming"), authorised absence without an
art. 11 ground. :func:`art11a_findings` checks the register against the article, week by week.

Choices (also in ``docs/law.md``):
- The hours are the minutes of the pupil's own scheduled lessons covered by such a reason, per calendar week
  (Monday–Sunday), the week of the Lpw's "per week".
- Minutes on notice above 5 hours in a week are a finding even if the consent reason has room left: the
  head's consent must be recorded as such (the consent reason), not assumed.
- The article applies while the child is leerplichtig and not yet six. Before leerplicht starts (art. 3)
  the Lpw does not apply and nothing is counted against the child; from the sixth birthday the reason is
  wrong and each such day is a finding.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session, select

from verzuimdesk.model import dutch
from verzuimdesk.model.law.leerplicht import add_years, leerplicht_start
from verzuimdesk.model.register.figures import FiguresEngine
from verzuimdesk.model.school.calendar import week_monday
from verzuimdesk.model.school.names import display_name
from verzuimdesk.model.tables import Pupil, Reason

WEEKLY_NOTICE_MINUTES = 5 * 60  # art. 11a lid 1 Lpw: "ten hoogste vijf uren per week"
WEEKLY_TOTAL_MINUTES = 10 * 60  # art. 11a lid 2 Lpw: the head may allow "ten hoogste vijf uren per week" more
NOTICE, CONSENT = "melding", "toestemming"


@dataclass(frozen=True)
class Art11aFinding:
    """One week (or day) in which the register does not fit art. 11a."""

    week: dt.date  # the Monday
    code: str  # "meer_dan_5_uur" | "meer_dan_10_uur" | "zes_jaar"
    message: str
    notice_minutes: int = 0
    consent_minutes: int = 0


def split_minutes(notice: int, consent: int) -> list[str]:
    """The findings of one week's minutes on notice and with consent (arithmetic only; art. 11a lid 1 and 2)."""
    out = []
    if notice > WEEKLY_NOTICE_MINUTES:
        out.append("meer_dan_5_uur")
    if notice + consent > WEEKLY_TOTAL_MINUTES:
        out.append("meer_dan_10_uur")
    return out


def _hours(minutes: int) -> str:
    return f"{dutch.hours(minutes)} uur"


def art11a_findings(session: Session, pupil_id: int, start: dt.date, end: dt.date) -> list[Art11aFinding]:
    """Weeks in ``[start, end]`` in which the pupil's art. 11a absence exceeds the article, and days on which
    it was used for a child of six or older."""
    kinds = {r.code: r.art11a for r in session.exec(select(Reason).where(Reason.art11a != "")).all()}
    pupil = session.get(Pupil, pupil_id)
    if not kinds or pupil is None:
        return []
    name = display_name(pupil)
    engine = FiguresEngine(session, start, end, [pupil_id])
    lo = leerplicht_start(pupil.birth_date) if pupil.birth_date else start
    six = add_years(pupil.birth_date, 6) if pupil.birth_date else None
    out: list[Art11aFinding] = []
    weeks: dict[dt.date, list[int]] = {}
    for day in engine.days_with_entries(pupil_id):
        if day < lo:  # art. 3 Lpw: not yet leerplichtig, the Lpw does not count this
            continue
        minutes = engine.pupil_day(pupil_id, day).by_reason
        notice = sum(m for code, m in minutes.items() if kinds.get(code) == NOTICE)
        consent = sum(m for code, m in minutes.items() if kinds.get(code) == CONSENT)
        if not notice and not consent:
            continue
        if six is not None and day >= six:
            out.append(Art11aFinding(week_monday(day), "zes_jaar",
                                     f"{name} is op {dutch.date_long(day)} al zes jaar; thuisblijven volgens art. 11a "
                                     "Leerplichtwet kan alleen tot de zesde verjaardag. Registreer de werkelijke "
                                     "reden.", notice, consent))  # fmt: skip
            continue
        week = weeks.setdefault(week_monday(day), [0, 0])
        week[0] += notice
        week[1] += consent
    for monday, (notice, consent) in sorted(weeks.items()):
        for code in split_minutes(notice, consent):
            if code == "meer_dan_5_uur":
                text = (f"In de week van {dutch.date_long(monday)} is {name} {_hours(notice)} thuis gebleven op melding "
                        "van de ouders; dat mag ten hoogste 5 uur per week (art. 11a lid 1 Leerplichtwet). Meer kan "
                        "alleen met toestemming van de directeur: registreer die uren met de reden voor "
                        "toestemming.")  # fmt: skip
            else:
                text = (f"In de week van {dutch.date_long(monday)} is {name} {_hours(notice + consent)} thuis gebleven "
                        "volgens art. 11a; met toestemming van de directeur mag dat ten hoogste 10 uur per week "
                        "(art. 11a lid 2 Leerplichtwet). De rest is geen geoorloofd verzuim.")  # fmt: skip
            out.append(Art11aFinding(monday, code, text, notice, consent))
    return sorted(out, key=lambda f: (f.week, f.code))
