import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from tracker import ConfigurationError, create_app
from tracker.extensions import db


def test_production_refuses_to_start_without_secret_key(monkeypatch):
    monkeypatch.delenv("TRACKER_SECRET_KEY", raising=False)
    from config import ProductionConfig

    class NoSecret(ProductionConfig):
        SECRET_KEY = None
        SQLALCHEMY_DATABASE_URI = "sqlite://"

    with pytest.raises(ConfigurationError, match="TRACKER_SECRET_KEY"):
        create_app(NoSecret)


def test_production_sets_secure_cookies():
    from config import ProductionConfig

    class WithSecret(ProductionConfig):
        SECRET_KEY = "from-the-environment"
        SQLALCHEMY_DATABASE_URI = "sqlite://"

    app = create_app(WithSecret)
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_migrations_match_the_models(app):
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"render_as_batch": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_migrations_downgrade_to_empty_and_upgrade_again(app):
    with app.app_context():
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        tables = set(inspect(db.engine).get_table_names())
    assert {"programme", "subproject", "milestone", "measurement", "audit_entry"} <= tables


def test_database_refuses_a_second_measurement_for_the_same_period(app, world):
    from sqlalchemy.exc import IntegrityError

    from tracker.models import Indicator, Measurement

    with app.app_context():
        indicator = db.session.query(Indicator).filter_by(name="Leerlingen techniek").one()
        db.session.add(Measurement(indicator_id=indicator.id, period="2026-Q2", value=1))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


@pytest.mark.parametrize("progress", [-1, 101])
def test_database_refuses_progress_outside_0_to_100(app, world, progress):
    from datetime import date

    from sqlalchemy.exc import IntegrityError

    from tracker.models import Action

    with app.app_context():
        db.session.add(
            Action(
                subproject_id=world["a"],
                title="x",
                start_date=date(2026, 1, 1),
                due_date=date(2026, 2, 1),
                progress=progress,
            )
        )
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()
