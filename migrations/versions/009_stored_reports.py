"""stored reports: report PDFs built once per input by a job, and quarters being closed

Revision ID: 0009
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "stored_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("input_hash", sa.String(length=64), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("subproject_id", sa.Integer(), nullable=True),
        sa.Column("quarter", sa.String(length=7), nullable=False),
        sa.Column("variant", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column("requested_at", sa.DateTime(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=True),
        sa.Column("built_at", sa.DateTime(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("pdf", sa.LargeBinary(), nullable=True),
        sa.Column("pdf_sha256", sa.String(length=64), nullable=True),
        sa.CheckConstraint(
            "status IN ('queued', 'building', 'ready', 'failed')",
            name=op.f("ck_stored_report_status"),
        ),
        sa.CheckConstraint("quarter LIKE '____-Q_'", name=op.f("ck_stored_report_quarter")),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["programme.id"],
            name=op.f("fk_stored_report_programme_id_programme"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["subproject_id"],
            ["subproject.id"],
            name=op.f("fk_stored_report_subproject_id_subproject"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"],
            ["user.id"],
            name=op.f("fk_stored_report_requested_by_id_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stored_report")),
        sa.UniqueConstraint("input_hash", name=op.f("uq_stored_report_input_hash")),
    )
    with op.batch_alter_table("stored_report", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_stored_report_requested_by_id"), ["requested_by_id"], unique=False
        )
    op.create_table(
        "quarter_closing",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("quarter", sa.String(length=7), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column("requested_at", sa.DateTime(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.CheckConstraint("quarter LIKE '____-Q_'", name=op.f("ck_quarter_closing_quarter")),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["programme.id"],
            name=op.f("fk_quarter_closing_programme_id_programme"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"],
            ["user.id"],
            name=op.f("fk_quarter_closing_requested_by_id_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quarter_closing")),
        sa.UniqueConstraint(
            "programme_id", "quarter", name=op.f("uq_quarter_closing_programme_id")
        ),
    )


def downgrade():
    op.drop_table("quarter_closing")
    with op.batch_alter_table("stored_report", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stored_report_requested_by_id"))
    op.drop_table("stored_report")
