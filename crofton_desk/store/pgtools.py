"""PostgreSQL's own pg_dump and pg_restore, when this PC has them: a school's schema as a
custom-format dump, and back.

The tools are looked for on PATH, then where PostgreSQL's installers put them (Windows:
`C:\\Program Files\\PostgreSQL\\<version>\\bin`; Debian: `/usr/lib/postgresql/<version>/bin`),
newest version first (pg_dump refuses a server newer than itself).

The connection is given to the tool through its environment (PGHOST, PGPORT, PGUSER,
PGDATABASE and PGPASSWORD), never on its command line, which other users of the PC can read;
its command line holds only options and file names. The tool's own messages are logged (they
name the server, never a password or a row) and a plain message is raised.
"""

from __future__ import annotations

import glob
import logging
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from crofton_desk.store.backup import BackupFailed, RestoreRefused
from crofton_desk.store.privacy import private_partial
from crofton_desk.store.server import CONNECT_TIMEOUT_SECONDS, ServerAddress

log = logging.getLogger(__name__)

SUFFIX = ".dump"
#: The first bytes of a custom-format dump.
MAGIC = b"PGDMP"
#: Environment variables of ours that may hold a server address with a password in it: never
#: passed on to a child process.
_NOT_PASSED = ("CROFTON_DESK_DB", "CROFTON_TEST_PG", "PGPASSWORD", "PGPASSFILE", "PGSERVICE")
TIMEOUT_SECONDS = 60 * 60


#: A folder holding pg_dump and pg_restore, searched instead of the usual install folders (for a
#: PC where IT put them elsewhere; empty: PATH only, as the tests use it).
BIN_ENV = "CROFTON_DESK_PG_BIN"


def _install_folders() -> list[str]:
    chosen = os.environ.get(BIN_ENV)
    if chosen is not None:
        return [chosen] if chosen.strip() else []
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows
        roots = {os.environ.get("PROGRAMFILES", r"C:\Program Files"), r"C:\Program Files"}
        return [
            found
            for root in roots
            for found in glob.glob(os.path.join(root, "PostgreSQL", "*", "bin"))
        ]
    return glob.glob("/usr/lib/postgresql/*/bin")


def _version_key(folder: str) -> tuple[int, ...]:
    numbers = re.findall(r"\d+", Path(folder).parent.name)
    return tuple(int(number) for number in numbers) or (0,)


def find_tool(name: str) -> Path | None:
    """pg_dump or pg_restore on PATH, else the newest in PostgreSQL's usual install folders."""
    on_path = shutil.which(name)
    if on_path:
        return Path(on_path)
    executable = name + (".exe" if sys.platform == "win32" else "")
    for folder in sorted(_install_folders(), key=_version_key, reverse=True):
        if not folder:
            continue
        candidate = Path(folder) / executable
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def is_dump(path: Path) -> bool:
    try:
        with open(path, "rb") as handle:
            return handle.read(len(MAGIC)) == MAGIC
    except OSError:
        return False


def tool_environment(address: ServerAddress, password: str | None) -> dict[str, str]:
    """The child's environment: ours, less anything that may hold a password, plus the server."""
    env = {key: value for key, value in os.environ.items() if key not in _NOT_PASSED}
    env.update(
        PGHOST=address.host,
        PGPORT=str(address.port),
        PGUSER=address.user,
        PGDATABASE=address.database,
        PGCONNECT_TIMEOUT=str(CONNECT_TIMEOUT_SECONDS),
        PGAPPNAME="Crofton Desk",
    )
    sslmode = address.url.query.get("sslmode")
    if isinstance(sslmode, str):
        env["PGSSLMODE"] = sslmode
    if password is not None:
        env["PGPASSWORD"] = password
    return env


@dataclass(frozen=True)
class ToolRun:
    argv: list[str]
    returncode: int
    stderr: str


