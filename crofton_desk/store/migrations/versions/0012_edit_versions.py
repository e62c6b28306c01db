"""edit versions: optimistic concurrency for the records people edit in dialogs

Revision ID: 0012
Revises: 0005
Create Date: 2026-12-02 04:30:00

Two people at two PCs may open the same record; the `version` column lets the second save see
that the first one happened (models.Versioned). Existing rows start at version 1.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = (
    "school_profile",
    "organisation",
    "pupil",
    "transfer",
    "access_request",
    "policy_review",
    "foi_request",
    "complaint",
    "data_breach",
)


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("version", sa.Integer(), nullable=False, server_default="1")
            )


def downgrade() -> None:
    for table in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("version")
