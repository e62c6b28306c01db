"""regulator setting, extension months, fee ground, identity doubt; corrected seed wording

Revision ID: 0006
Revises: 0010 (chained after main's 0010 when merging; written against 0001)
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ICO_NAME = "Information Commissioner's Office"
_ICO_ADDRESS = "Wycliffe House, Water Lane, Wilmslow, Cheshire SK9 5AF"

# Seeded wording corrected in this release: replaced only where the school has not edited it.
_OLD_NHS = (
    "Health services for pupils, such as the school nursing team's health checks and "
    "immunisation programmes. The policy lists them among the bodies the school is legally "
    "required to pass some data to."
)
_NEW_NHS = (
    "Health services for pupils, such as the school nursing team's health checks and "
    "immunisation programmes."
)
_OLD_STA = (
    "Responsible for the National Curriculum and the associated assessment arrangements: key "
    "stage 2 tests and their results."
)
_NEW_STA = (
    "An executive agency of the Department for Education that develops and delivers the "
    "statutory primary assessments (the key stage 2 tests, the multiplication tables check and "
    "the phonics screening check): the school enters pupils for them and the agency returns "
    "their results. It does not set the National Curriculum, which is the Department's."
)


def upgrade() -> None:
    with op.batch_alter_table("school_profile") as batch:
        batch.add_column(
            sa.Column("regulator_name", sa.String(200), nullable=False, server_default=_ICO_NAME)
        )
        batch.add_column(
            sa.Column("regulator_address", sa.Text(), nullable=False, server_default=_ICO_ADDRESS)
        )
        batch.add_column(
            sa.Column(
                "regulator_phone", sa.String(40), nullable=False, server_default="0303 123 1113"
            )
        )
        batch.add_column(
            sa.Column(
                "regulator_website",
                sa.String(200),
                nullable=False,
                server_default="ico.org.uk/make-a-complaint",
            )
        )
    with op.batch_alter_table("access_request") as batch:
        batch.add_column(
            sa.Column("identity_doubt", sa.String(30), nullable=False, server_default="")
        )
        batch.add_column(sa.Column("fee_ground", sa.String(30), nullable=False, server_default=""))
        batch.add_column(sa.Column("fee_pages", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("extension_months", sa.Integer(), nullable=True))
    organisation = sa.table("organisation", sa.column("purposes", sa.Text()))
    for old, new in ((_OLD_NHS, _NEW_NHS), (_OLD_STA, _NEW_STA)):
        op.execute(organisation.update().where(organisation.c.purposes == old).values(purposes=new))
    access_request = sa.table(
        "access_request",
        sa.column("extended", sa.Boolean()),
        sa.column("extension_months", sa.Integer()),
    )
    op.execute(
        access_request.update()
        .where(access_request.c.extended.is_(True))
        .values(extension_months=2)
    )


def downgrade() -> None:
    with op.batch_alter_table("access_request") as batch:
        for name in ("extension_months", "fee_pages", "fee_ground", "identity_doubt"):
            batch.drop_column(name)
    with op.batch_alter_table("school_profile") as batch:
        for name in ("regulator_website", "regulator_phone", "regulator_address", "regulator_name"):
            batch.drop_column(name)
