"""A fresh server database per test for the trust tests, dropped afterwards even when the
server's autovacuum is still busy in it (a non-superuser's DROP … WITH (FORCE) cannot end a
superuser's worker: it is retried for a few seconds)."""

from __future__ import annotations

import time
from collections.abc import Iterator

from sqlalchemy.exc import ProgrammingError

from tests import postgres


def fresh_server() -> Iterator[str]:
    name = f"crofton_trust_{time.monotonic_ns()}"
    url = postgres.create_database(name)
    try:
        yield url
    finally:
        for attempt in range(20):
            try:
                postgres.drop_database(name)
                break
            except ProgrammingError:
                if attempt == 19:
                    raise
                time.sleep(0.5)
