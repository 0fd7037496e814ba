"""The facts the schoolgids's privacy part states, read from the program's real state (issue 11 point 6):
the roles in use, the idle lock, the retention period, whether the program encrypts the data, how parents ask
for inzage. The text itself is in :func:`verzuimdesk.model.policy.themes.privacy`.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from verzuimdesk.model.security.accounts import roles_in_use, security_setting
from verzuimdesk.model.security.encryption import session_encryption
from verzuimdesk.model.security.roles import ROLES

# Where the data are kept and who encrypts them: "geen" (a SQLite file the program does not encrypt),
# "bestand" (a SQLite file the program encrypts: SQLCipher, model/keyfile.py), "server" (a database server of the
# school board, which secures and encrypts it).
ENCRYPTION_NONE, ENCRYPTION_FILE, ENCRYPTION_SERVER = "geen", "bestand", "server"


@dataclass(frozen=True)
class PrivacyFacts:
    roles: tuple[tuple[str, int], ...]  # role key, active accounts (in the order of ROLES)
    idle_minutes: int
    max_attempts: int
    encryption: str


def privacy_facts(session: Session) -> PrivacyFacts:
    counts = roles_in_use(session)
    kind = session_encryption(session)  # the actual state of the open database, not a setting
    encryption = {"sqlcipher": ENCRYPTION_FILE, "server": ENCRYPTION_SERVER}.get(kind, ENCRYPTION_NONE)
    return PrivacyFacts(
        roles=tuple((key, counts[key]) for key in ROLES if counts.get(key)),
        idle_minutes=security_setting(session, "vergrendelen_na_minuten"),
        max_attempts=security_setting(session, "max_inlogpogingen"),
        encryption=encryption,
    )
