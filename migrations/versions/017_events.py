"""events: bijeenkomsten with workshops, registrations, attendance and pupils reached; an
indicator may be counted from them

Revision ID: 0017
Revises: 0016
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def _versioned():
    return sa.Column("version", sa.Integer(), nullable=False)


def upgrade():
    op.create_table(
        "event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("subproject_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=True),
        sa.Column("organiser_id", sa.Integer(), nullable=True),
        sa.Column("day_programme", sa.Text(), nullable=False),
        sa.Column("follows_id", sa.Integer(), nullable=True),
        _versioned(),
        sa.CheckConstraint(
            "kind IN ('meeting', 'guest_lesson', 'company_visit', 'open_day', "
            "'technet_meeting', 'workshop_day')",
            name=op.f("ck_event_kind"),
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"], ["programme.id"], name=op.f("fk_event_programme_id_programme")
        ),
        sa.ForeignKeyConstraint(
            ["subproject_id"], ["subproject.id"], name=op.f("fk_event_subproject_id_subproject")
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_event_municipality_id_municipality"),
        ),
        sa.ForeignKeyConstraint(
            ["organiser_id"], ["organisation.id"], name=op.f("fk_event_organiser_id_organisation")
        ),
        sa.ForeignKeyConstraint(
            ["follows_id"],
            ["event.id"],
            name=op.f("fk_event_follows_id_event"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event")),
    )
    op.create_index(op.f("ix_event_programme_id"), "event", ["programme_id"])
    op.create_index(op.f("ix_event_subproject_id"), "event", ["subproject_id"])
    op.create_index(op.f("ix_event_held_on"), "event", ["held_on"])
    _link_table("event_action", "event", "action")
    _link_table("event_milestone", "event", "milestone")
    op.create_table(
        "workshop",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("topic", sa.String(length=200), nullable=False),
        _versioned(),
        sa.ForeignKeyConstraint(
            ["event_id"], ["event.id"], name=op.f("fk_workshop_event_id_event"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workshop")),
    )
    op.create_index(op.f("ix_workshop_event_id"), "workshop", ["event_id"])
    _link_table("workshop_organisation", "workshop", "organisation", cascade_second=False)
    op.create_table(
        "registration",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("attended", sa.Boolean(), nullable=False),
        sa.Column("wants_follow_up", sa.Boolean(), nullable=False),
        _versioned(),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["event.id"],
            name=op.f("fk_registration_event_id_event"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_registration_organisation_id_organisation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registration")),
        sa.UniqueConstraint("event_id", "organisation_id", name=op.f("uq_registration_event_id")),
    )
    op.create_index(op.f("ix_registration_event_id"), "registration", ["event_id"])
    op.create_index(op.f("ix_registration_organisation_id"), "registration", ["organisation_id"])
    op.create_table(
        "pupils_reached",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(length=4), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        _versioned(),
        sa.CheckConstraint("level IN ('vmbo', 'mbo', 'hbo')", name=op.f("ck_pupils_reached_level")),
        sa.CheckConstraint("number > 0", name=op.f("ck_pupils_reached_number")),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["event.id"],
            name=op.f("fk_pupils_reached_event_id_event"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["school_id"],
            ["organisation.id"],
            name=op.f("fk_pupils_reached_school_id_organisation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pupils_reached")),
        sa.UniqueConstraint(
            "event_id", "school_id", "level", name=op.f("uq_pupils_reached_event_id")
        ),
    )
    op.create_index(op.f("ix_pupils_reached_event_id"), "pupils_reached", ["event_id"])
    op.create_index(op.f("ix_pupils_reached_school_id"), "pupils_reached", ["school_id"])
    with op.batch_alter_table("indicator", schema=None) as batch_op:
        batch_op.add_column(sa.Column("counted_from", sa.String(length=30), nullable=True))


def _link_table(name: str, first: str, second: str, cascade_second: bool = True) -> None:
    op.create_table(
        name,
        sa.Column(f"{first}_id", sa.Integer(), nullable=False),
        sa.Column(f"{second}_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            [f"{first}_id"],
            [f"{first}.id"],
            name=op.f(f"fk_{name}_{first}_id_{first}"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            [f"{second}_id"],
            [f"{second}.id"],
            name=op.f(f"fk_{name}_{second}_id_{second}"),
            ondelete="CASCADE" if cascade_second else None,
        ),
        sa.PrimaryKeyConstraint(f"{first}_id", f"{second}_id", name=op.f(f"pk_{name}")),
    )
    op.create_index(op.f(f"ix_{name}_{second}_id"), name, [f"{second}_id"])


def downgrade():
    with op.batch_alter_table("indicator", schema=None) as batch_op:
        batch_op.drop_column("counted_from")
    for table in (
        "pupils_reached",
        "registration",
        "workshop_organisation",
        "workshop",
        "event_milestone",
        "event_action",
        "event",
    ):
        op.drop_table(table)
