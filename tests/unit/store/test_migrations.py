"""The baseline migration and the models must describe the same schema."""

from __future__ import annotations

import re
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from crofton_desk.store.database import HEAD_REVISION, KNOWN_REVISIONS, make_engine, run_migrations
from crofton_desk.store.migrations import script_location
from crofton_desk.store.models import Base


def test_upgrading_an_empty_database_to_head_matches_the_models(tmp_path: Path) -> None:
    engine = make_engine(tmp_path / "empty.sqlite")
    run_migrations(engine)
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "render_as_batch": True}
        )
        differences = compare_metadata(context, Base.metadata)
        tables = set(inspect(connection).get_table_names())
    engine.dispose()
    assert differences == []
    assert set(Base.metadata.tables) <= tables


def test_known_revisions_are_exactly_the_migration_scripts() -> None:
    scripts = Path(script_location(), "versions").glob("*.py")
    revisions = set()
    for script in scripts:
        match = re.search(r"^revision: str = ['\"](\w+)['\"]", script.read_text(), re.M)
        assert match, f"{script.name} has no revision id"
        revisions.add(match.group(1))
    assert revisions == set(KNOWN_REVISIONS)
    assert KNOWN_REVISIONS[-1] == HEAD_REVISION


def test_rows_made_before_edit_versions_start_at_version_one(tmp_path: Path) -> None:
    """0012 adds `version` to rows already there: each starts at 1 and moves on when saved."""
    from alembic import command
    from alembic.config import Config
    from alembic.script import ScriptDirectory
    from sqlalchemy import select, text
    from sqlalchemy.orm import Session

    from crofton_desk.store.models import Pupil

    config = Config()
    config.set_main_option("script_location", script_location())
    before = ScriptDirectory.from_config(config).get_revision("0012").down_revision
    engine = make_engine(tmp_path / "old.sqlite")
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, str(before))
        connection.execute(
            text(
                "INSERT INTO pupil (upn, surname, forename, middle_names, preferred_surname,"
                " preferred_forename, date_of_birth, on_roll, created_at, updated_at, search_key)"
                " VALUES ('A123456789012', 'Shaw', 'Ann', '', '', '', '2015-01-01', 1,"
                " '2026-01-01', '2026-01-01', '')"
            )
        )
    run_migrations(engine)
    with Session(engine) as session, session.begin():
        pupil = session.scalars(select(Pupil)).one()
        assert pupil.version == 1
        pupil.surname = "Shaw-Jones"
    with Session(engine) as session:
        assert session.scalars(select(Pupil)).one().version == 2
    engine.dispose()
