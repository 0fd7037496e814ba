"""audit trail: old → new, reason, pupil, hash chain; append-only

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30

Existing lines get a hash chain in id order (they were written before the chain existed; from here on
nothing can be changed unseen). Triggers then refuse UPDATE and DELETE on the table.
"""

import datetime as dt
import hashlib
import json

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

GENESIS = "0" * 64
REFUSAL = "Het logboek kan alleen worden aangevuld, niet gewijzigd of gewist."


def _line_hash(prev_hash, at, by, action, detail, pupil_id, old_value, new_value, reason):  # type: ignore[no-untyped-def]
    """A copy of verzuimdesk.model.audit.line_hash at the time of this migration."""
    if isinstance(at, str):
        at = dt.datetime.fromisoformat(at)
    payload = json.dumps(
        [prev_hash, at.isoformat(timespec="microseconds"), by, action, detail, pupil_id, old_value, new_value,
         reason], ensure_ascii=False, separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def upgrade() -> None:
    for name in ("old_value", "new_value", "reason", "prev_hash", "hash"):
        op.add_column("auditlog", sa.Column(name, sa.String(), nullable=False, server_default=""))
    op.add_column("auditlog", sa.Column("pupil_id", sa.Integer(), nullable=True))
    op.create_index("ix_auditlog_pupil", "auditlog", ["pupil_id"])
    op.create_index("ix_auditlog_at", "auditlog", ["at"])

    conn = op.get_bind()
    prev = GENESIS
    rows = conn.execute(sa.text("SELECT id, at, by, action, detail FROM auditlog ORDER BY id")).fetchall()
    for row in rows:
        digest = _line_hash(prev, row.at, row.by, row.action, row.detail or "", None, "", "", "")
        conn.execute(sa.text("UPDATE auditlog SET prev_hash = :p, hash = :h WHERE id = :i"),
                     {"p": prev, "h": digest, "i": row.id})
        prev = digest

    if conn.dialect.name == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER auditlog_no_{verb.lower()} BEFORE {verb} ON auditlog "
                       f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END")
    elif conn.dialect.name == "postgresql":
        op.execute("CREATE FUNCTION auditlog_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
                   f"BEGIN RAISE EXCEPTION '{REFUSAL}'; END $$")
        op.execute("CREATE TRIGGER auditlog_no_change BEFORE UPDATE OR DELETE ON auditlog "
                   "FOR EACH ROW EXECUTE FUNCTION auditlog_append_only()")
        op.execute("CREATE TRIGGER auditlog_no_truncate BEFORE TRUNCATE ON auditlog "
                   "FOR EACH STATEMENT EXECUTE FUNCTION auditlog_append_only()")


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS auditlog_no_update")
        op.execute("DROP TRIGGER IF EXISTS auditlog_no_delete")
    elif conn.dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS auditlog_no_change ON auditlog")
        op.execute("DROP TRIGGER IF EXISTS auditlog_no_truncate ON auditlog")
        op.execute("DROP FUNCTION IF EXISTS auditlog_append_only()")
    op.drop_index("ix_auditlog_at", "auditlog")
    op.drop_index("ix_auditlog_pupil", "auditlog")
    with op.batch_alter_table("auditlog") as batch:
        for name in ("pupil_id", "hash", "prev_hash", "reason", "new_value", "old_value"):
            batch.drop_column(name)
