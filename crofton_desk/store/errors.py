"""Known environment problems, each with a message a school office can act on."""

from __future__ import annotations


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
