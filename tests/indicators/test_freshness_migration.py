"""Migration 0017 keeps every indicator's frequency: a yearly one gets December as the month
its source publishes, and going back turns a half-yearly one into a quarterly one."""

from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from tracker.extensions import db


def _frequencies() -> dict[str, tuple]:
    rows = db.session.execute(text("SELECT name, frequency, publication_month FROM indicator"))
    return {name: (frequency, month) for name, frequency, month in rows}


def test_upgrade_fills_the_month_of_yearly_indicators_and_downgrade_keeps_a_frequency(app, world):
    with app.app_context():
        downgrade(revision="0017-1")
        db.session.execute(text("UPDATE indicator SET frequency = 'yearly' WHERE name = 'Uitval'"))
        db.session.commit()
        upgrade(revision="0017")
        assert _frequencies() == {
            "Leerlingen techniek": ("quarterly", None),
            "Uitval": ("yearly", 12),
            "Stageplaatsen": ("quarterly", None),
        }
        db.session.execute(
            text("UPDATE indicator SET frequency = 'half_yearly' WHERE name = 'Stageplaatsen'")
        )
        db.session.commit()
        downgrade(revision="0017-1")
        rows = db.session.execute(text("SELECT name, frequency FROM indicator")).all()
        assert dict(rows) == {
            "Leerlingen techniek": "quarterly",
            "Uitval": "yearly",
            "Stageplaatsen": "quarterly",
        }
        db.session.commit()
        upgrade()
