"""corrections and voids: a transfer entered in error is voided (kept), corrections keep a reason

Revision ID: 0009
Revises: 0006
Create Date: 2026-12-02 00:05:00
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# The policy's 'another school to which a pupil transfers', missing from databases seeded before
# this release: a school added with 'Add a school…' takes its agreed data and purposes. Written
# out here (not imported from the seed) so the migration stays what it was when it was made.
_SCHOOL_NAME = "Another school to which a pupil transfers"
_SCHOOL_ENTRY = {
    "name": _SCHOOL_NAME,
    "name_key": " ".join(_SCHOOL_NAME.split()).casefold(),
    "kind": "other",
    "purposes": (
        "The school a pupil moves to receives the pupil's common transfer file and school "
        "records so that it can continue the pupil's education without a break."
    ),
    "lawful_basis": "legal_obligation",
    "art9_condition": (
        "Art 9(2)(g) substantial public interest: DPA 2018 Sch 1 para 6 (statutory and "
        "government purposes)"
    ),
    "legal_duty": (
        "The Education (Pupil Information) (England) Regulations 2005, reg 9 (the common "
        "transfer file and the pupil's school records)"
    ),
    "notes": (
        "The policy's 'another school to which the pupil is transferring': what every receiving "
        "school gets. A school added with 'Add a school…' takes its agreed data and purposes "
        "from this entry; each school is then its own recipient."
    ),
}


_BLANK_COLUMNS = (
    "dfe_number",
    "local_authority",
    "agreement_reference",
    "address",
    "contact_name",
    "contact_email",
    "contact_phone",
    "deactivation_reason",
)


def _add_school_entry() -> None:
    """Add the entry to an existing (seeded) database that lacks it, with every category."""
    connection = op.get_bind()
    if connection.execute(sa.text("SELECT COUNT(*) FROM school_profile")).scalar() == 0:
        return  # a new database: the seed adds the entry
    blank = dict.fromkeys(_BLANK_COLUMNS, "")
    flags = {"active": True, "statistics_only": False, "onward": False}
    organisation = sa.table(
        "organisation",
        *(
            sa.column(name)
            for name in ("id", *_SCHOOL_ENTRY, *blank, *flags, "created_at", "updated_at")
        ),
    )
    found = connection.execute(
        sa.select(organisation.c.id).where(organisation.c.name_key == _SCHOOL_ENTRY["name_key"])
    ).first()
    if found is not None:
        return
    now = datetime.now(UTC).replace(tzinfo=None)
    connection.execute(
        organisation.insert().values(
            **_SCHOOL_ENTRY, **blank, **flags, created_at=now, updated_at=now
        )
    )
    new_id = connection.execute(
        sa.select(organisation.c.id).where(organisation.c.name_key == _SCHOOL_ENTRY["name_key"])
    ).scalar_one()
    category = sa.table("data_category", sa.column("id"), sa.column("active"))
    link = sa.table("organisation_category", sa.column("organisation_id"), sa.column("category_id"))
    ids = connection.execute(sa.select(category.c.id).where(category.c.active.is_(True))).all()
    if ids:
        connection.execute(
            link.insert(), [{"organisation_id": new_id, "category_id": row[0]} for row in ids]
        )


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
    _add_school_entry()


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
