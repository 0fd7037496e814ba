"""Roles and permissions, as data (issue 11 point 1; AVG art. 5 sub 1f and art. 32: access on a need-to-know
basis; domain.md §11 "access only for the administrator(s)").

Choice (docs/security.md): three roles. The beheerder may do everything. The intern begeleider reads the
register of all groups (sickness reasons included: the IB'er handles care signals, MAZL), the overviews, the
dossier and the signals, and changes no settings. The leerkracht keeps the register of their own groups and
does the nabellen; no dossier, no overviews, no other groups (so no sickness reasons of other groups' pupils).
"""

from __future__ import annotations

from dataclasses import dataclass

# Permission → what it allows (Dutch, shown on the accounts screen and in the schoolgids).
PERMISSIONS: dict[str, str] = {
    "register_lezen": "het register van alle groepen inzien",
    "register_schrijven": "het register van alle groepen invullen",
    "register_eigen": "het register van de eigen groepen inzien en invullen",
    "nabellen": "nabellen en telefoongesprekken vastleggen",
    "gezondheid": "redenen van ziekte van alle leerlingen zien",
    "overzichten": "overzichten en cijfers maken",
    "dossier": "het leerlingdossier (gesprekken, aanpak) inzien en bijwerken",
    "signalen": "signalen afhandelen",
    "meldingen": "meldingen aan de leerplichtambtenaar opstellen en versturen",
    "verlof": "verlofaanvragen behandelen",
    "instellingen": "school, leerlingen, groepen, kalender, redenen en beleid inrichten",
    "gebruikers": "accounts beheren",
    "privacy": "inzage per leerling en het opschonen na de bewaartermijn",
}


@dataclass(frozen=True)
class Role:
    key: str
    label: str
    permissions: frozenset[str]


ROLES: dict[str, Role] = {
    "beheerder": Role("beheerder", "beheerder", frozenset(PERMISSIONS)),
    "ib": Role("ib", "intern begeleider", frozenset({
        "register_lezen", "gezondheid", "overzichten", "dossier", "signalen",
    })),
    "leerkracht": Role("leerkracht", "leerkracht", frozenset({"register_eigen", "nabellen"})),
}  # fmt: skip
ROLE_BY_LABEL = {r.label: r.key for r in ROLES.values()}


def role(key: str) -> Role:
    from verzuimdesk.model.errors import ValidationError

    if key not in ROLES:
        raise ValidationError(f"Onbekende rol '{key}'. Kies uit: {', '.join(r.label for r in ROLES.values())}.")
    return ROLES[key]
