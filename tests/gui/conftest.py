"""GUI fixtures: an AppContext on a fresh database (pytest-qt provides qapp/qtbot)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from crofton_desk.store.database import Database


@pytest.fixture
def ctx(qapp: object, db: Database) -> Iterator[object]:
    from crofton_desk.ui.context import AppContext

    context = AppContext(db)
    yield context
    context.deleteLater()


@pytest.fixture(scope="module")
def demo_ctx(
    qapp: object, template_db: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[object]:
    """An AppContext on a database with demo data, shared by a module's tests (which only read)."""
    import shutil

    from crofton_desk.services import demo
    from crofton_desk.store.database import open_database
    from crofton_desk.ui.context import AppContext

    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    shutil.copyfile(template_db, path)
    db = open_database(path)
    demo.fill(db, pupils=60, transfers=40)
    context = AppContext(db)
    yield context
    context.deleteLater()
    db.dispose()


@pytest.fixture(autouse=True)
def _window_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Remembered window sizes go to a folder of the test's own, never the user's profile."""
    from PySide6.QtCore import QSettings

    from crofton_desk.ui.screen import force_available_geometry

    folder = tmp_path_factory.mktemp("qsettings")
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    yield
    force_available_geometry(None)


@pytest.fixture(autouse=True)
def _questions_take_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    """A question nobody answers takes its default button instead of waiting for ever.

    pytest-qt closes each test's windows at the end; a changed form then asks 'Discard your
    changes?'. Tests that answer questions replace this with their own answers.
    """
    from PySide6.QtWidgets import QMessageBox

    def default(*args: object, **kwargs: object) -> object:
        given = kwargs.get("defaultButton", args[4] if len(args) > 4 else None)
        return given if given is not None else QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", default)
