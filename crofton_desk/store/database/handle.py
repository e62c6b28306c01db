"""Database: one open database, a file or one school's schema on a PostgreSQL server."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from sqlalchemy import URL, Engine
from sqlalchemy.orm import Session, sessionmaker

from crofton_desk.store.database.engine import sqlite_url
from crofton_desk.store.errors import EnvironmentProblem
from crofton_desk.store.server import ServerAddress

Kind = Literal["sqlite", "postgresql"]


class NotAFile(EnvironmentProblem):
    """Something that works on a database file was asked of a server database."""


@dataclass
class Database:
    """One open database: an Engine and a session factory (one Session per user action).

    `kind` is "sqlite" (a file at `path`) or "postgresql" (one school's schema on a server:
    `path` is None there, and `school` names the school). `label` is what screens, messages and
    logs call it (never a password); `url` is the SQLAlchemy URL without any password.

    `network` says where on the network the file is (None: this computer's disk); there the
    rollback journal is used instead of WAL, which a network file system cannot support.
    """

    path: Path | None
    engine: Engine
    session: sessionmaker[Session]
    network: str | None = None
    #: True when the file is read in place on a full or read-only disk (open_for_reading).
    read_only: bool = False
    kind: Kind = "sqlite"
    label: str = ""
    url: URL | None = None
    #: The school's key on a server ("crofton-junior"); None for a file.
    school: str | None = None

    def __post_init__(self) -> None:
        if self.kind == "sqlite" and self.path is not None:
            self.label = self.label or str(self.path)
            self.url = self.url or sqlite_url(self.path)

    @property
    def is_server(self) -> bool:
        return self.kind == "postgresql"

    @property
    def address(self) -> ServerAddress | None:
        """The server's address (no password); None for a file."""
        return ServerAddress(self.url) if self.is_server and self.url is not None else None

    def file(self) -> Path:
        """The database file; a plain refusal for a server database, which has none."""
        if self.path is None:
            raise NotAFile(
                f"{self.label} is on a database server, not in a file: this needs a database "
                "file. Ask IT, who look after the server's backups."
            )
        return self.path

    def dispose(self) -> None:
        self.engine.dispose()
