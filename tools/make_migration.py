"""Developer tool: autogenerate an Alembic revision from the models.

    python tools/make_migration.py REV_ID "message"

Builds a database at the current head in a temporary file and compares it with the models, so
the new revision holds exactly what changed. Review the generated file before committing, and
add REV_ID to KNOWN_REVISIONS in crofton_desk/store/database/schema.py.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from alembic import command
from alembic.config import Config

from crofton_desk.store.database import make_engine, run_migrations
from crofton_desk.store.migrations import script_location


def main(rev_id: str, message: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(Path(folder) / "head.sqlite")
        if list(Path(script_location(), "versions").glob("*.py")):
            run_migrations(engine)
        config = Config()
        config.set_main_option("script_location", script_location())
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.revision(config, message=message, autogenerate=True, rev_id=rev_id)
        engine.dispose()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
