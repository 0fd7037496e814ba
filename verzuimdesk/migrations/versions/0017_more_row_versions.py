"""more row versions: school, leerplichtambtenaren, pupils, groups, reasons, days off, dossier items (issue 14)

Two PCs editing the school's details, a leerplichtambtenaar, a pupil's card (with its parents and groups), a group
a reason, a day off, or a contact or intervention in a dossier: the second save finds another version than its screen loaded and is refused (model/concurrency.py).
Existing rows start at version 1.

Revision ID: 0017
Revises: 0015
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0015"
branch_labels = None
depends_on = None

TABLES = ("school", "leerplichtcontact", "pupil", "group", "reason", "dayoff", "contactmoment", "intervention")


# Plain ALTER TABLE, no batch copy: SQLite (3.35 and later) adds and drops a column in place, and a batch copy of
# ``pupil`` cannot be renamed back while the audit trail's triggers (schema 0014) refer to the table.


def upgrade() -> None:
    for table in TABLES:
        op.add_column(table, sa.Column("version", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    for table in TABLES:
        op.drop_column(table, "version")
