"""season: submissions of quarterly updates, due dates per programme, mails sent, reminder opt-outs

Revision ID: 0016
Revises: 0015
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "submission",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subproject_id", sa.Integer(), nullable=False),
        sa.Column("quarter", sa.String(length=7), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(), nullable=True),
        sa.Column("submitted_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("returns", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("quarter LIKE '____-Q_'", name=op.f("ck_submission_quarter")),
        sa.CheckConstraint(
            "state IN ('draft', 'submitted', 'approved', 'returned')",
            name=op.f("ck_submission_state"),
        ),
        sa.ForeignKeyConstraint(
            ["subproject_id"],
            ["subproject.id"],
            name=op.f("fk_submission_subproject_id_subproject"),
        ),
        sa.ForeignKeyConstraint(
            ["submitted_by_id"],
            ["user.id"],
            name=op.f("fk_submission_submitted_by_id_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["user.id"],
            name=op.f("fk_submission_decided_by_id_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_submission")),
        sa.UniqueConstraint("subproject_id", "quarter", name=op.f("uq_submission_subproject_id")),
    )
    with op.batch_alter_table("submission", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_submission_subproject_id"), ["subproject_id"], unique=False
        )
    op.create_table(
        "season_setting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("due_days", sa.Integer(), nullable=False),
        sa.Column("reminder_days", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("due_days BETWEEN 0 AND 60", name=op.f("ck_season_setting_due_days")),
        sa.CheckConstraint(
            "reminder_days BETWEEN 0 AND 30", name=op.f("ck_season_setting_reminder_days")
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["programme.id"],
            name=op.f("fk_season_setting_programme_id_programme"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_season_setting")),
        sa.UniqueConstraint("programme_id", name=op.f("uq_season_setting_programme_id")),
    )
    op.create_table(
        "sent_mail",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("subproject_id", sa.Integer(), nullable=True),
        sa.Column("quarter", sa.String(length=7), nullable=False),
        sa.Column("occasion", sa.Integer(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_sent_mail_user_id_user"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"], ["programme.id"], name=op.f("fk_sent_mail_programme_id_programme")
        ),
        sa.ForeignKeyConstraint(
            ["subproject_id"], ["subproject.id"], name=op.f("fk_sent_mail_subproject_id_subproject")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sent_mail")),
        sa.UniqueConstraint(
            "kind",
            "user_id",
            "subproject_id",
            "quarter",
            "occasion",
            name=op.f("uq_sent_mail_kind"),
        ),
    )
    with op.batch_alter_table("sent_mail", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sent_mail_user_id"), ["user_id"], unique=False)
        batch_op.create_index(
            "uq_sent_mail_programme",
            ["kind", "user_id", "programme_id", "quarter", "occasion"],
            unique=True,
            sqlite_where=sa.text("subproject_id IS NULL"),
            postgresql_where=sa.text("subproject_id IS NULL"),
        )
    op.create_table(
        "reminder_opt_out",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("since", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user.id"],
            name=op.f("fk_reminder_opt_out_user_id_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_reminder_opt_out")),
    )


def downgrade():
    op.drop_table("reminder_opt_out")
    with op.batch_alter_table("sent_mail", schema=None) as batch_op:
        batch_op.drop_index("uq_sent_mail_programme")
        batch_op.drop_index(batch_op.f("ix_sent_mail_user_id"))
    op.drop_table("sent_mail")
    op.drop_table("season_setting")
    with op.batch_alter_table("submission", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_submission_subproject_id"))
    op.drop_table("submission")
