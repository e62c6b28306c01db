"""Windows and dialogs that fit the screen they open on, and remember how the user left them.

The office laptop is 1366×768 with a 40 px taskbar; a 1920×1080 monitor at 150 % gives 1280×720
logical pixels. `fit_window` is called once at the end of a window's constructor: it opens the
window at the size it asks for, or at the size the user last left it, never larger than the
screen's available geometry; it reopens a window maximised if it was closed maximised; it puts
back the user's splitter positions; and its tables take Tab and Enter as Windows apps do.

The available geometry comes from the window's screen. Tests and the screenshot tools cannot
change the size of Qt's offscreen screen, so `force_available_geometry` stands in for it.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QEvent, QObject, QPoint, QRect, QSettings, QSize, Qt
from PySide6.QtGui import QGuiApplication, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QLayout,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

# Room for a title bar and borders before the window is shown and its frame is known.
FRAME_ALLOWANCE = QSize(16, 40)

_forced: QRect | None = None


def force_available_geometry(rect: QRect | None) -> None:
    """Pretend every screen offers `rect` (None: use the real screens again)."""
    global _forced
    _forced = QRect(rect) if rect is not None else None


def available_geometry(widget: QWidget | None = None) -> QRect:
    """The part of the widget's screen not taken by the taskbar (the primary screen if none)."""
    if _forced is not None:
        return QRect(_forced)
    screen = None
    if widget is not None:
        screen = widget.screen()
        parent = widget.parentWidget()
        if parent is not None and parent.isVisible():
            screen = parent.screen()
    if screen is None:
        screen = QGuiApplication.primaryScreen()
    if screen is None:  # no screen at all (should not happen): a laptop's worth
        return QRect(0, 0, 1366, 728)
    return screen.availableGeometry()


def settings() -> QSettings:
    """Where window sizes are kept: an INI file in the user's profile (tests redirect it)."""
    return QSettings(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, "Crofton Desk", "Crofton Desk"
    )


def _bounded(size: QSize, room: QRect) -> QSize:
    """`size` made small enough for the room (a 0 stays 0: the layout's own minimum)."""
    width = min(size.width(), room.width() - FRAME_ALLOWANCE.width())
    height = min(size.height(), room.height() - FRAME_ALLOWANCE.height())
    return QSize(width, height)


def scrolling(*parts: QWidget | QLayout) -> QScrollArea:
    """The parts of a long form, one under the other, in a frameless scroll area.

    The form scrolls inside the dialog and its buttons, kept outside, are always on screen.
    """
    body = QWidget()
    column = QVBoxLayout(body)
    column.setContentsMargins(0, 0, 0, 0)
    for part in parts:
        if isinstance(part, QLayout):
            column.addLayout(part)
        else:
            column.addWidget(part)
    column.addStretch(1)
    area = QScrollArea()
    area.setObjectName("formScroll")
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(body)
    return area


