"""programme setup: archiving, a reporting frequency, versions of programmes and municipalities,
and programme indicators computed from subproject indicators

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("programme", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "reporting_frequency",
                sa.String(length=20),
                server_default="quarterly",
                nullable=False,
            )
        )
        batch_op.add_column(sa.Column("archived_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))
        batch_op.create_check_constraint(
            op.f("ck_programme_reporting_frequency"),
            "reporting_frequency IN ('quarterly', 'half_yearly', 'yearly')",
        )
    with op.batch_alter_table("municipality", schema=None) as batch_op:
        batch_op.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))
    with op.batch_alter_table("subproject", schema=None) as batch_op:
        batch_op.add_column(sa.Column("archived_at", sa.DateTime(), nullable=True))
    with op.batch_alter_table("indicator", schema=None) as batch_op:
        batch_op.add_column(sa.Column("aggregation", sa.String(length=4), nullable=True))
        batch_op.create_check_constraint(
            op.f("ck_indicator_aggregation"), "aggregation IN ('sum', 'mean', 'last')"
        )
    op.create_table(
        "indicator_source",
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["indicator.id"],
            name=op.f("fk_indicator_source_indicator_id_indicator"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["source_id"], ["indicator.id"], name=op.f("fk_indicator_source_source_id_indicator")
        ),
        sa.PrimaryKeyConstraint("indicator_id", "source_id", name=op.f("pk_indicator_source")),
    )
    with op.batch_alter_table("indicator_source", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_indicator_source_source_id"), ["source_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("indicator_source", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_indicator_source_source_id"))
    op.drop_table("indicator_source")
    with op.batch_alter_table("indicator", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_indicator_aggregation"), type_="check")
        batch_op.drop_column("aggregation")
    with op.batch_alter_table("subproject", schema=None) as batch_op:
        batch_op.drop_column("archived_at")
    with op.batch_alter_table("municipality", schema=None) as batch_op:
        batch_op.drop_column("version")
    with op.batch_alter_table("programme", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_programme_reporting_frequency"), type_="check")
        batch_op.drop_column("version")
        batch_op.drop_column("archived_at")
        batch_op.drop_column("reporting_frequency")
