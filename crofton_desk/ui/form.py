"""Form helpers: a field with its error message shown right beside it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TypeVar

from PySide6.QtWidgets import QAbstractButton, QFormLayout, QLabel, QVBoxLayout, QWidget

from crofton_desk.domain.validation import ValidationError
from crofton_desk.ui import theme

T = TypeVar("T")


class FieldErrors:
    """Keeps one error label under each field of a QFormLayout, keyed by field name."""

    def __init__(self) -> None:
        self.labels: dict[str, QLabel] = {}

    def add_row(
        self, form: QFormLayout, name: str, label: str, widget: QWidget, *, required: bool = False
    ) -> None:
        holder = QWidget()
        box = QVBoxLayout(holder)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        box.addWidget(widget)
        error = QLabel()
        error.setObjectName(f"error_{name}")
        theme.set_tone(error, "error")
        error.setWordWrap(True)
        error.hide()
        box.addWidget(error)
        self.labels[name] = error
        form.addRow(f"{label} *" if required else label, holder)

    def show(self, errors: Mapping[str, str]) -> list[str]:
        """Show each message beside its field; returns messages for fields with no label."""
        unplaced: list[str] = []
        for name, label in self.labels.items():
            message = errors.get(name, "")
            label.setText(message)
            label.setVisible(bool(message))
        for name, message in errors.items():
            if name not in self.labels:
                unplaced.append(message)
        return unplaced

    def clear(self) -> None:
        self.show({})

    def text(self, name: str) -> str:
        label = self.labels.get(name)
        return label.text() if label is not None and not label.isHidden() else ""


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
