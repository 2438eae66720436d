"""steering: exception reports, tolerances, meeting pages and the decision log

Adds the programme's tolerances, a meeting's attendees and agenda, a decision's owner, due date,
status, the request it answers and its answer, the subprojects a decision concerns (one row per
subproject; the single ``decision.subproject_id`` of earlier records moves there), and the
exception reports of amber and red quarters.

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("programme", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("tolerance_slip_days", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column("tolerance_points", sa.Integer(), nullable=False, server_default="10")
        )
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.add_column(sa.Column("attendees", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("agenda", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
    with op.batch_alter_table("decision", schema=None) as batch_op:
        batch_op.add_column(sa.Column("owner", sa.String(200), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("due_date", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "status",
                sa.String(20),
                sa.CheckConstraint(
                    "status IN ('open', 'in_progress', 'completed', 'lapsed')",
                    name=op.f("ck_decision_status"),
                ),
                nullable=False,
                server_default="open",
            )
        )
        batch_op.add_column(
            sa.Column(
                "request_id",
                sa.Integer(),
                sa.ForeignKey(
                    "quarterly_update.id", name="fk_decision_request_id_quarterly_update"
                ),
                nullable=True,
            )
        )
        batch_op.add_column(
            sa.Column(
                "answer",
                sa.String(20),
                sa.CheckConstraint(
                    "answer IS NULL OR answer IN ('taken', 'rejected', 'postponed')",
                    name=op.f("ck_decision_answer"),
                ),
                nullable=True,
            )
        )
        batch_op.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
        batch_op.create_index("ix_decision_request_id", ["request_id"], unique=False)
    op.create_table(
        "decision_subproject",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=False),
        sa.Column("subproject_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["decision_id"],
            ["decision.id"],
            name=op.f("fk_decision_subproject_decision_id_decision"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["subproject_id"],
            ["subproject.id"],
            name=op.f("fk_decision_subproject_subproject_id_subproject"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decision_subproject")),
        sa.UniqueConstraint(
            "decision_id", "subproject_id", name=op.f("uq_decision_subproject_decision_id")
        ),
    )
    with op.batch_alter_table("decision_subproject", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_decision_subproject_decision_id"), ["decision_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_decision_subproject_subproject_id"), ["subproject_id"], unique=False
        )
    op.execute(
        "INSERT INTO decision_subproject (decision_id, subproject_id) "
        "SELECT id, subproject_id FROM decision WHERE subproject_id IS NOT NULL"
    )
    with op.batch_alter_table("decision", schema=None) as batch_op:
        batch_op.drop_constraint("fk_decision_subproject_id_subproject", type_="foreignkey")
        batch_op.drop_column("subproject_id")
    op.create_table(
        "exception_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subproject_id", sa.Integer(), nullable=False),
        sa.Column("quarter", sa.String(length=7), nullable=False),
        sa.Column("cause", sa.Text(), nullable=False),
        sa.Column("consequence_time", sa.Text(), nullable=False),
        sa.Column("consequence_result", sa.Text(), nullable=False),
        sa.Column("consequence_money", sa.Text(), nullable=False),
        sa.Column("measure", sa.Text(), nullable=False),
        sa.Column("measure_owner", sa.String(length=200), nullable=False),
        sa.Column("measure_due", sa.Date(), nullable=True),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("quarter LIKE '____-Q_'", name=op.f("ck_exception_report_quarter")),
        sa.ForeignKeyConstraint(
            ["subproject_id"],
            ["subproject.id"],
            name=op.f("fk_exception_report_subproject_id_subproject"),
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["user.id"], name=op.f("fk_exception_report_updated_by_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exception_report")),
        sa.UniqueConstraint(
            "subproject_id", "quarter", name=op.f("uq_exception_report_subproject_id")
        ),
    )
    with op.batch_alter_table("exception_report", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_exception_report_subproject_id"), ["subproject_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("exception_report", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_exception_report_subproject_id"))
    op.drop_table("exception_report")
    with op.batch_alter_table("decision", schema=None) as batch_op:
        batch_op.add_column(sa.Column("subproject_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_decision_subproject_id_subproject", "subproject", ["subproject_id"], ["id"]
        )
    # a decision keeps one subproject again: the first it concerned
    op.execute(
        "UPDATE decision SET subproject_id = (SELECT MIN(ds.subproject_id) "
        "FROM decision_subproject ds WHERE ds.decision_id = decision.id)"
    )
    with op.batch_alter_table("decision_subproject", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_decision_subproject_subproject_id"))
        batch_op.drop_index(batch_op.f("ix_decision_subproject_decision_id"))
    op.drop_table("decision_subproject")
    with op.batch_alter_table("decision", schema=None) as batch_op:
        batch_op.drop_index("ix_decision_request_id")
        batch_op.drop_constraint("fk_decision_request_id_quarterly_update", type_="foreignkey")
        batch_op.drop_constraint(op.f("ck_decision_answer"), type_="check")
        batch_op.drop_constraint(op.f("ck_decision_status"), type_="check")
        for column in ("version", "answer", "request_id", "status", "due_date", "owner"):
            batch_op.drop_column(column)
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        for column in ("version", "agenda", "attendees"):
            batch_op.drop_column(column)
    with op.batch_alter_table("programme", schema=None) as batch_op:
        batch_op.drop_column("tolerance_points")
        batch_op.drop_column("tolerance_slip_days")
