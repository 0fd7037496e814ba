"""first schema

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "auditlog",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("by", sa.String(), nullable=False),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("detail", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "leerplichtcontact",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("gemeente", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("phone", sa.String(), nullable=False),
        sa.Column("email", sa.String(), nullable=False),
        sa.Column("address", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("leerplichtcontact", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_leerplichtcontact_gemeente"), ["gemeente"], unique=False)

    op.create_table(
        "reason",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("category", sa.String(), nullable=False),
        sa.Column("legal_ground", sa.String(), nullable=False),
        sa.Column("is_lateness", sa.Boolean(), nullable=False),
        sa.Column("is_unresolved", sa.Boolean(), nullable=False),
        sa.Column("is_sickness", sa.Boolean(), nullable=False),
        sa.Column("color", sa.String(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("reason", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reason_code"), ["code"], unique=True)

    op.create_table(
        "school",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("brin", sa.String(), nullable=False),
        sa.Column("vestiging", sa.String(), nullable=False),
        sa.Column("sector", sa.String(), nullable=False),
        sa.Column("region", sa.String(), nullable=False),
        sa.Column("niet_bekostigd", sa.Boolean(), nullable=False),
        sa.Column("address", sa.String(), nullable=False),
        sa.Column("postcode", sa.String(), nullable=False),
        sa.Column("city", sa.String(), nullable=False),
        sa.Column("phone", sa.String(), nullable=False),
        sa.Column("email", sa.String(), nullable=False),
        sa.Column("samenwerkingsverband", sa.String(), nullable=False),
        sa.Column("samenwerkingsverband_contact", sa.String(), nullable=False),
        sa.Column("director", sa.String(), nullable=False),
        sa.Column("logo_path", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "schoolyear",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "setting",
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("value", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "vestiging",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("vestiging", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_vestiging_key"), ["key"], unique=True)

    op.create_table(
        "group",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("jaargroep", sa.String(), nullable=False),
        sa.Column("composite", sa.Boolean(), nullable=False),
        sa.Column("vestiging_id", sa.Integer(), nullable=True),
        sa.Column("uitstroomprofiel", sa.String(), nullable=False),
        sa.Column("department", sa.String(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("registers_per", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["vestiging_id"],
            ["vestiging.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("group", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_group_key"), ["key"], unique=True)

    op.create_table(
        "pupil",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("achternaam", sa.String(), nullable=False),
        sa.Column("voorvoegsel", sa.String(), nullable=False),
        sa.Column("voornamen", sa.String(), nullable=False),
        sa.Column("roepnaam", sa.String(), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("gender", sa.String(), nullable=False),
        sa.Column("bsn", sa.String(), nullable=False),
        sa.Column("onderwijsnummer", sa.String(), nullable=False),
        sa.Column("bsn_last4", sa.String(), nullable=False),
        sa.Column("woongemeente", sa.String(), nullable=False),
        sa.Column("address", sa.String(), nullable=False),
        sa.Column("postcode", sa.String(), nullable=False),
        sa.Column("city", sa.String(), nullable=False),
        sa.Column("enrolled_on", sa.Date(), nullable=True),
        sa.Column("left_on", sa.Date(), nullable=True),
        sa.Column("vestiging_id", sa.Integer(), nullable=True),
        sa.Column("notes", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["vestiging_id"],
            ["vestiging.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("pupil", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pupil_bsn"), ["bsn"], unique=False)
        batch_op.create_index(batch_op.f("ix_pupil_key"), ["key"], unique=True)

    op.create_table(
        "reasonmappingchange",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reason_id", sa.Integer(), nullable=False),
        sa.Column("old_category", sa.String(), nullable=False),
        sa.Column("old_legal_ground", sa.String(), nullable=False),
        sa.Column("new_category", sa.String(), nullable=False),
        sa.Column("new_legal_ground", sa.String(), nullable=False),
        sa.Column("changed_by", sa.String(), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.Column("why", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["reason_id"],
            ["reason.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("reasonmappingchange", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reasonmappingchange_reason_id"), ["reason_id"], unique=False)

    op.create_table(
        "absenceentry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pupil_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("lesson_number", sa.Integer(), nullable=True),
        sa.Column("start_minute", sa.Integer(), nullable=False),
        sa.Column("end_minute", sa.Integer(), nullable=False),
        sa.Column("reason_id", sa.Integer(), nullable=False),
        sa.Column("minutes_late", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("note", sa.String(), nullable=False),
        sa.Column("created_by", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["pupil_id"],
            ["pupil.id"],
        ),
        sa.ForeignKeyConstraint(
            ["reason_id"],
            ["reason.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("absenceentry", schema=None) as batch_op:
        batch_op.create_index("ix_absence_date", ["date"], unique=False)
        batch_op.create_index("ix_absence_pupil_date", ["pupil_id", "date"], unique=False)
        batch_op.create_index(batch_op.f("ix_absenceentry_reason_id"), ["reason_id"], unique=False)

    op.create_table(
        "callrecord",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pupil_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("called_at", sa.DateTime(), nullable=False),
        sa.Column("called_by", sa.String(), nullable=False),
        sa.Column("reached", sa.Boolean(), nullable=False),
        sa.Column("contact", sa.String(), nullable=False),
        sa.Column("outcome_reason_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["outcome_reason_id"],
            ["reason.id"],
        ),
        sa.ForeignKeyConstraint(
            ["pupil_id"],
            ["pupil.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("callrecord", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_callrecord_pupil_id"), ["pupil_id"], unique=False)

    op.create_table(
        "dayoff",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_year_id", sa.Integer(), nullable=True),
        sa.Column("date_from", sa.Date(), nullable=False),
        sa.Column("date_to", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("description", sa.String(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("weekday", sa.Integer(), nullable=True),
        sa.Column("start_minute", sa.Integer(), nullable=True),
        sa.Column("end_minute", sa.Integer(), nullable=True),
        sa.Column("from_region_table", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["group.id"],
        ),
        sa.ForeignKeyConstraint(
            ["school_year_id"],
            ["schoolyear.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("dayoff", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dayoff_date_from"), ["date_from"], unique=False)
        batch_op.create_index(batch_op.f("ix_dayoff_group_id"), ["group_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_dayoff_school_year_id"), ["school_year_id"], unique=False)

    op.create_table(
        "groupmembership",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pupil_id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("date_from", sa.Date(), nullable=False),
        sa.Column("date_to", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["group.id"],
        ),
        sa.ForeignKeyConstraint(
            ["pupil_id"],
            ["pupil.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("groupmembership", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_groupmembership_pupil_id"), ["pupil_id"], unique=False)
        batch_op.create_index("ix_membership_group_dates", ["group_id", "date_from"], unique=False)

    op.create_table(
        "guardian",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pupil_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("relation", sa.String(), nullable=False),
        sa.Column("phone", sa.String(), nullable=False),
        sa.Column("email", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["pupil_id"],
            ["pupil.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("guardian", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_guardian_pupil_id"), ["pupil_id"], unique=False)

    op.create_table(
        "lesson",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("start_minute", sa.Integer(), nullable=False),
        sa.Column("end_minute", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["group.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("lesson", schema=None) as batch_op:
        batch_op.create_index("ix_lesson_group_weekday", ["group_id", "weekday"], unique=False)

    op.create_table(
        "registertaken",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("lesson_number", sa.Integer(), nullable=False),
        sa.Column("taken_by", sa.String(), nullable=False),
        sa.Column("taken_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["group.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("group_id", "date", "lesson_number", name="uq_register_taken"),
    )
    with op.batch_alter_table("registertaken", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_registertaken_date"), ["date"], unique=False)
        batch_op.create_index(batch_op.f("ix_registertaken_group_id"), ["group_id"], unique=False)

    op.create_table(
        "timetabledeviation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pupil_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("date_from", sa.Date(), nullable=False),
        sa.Column("date_to", sa.Date(), nullable=True),
        sa.Column("description", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["pupil_id"],
            ["pupil.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("timetabledeviation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_timetabledeviation_pupil_id"), ["pupil_id"], unique=False)

    op.create_table(
        "deviationwindow",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("deviation_id", sa.Integer(), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("start_minute", sa.Integer(), nullable=False),
        sa.Column("end_minute", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["deviation_id"], ["timetabledeviation.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("deviationwindow", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_deviationwindow_deviation_id"), ["deviation_id"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("deviationwindow", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_deviationwindow_deviation_id"))

    op.drop_table("deviationwindow")
    with op.batch_alter_table("timetabledeviation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_timetabledeviation_pupil_id"))

    op.drop_table("timetabledeviation")
    with op.batch_alter_table("registertaken", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_registertaken_group_id"))
        batch_op.drop_index(batch_op.f("ix_registertaken_date"))

    op.drop_table("registertaken")
    with op.batch_alter_table("lesson", schema=None) as batch_op:
        batch_op.drop_index("ix_lesson_group_weekday")

    op.drop_table("lesson")
    with op.batch_alter_table("guardian", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_guardian_pupil_id"))

    op.drop_table("guardian")
    with op.batch_alter_table("groupmembership", schema=None) as batch_op:
        batch_op.drop_index("ix_membership_group_dates")
        batch_op.drop_index(batch_op.f("ix_groupmembership_pupil_id"))

    op.drop_table("groupmembership")
    with op.batch_alter_table("dayoff", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dayoff_school_year_id"))
        batch_op.drop_index(batch_op.f("ix_dayoff_group_id"))
        batch_op.drop_index(batch_op.f("ix_dayoff_date_from"))

    op.drop_table("dayoff")
    with op.batch_alter_table("callrecord", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_callrecord_pupil_id"))

    op.drop_table("callrecord")
    with op.batch_alter_table("absenceentry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_absenceentry_reason_id"))
        batch_op.drop_index("ix_absence_pupil_date")
        batch_op.drop_index("ix_absence_date")

    op.drop_table("absenceentry")
    with op.batch_alter_table("reasonmappingchange", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reasonmappingchange_reason_id"))

    op.drop_table("reasonmappingchange")
    with op.batch_alter_table("pupil", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pupil_key"))
        batch_op.drop_index(batch_op.f("ix_pupil_bsn"))

    op.drop_table("pupil")
    with op.batch_alter_table("group", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_group_key"))

    op.drop_table("group")
    with op.batch_alter_table("vestiging", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_vestiging_key"))

    op.drop_table("vestiging")
    op.drop_table("setting")
    op.drop_table("schoolyear")
    op.drop_table("school")
    with op.batch_alter_table("reason", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reason_code"))

    op.drop_table("reason")
    with op.batch_alter_table("leerplichtcontact", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_leerplichtcontact_gemeente"))

    op.drop_table("leerplichtcontact")
    op.drop_table("auditlog")
