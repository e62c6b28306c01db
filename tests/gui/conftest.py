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


@pytest.fixture(autouse=True)
def _window_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Remembered window sizes go to a folder of the test's own, never the user's profile."""
    from PySide6.QtCore import QSettings

    from crofton_desk.ui.screen import force_available_geometry

    folder = tmp_path_factory.mktemp("qsettings")
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    yield
    force_available_geometry(None)
