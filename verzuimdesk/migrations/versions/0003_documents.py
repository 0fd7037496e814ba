"""documents

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "aggregatedelivery",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period_label", sa.String(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("format", sa.String(), nullable=False),
        sa.Column("format_version", sa.String(), nullable=False),
        sa.Column("file_name", sa.String(), nullable=False),
        sa.Column("checksum", sa.String(), nullable=False),
        sa.Column("exported_by", sa.String(), nullable=False),
        sa.Column("exported_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "policyversion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("school_year", sa.String(), nullable=False),
        sa.Column("sections_json", sa.String(), nullable=False),
        sa.Column("settings_fingerprint", sa.String(), nullable=False),
        sa.Column("mr_consent_date", sa.Date(), nullable=True),
        sa.Column("note", sa.String(), nullable=False),
        sa.Column("created_by", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "meldingexport",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("melding_id", sa.Integer(), nullable=False),
        sa.Column("format", sa.String(), nullable=False),
        sa.Column("format_version", sa.String(), nullable=False),
        sa.Column("file_name", sa.String(), nullable=False),
        sa.Column("checksum", sa.String(), nullable=False),
        sa.Column("exported_by", sa.String(), nullable=False),
        sa.Column("exported_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["melding_id"], ["melding.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("meldingexport", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_meldingexport_melding_id"), ["melding_id"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("meldingexport", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meldingexport_melding_id"))

    op.drop_table("meldingexport")
    op.drop_table("policyversion")
    op.drop_table("aggregatedelivery")
