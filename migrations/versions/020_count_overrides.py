"""counted indicators: an override of a quarter's count with its reason, and counting limited to
one municipality

Revision ID: 0020
Revises: 0019
"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

COUNTED_SOURCE = "Geteld uit bijeenkomsten"


def upgrade():
    with op.batch_alter_table("measurement", schema=None) as batch_op:
        batch_op.add_column(sa.Column("counted_value", sa.Double(), nullable=True))
        batch_op.add_column(sa.Column("override_reason", sa.Text(), nullable=True))
    with op.batch_alter_table("indicator", schema=None) as batch_op:
        batch_op.add_column(sa.Column("counted_municipality_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            op.f("fk_indicator_counted_municipality_id_municipality"),
            "municipality",
            ["counted_municipality_id"],
            ["id"],
        )
    # a counted value stored before this revision is its own count
    op.execute(
        sa.text(
            "UPDATE measurement SET counted_value = value WHERE source = :source AND "
            "indicator_id IN (SELECT id FROM indicator WHERE counted_from IS NOT NULL)"
        ).bindparams(source=COUNTED_SOURCE)
    )


def downgrade():
    # Without the override columns a counted value is its count again; an override of a quarter
    # that counted nothing goes, as no count would have made it.
    op.execute(
        "DELETE FROM measurement WHERE override_reason IS NOT NULL AND counted_value IS NULL"
    )
    op.execute(
        "UPDATE measurement SET value = counted_value WHERE override_reason IS NOT NULL"
    )
    with op.batch_alter_table("indicator", schema=None) as batch_op:
        batch_op.drop_constraint(
            op.f("fk_indicator_counted_municipality_id_municipality"), type_="foreignkey"
        )
        batch_op.drop_column("counted_municipality_id")
    with op.batch_alter_table("measurement", schema=None) as batch_op:
        batch_op.drop_column("override_reason")
        batch_op.drop_column("counted_value")
