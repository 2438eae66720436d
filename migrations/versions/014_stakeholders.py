"""stakeholders: the register of organisations, TechNet circles and contact persons

An organisation gets a sector, a website, archiving and the kind "technet_circle"; its name is
unique within its municipality whatever the case (it was unique across the country, exact case).
New: membership of TechNet circles, and contact persons (personal data, see README "Contact
persons and the AVG").

Revision ID: 0014
Revises: 0013
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

KINDS = (
    "'school_vmbo', 'school_mbo', 'school_hbo', 'company', 'government', "
    "'knowledge_institute', 'intermediary'"
)
SECTORS = (
    "'industry', 'construction', 'ict', 'care_technology', 'agrifood', 'logistics', "
    "'maritime', 'energy', 'other'"
)


def upgrade():
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("uq_organisation_name"), type_="unique")
        batch_op.drop_constraint(op.f("ck_organisation_kind"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_organisation_kind"), f"kind IN ({KINDS}, 'technet_circle')"
        )
        batch_op.add_column(sa.Column("sector", sa.String(length=30), nullable=True))
        batch_op.add_column(
            sa.Column("website", sa.String(length=300), server_default="", nullable=False)
        )
        batch_op.add_column(sa.Column("archived_at", sa.DateTime(), nullable=True))
        batch_op.create_check_constraint(
            op.f("ck_organisation_sector"), f"sector IS NULL OR sector IN ({SECTORS})"
        )
    op.create_index(
        "uq_organisation_name_place",
        "organisation",
        [sa.text("lower(name)"), sa.text("coalesce(municipality_id, 0)")],
        unique=True,
    )
    op.create_table(
        "circle_membership",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("circle_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("circle_id <> member_id", name=op.f("ck_circle_membership_not_itself")),
        sa.ForeignKeyConstraint(
            ["circle_id"],
            ["organisation.id"],
            name=op.f("fk_circle_membership_circle_id_organisation"),
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["organisation.id"],
            name=op.f("fk_circle_membership_member_id_organisation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_circle_membership")),
        sa.UniqueConstraint(
            "circle_id", "member_id", name=op.f("uq_circle_membership_circle_id")
        ),
    )
    with op.batch_alter_table("circle_membership", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_circle_membership_circle_id"), ["circle_id"])
        batch_op.create_index(batch_op.f("ix_circle_membership_member_id"), ["member_id"])
    op.create_table(
        "contact",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("function", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("confirmed_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_contact_organisation_id_organisation"),
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["user.id"],
            name=op.f("fk_contact_recorded_by_id_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact")),
    )
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contact_organisation_id"), ["organisation_id"])
        batch_op.create_index(batch_op.f("ix_contact_confirmed_at"), ["confirmed_at"])


def downgrade():
    op.drop_table("contact")
    op.drop_table("circle_membership")
    op.drop_index("uq_organisation_name_place", table_name="organisation")
    # The older schema knows no TechNet circle as a kind: such a circle was an intermediary.
    op.execute("UPDATE organisation SET kind = 'intermediary' WHERE kind = 'technet_circle'")
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_organisation_sector"), type_="check")
        batch_op.drop_column("archived_at")
        batch_op.drop_column("website")
        batch_op.drop_column("sector")
        batch_op.drop_constraint(op.f("ck_organisation_kind"), type_="check")
        batch_op.create_check_constraint(op.f("ck_organisation_kind"), f"kind IN ({KINDS})")
        batch_op.create_unique_constraint(op.f("uq_organisation_name"), ["name"])
