"""Matching and storing pupils, groups and memberships for the pupil imports (EDEXML, spreadsheet).

Re-import updates instead of duplicating: a pupil is matched on its key (leerlingnummer / EDEXML key);
a group on its key, else on its name (case-insensitive, compared in Python so that the same happens on
SQLite and PostgreSQL).

An import never changes another child (issue 10, docs/imports.md "Wat wordt geweigerd"): a row whose key
is new but whose BSN or onderwijsnummer belongs to a pupil already in the database, or a row whose number
belongs to a pupil with another key, is an error naming both pupils; it never updates that other pupil.
Every change to an existing pupil is listed (old → new) in ``ImportResult.changes`` and the audit trail.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlmodel import Session, col, or_, select

from verzuimdesk.imports.common import ImportResult, normalise_header, set_if_changed
from verzuimdesk.model import dutch
from verzuimdesk.model.errors import ValidationError
from verzuimdesk.model.school.names import display_name
from verzuimdesk.model.school.records import place_in_group, save_group, save_pupil
from verzuimdesk.model.tables import Group, GroupMembership, Pupil, Vestiging


class Index:
    """Pupils, groups and vestigingen of the database, loaded once and kept up to date by the import."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.pupils_by_key: dict[str, Pupil] = {}
        self.pupils_by_bsn: dict[str, Pupil] = {}
        self.pupils_by_onderwijsnummer: dict[str, Pupil] = {}
        for p in session.exec(select(Pupil)).all():
            self._remember(p)
        self.groups_by_key: dict[str, Group] = {}
        self.groups_by_name: dict[str, Group] = {}
        for g in session.exec(select(Group)).all():
            self.remember_group(g)
        self.last_was_new = False  # whether the last upsert_pupil created the pupil
        self.vestigingen: dict[str, Vestiging] = {}
        for v in session.exec(select(Vestiging)).all():
            self.vestigingen[normalise_header(v.key)] = v
            self.vestigingen.setdefault(normalise_header(v.name), v)

    def _remember(self, p: Pupil) -> None:
        self.pupils_by_key[p.key] = p
        if p.bsn:
            self.pupils_by_bsn[p.bsn] = p
        if p.onderwijsnummer:
            self.pupils_by_onderwijsnummer[p.onderwijsnummer] = p

    def remember_group(self, g: Group) -> None:
        self.groups_by_key[g.key.lower()] = g
        self.groups_by_name.setdefault(normalise_header(g.name), g)

    def find_pupil(self, key: str, bsn: str) -> Pupil | None:
        found = self.pupils_by_key.get(key) if key else None
        return found or (self.pupils_by_bsn.get(bsn) if bsn else None)

    def find_group(self, key_or_name: str) -> Group | None:
        value = key_or_name.strip()
        return self.groups_by_key.get(value.lower()) or self.groups_by_name.get(normalise_header(value))

    def find_vestiging(self, key_or_name: str) -> Vestiging | None:
        return self.vestigingen.get(normalise_header(key_or_name))

    # ------------------------------------------------------------------------------------ writing
    def upsert_pupil(self, key: str, values: dict[str, Any], result: ImportResult, label: str) -> Pupil | str:
        """Create or update the pupil with ``key``; a Dutch problem when the file's BSN or onderwijsnummer
        belongs to another pupil, or the values are refused."""
        pupil = self.pupils_by_key.get(key)
        self.last_was_new = pupil is None
        clash = self._number_clash(key, pupil, values, label)
        if clash:
            return clash
        try:
            if pupil is None:
                pupil = save_pupil(self.session, Pupil(key=key, **values))
                result.count("leerlingen", "created")
            else:
                old_numbers = (pupil.bsn, pupil.onderwijsnummer)
                change = describe_changes(pupil, values, self.vestiging_names())
                if not set_if_changed(pupil, values):
                    result.count("leerlingen", "unchanged")
                    return pupil
                save_pupil(self.session, pupil)
                result.count("leerlingen", "updated")
                result.changes.append(f"Leerling {key} ({display_name(pupil)}): {change}")
                if old_numbers[0] and old_numbers[0] != pupil.bsn:
                    self.pupils_by_bsn.pop(old_numbers[0], None)
                if old_numbers[1] and old_numbers[1] != pupil.onderwijsnummer:
                    self.pupils_by_onderwijsnummer.pop(old_numbers[1], None)
        except ValidationError as exc:
            if pupil is not None and pupil.id is not None:
                self.session.expire(pupil)  # drop the refused changes; the import fails as a whole anyway
            return f"{label}: {_lower_first(str(exc), key)}"
        self._remember(pupil)
        return pupil

    def _number_clash(self, key: str, pupil: Pupil | None, values: dict[str, Any], label: str) -> str | None:
        """The Dutch problem when the BSN or onderwijsnummer in ``values`` belongs to another pupil."""
        for attr, index, what in (("bsn", self.pupils_by_bsn, "het BSN"),
                                  ("onderwijsnummer", self.pupils_by_onderwijsnummer, "het onderwijsnummer")):
            number = str(values.get(attr) or "")
            other = index.get(number) if number else None
            if other is None or other is pupil:
                continue
            name = _file_name(values)
            this = f"{'deze leerling' if label.startswith('Leerling ') else f'leerling {key}'}{f' ({name})' if name else ''}"
            if pupil is None:
                return (f"{label}: {this} is nieuw, maar {what} {number} hoort al bij leerling {other.key} "
                        f"({display_name(other)}). Een import wijzigt nooit een andere leerling: controleer het "
                        f"leerlingnummer en {what}.")
            return (f"{label}: {what} {number} bij {this} hoort al bij leerling {other.key} "
                    f"({display_name(other)}). Controleer {what} van beide leerlingen.")
        return None

    def vestiging_names(self) -> dict[int | None, str]:
        return {v.id: v.name for v in self.vestigingen.values()}

    def upsert_group(self, key: str, values: dict[str, Any], result: ImportResult, label: str) -> Group | str:
        group = self.groups_by_key.get(key.lower()) if key else None
        if group is None:
            group = self.find_group(str(values.get("name", "")))
        problem = composite_change_problem(self.session, group, values)
        if problem:
            return f"{label}: {problem}"
        try:
            if group is None:
                group = save_group(self.session, Group(key=key, **values))
                result.count("groepen", "created")
            elif set_if_changed(group, values):
                save_group(self.session, group)
                result.count("groepen", "updated")
            else:
                result.count("groepen", "unchanged")
        except ValidationError as exc:
            if group is not None and group.id is not None:
                self.session.expire(group)
            return f"{label}: {_lower_first(str(exc), key)}"
        self.remember_group(group)
        return group

    def upsert_vestiging(self, key: str, name: str, result: ImportResult) -> Vestiging:
        v = self.session.exec(select(Vestiging).where(Vestiging.key == key)).first() or self.find_vestiging(name)
        if v is None:
            v = Vestiging(key=key, name=name or key)
            result.count("vestigingen", "created")
        elif name and v.name != name:
            v.name = name
            result.count("vestigingen", "updated")
        else:
            result.count("vestigingen", "unchanged")
        self.session.add(v)
        self.session.flush()
        self.vestigingen[normalise_header(v.key)] = v
        self.vestigingen.setdefault(normalise_header(v.name), v)
        return v


