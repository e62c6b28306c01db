"""Opening the database: pragmas, the schema-version check, migrations (after a backup), seed.

A package cut along the seams: `handle` (Database, the open database), `engine` (a file's engine
and its pragmas), `faults` (plain_errors: low-level errors as plain messages), `schema` (the
known revisions, the stamp, migrations, the integrity check), `files` (open_database: building,
migrating and seeding a file, or reading it in place) and `schools` (a school's schema on a
PostgreSQL server: opened, listed, added). The public names are re-exported here, so callers
keep `from crofton_desk.store.database import ...`. The tunables (BUSY_TIMEOUT_MS in `engine`,
STALE_BUILD_SECONDS in `files`) are read where they live: patch them there.
"""

from crofton_desk.store.database.engine import journal_mode_for as journal_mode_for
from crofton_desk.store.database.engine import make_engine as make_engine
from crofton_desk.store.database.engine import reading_in_place_engine as reading_in_place_engine
from crofton_desk.store.database.engine import sqlite_url as sqlite_url
from crofton_desk.store.database.engine import where_on_network as where_on_network
from crofton_desk.store.database.faults import Where as Where
from crofton_desk.store.database.faults import folder_fault as folder_fault
from crofton_desk.store.database.faults import plain_errors as plain_errors
from crofton_desk.store.database.faults import translate_error as translate_error
from crofton_desk.store.database.files import glob_escape as glob_escape
from crofton_desk.store.database.files import is_half_made as is_half_made
from crofton_desk.store.database.files import open_database as open_database
from crofton_desk.store.database.files import open_for_reading as open_for_reading
from crofton_desk.store.database.handle import Database as Database
from crofton_desk.store.database.handle import Kind as Kind
from crofton_desk.store.database.handle import NotAFile as NotAFile
from crofton_desk.store.database.schema import HEAD_REVISION as HEAD_REVISION
from crofton_desk.store.database.schema import KNOWN_REVISIONS as KNOWN_REVISIONS
from crofton_desk.store.database.schema import check_foreign_keys as check_foreign_keys
from crofton_desk.store.database.schema import check_revision as check_revision
from crofton_desk.store.database.schema import foreign_keys_off as foreign_keys_off
from crofton_desk.store.database.schema import integrity_problems as integrity_problems
from crofton_desk.store.database.schema import read_revision as read_revision
from crofton_desk.store.database.schema import run_migrations as run_migrations
from crofton_desk.store.database.schools import before_server_migration as before_server_migration
from crofton_desk.store.database.schools import create_school as create_school
from crofton_desk.store.database.schools import list_schools as list_schools
from crofton_desk.store.database.schools import open_server_database as open_server_database
from crofton_desk.store.database.schools import school_engine as school_engine
