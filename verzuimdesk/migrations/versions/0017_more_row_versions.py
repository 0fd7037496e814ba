"""more row versions: the school, leerplichtambtenaren, pupils, groups and reasons carry a version (issue 14 point 3)

Two PCs editing the school's details, a leerplichtambtenaar, a pupil's card (with its parents and groups), a group
or a reason: the second save finds another version than its screen loaded and is refused (model/concurrency.py).
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

TABLES = ("school", "leerplichtcontact", "pupil", "group", "reason")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("version")
