"""registered people: the contact persons of a registered organisation who come to an event

Revision ID: 0018
Revises: 0017
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "registered_person",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["registration.id"],
            name=op.f("fk_registered_person_registration_id_registration"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contact.id"],
            name=op.f("fk_registered_person_contact_id_contact"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registered_person")),
        sa.UniqueConstraint(
            "registration_id", "contact_id", name=op.f("uq_registered_person_registration_id")
        ),
    )
    op.create_index(
        op.f("ix_registered_person_registration_id"), "registered_person", ["registration_id"]
    )
    op.create_index(op.f("ix_registered_person_contact_id"), "registered_person", ["contact_id"])


def downgrade():
    op.drop_index(op.f("ix_registered_person_contact_id"), table_name="registered_person")
    op.drop_index(op.f("ix_registered_person_registration_id"), table_name="registered_person")
    op.drop_table("registered_person")