PUPIL_FIELD_LABELS = {
    "achternaam": "achternaam", "voorvoegsel": "voorvoegsel", "voornamen": "voornamen", "roepnaam": "roepnaam",
    "birth_date": "geboortedatum", "gender": "geslacht", "bsn": "BSN", "onderwijsnummer": "onderwijsnummer",
    "bsn_last4": "laatste vier cijfers BSN", "woongemeente": "woongemeente", "address": "adres",
    "postcode": "postcode", "city": "woonplaats", "enrolled_on": "datum van inschrijving",
    "left_on": "datum van uitschrijving", "vestiging_id": "vestiging", "notes": "opmerking",
}  # fmt: skip


def _file_name(values: dict[str, Any]) -> str:
    first = values.get("roepnaam") or str(values.get("voornamen") or "").split(" ")[0]
    return " ".join(str(p) for p in (first, values.get("voorvoegsel"), values.get("achternaam")) if p)


def _shown_value(attr: str, value: Any, vestigingen: dict[int | None, str]) -> str:
    if value is None or value == "":
        return "(leeg)"
    if isinstance(value, dt.date):
        return f"{dutch.date_short(value)}"
    if attr in ("bsn", "onderwijsnummer"):
        return f"…{str(value)[-4:]}"  # the audit trail keeps no more of a citizen number than needed
    if attr == "vestiging_id":
        return f"'{vestigingen.get(value, value)}'"
    return f"'{value}'"


def describe_changes(pupil: Pupil, values: dict[str, Any], vestigingen: dict[int | None, str]) -> str:
    """"roepnaam 'Piet' → 'Pieter'; geboortedatum 01-03-2016 → 02-03-2016" for the values that differ."""
    parts = [
        f"{PUPIL_FIELD_LABELS.get(attr, attr)} {_shown_value(attr, getattr(pupil, attr), vestigingen)} → "
        f"{_shown_value(attr, value, vestigingen)}"
        for attr, value in values.items() if getattr(pupil, attr) != value
    ]  # fmt: skip
    return "; ".join(parts)


