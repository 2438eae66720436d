"""report approval: the meeting and decision that approved a closed quarter; withdrawn reports

A closed quarter records the steering group's meeting and decision that approved its report
(ids into the decision log, with date, title, number and text copied) and its report version;
a quarter being closed carries the chosen decision to the closing job; a reopening keeps the
withdrawn report's file in ``withdrawn_report``.

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

APPROVAL_COPIES = (
    ("approved_on", sa.Date()),
    ("approval_meeting", sa.String(length=200)),
    ("approval_decision_number", sa.Integer()),
    ("approval_decision", sa.Text()),
)


def upgrade():
    with op.batch_alter_table("closed_quarter", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("report_version", sa.Integer(), nullable=False, server_default="1")
        )
        batch_op.add_column(sa.Column("approval_meeting_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("approval_decision_id", sa.Integer(), nullable=True))
        for name, kind in APPROVAL_COPIES:
            batch_op.add_column(sa.Column(name, kind, nullable=True))
        batch_op.create_foreign_key(
            "fk_closed_quarter_approval_meeting_id_meeting",
            "meeting",
            ["approval_meeting_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_foreign_key(
            "fk_closed_quarter_approval_decision_id_decision",
            "decision",
            ["approval_decision_id"],
            ["id"],
            ondelete="SET NULL",
        )
    with op.batch_alter_table("quarter_closing", schema=None) as batch_op:
        batch_op.add_column(sa.Column("decision_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_quarter_closing_decision_id_decision",
            "decision",
            ["decision_id"],
            ["id"],
            ondelete="SET NULL",
        )
    op.create_table(
        "withdrawn_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("quarter", sa.String(length=7), nullable=False),
        sa.Column("report_version", sa.Integer(), nullable=False),
        sa.Column("closed_by_id", sa.Integer(), nullable=True),
        sa.Column("closed_at", sa.DateTime(), nullable=False),
        *(sa.Column(name, kind, nullable=True) for name, kind in APPROVAL_COPIES),
        sa.Column("withdrawn_by_id", sa.Integer(), nullable=True),
        sa.Column("withdrawn_at", sa.DateTime(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.Column("pdf_sha256", sa.String(length=64), nullable=False),
        sa.CheckConstraint("quarter LIKE '____-Q_'", name=op.f("ck_withdrawn_report_quarter")),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["programme.id"],
            name=op.f("fk_withdrawn_report_programme_id_programme"),
        ),
        sa.ForeignKeyConstraint(
            ["closed_by_id"], ["user.id"], name=op.f("fk_withdrawn_report_closed_by_id_user")
        ),
        sa.ForeignKeyConstraint(
            ["withdrawn_by_id"],
            ["user.id"],
            name=op.f("fk_withdrawn_report_withdrawn_by_id_user"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_withdrawn_report")),
        sa.UniqueConstraint(
            "programme_id",
            "quarter",
            "report_version",
            name=op.f("uq_withdrawn_report_programme_id"),
        ),
    )
    with op.batch_alter_table("withdrawn_report", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_withdrawn_report_programme_id"), ["programme_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("withdrawn_report", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_withdrawn_report_programme_id"))
    op.drop_table("withdrawn_report")
    with op.batch_alter_table("quarter_closing", schema=None) as batch_op:
        batch_op.drop_constraint("fk_quarter_closing_decision_id_decision", type_="foreignkey")
        batch_op.drop_column("decision_id")
    with op.batch_alter_table("closed_quarter", schema=None) as batch_op:
        batch_op.drop_constraint(
            "fk_closed_quarter_approval_decision_id_decision", type_="foreignkey"
        )
        batch_op.drop_constraint("fk_closed_quarter_approval_meeting_id_meeting", type_="foreignkey")
        for name, _kind in reversed(APPROVAL_COPIES):
            batch_op.drop_column(name)
        for name in ("approval_decision_id", "approval_meeting_id", "report_version"):
            batch_op.drop_column(name)
