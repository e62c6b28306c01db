"""Form helpers: a field with its error message beside it, and forms that never lose typing.

- `FieldErrors` shows each message under its field and, after a refused Save, puts the focus
  on the first field in error (scrolled into view), never on Cancel.
- `ask_before_discarding(dialog)` makes Escape and the window's × ask before a changed form is
  thrown away (Cancel still cancels at once: it says what it does).
- `enter_picks(search, results, pick)` and `enter_opens(search, table, open_row)` make Enter in
  a search box pick the highlighted result instead of pressing the dialog's default button.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TypeVar

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QScrollArea,
    QTableView,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from crofton_desk.domain.validation import ValidationError
from crofton_desk.ui import theme

T = TypeVar("T")


class FieldErrors:
    """Keeps one error label under each field of a QFormLayout, keyed by field name."""

    def __init__(self) -> None:
        self.labels: dict[str, QLabel] = {}
        self.fields: dict[str, QWidget] = {}

    def add_row(
        self, form: QFormLayout, name: str, label: str, widget: QWidget, *, required: bool = False
    ) -> None:
        holder = QWidget()
        box = QVBoxLayout(holder)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        box.addWidget(widget)
        own = getattr(widget, "message", None)  # a DateField has its message beside it
        error = own if isinstance(own, QLabel) else QLabel()
        error.setObjectName(f"error_{name}")
        theme.set_tone(error, "error")
        error.setWordWrap(True)
        error.hide()
        if error is not own:
            box.addWidget(error)
        self.labels[name] = error
        self.fields[name] = widget
        form.addRow(f"{label} *" if required else label, holder)

    def show(self, errors: Mapping[str, str], *, focus: bool = True) -> list[str]:
        """Show each message beside its field; returns messages for fields with no label.

        With `focus` (after a refused Save) the cursor goes to the first field in error; a live
        check while the person types passes False so the cursor stays where they are typing.
        """
        unplaced: list[str] = []
        for name, label in self.labels.items():
            message = errors.get(name, "")
            label.setText(message)
            label.setVisible(bool(message))
        for name, message in errors.items():
            if name not in self.labels:
                unplaced.append(message)
        first = next((name for name in self.fields if errors.get(name)), None)
        if first is not None and focus:
            focus_field(self.fields[first])
        return unplaced

    def clear(self) -> None:
        self.show({})

    def text(self, name: str) -> str:
        label = self.labels.get(name)
        return label.text() if label is not None and not label.isHidden() else ""


def focus_field(widget: QWidget) -> None:
    """Put the cursor in `widget` (or the first control inside it), scrolled into view."""
    target: QWidget | None = widget
    if widget.focusPolicy() == Qt.FocusPolicy.NoFocus:
        target = next(
            (
                child
                for child in widget.findChildren(QWidget)
                if child.focusPolicy() != Qt.FocusPolicy.NoFocus
                and child.isEnabled()
                and not child.isHidden()
            ),
            None,
        )
    if target is None:
        return
    parent = target.parentWidget()
    while parent is not None:
        area = parent.parentWidget()
        if isinstance(area, QScrollArea):
            area.ensureWidgetVisible(target)
        parent = area
    target.setFocus(Qt.FocusReason.OtherFocusReason)  # the cursor stays where it was in the text


def form_state(root: QWidget, ignore: tuple[QWidget, ...] = ()) -> list[object]:
    """What a person has typed or chosen in `root`, to tell whether the form has changed."""
    state: list[object] = []
    for widget in root.findChildren(QWidget):
        if widget in ignore or any(holder.isAncestorOf(widget) for holder in ignore):
            continue
        if isinstance(widget, QLineEdit) and not widget.isReadOnly():
            if not isinstance(widget.parentWidget(), (QComboBox, QAbstractSpinBox)):
                state.append(widget.text())
        elif isinstance(widget, (QPlainTextEdit, QTextEdit)) and not widget.isReadOnly():
            state.append(widget.toPlainText())
        elif isinstance(widget, QComboBox):
            state.append((widget.currentIndex(), widget.currentText()))
        elif isinstance(widget, QAbstractSpinBox):
            state.append(widget.text())
        elif isinstance(widget, QAbstractButton) and widget.isCheckable():
            state.append(widget.isChecked())
        elif isinstance(widget, QListWidget):
            items = [widget.item(row) for row in range(widget.count())]
            state.append([(item.text(), item.checkState()) for item in items])
    return state


class DiscardGuard(QObject):
    """Asks before Escape or × throws away a form that has changed since it was shown."""

    TITLE = "Discard your changes?"
    QUESTION = (
        "You have changed this form and not saved it.\n\n"
        "Discard the changes and close it, or go back to it?"
    )

    def __init__(self, dialog: QDialog, ignore: tuple[QWidget, ...]) -> None:
        super().__init__(dialog)
        self.dialog = dialog
        self.ignore = ignore
        self.clean: list[object] | None = None

    def mark_clean(self) -> None:
        """The form as it is now counts as unchanged (after loading or saving)."""
        self.clean = form_state(self.dialog, self.ignore)

    def changed(self) -> bool:
        return self.clean is not None and form_state(self.dialog, self.ignore) != self.clean

    def may_discard(self) -> bool:
        if not self.changed():
            return True
        answer = QMessageBox.question(
            self.dialog,
            self.TITLE,
            self.QUESTION,
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Discard

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is not getattr(self, "dialog", None):
            return False
        kind = event.type()
        if kind == QEvent.Type.Show and self.clean is None:
            self.mark_clean()
        elif (
            kind == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape
        ):
            return not self.may_discard()  # True: the key is eaten, the form stays
        elif kind == QEvent.Type.Close and not self.may_discard():
            event.ignore()
            return True
        return False


def ask_before_discarding(dialog: QDialog, *, ignore: tuple[QWidget, ...] = ()) -> DiscardGuard:
    """Make Escape and × ask before a changed form is closed; `ignore` holds search boxes.

    The form counts as unchanged as it is when first shown; call `mark_clean()` on the result
    after the dialog reloads its fields.
    """
    guard = DiscardGuard(dialog, ignore)
    dialog.installEventFilter(guard)
    return guard


class _EnterChooses(QObject):
    """Enter in a search box (or in its results) runs `choose`; Down goes into the results."""

    def __init__(
        self, search: QLineEdit, results: QAbstractItemView, choose: Callable[[], object]
    ) -> None:
        super().__init__(search)
        self.search = search
        self.results = results
        self.choose = choose

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.choose()
            return True  # never the dialog's default button
        model = self.results.model()
        if watched is self.search and key == Qt.Key.Key_Down and model.rowCount():
            self.results.setFocus()
            if not self.results.currentIndex().isValid():
                self.results.setCurrentIndex(model.index(0, 0))
            return True
        return False


def _listen(search: QLineEdit, results: QAbstractItemView, choose: Callable[[], object]) -> None:
    keys = _EnterChooses(search, results, choose)
    search.installEventFilter(keys)
    results.installEventFilter(keys)


def enter_picks(
    search: QLineEdit, results: QListWidget, pick: Callable[[QListWidgetItem], object]
) -> None:
    """Enter in `search` (or in its results) picks the highlighted result (the first if none is);
    Down moves from the search box into the results."""

    def choose() -> None:
        item = results.currentItem() or (results.item(0) if results.count() else None)
        if item is not None:
            pick(item)

    _listen(search, results, choose)


def enter_opens(
    search: QLineEdit,
    table: QAbstractItemView,
    open_row: Callable[[], object],
    *,
    first: Callable[[], object] | None = None,
) -> None:
    """Enter in `search` opens the highlighted row of `table` (the first if none is), as a
    double-click would; `first` runs before (e.g. a search still waiting on its timer)."""

    def choose() -> None:
        if first is not None:
            first()
        model = table.model()
        if not model.rowCount():
            return
        if not table.selectionModel().hasSelection():
            table.setCurrentIndex(model.index(0, 0))
            if isinstance(table, QTableView):
                table.selectRow(0)
        open_row()

    _listen(search, table, choose)


def save_once(
    parent: QWidget, button: QAbstractButton, errors: FieldErrors, action: Callable[[], T]
) -> T | None:
    """Run a dialog's save with its button disabled (a double click saves once).

    A ValidationError is shown beside the fields it names, anything else in a plain dialog;
    either way the button comes back so the person can correct and try again, and None is
    returned. On success the button stays disabled: the dialog is about to close.
    """
    from crofton_desk.ui.errors import show_problem

    button.setEnabled(False)
    try:
        return action()
    except ValidationError as exc:
        errors.show(exc.errors)
    except Exception as exc:
        show_problem(parent, exc)
    button.setEnabled(True)
    return None