def composite_change_problem(session: Session, group: Group | None, values: dict[str, Any]) -> str | None:
    """A stamgroep with pupils does not become a samengestelde groep, nor the other way round: the
    memberships (and the timetable the figures of past days were computed from) would change meaning."""
    if group is None or group.id is None or "composite" not in values or bool(values["composite"]) == group.composite:
        return None
    with session.no_autoflush:
        members = session.exec(select(GroupMembership).where(GroupMembership.group_id == group.id)).all()
    if not members:
        return None
    if values["composite"]:
        return (f"de groep '{group.name}' is een stamgroep met {dutch.plural(len(members), 'plaatsing', 'plaatsingen')} en kan geen "
                "samengestelde groep worden. Geef de samengestelde groep een eigen sleutel.")
    return (f"de groep '{group.name}' is een samengestelde groep met {dutch.plural(len(members), 'plaatsing', 'plaatsingen')} en kan geen "
            "stamgroep worden. Geef de stamgroep een eigen sleutel.")


def _lower_first(message: str, key: str) -> str:
    """Drop a repeated "Leerling 123: " prefix from a model message and lower its first letter."""
    for prefix in (f"Leerling {key}: ", f"leerling {key}: "):
        message = message.removeprefix(prefix)
    return message[:1].lower() + message[1:] if message[:2] != message[:2].upper() else message


def membership_start(default: dt.date, pupil: Pupil) -> dt.date | None:
    """From the start of the current school year, or the enrolment date if later; None when the pupil
    left before that (a former pupil is not placed in a current group)."""
    start = max(default, pupil.enrolled_on) if pupil.enrolled_on else default
    if pupil.left_on is not None and pupil.left_on < start:
        return None
    return start


def place(session: Session, pupil: Pupil, group: Group, start: dt.date, result: ImportResult, *,
          new_pupil: bool = False, change_from: dt.date | None = None) -> None:
    """Put the pupil in ``group`` from ``start`` unless it is already there (counts a membership).

    An existing pupil who changes group changes from ``change_from`` (today, or the date the user gave),
    not from ``start``: the group of past days stays (issue 10, "never rewrite history"); the change is
    listed with the pupil's other changes."""
    assert pupil.id is not None and group.id is not None
    if new_pupil:  # no history to end: a plain insert, flushed with the next query
        session.add(GroupMembership(pupil_id=pupil.id, group_id=group.id, date_from=start))
        result.count("lidmaatschappen", "created")
        return
    current = session.exec(
        select(GroupMembership).where(
            GroupMembership.pupil_id == pupil.id, GroupMembership.group_id == group.id,
            GroupMembership.date_from <= start,
            or_(col(GroupMembership.date_to).is_(None), col(GroupMembership.date_to) >= start),
        )
    ).first()  # fmt: skip
    if current is not None and current.date_to is None:
        result.count("lidmaatschappen", "unchanged")
        return
    if change_from is not None and change_from > start:
        start = change_from
        if not group.composite:
            before = _stamgroep_on(session, pupil.id, start - dt.timedelta(days=1))
            if before is not None and before.id != group.id:
                result.changes.append(f"Leerling {pupil.key} ({display_name(pupil)}): groep '{before.name}' → "
                                      f"'{group.name}' vanaf {dutch.date_short(start)}")
    place_in_group(session, pupil.id, group.id, start)
    result.count("lidmaatschappen", "created" if current is None else "updated")


def _stamgroep_on(session: Session, pupil_id: int, day: dt.date) -> Group | None:
    return session.exec(
        select(Group).join(GroupMembership, col(GroupMembership.group_id) == col(Group.id)).where(
            GroupMembership.pupil_id == pupil_id, Group.composite == False,  # noqa: E712
            GroupMembership.date_from <= day,
            or_(col(GroupMembership.date_to).is_(None), col(GroupMembership.date_to) >= day),
        )
    ).first()  # fmt: skip


def end_composite_memberships(session: Session, pupil: Pupil, keep: set[int], start: dt.date) -> int:
    """End the pupil's samengestelde-groep memberships that the file no longer lists; returns how many."""
    rows = session.exec(
        select(GroupMembership).join(Group, col(Group.id) == col(GroupMembership.group_id)).where(
            GroupMembership.pupil_id == pupil.id, Group.composite == True,  # noqa: E712
            col(GroupMembership.date_to).is_(None),
        )
    ).all()  # fmt: skip
    ended = 0
    for m in rows:
        if m.group_id in keep:
            continue
        if m.date_from >= start:
            session.delete(m)
        else:
            m.date_to = start - dt.timedelta(days=1)
            session.add(m)
        ended += 1
    session.flush()
    return ended
