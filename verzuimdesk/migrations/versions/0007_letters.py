"""letters to parents: templates, the record of letters made, guardians' own addresses

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "lettertemplate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("subject", sa.String(), nullable=False),
        sa.Column("body", sa.String(), nullable=False),
        sa.Column("note", sa.String(), nullable=False),
        sa.Column("created_by", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key", "version", name="uq_lettertemplate_key_version"),
    )
    with op.batch_alter_table("lettertemplate", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lettertemplate_key"), ["key"], unique=False)

    op.create_table(
        "letterrecord",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pupil_id", sa.Integer(), nullable=False),
        sa.Column("template_key", sa.String(), nullable=False),
        sa.Column("template_version", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("subject", sa.String(), nullable=False),
        sa.Column("addressee", sa.String(), nullable=False),
        sa.Column("guardian_ids", sa.String(), nullable=False),
        sa.Column("made_on", sa.Date(), nullable=False),
        sa.Column("format", sa.String(), nullable=False),
        sa.Column("file_name", sa.String(), nullable=False),
        sa.Column("checksum", sa.String(), nullable=False),
        sa.Column("signal_handling_id", sa.Integer(), nullable=True),
        sa.Column("melding_id", sa.Integer(), nullable=True),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("sent_as", sa.String(), nullable=False),
        sa.Column("made_by", sa.String(), nullable=False),
        sa.Column("made_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["pupil_id"], ["pupil.id"]),
        sa.ForeignKeyConstraint(["signal_handling_id"], ["signalhandling.id"]),
        sa.ForeignKeyConstraint(["melding_id"], ["melding.id"]),
        sa.ForeignKeyConstraint(["contact_id"], ["contactmoment.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("letterrecord", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_letterrecord_pupil_id"), ["pupil_id"], unique=False)

    with op.batch_alter_table("guardian", schema=None) as batch_op:
        batch_op.add_column(sa.Column("address", sa.String(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("postcode", sa.String(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("city", sa.String(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("guardian", schema=None) as batch_op:
        batch_op.drop_column("city")
        batch_op.drop_column("postcode")
        batch_op.drop_column("address")
    with op.batch_alter_table("letterrecord", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_letterrecord_pupil_id"))
    op.drop_table("letterrecord")
    with op.batch_alter_table("lettertemplate", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lettertemplate_key"))
    op.drop_table("lettertemplate")
