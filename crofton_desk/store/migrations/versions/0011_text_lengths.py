"""declared lengths on every text column (PostgreSQL enforces them; the app checks them first)

Revision ID: 0011
Revises: 0012
Create Date: 2026-12-02 04:05:20

The sizes are written out (not taken from store/limits.py) so that the migration stays what it
was when it was made. On SQLite each table is copied (batch mode; run_migrations switches
foreign keys off around it so no row is lost to a cascade); on PostgreSQL each column is
altered in place, which fails, rather than cutting anything, if a row is already too long.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: table -> ((column, new length), ...); every one was TEXT before, except the search key.
NEW_LENGTHS: dict[str, tuple[tuple[str, int], ...]] = {
    "access_request": (
        ("request_text", 20_000),
        ("identity_reason", 2_000),
        ("identity_requested_what", 2_000),
        ("identity_documents_seen", 2_000),
        ("extension_reason", 5_000),
        ("refusal_reason", 5_000),
        ("notes", 20_000),
        ("correction_reason", 2_000),
    ),
    "app_setting": (("value", 2_000),),
    "clarification_pause": (("question", 5_000),),
    "complaint": (("complaint_text", 20_000), ("outcome_text", 20_000), ("notes", 20_000)),
    "data_breach": (
        ("description", 20_000),
        ("data_involved", 5_000),
        ("risk_assessment", 20_000),
        ("late_reason", 2_000),
        ("actions_taken", 20_000),
        ("decision", 5_000),
        ("notes", 20_000),
    ),
    "data_category": (("description", 5_000),),
    "foi_exemption": (("applies_to", 5_000), ("reason", 5_000), ("public_interest", 20_000)),
    "foi_request": (
        ("request_text", 20_000),
        ("clarification_question", 5_000),
        ("pit_reason", 5_000),
        ("disclosure_summary", 5_000),
        ("notes", 20_000),
    ),
    "legislation_change": (("summary", 5_000), ("source", 1_000)),
    "letter_template": (("body", 50_000),),
    "organisation": (
        ("purposes", 5_000),
        ("art9_condition", 5_000),
        ("legal_duty", 5_000),
        ("address", 500),
        ("notes", 20_000),
        ("deactivation_reason", 2_000),
    ),
    "policy_review": (("changes", 20_000), ("notes", 20_000)),
    "pupil": (("search_key", 2_000),),
    "request_event": (("note", 20_000),),
    "school_profile": (("retention_statement", 5_000), ("regulator_address", 500)),
    "transfer": (
        ("purpose", 5_000),
        ("notes", 20_000),
        ("outside_agreement_reason", 2_000),
        ("void_reason", 2_000),
        ("correction_reason", 2_000),
    ),
}
OLD_SEARCH_KEY = 600


def _old_type(table: str, column: str) -> sa.types.TypeEngine[str]:
    if (table, column) == ("pupil", "search_key"):
        return sa.String(length=OLD_SEARCH_KEY)
    return sa.Text()


def _refuse_with_foreign_keys_on() -> None:
    """Copying a table with SQLite's foreign keys on would delete rows that refer to it."""
    bind = op.get_bind()
    if bind.dialect.name == "sqlite" and bind.exec_driver_sql("PRAGMA foreign_keys").scalar():
        raise RuntimeError(
            "Run this migration with foreign keys off (store.database.foreign_keys_off)"
        )


def upgrade() -> None:
    _refuse_with_foreign_keys_on()
    for table, columns in NEW_LENGTHS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column, length in columns:
                batch_op.alter_column(
                    column,
                    existing_type=_old_type(table, column),
                    type_=sa.String(length=length),
                    existing_nullable=False,
                )


def downgrade() -> None:
    _refuse_with_foreign_keys_on()
    for table, columns in NEW_LENGTHS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column, length in columns:
                batch_op.alter_column(
                    column,
                    existing_type=sa.String(length=length),
                    type_=_old_type(table, column),
                    existing_nullable=False,
                )
