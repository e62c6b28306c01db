"""Known environment problems, each with a message a school office can act on."""

from __future__ import annotations

from datetime import UTC, datetime


class EnvironmentProblem(Exception):
    """Something outside the user's typing went wrong; `str(exc)` is the plain message."""


class DatabaseNewerThanApp(EnvironmentProblem):
    pass


class NotACroftonDatabase(EnvironmentProblem):
    pass


class DatabaseCorrupt(EnvironmentProblem):
    pass


class DatabaseInUse(EnvironmentProblem):
    """Another copy of Crofton Desk has this database open."""


class DatabaseBusy(EnvironmentProblem):
    """SQLite stayed locked for longer than the busy timeout."""


class DatabaseReadOnly(EnvironmentProblem):
    pass


class DiskFull(EnvironmentProblem):
    pass


class EditConflict(Exception):
    """Someone else saved (or deleted) the record while this person was editing it.

    Nothing was written. `user`, `at` (UTC, as the audit trail keeps it) and `fields` say who
    changed what, when the audit trail knows; `current_version` is the version now stored, which
    a dialog keeps if the person chooses to go on editing and save over the change they saw.
    A record given a new reference meanwhile counts as `deleted` (it cannot be saved under the
    old one) with `moved_to` naming the new reference. `str(exc)` is the plain message.
    """

    def __init__(
        self,
        what: str,
        *,
        user: str = "",
        at: datetime | None = None,
        fields: tuple[str, ...] = (),
        deleted: bool = False,
        current_version: int | None = None,
        moved_to: str = "",
        now: datetime | None = None,
    ) -> None:
        self.what = what
        self.user = user
        self.at = at
        self.fields = fields
        self.deleted = deleted
        self.current_version = current_version
        self.moved_to = moved_to  # a record given a new reference meanwhile (`deleted` is True)
        super().__init__(self._message(now))

    def _when(self, now: datetime | None) -> str:
        if self.at is None:
            return ""
        local = self.at.replace(tzinfo=UTC).astimezone()
        today = (now or datetime.now(UTC)).astimezone().date()
        if local.date() == today:
            return f" at {local:%H:%M}"
        return f" on {local.day} {local:%B} at {local:%H:%M}"

    def _message(self, now: datetime | None) -> str:
        who = self.user or "Someone else"
        when = self._when(now)
        if self.deleted and self.moved_to:
            return (
                f"{who} changed this {self.what}{when} while you were editing: it is now "
                f"{self.moved_to}. Your changes are not saved: close this form and open "
                f"{self.moved_to} to make them."
            )
        if self.deleted:
            return (
                f"{who} deleted this {self.what}{when} while you were editing. Your changes are "
                "not saved: copy anything you need from the form, then close it."
            )
        fields = f": {', '.join(self.fields)}" if self.fields else ""
        return (
            f"{who} changed this {self.what}{when} while you were editing{fields}. "
            "Your changes are not saved yet."
        )
