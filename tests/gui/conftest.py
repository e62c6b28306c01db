"""GUI fixtures: an AppContext on a fresh database (pytest-qt provides qapp/qtbot)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from crofton_desk.store.database import Database


@pytest.fixture
def ctx(qapp: object, db: Database) -> Iterator[object]:
    from crofton_desk.ui.context import AppContext

    context = AppContext(db)
    yield context
    context.deleteLater()