class _EnterOpens(QObject):
    """Enter or Return on a table's row does what a double-click does (opens or edits it)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            isinstance(watched, QAbstractItemView)
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and event.modifiers() == Qt.KeyboardModifier.NoModifier
            and watched.currentIndex().isValid()
            and watched.state() != QAbstractItemView.State.EditingState
        ):
            watched.doubleClicked.emit(watched.currentIndex())
            return True
        return False


def keyboard_for_tables(widget: QWidget) -> None:
    """Tables behave as in Windows apps: Tab and Shift+Tab move to the next control (the arrows
    walk the cells) and Enter opens the current row as a double-click would."""
    for view in widget.findChildren(QAbstractItemView):
        if view.property("keyboardReady"):
            continue
        view.setProperty("keyboardReady", True)
        view.setTabKeyNavigation(False)
        if view.receivers("2doubleClicked(QModelIndex)") > 0:
            view.installEventFilter(_EnterOpens(view))


class _Keeper(QObject):
    """Sizes the window now; on first show puts back its splitters and maximised state.

    Saves size, maximised state and splitters when the window hides (closed, accepted or
    cancelled) and pulls the window inside the available area each time it is shown.
    """

    def __init__(self, window: QWidget, key: str, *, keep_position: bool) -> None:
        super().__init__(window)
        self.window = window
        self.key = key
        self.keep_position = keep_position
        self.shown = False

    def splitters(self) -> list[QSplitter]:
        return self.window.findChildren(QSplitter)

    def restore_size(self, wanted: QSize) -> None:
        store = settings()
        window = self.window
        saved = store.value(f"{self.key}/size")
        if isinstance(saved, QSize) and saved.isValid():
            wanted = saved
        if wanted.width() <= 0 and wanted.height() <= 0:
            return  # the layout's own size, checked against the screen when shown
        window.resize(_bounded(wanted, available_geometry(window)))
        position = store.value(f"{self.key}/position")
        if self.keep_position and isinstance(position, QPoint):
            window.move(position)

    def first_show(self) -> None:
        self.shown = True
        store = settings()
        window = self.window
        for index, splitter in enumerate(self.splitters()):
            state = store.value(f"{self.key}/splitter{index}")
            if isinstance(state, QByteArray):
                splitter.restoreState(state)
        keyboard_for_tables(window)
        if store.value(f"{self.key}/maximised", False, type=bool):
            window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)

    def save(self) -> None:
        window = self.window
        store = settings()
        maximised = window.isMaximized()
        normal = window.normalGeometry() if maximised else window.geometry()
        if normal.isValid() and not normal.isEmpty():
            store.setValue(f"{self.key}/size", normal.size())
            if self.keep_position:
                store.setValue(f"{self.key}/position", window.pos())
        store.setValue(f"{self.key}/maximised", maximised)
        for index, splitter in enumerate(self.splitters()):
            store.setValue(f"{self.key}/splitter{index}", splitter.saveState())
        store.sync()

    def clamp(self) -> None:
        """Pull the whole window (frame included) inside the available area."""
        window = self.window
        if window.isMaximized() or window.isFullScreen():
            return
        room = available_geometry(window)
        frame = window.frameGeometry()
        extra = QSize(frame.width() - window.width(), frame.height() - window.height())
        width = min(window.width(), room.width() - extra.width())
        height = min(window.height(), room.height() - extra.height())
        if (width, height) != (window.width(), window.height()):
            window.resize(width, height)
            frame = window.frameGeometry()
        x = min(max(frame.left(), room.left()), room.right() + 1 - frame.width())
        y = min(max(frame.top(), room.top()), room.bottom() + 1 - frame.height())
        if (x, y) != (frame.left(), frame.top()):
            window.move(max(x, room.left()), max(y, room.top()))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # While Qt destroys the window, the Python side of this object may already be gone.
        if watched is getattr(self, "window", None) and not event.spontaneous():
            kind = event.type()
            if kind == QEvent.Type.Show:
                if not self.shown:
                    self.first_show()
                self.clamp()
            elif kind == QEvent.Type.Hide:
                self.save()
        return False


def fit_window(
    window: QWidget, key: str, width: int = 0, height: int = 0, *, keep_position: bool = False
) -> None:
    """Open `window` at width×height (or as the user left it), inside the available screen.

    Call it in the constructor in place of `resize`; 0×0 keeps the layout's own size. `key`
    names the window in the settings file (its object name is a good choice). Splitters and the
    maximised state are put back when the window is first shown, once its layout is built.
    """
    keeper = _Keeper(window, key, keep_position=keep_position)
    window.installEventFilter(keeper)
    keeper.restore_size(QSize(width, height))
    window.setProperty("fitKey", key)


def saved_window_keys() -> list[str]:
    """The windows whose size has been remembered (for tests and support)."""
    return sorted(settings().childGroups())


__all__ = [
    "available_geometry",
    "fit_window",
    "force_available_geometry",
    "keyboard_for_tables",
    "saved_window_keys",
    "scrolling",
    "settings",
]
