"""event follow-up: an action or a subproject may name the event it came from

Revision ID: 0019
Revises: 0018
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

TABLES = ("action", "subproject")


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column(
                    "from_event_id",
                    sa.Integer(),
                    sa.ForeignKey(
                        "event.id",
                        name=f"fk_{table}_from_event_id_event",
                        ondelete="SET NULL",
                    ),
                    nullable=True,
                )
            )
            batch_op.create_index(f"ix_{table}_from_event_id", ["from_event_id"], unique=False)


def downgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(f"ix_{table}_from_event_id")
            batch_op.drop_constraint(f"fk_{table}_from_event_id_event", type_="foreignkey")
            batch_op.drop_column("from_event_id")
