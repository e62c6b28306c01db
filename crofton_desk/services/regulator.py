"""The regulator's name and address, from one place: letters and the policy never copy them.

The Data (Use and Access) Act 2025 renames the Information Commissioner's Office the Information
Commission when that part commences; the office changes the two settings then. Until they are
set, the current name and address are the defaults.
"""

from __future__ import annotations

from crofton_desk.store.database import Database, plain_errors
from crofton_desk.store.models import AppSetting

NAME_KEY = "regulator_name"
ADDRESS_KEY = "regulator_address"
DEFAULT_NAME = "Information Commissioner's Office"
DEFAULT_ADDRESS = ("Wycliffe House", "Water Lane", "Wilmslow", "Cheshire SK9 5AF")


def regulator_lines(db: Database) -> tuple[str, ...]:
    """(name, address line, ...): the settings when the office has entered them."""
    with plain_errors(db.path), db.session() as session:
        name = session.get(AppSetting, NAME_KEY)
        address = session.get(AppSetting, ADDRESS_KEY)
    lines = tuple(
        line.strip() for line in (address.value if address else "").splitlines() if line.strip()
    )
    return ((name.value.strip() if name and name.value.strip() else DEFAULT_NAME),
            *(lines or DEFAULT_ADDRESS))  # fmt: skip
