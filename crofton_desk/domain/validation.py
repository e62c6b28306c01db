"""Errors that describe what a person typed or supplied wrongly.

Widgets show `ValidationError.errors` beside the fields they name; the command line prints them.
Nothing that raises these has written anything.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

#: The Settings screens a message can send a person to: the key names the screen, the title is
#: the menu item's name as the messages write it ("add it in Settings → School profile").
SETTINGS_SCREENS: dict[str, str] = {
    "profile": "School profile",
    "calendar": "School calendar",
    "templates": "Letter templates",
    "categories": "Data categories",
    "backups": "Backups",
    "retention": "Retention",
}


def screen_named_in(text: str) -> str:
    """The key of the Settings screen a message names ("Settings → School calendar"), or ""."""
    for key, title in SETTINGS_SCREENS.items():
        if f"Settings → {title}" in text:
            return key
    return ""


def fix_for(problem: BaseException | str) -> str:
    """Which Settings screen puts a problem right: its own `fix`, else the screen it names."""
    explicit = getattr(problem, "fix", "")
    if isinstance(explicit, str) and explicit:
        return explicit
    return screen_named_in(str(problem))


class ValidationError(Exception):
    """One or more fields are wrong: maps a field name to a plain-English message.

    `fix` names the Settings screen that puts it right (a key of SETTINGS_SCREENS); when not
    given, it is the screen the message names, so the wording and the button never disagree.
    """

    def __init__(self, errors: Mapping[str, str] | str, field: str = "", *, fix: str = "") -> None:
        if isinstance(errors, str):
            errors = {field: errors}
        self.errors: dict[str, str] = dict(errors)
        super().__init__(self.summary())
        if fix and fix not in SETTINGS_SCREENS:
            raise ValueError(f"unknown Settings screen {fix!r}")
        self.fix = fix or screen_named_in(self.summary())

    def summary(self) -> str:
        return "; ".join(self.errors.values())


@dataclass(frozen=True, order=True)
class RowProblem:
    """A problem found in one cell (or one whole row) of an imported file.

    `row` is the spreadsheet row number a person sees (the header is row 1).
    """

    row: int
    column: str
    message: str

    def describe(self) -> str:
        where = f"row {self.row}" if self.row else "file"
        if self.column:
            where += f", column '{self.column}'"
        return f"{where}: {self.message}"


class ImportRejected(ValidationError):
    """A file was refused whole: every problem is listed, nothing was written."""

    def __init__(self, problems: Iterable[RowProblem], source: str = "") -> None:
        self.problems: tuple[RowProblem, ...] = tuple(sorted(problems))
        self.source = source
        count = len(self.problems)
        head = f"{source}: " if source else ""
        noun = "problem" if count == 1 else "problems"
        super().__init__(
            {"file": f"{head}the file was not imported ({count} {noun}); nothing was changed"}
        )

    def lines(self) -> list[str]:
        return [problem.describe() for problem in self.problems]
