"""law leave: the leerplichtambtenaar's decision on a forwarded leave request; reasons for art. 11a and
afstandsonderwijs; school transport is authorised absence

Revision ID: 0006
Revises: 0004
Create Date: 2026-11-30

Data: the default reasons VV (leerlingenvervoer) and AO (afstandsonderwijs) were mapped wrongly (VV "niet
meegeteld", AO "aanwezig" without an approved afwijking onderwijstijd). Where they still carry that default
mapping they move to "geoorloofd afwezig", each move recorded as a ReasonMappingChange (domain.md §4.2).
"""

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0004"
branch_labels = None
depends_on = None

WHY = {
    "VV": "Leerlingenvervoer: afwezigheid door het vervoer is geoorloofd verzuim, niet 'niet meegeteld' "
          "(migratie 0006).",
    "AO": "Afstandsonderwijs telt alleen als aanwezig met een goedgekeurde afwijking onderwijstijd; zonder die "
          "instelling geoorloofd afwezig (migratie 0006).",
}
OLD = {"VV": "niet_meegeteld", "AO": "aanwezig"}


def upgrade() -> None:
    with op.batch_alter_table("leaverequest", schema=None) as batch_op:
        batch_op.add_column(sa.Column("lpa_decision", sa.String(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("lpa_decided_by", sa.String(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("lpa_decided_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("lpa_motivation", sa.String(), nullable=False, server_default=""))
    with op.batch_alter_table("reason", schema=None) as batch_op:
        batch_op.add_column(sa.Column("art11a", sa.String(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("needs_afwijking", sa.Boolean(), nullable=False, server_default=sa.false()))

    reason = sa.table("reason", sa.column("id", sa.Integer()), sa.column("code", sa.String()),
                      sa.column("category", sa.String()), sa.column("legal_ground", sa.String()),
                      sa.column("needs_afwijking", sa.Boolean()))
    change = sa.table("reasonmappingchange", sa.column("reason_id", sa.Integer()),
                      sa.column("old_category", sa.String()), sa.column("old_legal_ground", sa.String()),
                      sa.column("new_category", sa.String()), sa.column("new_legal_ground", sa.String()),
                      sa.column("changed_by", sa.String()), sa.column("changed_at", sa.DateTime()),
                      sa.column("why", sa.String()))
    conn = op.get_bind()
    op.execute(reason.update().where(reason.c.code == "AO").values(needs_afwijking=True))
    now = dt.datetime.now().replace(microsecond=0)
    for code, old in OLD.items():
        rows = conn.execute(sa.select(reason.c.id, reason.c.legal_ground)
                            .where(reason.c.code == code, reason.c.category == old)).fetchall()
        for rid, ground in rows:
            conn.execute(change.insert().values(
                reason_id=rid, old_category=old, old_legal_ground=ground or "", new_category="geoorloofd",
                new_legal_ground="", changed_by="verzuimdesk (migratie 0006)", changed_at=now, why=WHY[code]))
            conn.execute(reason.update().where(reason.c.id == rid).values(category="geoorloofd", legal_ground=""))
    # Art. 11a Lpw: the two reasons for five-year-olds, where the school has no reason with that code yet.
    full = sa.table("reason", sa.column("code", sa.String()), sa.column("name", sa.String()),
                    sa.column("category", sa.String()), sa.column("legal_ground", sa.String()),
                    sa.column("is_lateness", sa.Boolean()), sa.column("is_unresolved", sa.Boolean()),
                    sa.column("is_sickness", sa.Boolean()), sa.column("sick_report", sa.Boolean()),
                    sa.column("color", sa.String()), sa.column("active", sa.Boolean()),
                    sa.column("sort_order", sa.Integer()), sa.column("art11a", sa.String()),
                    sa.column("needs_afwijking", sa.Boolean()))
    codes = {row[0] for row in conn.execute(sa.select(full.c.code)).fetchall()}
    if codes:  # a database with reasons (an empty one gets the defaults when the school is set up)
        top = conn.execute(sa.select(sa.func.max(full.c.sort_order))).scalar() or 0
        for i, (code, name, kind, colour) in enumerate((
            ("K5", "Thuis, vijfjarige (melding ouders, art. 11a)", "melding", "#FFE0B2"),
            ("K5T", "Thuis, vijfjarige (toestemming directeur, art. 11a)", "toestemming", "#FFCC80"),
        )):
            if code not in codes:
                conn.execute(full.insert().values(
                    code=code, name=name, category="geoorloofd", legal_ground="", is_lateness=False,
                    is_unresolved=False, is_sickness=False, sick_report=False, color=colour, active=True,
                    sort_order=top + 1 + i, art11a=kind, needs_afwijking=False))


def downgrade() -> None:
    with op.batch_alter_table("reason", schema=None) as batch_op:
        batch_op.drop_column("needs_afwijking")
        batch_op.drop_column("art11a")
    with op.batch_alter_table("leaverequest", schema=None) as batch_op:
        batch_op.drop_column("lpa_motivation")
        batch_op.drop_column("lpa_decided_on")
        batch_op.drop_column("lpa_decided_by")
        batch_op.drop_column("lpa_decision")
