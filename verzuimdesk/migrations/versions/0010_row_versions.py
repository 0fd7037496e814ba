"""row versions: register entries, leave requests, meldingen and settings carry a version (issue 14 point 3)

Two PCs saving the same row: the second save finds another version than it loaded and is refused
(model/concurrency.py). Existing rows start at version 1.

Revision ID: 0010
Revises: 0008
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0008"
branch_labels = None
depends_on = None

TABLES = ("absenceentry", "leaverequest", "melding", "setting")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("version")
