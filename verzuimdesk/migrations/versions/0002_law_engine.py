"""law engine

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "signalrule",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("purpose", sa.String(), nullable=False),
        sa.Column("threshold", sa.Integer(), nullable=False),
        sa.Column("weeks", sa.Integer(), nullable=False),
        sa.Column("description", sa.String(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "contactmoment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pupil_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("with_whom", sa.String(), nullable=False),
        sa.Column("summary", sa.String(), nullable=False),
        sa.Column("agreements", sa.String(), nullable=False),
        sa.Column("planned", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["pupil_id"],
            ["pupil.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("contactmoment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contactmoment_pupil_id"), ["pupil_id"], unique=False)

    op.create_table(
        "intervention",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pupil_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("description", sa.String(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("evaluation_date", sa.Date(), nullable=True),
        sa.Column("evaluated_on", sa.Date(), nullable=True),
        sa.Column("outcome", sa.String(), nullable=False),
        sa.Column("effective", sa.Boolean(), nullable=True),
        sa.Column("created_by", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["pupil_id"],
            ["pupil.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("intervention", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_intervention_pupil_id"), ["pupil_id"], unique=False)

    op.create_table(
        "leaverequest",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pupil_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("date_from", sa.Date(), nullable=False),
        sa.Column("date_to", sa.Date(), nullable=False),
        sa.Column("start_minute", sa.Integer(), nullable=True),
        sa.Column("end_minute", sa.Integer(), nullable=True),
        sa.Column("reason_text", sa.String(), nullable=False),
        sa.Column("requested_by", sa.String(), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("attachments", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("decided_by", sa.String(), nullable=False),
        sa.Column("motivation", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["pupil_id"],
            ["pupil.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("leaverequest", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_leaverequest_pupil_id"), ["pupil_id"], unique=False)

    op.create_table(
        "melding",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pupil_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("begin_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("minutes_unauthorised", sa.Integer(), nullable=False),
        sa.Column("absence_days", sa.Integer(), nullable=False),
        sa.Column("presumed_reason", sa.String(), nullable=False),
        sa.Column("all_lessons_missed", sa.Boolean(), nullable=False),
        sa.Column("school_action", sa.String(), nullable=False),
        sa.Column("municipality_action_wanted", sa.Boolean(), nullable=False),
        sa.Column("municipality_action_why_not", sa.String(), nullable=False),
        sa.Column("location_name", sa.String(), nullable=False),
        sa.Column("reporter_name", sa.String(), nullable=False),
        sa.Column("reporter_function", sa.String(), nullable=False),
        sa.Column("reporter_phone", sa.String(), nullable=False),
        sa.Column("reporter_email", sa.String(), nullable=False),
        sa.Column("parent_phone", sa.String(), nullable=False),
        sa.Column("deviating_address", sa.String(), nullable=False),
        sa.Column("gemeente", sa.String(), nullable=False),
        sa.Column("duo_number", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("created_by", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["pupil_id"],
            ["pupil.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("melding", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_melding_pupil_id"), ["pupil_id"], unique=False)

    op.create_table(
        "meldingday",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("melding_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("lessons", sa.String(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("whole_day", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["melding_id"], ["melding.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("meldingday", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_meldingday_melding_id"), ["melding_id"], unique=False)

    op.create_table(
        "meldingstatus",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("melding_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("reason", sa.String(), nullable=False),
        sa.Column("note", sa.String(), nullable=False),
        sa.Column("set_by", sa.String(), nullable=False),
        sa.Column("set_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["melding_id"], ["melding.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("meldingstatus", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_meldingstatus_melding_id"), ["melding_id"], unique=False)

    op.create_table(
        "signalhandling",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pupil_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("rule_id", sa.Integer(), nullable=True),
        sa.Column("begin_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("reason", sa.String(), nullable=False),
        sa.Column("fingerprint", sa.String(), nullable=False),
        sa.Column("melding_id", sa.Integer(), nullable=True),
        sa.Column("handled_by", sa.String(), nullable=False),
        sa.Column("handled_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["melding_id"],
            ["melding.id"],
        ),
        sa.ForeignKeyConstraint(
            ["pupil_id"],
            ["pupil.id"],
        ),
        sa.ForeignKeyConstraint(
            ["rule_id"],
            ["signalrule.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("signalhandling", schema=None) as batch_op:
        batch_op.create_index("ix_signalhandling_pupil_kind", ["pupil_id", "kind"], unique=False)

    with op.batch_alter_table("reason", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sick_report", sa.Boolean(), nullable=False, server_default=sa.false()))
    # Of the default reasons only "Ziek" is a ziekmelding for the MAZL care signal.
    reason = sa.table("reason", sa.column("code", sa.String()), sa.column("sick_report", sa.Boolean()))
    op.execute(reason.update().where(reason.c.code == "Z").values(sick_report=True))

    with op.batch_alter_table("absenceentry", schema=None) as batch_op:
        batch_op.add_column(sa.Column("leave_request_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_absenceentry_leave_request_id"), ["leave_request_id"], unique=False
        )
        batch_op.create_foreign_key("fk_absenceentry_leave_request_id", "leaverequest", ["leave_request_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("reason", schema=None) as batch_op:
        batch_op.drop_column("sick_report")

    with op.batch_alter_table("absenceentry", schema=None) as batch_op:
        batch_op.drop_constraint("fk_absenceentry_leave_request_id", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_absenceentry_leave_request_id"))
        batch_op.drop_column("leave_request_id")

    with op.batch_alter_table("signalhandling", schema=None) as batch_op:
        batch_op.drop_index("ix_signalhandling_pupil_kind")

    op.drop_table("signalhandling")
    with op.batch_alter_table("meldingstatus", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meldingstatus_melding_id"))

    op.drop_table("meldingstatus")
    with op.batch_alter_table("meldingday", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meldingday_melding_id"))

    op.drop_table("meldingday")
    with op.batch_alter_table("melding", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_melding_pupil_id"))

    op.drop_table("melding")
    with op.batch_alter_table("leaverequest", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_leaverequest_pupil_id"))

    op.drop_table("leaverequest")
    with op.batch_alter_table("intervention", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_intervention_pupil_id"))

    op.drop_table("intervention")
    with op.batch_alter_table("contactmoment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contactmoment_pupil_id"))

    op.drop_table("contactmoment")
    op.drop_table("signalrule")
