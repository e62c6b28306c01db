"""The data protection regulator, as letters and the policy name it.

One setting, kept in the school profile: the Data (Use and Access) Act 2025 renames the
Information Commissioner's Office the Information Commission when that part commences, and the
school changes the name and address there once, not in every template.
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_NAME = "Information Commissioner's Office"
DEFAULT_ADDRESS = "Wycliffe House, Water Lane, Wilmslow, Cheshire SK9 5AF"
DEFAULT_PHONE = "0303 123 1113"
DEFAULT_WEBSITE = "ico.org.uk/make-a-complaint"


@dataclass(frozen=True)
class Regulator:
    name: str = DEFAULT_NAME
    address: str = DEFAULT_ADDRESS  # the postal address, its lines separated by commas
    phone: str = DEFAULT_PHONE
    website: str = DEFAULT_WEBSITE

    @property
    def address_lines(self) -> tuple[str, ...]:
        parts = self.address.replace("\n", ",").split(",")
        return tuple(part.strip() for part in parts if part.strip())

    @property
    def postal(self) -> str:
        """Name and address, one line each, for a letter."""
        return "\n".join((self.name, *self.address_lines))

    @property
    def contact(self) -> str:
        """'Telephone 0303 123 1113 · ico.org.uk/make-a-complaint' (what is known of it)."""
        parts = []
        if self.phone.strip():
            parts.append(f"Telephone {self.phone.strip()}")
        if self.website.strip():
            parts.append(self.website.strip())
        return " · ".join(parts)
