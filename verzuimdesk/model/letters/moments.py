"""From a moment to a letter: what a letter answers (a signal — ladder step, zorgelijk verzuim, care —, a
melding or a conversation) and which template fits it. The merge itself is in :mod:`compose`.

Choice (issue 13 leaves it to the school; docs/letters.md): **mandatory signals** (V3, V4, LRV, L) get no
letter of their own: the parents are told once the melding is made, with the melding letter (the school
informs about what it did, it does not announce a duty it has not done yet).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlmodel import Session, col, select

from verzuimdesk.model import dutch
from verzuimdesk.model.errors import ValidationError
from verzuimdesk.model.law.signals.policy import LatenessPolicy, get_lateness_policy
from verzuimdesk.model.law.signals.texts import MELDING_SIGNALS, Signal
from verzuimdesk.model.letters.defaults import DEFAULT_BY_KEY, DEFAULTS, LADDER_KEYS
from verzuimdesk.model.letters.fields import LADDER, MELDING, SIGNAL_MOMENTS, TALK_HELD, TALK_PLANNED
from verzuimdesk.model.tables import Pupil
from verzuimdesk.model.tables.law import ContactMoment, Melding, SignalHandling


@dataclass
class Moment:
    """What a letter answers: a signal (ladder step, zorgelijk verzuim, care), a melding or a conversation."""

    kind: str  # a moment of fields.py: te_laat_ladder, zorgelijk, zorg, melding, gesprek, gesprek_gepland
    pupil_id: int
    signal: Signal | None = None
    melding_id: int | None = None
    contact_id: int | None = None
    label: str = ""  # what a user reads for a melding or a conversation (no internal number)

    def describe(self) -> str:
        if self.signal is not None:
            return self.signal.title
        if self.label:
            return self.label
        return "melding" if self.melding_id is not None else \
            ("gepland gesprek" if self.kind == TALK_PLANNED else "gesprek")


# ------------------------------------------------------------------------------------------- moments


def pupil_or_error(session: Session, pupil_id: int) -> Pupil:
    pupil = session.get(Pupil, pupil_id)
    if pupil is None:
        raise ValidationError("Deze leerling bestaat niet (meer).")
    return pupil


def signal_moment(session: Session, signal: Signal) -> Moment:
    """The moment of a signal. A signal that stands for a melding (a duty, or the optional V4) has a letter only
    once its melding is made: the letter tells what was reported."""
    if signal.kind in MELDING_SIGNALS:
        handled = session.exec(select(SignalHandling).where(
            SignalHandling.pupil_id == signal.pupil_id, SignalHandling.kind == signal.kind,
            SignalHandling.begin_date == signal.begin, col(SignalHandling.melding_id).is_not(None),
        ).order_by(col(SignalHandling.id).desc())).first()  # fmt: skip
        if handled is None or handled.melding_id is None:
            raise ValidationError("Dit verzuim moet eerst gemeld worden. Maak de melding; daarna maakt u de brief "
                                  "waarmee de ouders horen dat de school het verzuim heeft gemeld.")  # fmt: skip
        return Moment(MELDING, signal.pupil_id, melding_id=handled.melding_id)
    if signal.kind not in SIGNAL_MOMENTS:
        raise ValidationError(f"Bij een signaal van de soort '{signal.kind}' hoort geen brief.")
    return Moment(signal.kind, signal.pupil_id, signal=signal)


def melding_moment(session: Session, melding_id: int) -> Moment:
    melding = session.get(Melding, melding_id)
    if melding is None:
        raise ValidationError("Deze melding bestaat niet (meer).")
    span = dutch.span_short(melding.begin_date, melding.end_date) if melding.end_date is not None else \
        f"vanaf {dutch.date_short(melding.begin_date)}"
    label = f"melding {melding.kind} ({span}), gemaakt op {dutch.date_short(melding.created_at.date())}"
    return Moment(MELDING, melding.pupil_id, melding_id=melding_id, label=label)


def contact_moment(session: Session, contact_id: int) -> Moment:
    contact = session.get(ContactMoment, contact_id)
    if contact is None:
        raise ValidationError("Dit contactmoment bestaat niet (meer).")
    who = f" met {contact.with_whom}" if contact.with_whom.strip() else ""
    label = (f"gepland gesprek op {dutch.date_long(contact.date, weekday=True)}{who}" if contact.planned
             else f"gesprek van {dutch.date_long(contact.date, weekday=True)}{who}")
    return Moment(TALK_PLANNED if contact.planned else TALK_HELD, contact.pupil_id, contact_id=contact_id,
                  label=label)


def ladder_times(signal: Signal) -> int:
    """How many times late the ladder step of ``signal`` stands for."""
    count = getattr(getattr(signal, "_finding", None), "count", None)
    if count:
        return int(count)
    match = re.search(r"(\d+) keer te laat", signal.title)
    if match is None:
        raise ValidationError("Bij dit signaal is niet bekend welke stap van de ladder is bereikt.")
    return int(match.group(1))


def ladder_step(policy: LatenessPolicy, times: int) -> int:
    """The 1-based step of the school's ladder at ``times`` times late (the highest step reached)."""
    reached = [i for i, step in enumerate(policy.ladder, start=1) if step.times <= times]
    if not reached:
        raise ValidationError(f"{times} keer te laat is nog geen stap van de ladder voor te laat komen.")
    return reached[-1]


