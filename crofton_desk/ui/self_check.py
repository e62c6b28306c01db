"""The self-test's window steps: every module imports, and the real main window builds offscreen.

The window imports its tabs and dialogs by name when first needed, so a module missing from the
frozen build (or one that fails on import, as `services.calendar` did without time-zone data)
only shows when a person opens that part of the window. These steps do it all up front, so
`crofton-desk self-test` fails whenever the window would.

The frozen build cannot list its own modules reliably, so `build.spec` writes the list from the
source tree into the bundle (`crofton_desk/modules.txt`); from source, the tree is read directly.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from importlib import import_module
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from crofton_desk.services.app import Database

MANIFEST = "modules.txt"
# Modules that do something when imported: the command's entry point and Alembic's env script
# (revision scripts are loaded from files by Alembic, never imported).
NOT_IMPORTED = ("crofton_desk.__main__", "crofton_desk.store.migrations.env")
NOT_IMPORTED_UNDER = ("crofton_desk.store.migrations.versions",)

Step = tuple[str, Callable[[], str]]


def source_modules(package_dir: Path) -> list[str]:
    """Every importable module of the package at `package_dir`, read from its .py files."""
    names = []
    for path in sorted(package_dir.rglob("*.py")):
        parts = (package_dir.name, *path.relative_to(package_dir).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        name = ".".join(parts)
        if name in NOT_IMPORTED or name.startswith(tuple(f"{p}." for p in NOT_IMPORTED_UNDER)):
            continue
        if "__pycache__" not in parts:
            names.append(name)
    return names


def app_modules() -> list[str]:
    """The frozen build's module list (written by build.spec), else the source tree's."""
    if getattr(sys, "frozen", False):
        manifest = files("crofton_desk") / MANIFEST
        if not manifest.is_file():
            raise ValueError(f"crofton_desk/{MANIFEST} is missing: build.spec did not write it")
        return [line for line in manifest.read_text(encoding="utf-8").splitlines() if line]
    import crofton_desk

    return source_modules(Path(crofton_desk.__file__).parent)


def import_every_module() -> str:
    names = app_modules()
    broken = []
    for name in names:
        try:
            import_module(name)
        except Exception as exc:  # report every module that fails, not just the first
            broken.append(f"{name} ({type(exc).__name__}: {exc})")
    if broken:
        summary = f"{len(broken)} of {len(names)} modules cannot be imported: "
        raise ValueError(summary + "; ".join(broken))
    return f"all {len(names)} modules of the app imported"


def build_main_window(database: Database) -> str:
    """The real window on the self-test's database, every tab built, shown offscreen."""
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    if QApplication.instance() is None:
        # Never flash a window on the desk: the self-test is also run by hand and by the installer
        # checks. (Set before the application exists; a running one keeps its platform.)
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from crofton_desk.ui.app import make_application
    from crofton_desk.ui.main_window import TABS, MainWindow

    app = make_application()
    window = MainWindow(database)
    try:
        built = [window.tab(name) for name, _module, _class in TABS]
        window.show()
        app.processEvents()
        if window.tabs.count() != len(TABS) or any(
            window.tabs.indexOf(widget) < 0 for widget in built
        ):
            raise ValueError("the window's tabs were not all put in place")
        return f"main window built offscreen with its {len(built)} tabs ({app.platformName()})"
    finally:
        window.close()
        window.deleteLater()
        app.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def steps(database: Callable[[], Database]) -> Sequence[Step]:
    """The window's steps for services.selftest.run(); `database` gives the self-test's one."""
    return [
        ("modules", import_every_module),
        ("window", lambda: build_main_window(database())),
    ]
