"""pupil search key: names folded for searching without accents or punctuation

Revision ID: 0010
Revises: 0001
Create Date: 2026-12-01 23:50:37.123576
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from crofton_desk.domain.search import search_key

revision: str = "0010"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NAME_COLUMNS = ("forename", "preferred_forename", "surname", "preferred_surname", "upn")


def upgrade() -> None:
    with op.batch_alter_table("pupil", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("search_key", sa.String(length=600), nullable=False, server_default="")
        )
        batch_op.create_index(batch_op.f("ix_pupil_search_key"), ["search_key"], unique=False)
    # Existing pupils get their keys here (the app keeps them up to date from now on).
    connection = op.get_bind()
    columns: list[sa.ColumnClause[object]] = [
        sa.column(name) for name in ("id", "search_key", *NAME_COLUMNS)
    ]
    pupil = sa.table("pupil", *columns)
    rows = connection.execute(sa.select(pupil.c.id, *(pupil.c[name] for name in NAME_COLUMNS)))
    updates = [
        {"pupil_id": row[0], "key": search_key(str(value or "") for value in row[1:])}
        for row in rows
    ]
    if updates:
        connection.execute(
            pupil.update()
            .where(pupil.c.id == sa.bindparam("pupil_id"))
            .values(search_key=sa.bindparam("key")),
            updates,
        )


def downgrade() -> None:
    with op.batch_alter_table("pupil", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pupil_search_key"))
        batch_op.drop_column("search_key")
