"""closed subproject report: a closed quarter's subproject PDFs, archived at first download

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "closed_subproject_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("closed_quarter_id", sa.Integer(), nullable=False),
        sa.Column("subproject_id", sa.Integer(), nullable=False),
        sa.Column("archived_at", sa.DateTime(), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.Column("pdf_sha256", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["closed_quarter_id"],
            ["closed_quarter.id"],
            name=op.f("fk_closed_subproject_report_closed_quarter_id_closed_quarter"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["subproject_id"],
            ["subproject.id"],
            name=op.f("fk_closed_subproject_report_subproject_id_subproject"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_closed_subproject_report")),
        sa.UniqueConstraint(
            "closed_quarter_id",
            "subproject_id",
            name=op.f("uq_closed_subproject_report_closed_quarter_id"),
        ),
    )
    with op.batch_alter_table("closed_subproject_report", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_closed_subproject_report_closed_quarter_id"),
            ["closed_quarter_id"],
            unique=False,
        )


def downgrade():
    with op.batch_alter_table("closed_subproject_report", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_closed_subproject_report_closed_quarter_id"))
    op.drop_table("closed_subproject_report")