def _run(tool: Path, args: list[str], address: ServerAddress, password: str | None) -> ToolRun:
    argv = [str(tool), "--no-password", *args]
    try:
        finished = subprocess.run(
            argv,
            env=tool_environment(address, password),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=TIMEOUT_SECONDS,
            creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0),
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return ToolRun(argv, -1, f"{type(exc).__name__}: {exc}")
    stderr = finished.stderr.decode("utf-8", "replace")
    return ToolRun(argv, finished.returncode, stderr)


def _first_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[0][:300] if lines else "no message"


def dump_schema(
    tool: Path, address: ServerAddress, password: str | None, schema: str, target: Path
) -> Path:
    """`pg_dump -n schema -Fc` into `target`, via an owner-only `<target>.partial`."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with private_partial(target) as partial:  # pg_dump truncates it: owner-only throughout
        run = _run(
            tool,
            ["--format=custom", f"--schema={schema}", f"--file={partial}"],
            address,
            password,
        )
        if run.returncode != 0 or not is_dump(partial):
            log.warning(
                "pg_dump of %s failed (%s): %s", schema, run.returncode, _first_line(run.stderr)
            )
            raise BackupFailed(
                f"PostgreSQL's pg_dump could not back up {address.label()} "
                f"({_first_line(run.stderr)})."
            )
    return target


@dataclass(frozen=True)
class DumpFacts:
    schemas: tuple[str, ...]
    revision: str | None


_COPY_VERSION = re.compile(
    r"^COPY [^\n]*alembic_version[^\n]*FROM stdin;\n(?P<rows>.*?)^\\\.$", re.M | re.S
)


def dump_facts(tool: Path, dump: Path) -> DumpFacts:
    """The schemas a dump holds and its schema stamp, read with pg_restore (no server needed)."""
    listed = subprocess.run(
        [str(tool), "--list", str(dump)],
        capture_output=True,
        stdin=subprocess.DEVNULL,
        timeout=TIMEOUT_SECONDS,
        creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0),
        check=False,
    )
    if listed.returncode != 0:
        raise RestoreRefused(
            f"{dump.name} cannot be restored: pg_restore cannot read it "
            f"({_first_line(listed.stderr.decode('utf-8', 'replace'))}). "
            "The school's data was not changed."
        )
    schemas = tuple(
        sorted(
            {
                match[1]
                for match in re.finditer(
                    r"^\d+; \d+ \d+ SCHEMA - (\S+) ", listed.stdout.decode("utf-8", "replace"), re.M
                )
            }
        )
    )
    data = subprocess.run(
        [str(tool), "--data-only", "--table=alembic_version", "--file=-", str(dump)],
        capture_output=True,
        stdin=subprocess.DEVNULL,
        timeout=TIMEOUT_SECONDS,
        creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0),
        check=False,
    )
    revision = None
    found = _COPY_VERSION.search(data.stdout.decode("utf-8", "replace"))
    if found:
        rows = [row.strip() for row in found["rows"].splitlines() if row.strip()]
        revision = rows[0] if rows else None
    return DumpFacts(schemas, revision)


def _conninfo_dbname(name: str) -> str:
    """`dbname='…'` (a name alone would be taken as a connection string if it held "=")."""
    return "dbname='" + name.replace("\\", "\\\\").replace("'", "\\'") + "'"


def restore_dump(tool: Path, address: ServerAddress, password: str | None, dump: Path) -> None:
    """`pg_restore --clean` of the dump into its schema, all in one transaction (a failure part
    way changes nothing)."""
    run = _run(
        tool,
        [
            "--clean",
            "--if-exists",
            "--single-transaction",
            "--exit-on-error",
            "--no-owner",
            "--no-privileges",
            f"--dbname={_conninfo_dbname(address.database)}",
            str(dump),
        ],
        address,
        password,
    )
    if run.returncode != 0:
        log.warning(
            "pg_restore of %s failed (%s): %s", dump.name, run.returncode, _first_line(run.stderr)
        )
        raise RestoreRefused(
            f"{dump.name} could not be restored by PostgreSQL's pg_restore "
            f"({_first_line(run.stderr)}). The school's data was not changed."
        )
