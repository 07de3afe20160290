"""Migrations: upgrade from empty on this lane's database; models and migrations agree."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import func, select

from coordination import create_app
from coordination.extensions import db
from tests.conftest import LANE, worker_database


@pytest.fixture
def empty_db_url(database_url, tmp_path):
    if LANE == "sqlite":
        return "sqlite:///" + str(tmp_path / "migrate.sqlite")
    from tests import pgcluster

    return pgcluster.create_database(database_url, worker_database("sieci_migrate"))


def test_upgrade_from_empty_and_models_match(empty_db_url):
    app = create_app({"TESTING": True, "DATABASE_URL": empty_db_url})
    with app.app_context():
        upgrade(revision="heads")
        from tenants.models import Tenant

        assert db.session.scalar(select(func.count(Tenant.id))) == 16
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(context, db.metadata)
        assert diff == [], f"models and migrations disagree: {diff}"
        db.session.remove()
        db.engine.dispose()


def test_downgrade_to_base_and_up_again(empty_db_url):
    app = create_app({"TESTING": True, "DATABASE_URL": empty_db_url})
    with app.app_context():
        upgrade(revision="heads")
        downgrade(revision="base")
        upgrade(revision="heads")
        db.session.remove()
        db.engine.dispose()


def test_history_is_one_linear_baseline():
    """One head, one root: the squashed baseline and, from now on, a straight line."""
    from pathlib import Path

    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).resolve().parent.parent / "migrations"))
    script = ScriptDirectory.from_config(cfg)
    assert len(script.get_heads()) == 1
    assert len(script.get_bases()) == 1
    revisions = list(script.walk_revisions())
    assert revisions[-1].revision == "0001_baseline"
    assert all(not rev.is_merge_point for rev in revisions)