def fitting_templates(session: Session, moment: Moment) -> list[str]:
    """The template keys that fit ``moment``, the usual one first."""
    if moment.kind == LADDER:
        assert moment.signal is not None
        step = ladder_step(get_lateness_policy(session), ladder_times(moment.signal))
        # A ladder longer than the four default steps uses the letter of the last step for its later steps.
        return [LADDER_KEYS[min(step, len(LADDER_KEYS)) - 1]]
    if moment.kind == TALK_HELD:
        contact = session.get(ContactMoment, moment.contact_id)
        keys = ["verslag_gesprek"]
        if contact is not None and contact.agreements.strip():
            keys.append("herinnering_afspraken")
        return keys
    return [t.key for t in DEFAULTS if t.moment == moment.kind]


def moment_for_pupil(session: Session, key: str, pupil_id: int, on: dt.date, *, melding_id: int | None = None,
                     contact_id: int | None = None) -> Moment:  # fmt: skip
    """The moment a letter of template ``key`` for this pupil answers when only the pupil is given (the command
    line, the dossier): the given melding or conversation, otherwise the latest fitting one (an open signal
    before a handled one)."""
    from verzuimdesk.model.law.signals.inbox import compute_signals

    pupil_or_error(session, pupil_id)
    default = DEFAULT_BY_KEY.get(key)
    if default is None:
        raise ValidationError(f"Onbekend briefsjabloon '{key}'. Kies uit: {', '.join(DEFAULT_BY_KEY)}.")
    kind = default.moment
    if kind == MELDING:
        if melding_id is None:
            melding = session.exec(select(Melding).where(Melding.pupil_id == pupil_id)
                                   .order_by(col(Melding.created_at).desc(), col(Melding.id).desc())).first()  # fmt: skip
            if melding is None:
                raise ValidationError("Voor deze leerling is geen melding gemaakt; er is geen brief over een melding "
                                      "te maken.")  # fmt: skip
            melding_id = melding.id
        moment = melding_moment(session, melding_id or 0)
    elif kind in (TALK_HELD, TALK_PLANNED):
        if contact_id is None:
            q = select(ContactMoment).where(ContactMoment.pupil_id == pupil_id,
                                            col(ContactMoment.planned).is_(kind == TALK_PLANNED))  # fmt: skip
            q = q.order_by(col(ContactMoment.date)) if kind == TALK_PLANNED else \
                q.order_by(col(ContactMoment.date).desc(), col(ContactMoment.id).desc())
            found = session.exec(q).first()
            if found is None:
                what = "gepland gesprek" if kind == TALK_PLANNED else "gehouden gesprek"
                raise ValidationError(f"Voor deze leerling staat geen {what} in het dossier.")
            contact_id = found.id
        moment = contact_moment(session, contact_id or 0)
    else:
        signals = [s for s in compute_signals(session, on, [pupil_id], include_handled=True) if s.kind == kind]
        open_first = sorted(signals, key=lambda s: (s.previous_action != "", -s.end.toordinal()))
        candidates = [Moment(kind, pupil_id, signal=s) for s in open_first]
        candidates = [m for m in candidates if key in fitting_templates(session, m)]
        if not candidates:
            raise ValidationError(f"Deze leerling heeft dit schooljaar geen signaal waar de brief '{default.title}' "
                                  "bij hoort.")  # fmt: skip
        moment = candidates[0]
    if moment.kind != kind:
        raise ValidationError(f"De brief '{default.title}' past niet bij dit gesprek; kies een brief uit: "
                              + ", ".join(DEFAULT_BY_KEY[k].title for k in fitting_templates(session, moment)) + ".")
    return moment
