"""The "as at" rule of the reporting layer: what a report of a past quarter may know."""

from datetime import date, datetime

from tracker.extensions import db
from tracker.milestones import queries as milestone_queries
from tracker.models import Milestone, MilestoneDateChange
from tracker.quarters import Quarter


def test_planned_date_as_at_follows_the_history():
    changes = [
        (datetime(2026, 4, 10, 9), date(2026, 5, 1), date(2026, 6, 1)),
        (datetime(2026, 8, 2, 9), date(2026, 6, 1), date(2026, 7, 1)),
    ]
    assert milestone_queries.planned_date_as_at(
        date(2026, 7, 1), changes, date(2026, 3, 31)
    ) == date(2026, 5, 1)
    assert milestone_queries.planned_date_as_at(
        date(2026, 7, 1), changes, date(2026, 4, 10)
    ) == date(2026, 6, 1)
    assert milestone_queries.planned_date_as_at(
        date(2026, 7, 1), changes, date(2026, 6, 30)
    ) == date(2026, 6, 1)
    assert milestone_queries.planned_date_as_at(
        date(2026, 7, 1), changes, date(2026, 9, 30)
    ) == date(2026, 7, 1)
    assert milestone_queries.planned_date_as_at(date(2026, 7, 1), [], date(2000, 1, 1)) == date(
        2026, 7, 1
    )


def test_milestones_as_at_hide_later_achievements_and_later_moves(app, world):
    with app.app_context():
        late = db.session.query(Milestone).filter_by(title="Leerlijn vastgesteld").one()
        db.session.add(
            MilestoneDateChange(
                milestone_id=late.id,
                from_date=date(2026, 5, 1),
                to_date=date(2026, 6, 1),
                reason="Later besluit",
                changed_at=datetime(2026, 4, 20, 12),
            )
        )
        db.session.commit()
        q1 = Quarter(2026, 1)
        frame = milestone_queries.milestones_as_at(
            world["programme_id"], q1.end, since=date(2025, 12, 31)
        )
        row = frame[frame["title"] == "Leerlijn vastgesteld"].iloc[0]
        assert row["planned_date"] == date(2026, 5, 1) and row["slip_days"] == 0
        assert row["achieved_on"] is None and row["status"] == "on_track"
        q2 = Quarter(2026, 2)
        frame = milestone_queries.milestones_as_at(world["programme_id"], q2.end, since=q1.end)
        row = frame[frame["title"] == "Leerlijn vastgesteld"].iloc[0]
        # moved by 31 days, then achieved on 10-06-2026: 40 days after its baseline date
        assert row["planned_date"] == date(2026, 6, 1) and row["slip_days"] == 40
        assert row["slip_kind"] == "late"
        assert row["planned_date_at_start"] == date(2026, 5, 1)
        assert row["achieved_on"] == date(2026, 6, 10) and row["status"] == "achieved_late"
        cohort = frame[frame["title"] == "Eerste cohort gestart"].iloc[0]
        assert cohort["status"] == "on_track"
