"""audit trail version 2: content hashed apart, so a removed pupil's lines can be erased (AVG)

Revision ID: 0014
Revises: 0010
Create Date: 2026-11-30

Until now a line's hash covered its content directly, so the content of a pupil whose data was removed after
the retention period (or on request, art. 17 AVG) could never be erased without breaking the chain. From here
each line has ``content_digest`` (SHA-256 over detail, old, new, reason) and ``hash`` covers the digest instead
of the content. This migration:

1. checks the old chain with the old formula and remembers its last hash;
2. re-chains every line with the new formula (the triggers are lifted for this step only);
3. sets new triggers: DELETE and TRUNCATE stay refused; UPDATE is allowed only as an erasure — content
   cleared, ``redacted`` set, every other field unchanged, and only for a pupil whose record is gone;
4. appends one line that records the conversion with the old chain's last hash and whether it was intact, so
   the step is itself in the trail.
"""

import datetime as dt
import hashlib
import json

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0010"
branch_labels = None
depends_on = None

GENESIS = "0" * 64
REFUSAL = "Het logboek kan alleen worden aangevuld, niet gewijzigd of gewist."
# The one change the database allows on a line: its content erased, for a pupil whose record is gone.
_ERASURE_SQLITE = (
    "OLD.redacted = 0 AND NEW.redacted = 1 AND NEW.id = OLD.id AND NEW.at = OLD.at AND NEW.\"by\" = OLD.\"by\" "
    "AND NEW.action = OLD.action AND NEW.pupil_id IS OLD.pupil_id AND NEW.prev_hash = OLD.prev_hash "
    "AND NEW.hash = OLD.hash AND NEW.content_digest = OLD.content_digest AND NEW.old_value = '' "
    "AND NEW.new_value = '' AND NEW.reason = '' AND OLD.pupil_id IS NOT NULL "
    "AND NOT EXISTS (SELECT 1 FROM pupil WHERE pupil.id = OLD.pupil_id)"
)
_ERASURE_PG = (
    "NOT OLD.redacted AND NEW.redacted AND NEW.id = OLD.id AND NEW.at = OLD.at AND NEW.\"by\" = OLD.\"by\" "
    "AND NEW.action = OLD.action AND NEW.pupil_id IS NOT DISTINCT FROM OLD.pupil_id "
    "AND NEW.prev_hash = OLD.prev_hash AND NEW.hash = OLD.hash AND NEW.content_digest = OLD.content_digest "
    "AND NEW.old_value = '' AND NEW.new_value = '' AND NEW.reason = '' AND OLD.pupil_id IS NOT NULL "
    "AND NOT EXISTS (SELECT 1 FROM pupil WHERE pupil.id = OLD.pupil_id)"
)


def _as_datetime(at):  # type: ignore[no-untyped-def]
    return dt.datetime.fromisoformat(at) if isinstance(at, str) else at


