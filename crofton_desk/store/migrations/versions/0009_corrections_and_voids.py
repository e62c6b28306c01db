"""corrections and voids: a transfer entered in error is voided (kept), corrections keep a reason

Revision ID: 0009
Revises: 0006
Create Date: 2026-12-02 00:05:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _correction_columns(batch_op: object) -> None:
    add = batch_op.add_column  # type: ignore[attr-defined]
    add(sa.Column("corrected_at", sa.DateTime(), nullable=True))
    add(sa.Column("correction_reason", sa.Text(), nullable=False, server_default=""))


def upgrade() -> None:
    with op.batch_alter_table("transfer", schema=None) as batch_op:
        batch_op.add_column(sa.Column("voided_on", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column("voided_by", sa.String(length=100), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("void_reason", sa.Text(), nullable=False, server_default=""))
        _correction_columns(batch_op)
    with op.batch_alter_table("access_request", schema=None) as batch_op:
        _correction_columns(batch_op)


def downgrade() -> None:
    with op.batch_alter_table("access_request", schema=None) as batch_op:
        batch_op.drop_column("correction_reason")
        batch_op.drop_column("corrected_at")
    with op.batch_alter_table("transfer", schema=None) as batch_op:
        batch_op.drop_column("correction_reason")
        batch_op.drop_column("corrected_at")
        batch_op.drop_column("void_reason")
        batch_op.drop_column("voided_by")
        batch_op.drop_column("voided_on")
