"""meetings: the quarter a meeting discusses, the manager's advice on a lead's request, and the
steering pack stored per meeting

Revision ID: 0015
Revises: 0014
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def _quarter_before(day) -> str:
    """The quarter that ended last before ``day``: what a meeting held then discusses."""
    if isinstance(day, str):
        year, month = int(day[:4]), int(day[5:7])
    else:
        year, month = day.year, day.month
    number = (month - 1) // 3 + 1
    if number == 1:
        return f"{year - 1}-Q4"
    return f"{year}-Q{number - 1}"


def upgrade():
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.add_column(sa.Column("quarter", sa.String(7), nullable=True))
    connection = op.get_bind()
    meeting = sa.table(
        "meeting", sa.column("id", sa.Integer), sa.column("held_on"), sa.column("quarter")
    )
    for meeting_id, held_on in connection.execute(sa.select(meeting.c.id, meeting.c.held_on)):
        connection.execute(
            meeting.update()
            .where(meeting.c.id == meeting_id)
            .values(quarter=_quarter_before(held_on))
        )
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.alter_column("quarter", existing_type=sa.String(7), nullable=False)
        batch_op.create_check_constraint(op.f("ck_meeting_quarter"), "quarter LIKE '____-Q_'")
    op.create_table(
        "request_advice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("advice", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["quarterly_update.id"],
            name=op.f("fk_request_advice_request_id_quarterly_update"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_request_advice")),
        sa.UniqueConstraint("request_id", name=op.f("uq_request_advice_request_id")),
    )
    with op.batch_alter_table("stored_report", schema=None) as batch_op:
        batch_op.add_column(sa.Column("meeting_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            op.f("fk_stored_report_meeting_id_meeting"),
            "meeting",
            ["meeting_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch_op.create_index(op.f("ix_stored_report_meeting_id"), ["meeting_id"], unique=False)


def downgrade():
    op.execute("DELETE FROM stored_report WHERE meeting_id IS NOT NULL")
    with op.batch_alter_table("stored_report", schema=None) as batch_op:
        batch_op.drop_index(op.f("ix_stored_report_meeting_id"))
        batch_op.drop_constraint(op.f("fk_stored_report_meeting_id_meeting"), type_="foreignkey")
        batch_op.drop_column("meeting_id")
    op.drop_table("request_advice")
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_meeting_quarter"), type_="check")
        batch_op.drop_column("quarter")
