"""indicator freshness: half-yearly indicators and the month a yearly source publishes

Every indicator keeps its frequency (quarterly unless it was set to yearly); a yearly one is
taken to publish in December, the year's end, until the programme manager names its month.

Revision ID: 0017
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("indicator", schema=None) as batch_op:
        batch_op.add_column(sa.Column("publication_month", sa.Integer(), nullable=True))
    op.execute("UPDATE indicator SET publication_month = 12 WHERE frequency = 'yearly'")
    with op.batch_alter_table("indicator", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_indicator_frequency"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_indicator_frequency"), "frequency IN ('quarterly', 'half_yearly', 'yearly')"
        )
        batch_op.create_check_constraint(
            op.f("ck_indicator_publication_month"),
            "(frequency = 'yearly' AND publication_month BETWEEN 1 AND 12) "
            "OR (frequency <> 'yearly' AND publication_month IS NULL)",
        )


def downgrade():
    # half-yearly figures were expected more often than yearly ones: quarterly keeps the flag
    op.execute("UPDATE indicator SET frequency = 'quarterly' WHERE frequency = 'half_yearly'")
    with op.batch_alter_table("indicator", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_indicator_publication_month"), type_="check")
        batch_op.drop_constraint(op.f("ck_indicator_frequency"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_indicator_frequency"), "frequency IN ('quarterly', 'yearly')"
        )
        batch_op.drop_column("publication_month")
