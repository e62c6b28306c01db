"""Errors that describe what a person typed or supplied wrongly.

Widgets show `ValidationError.errors` beside the fields they name; the command line prints them.
Nothing that raises these has written anything.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass


class ValidationError(Exception):
    """One or more fields are wrong: maps a field name to a plain-English message."""

    def __init__(self, errors: Mapping[str, str] | str, field: str = "") -> None:
        if isinstance(errors, str):
            errors = {field: errors}
        self.errors: dict[str, str] = dict(errors)
        super().__init__(self.summary())

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


class NotBuiltYet(Exception):
    """A feature whose issue has not landed yet: said plainly, never faked."""
