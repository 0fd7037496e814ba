"""The automatic backups of the program (issue 10 §7), behind the GUI's start and exit."""

from __future__ import annotations

import logging
from pathlib import Path

from verzuimdesk.model.backups import KEEP_KEY, daily_backup_due, keep_count, make_backup
from verzuimdesk.model.db import Database, sqlite_path
from verzuimdesk.model.errors import VerzuimdeskError
from verzuimdesk.model.store import get_setting

log = logging.getLogger(__name__)


def automatic_backup(db: Database, kind: str) -> Path | None:
    """"dagelijks" at the first start of a day, "afsluiten" on exit; rotated to the setting's number.

    None for PostgreSQL, or when today's daily backup exists already. A failure is logged, not raised:
    the school's work goes on, and the Reservekopieën screen shows which backups there are."""
    db_file = sqlite_path(db.url)
    if db_file is None or (kind == "dagelijks" and not daily_backup_due(db_file)):
        return None
    try:
        with db.session() as s:
            keep = keep_count(get_setting(s, KEEP_KEY, ""))
        return make_backup(db_file, kind, keep=keep)
    except VerzuimdeskError as exc:
        log.warning("Automatische reservekopie (%s) mislukt: %s", kind, exc)
        return None
