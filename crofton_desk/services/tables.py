"""Which service imports and exports each table: one list for the CLI and File → Import/Export."""

from __future__ import annotations

from typing import Any

TABLE_KINDS = ("pupils", "recipients", "transfers", "requests", "foi", "breaches", "complaints")


def table_service(kind: str) -> Any:
    """An object with plan_import, apply_import and export_file for `kind` (imported on use)."""
    from crofton_desk.services import (
        breaches,
        complaints,
        foi,
        pupils,
        recipients,
        requests,
        transfers,
    )

    services: dict[str, Any] = {
        "pupils": pupils,
        "recipients": recipients,
        "transfers": transfers,
        "requests": requests,
        "foi": foi.TABLE,
        "breaches": breaches.TABLE,
        "complaints": complaints.TABLE,
    }
    return services[kind]
