"""What the school did with a signal (SignalHandling rows): dismiss with a reason, plan a conversation, draft a
signaal zorgelijk verzuim or a melding; a handled signal returns only when its fingerprint changed (new
absence behind it), one turned into a melding never returns (inbox.py module docstring). No Qt."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, col, select

from verzuimdesk.model import dutch
from verzuimdesk.model.errors import ValidationError
from verzuimdesk.model.law.signals.texts import Signal
from verzuimdesk.model.store import current_user
from verzuimdesk.model.tables.law import ContactMoment, Melding, SignalHandling

ACTIONS = {"afgewezen": "afgewezen", "gesprek": "gesprek gepland", "signaal": "signaal zorgelijk verzuim",
           "melding": "melding gemaakt", "brief": "brief aan de ouders gemaakt"}


def apply_handling(session: Session, signals: list[Signal], ids: list[int] | None, include_handled: bool) -> list[Signal]:
    if not signals:
        return signals
    q = select(SignalHandling).order_by(col(SignalHandling.handled_at), col(SignalHandling.id))
    if ids is not None:
        q = q.where(col(SignalHandling.pupil_id).in_(ids))
    latest: dict[tuple[int, str, int | None, dt.date], SignalHandling] = {}
    melded: set[tuple[int, str, int | None, dt.date]] = set()
    for stored in session.exec(q).all():
        key = (stored.pupil_id, stored.kind, stored.rule_id, stored.begin_date)
        latest[key] = stored
        if stored.action == "melding":
            melded.add(key)
    out = []
    for s in signals:
        h = latest.get(s.key)
        if h is None:
            out.append(s)
            continue
        s.previous_action = h.action
        if s.key in melded or h.fingerprint == s.fingerprint:
            if include_handled:
                out.append(s)
            continue
        s.new_since_handling = True
        s.explanation_prefix = (f"Nieuw verzuim sinds afhandeling ({ACTIONS.get(h.action, h.action)} op "
                         f"{dutch.date_long(h.handled_at.date())} door {h.handled_by}).\n")
        out.append(s)
    return out


def handle_signal(
    session: Session,
    signal: Signal,
    action: str,
    reason: str = "",
    by: str | None = None,
    *,
    melding_id: int | None = None,
    planned_on: dt.date | None = None,
    with_whom: str = "ouders/verzorgers",
    now: dt.datetime | None = None,
) -> SignalHandling:
    """Record what the school did with ``signal``: "afgewezen" (dismiss; a reason is required), "gesprek"
    (plan a conversation: a planned ContactMoment), "signaal" (a signaal zorgelijk verzuim was drafted) or
    "melding" (a melding was drafted; ``melding_id`` links the record made by the meldingen module) or "brief"
    (a letter to the parents was made; model/letters/record.py links it)."""
    if action not in ACTIONS:
        raise ValidationError(f"Onbekende actie '{action}'; kies afwijzen, gesprek, signaal of melding.")
    reason = (reason or "").strip()
    if action == "afgewezen" and not reason:
        raise ValidationError("Geef een reden op waarom dit signaal wordt afgewezen; die reden wordt bewaard.")
    if signal.kind == "zorg" and action in ("melding", "signaal"):
        raise ValidationError("Een zorgsignaal gaat niet naar de leerplichtambtenaar: ziekte is geoorloofd "
                              "verzuim. Plan een gesprek of wijs het signaal af.")
    if action == "signaal" and signal.mandatory:
        raise ValidationError("Dit verzuim moet gemeld worden (verplichte melding); een signaal zorgelijk "
                              "verzuim is hier niet genoeg.")
    if melding_id is not None and session.get(Melding, melding_id) is None:
        raise ValidationError("De melding bij dit signaal bestaat niet (meer).")
    stamp = now or dt.datetime.now()
    who = by or current_user(session)
    if action == "gesprek":
        session.add(ContactMoment(
            pupil_id=signal.pupil_id, date=planned_on or stamp.date(), kind="gesprek", with_whom=with_whom,
            summary=f"Gesprek naar aanleiding van: {signal.title} ({dutch.date_long(signal.begin)} – "
                    f"{dutch.date_long(signal.end)})" + (f". {reason}" if reason else ""),
            planned=True, created_by=who, created_at=stamp,
        ))  # fmt: skip
    row = SignalHandling(
        pupil_id=signal.pupil_id, kind=signal.kind, rule_id=signal.rule_id, begin_date=signal.begin,
        end_date=signal.end, action=action, reason=reason, fingerprint=signal.fingerprint, melding_id=melding_id,
        handled_by=who, handled_at=stamp,
    )  # fmt: skip
    session.add(row)
    session.flush()
    return row
