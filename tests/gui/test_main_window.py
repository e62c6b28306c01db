"""The main window opens on a seeded database with five tabs, menus and the profile dialog."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QLineEdit, QMenu
from pytestqt.qtbot import QtBot

from crofton_desk.services.profile import get_profile
from crofton_desk.store.database import Database
from crofton_desk.ui.about_dialog import AboutDialog
from crofton_desk.ui.context import AppContext
from crofton_desk.ui.main_window import MainWindow
from crofton_desk.ui.profile_dialog import ProfileDialog


def test_window_title_tabs_and_menus(qtbot: QtBot, db: Database) -> None:
    window = MainWindow(db)
    qtbot.addWidget(window)
    window.show()
    assert window.windowTitle() == "Crofton Desk — Crofton Junior School"
    titles = [
        window.tabs.tabText(i).replace("&&", "+").replace("&", "").replace("+", "&")
        for i in range(window.tabs.count())
    ]
    assert titles == [
        "Today", "Recipients", "Transfers", "Access requests", "Policy review",
        "FOI & complaints", "Breaches",
    ]  # fmt: skip
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        qtbot.wait(10)
        assert window.tabs.currentWidget().isVisible()
    menus = {action.text().replace("&", ""): action.menu() for action in window.menuBar().actions()}
    assert list(menus) == ["File", "Settings", "Help"]
    file_menu = menus["File"]
    assert isinstance(file_menu, QMenu)
    file_items = [a.text().replace("&", "") for a in file_menu.actions() if a.text()]
    assert {"Pupil register…", "Back up now…", "Restore…", "Exit"} <= set(file_items)
    exit_action = next(a for a in file_menu.actions() if a.text() == "E&xit")
    assert not exit_action.shortcut().isEmpty()
    # The policy review's status is always in view.
    assert "overdue" in window.review_status.text()
    assert "February 2019" in window.review_status.text()


def test_profile_dialog_shows_errors_beside_fields_and_saves_nothing(
    qtbot: QtBot, ctx: AppContext
) -> None:
    before = get_profile(ctx.db)
    dialog = ProfileDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.edits["name"].setText("")
    dialog.edits["postcode"].setText("WF4")
    dialog.save()
    assert dialog.errors.text("name") == "Enter the school's name"
    assert "postcode" in dialog.errors.text("postcode")
    assert dialog.errors.text("email") == ""
    assert get_profile(ctx.db) == before
    assert dialog.result() == 0


def test_profile_dialog_saves_accented_names_and_updates_the_title(
    qtbot: QtBot, db: Database, tmp_path: Path
) -> None:
    window = MainWindow(db)
    qtbot.addWidget(window)
    dialog = ProfileDialog(window.ctx, window)
    qtbot.addWidget(dialog)
    dialog.edits["name"].setText("Crofton Junior School – Zoë's Campus")
    dialog.edits["dpo_name"].setText("Łukasz Wiśniewski")
    dialog.edits["postcode"].setText("wf4 1hj")
    dialog.save()
    assert dialog.result() == 1
    saved = get_profile(db)
    assert saved.dpo_name == "Łukasz Wiśniewski" and saved.postcode == "WF4 1HJ"
    window.ctx.notify_changed("profile")
    assert window.windowTitle() == "Crofton Desk — Crofton Junior School – Zoë's Campus"


def test_profile_dialog_logo_from_file(qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> None:
    from PySide6.QtGui import QColor, QImage

    image = QImage(40, 20, QImage.Format.Format_RGB32)
    image.fill(QColor("navy"))
    logo = tmp_path / "logo.png"
    assert image.save(str(logo))
    dialog = ProfileDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.set_logo_file(logo)
    dialog.save()
    assert get_profile(ctx.db).logo == logo.read_bytes()
    assert get_profile(ctx.db).logo_filename == "logo.png"


def test_about_names_version_and_paths(qtbot: QtBot, ctx: AppContext) -> None:
    dialog = AboutDialog(ctx)
    qtbot.addWidget(dialog)
    text = dialog.label.text()
    assert str(ctx.db.path) in text and "Licences" in text and "DejaVu" in text


def test_edits_are_line_edits(qtbot: QtBot, ctx: AppContext) -> None:
    dialog = ProfileDialog(ctx)
    qtbot.addWidget(dialog)
    assert all(isinstance(edit, QLineEdit) for edit in dialog.edits.values())


def test_tabs_build_when_needed_and_open_item_switches_tab(qtbot: QtBot, db: Database) -> None:
    from crofton_desk.services import demo

    demo.fill(db, pupils=40, transfers=30)
    window = MainWindow(db)
    qtbot.addWidget(window)
    window.show()
    assert window.tabs.currentIndex() == 0
    assert type(window.tabs.widget(0)).__name__ == "TodayTab"
    # The rest are built when the event loop is idle.
    qtbot.waitUntil(
        lambda: (
            [type(window.tabs.widget(i)).__name__ for i in range(5)]
            == ["TodayTab", "RecipientsTab", "TransfersTab", "RequestsTab", "PolicyTab"]
        ),
        timeout=10_000,
    )
    from crofton_desk.services.requests import list_requests

    reference = list_requests(db)[-1].reference
    window.ctx.open_item.emit("request", reference)
    assert window.tabs.currentWidget() is window.requests
    assert window.requests.current is not None  # type: ignore[attr-defined]
    assert window.requests.current.reference == reference  # type: ignore[attr-defined]


def test_every_settings_dialog_named_in_the_menu_exists() -> None:
    """The Settings menu imports its dialogs on first use: each must be there to import."""
    import re
    from importlib import import_module
    from pathlib import Path

    import crofton_desk.ui.main_window_menus as main_window

    source = Path(main_window.__file__).read_text(encoding="utf-8")
    names = re.findall(r'_settings_dialog\("(\w+)"\)', source)
    assert len(names) == 7  # the six Settings dialogs and the school profile
    for name in names:
        assert callable(import_module(f"crofton_desk.ui.{name}").open_dialog)
