"""import runs: a confirmed plan of action or registration list, applied by a job

Revision ID: 0021
Revises: 0020
"""

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "import_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("locale", sa.String(length=10), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("done_url", sa.String(length=300), nullable=False),
        sa.Column("retry_url", sa.String(length=300), nullable=False),
        sa.Column("requested_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("applied", sa.Integer(), nullable=True),
        sa.Column("failed", sa.Boolean(), nullable=False),
        sa.Column("message", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_import_run_user_id_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_run")),
    )
    with op.batch_alter_table("import_run", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_import_run_user_id"), ["user_id"], unique=False)


def downgrade():
    with op.batch_alter_table("import_run", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_import_run_user_id"))
    op.drop_table("import_run")