def _old_hash(prev_hash, at, by, action, detail, pupil_id, old_value, new_value, reason):  # type: ignore[no-untyped-def]
    """The formula of migration 0004 (version 1 of the trail)."""
    payload = json.dumps(
        [prev_hash, _as_datetime(at).isoformat(timespec="microseconds"), by, action, detail, pupil_id, old_value,
         new_value, reason], ensure_ascii=False, separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _digest(detail, old_value, new_value, reason):  # type: ignore[no-untyped-def]
    """A copy of verzuimdesk.model.audit.content_digest at the time of this migration."""
    payload = json.dumps([detail, old_value, new_value, reason], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _new_hash(prev_hash, at, by, action, pupil_id, digest):  # type: ignore[no-untyped-def]
    """A copy of verzuimdesk.model.audit.line_hash at the time of this migration."""
    payload = json.dumps([prev_hash, _as_datetime(at).isoformat(timespec="microseconds"), by, action, pupil_id,
                          digest], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _drop_triggers(dialect: str) -> None:
    if dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS auditlog_no_update")
    elif dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS auditlog_no_change ON auditlog")


def upgrade() -> None:
    op.add_column("auditlog", sa.Column("content_digest", sa.String(), nullable=False, server_default=""))
    op.add_column("auditlog", sa.Column("redacted", sa.Boolean(), nullable=False, server_default=sa.false()))
    conn = op.get_bind()
    dialect = conn.dialect.name
    _drop_triggers(dialect)

    rows = conn.execute(sa.text("SELECT id, at, by, action, detail, pupil_id, old_value, new_value, reason, "
                                "prev_hash, hash FROM auditlog ORDER BY id")).fetchall()
    old_prev, old_intact, prev = GENESIS, True, GENESIS
    for r in rows:
        detail, old, new, reason = r.detail or "", r.old_value or "", r.new_value or "", r.reason or ""
        if r.prev_hash != old_prev or r.hash != _old_hash(r.prev_hash, r.at, r.by, r.action, detail, r.pupil_id,
                                                          old, new, reason):
            old_intact = False
        old_prev = r.hash
        digest = _digest(detail, old, new, reason)
        line = _new_hash(prev, r.at, r.by, r.action, r.pupil_id, digest)
        conn.execute(sa.text("UPDATE auditlog SET content_digest = :d, prev_hash = :p, hash = :h WHERE id = :i"),
                     {"d": digest, "p": prev, "h": line, "i": r.id})
        prev = line

    if rows:
        at = dt.datetime.now().replace(microsecond=0)
        detail = (f"Logboek omgezet naar versie 2 ({len(rows)} regels opnieuw aan elkaar gekoppeld, de inhoud apart "
                  "vastgelegd zodat gegevens van verwijderde leerlingen gewist kunnen worden). Laatste hash van de "
                  f"oude keten: {old_prev}; oude keten {'ongeschonden' if old_intact else 'NIET ongeschonden'}.")
        digest = _digest(detail, "", "", "")
        conn.execute(
            sa.text("INSERT INTO auditlog (at, by, action, detail, pupil_id, old_value, new_value, reason, "
                    "prev_hash, hash, content_digest, redacted) VALUES (:at, :by, :action, :detail, NULL, '', '', "
                    "'', :prev, :hash, :digest, :redacted)"),
            {"at": at, "by": "verzuimdesk (bijwerken)", "action": "logboek omgezet", "detail": detail, "prev": prev,
             "hash": _new_hash(prev, at, "verzuimdesk (bijwerken)", "logboek omgezet", None, digest),
             "digest": digest, "redacted": False},
        )

    if dialect == "sqlite":
        op.execute(f"CREATE TRIGGER auditlog_no_update BEFORE UPDATE ON auditlog WHEN NOT ({_ERASURE_SQLITE}) "
                   f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END")
    elif dialect == "postgresql":
        op.execute(
            "CREATE FUNCTION auditlog_erasure_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"IF TG_OP = 'UPDATE' THEN IF ({_ERASURE_PG}) THEN RETURN NEW; END IF; END IF; "
            f"RAISE EXCEPTION '{REFUSAL}'; END $$"
        )
        op.execute("CREATE TRIGGER auditlog_no_change BEFORE UPDATE OR DELETE ON auditlog "
                   "FOR EACH ROW EXECUTE FUNCTION auditlog_erasure_only()")


def downgrade() -> None:
    """Back to trail version 1: the chain is recomputed with the old formula (erased lines then hash their
    erased content: they stay readable as erased, and the old check sees them as intact lines)."""
    conn = op.get_bind()
    dialect = conn.dialect.name
    _drop_triggers(dialect)
    if dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS auditlog_no_delete")
    rows = conn.execute(sa.text("SELECT id, at, by, action, detail, pupil_id, old_value, new_value, reason "
                                "FROM auditlog ORDER BY id")).fetchall()
    prev = GENESIS
    for r in rows:
        line = _old_hash(prev, r.at, r.by, r.action, r.detail or "", r.pupil_id, r.old_value or "", r.new_value or "",
                         r.reason or "")
        conn.execute(sa.text("UPDATE auditlog SET prev_hash = :p, hash = :h WHERE id = :i"),
                     {"p": prev, "h": line, "i": r.id})
        prev = line
    with op.batch_alter_table("auditlog") as batch:
        batch.drop_column("redacted")
        batch.drop_column("content_digest")
    if dialect == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER auditlog_no_{verb.lower()} BEFORE {verb} ON auditlog "
                       f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END")
    elif dialect == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS auditlog_erasure_only()")
        op.execute("CREATE TRIGGER auditlog_no_change BEFORE UPDATE OR DELETE ON auditlog "
                   "FOR EACH ROW EXECUTE FUNCTION auditlog_append_only()")
