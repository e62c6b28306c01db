"""The `crofton-desk` command: no subcommand opens the window; subcommands do admin work.

Every subcommand exits 0 on success and non-zero with a one-line reason on failure; nothing
prints a traceback (the log file keeps it).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from crofton_desk import __version__
from crofton_desk.domain.validation import ImportRejected, ValidationError
from crofton_desk.logsetup import setup_logging
from crofton_desk.services.startup import EnvironmentProblem, default_database, is_server_target
from crofton_desk.services.tables import TABLE_KINDS, table_file

if TYPE_CHECKING:
    from crofton_desk.services.app import Database

log = logging.getLogger(__name__)


class CommandFailed(Exception):
    """A subcommand's one-line reason for failing."""


SCHOOL_ENV = "CROFTON_DESK_SCHOOL"


def _target(args: argparse.Namespace) -> Path | str:
    """--db (or $CROFTON_DESK_DB): a file's path, or a server address kept as text."""
    if args.db:
        return args.db.strip() if is_server_target(args.db) else Path(args.db)
    return default_database()


def _school(args: argparse.Namespace) -> str | None:
    return getattr(args, "school", None) or os.environ.get(SCHOOL_ENV) or None


def _password(target: Path | str) -> str | None:
    """For a server with no password in the address or the keyring: asked for when someone is
    at the keyboard (never echoed); otherwise the server's refusal says what is missing."""
    if isinstance(target, Path):
        return None
    from crofton_desk.services.app import password_for, target_label

    if password_for(target) is not None or not sys.stdin.isatty():
        return None
    import getpass

    return getpass.getpass(f"Password for {target_label(target)}: ")


def _open(args: argparse.Namespace) -> Database:
    from crofton_desk.services.app import open_app_database

    target = _target(args)
    return open_app_database(target, school=_school(args), password=_password(target))


def _open_to_read(args: argparse.Namespace) -> Database:
    """For commands that only read: they still work on a full or read-only disk."""
    from crofton_desk.services.app import open_app_database_for_reading

    target = _target(args)
    return open_app_database_for_reading(target, school=_school(args), password=_password(target))


def cmd_check(args: argparse.Namespace) -> int:
    from crofton_desk.services.app import check_database

    target = _target(args)
    result = check_database(target, school=_school(args), password=_password(target))
    print(result.line)
    return 0 if result.ok else 1


def cmd_backup(args: argparse.Namespace) -> int:
    from crofton_desk.services import backup

    db = _open_to_read(args)
    try:
        target = backup.backup_now(db, Path(args.dest) if args.dest else None)
    finally:
        db.dispose()
    print(f"Backed up to {target}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    """A file database, or a school on a server (which also takes a database file or a portable
    export: how a school moves onto the server). Another school's backup goes in only when
    --school names the school it is to replace, on the command line."""
    from crofton_desk.services import backup

    target = _target(args)
    if isinstance(target, Path):
        outcome = backup.restore_from(target, Path(args.file))
    else:
        db = _open_or_make_school(args, Path(args.file))
        try:
            outcome = backup.restore_onto_server(
                db, Path(args.file), other_school_ok=bool(args.school)
            )
        finally:
            db.dispose()
    print(outcome)
    return 0


def _open_or_make_school(args: argparse.Namespace, source: Path) -> Database:
    """The school to restore into; a school named with --school that the server does not hold
    yet is made first (named as in the backup), so a trust's schools move in one by one."""
    from crofton_desk.services import backup
    from crofton_desk.services.app import SchoolNotFound, create_school

    try:
        return _open(args)
    except SchoolNotFound:
        name = backup.school_name_in(source) if source.is_file() else ""
        if not args.school or not name:
            raise
    target = _target(args)
    password = _password(target)
    create_school(str(target), args.school, name, password=password)
    print(f"Made the school {args.school} ({name}) for the restore")
    return _open(args)


def cmd_import(args: argparse.Namespace) -> int:
    service = table_file(args.kind)
    db = _open(args)
    try:
        options = {"mark_missing_left": True} if getattr(args, "mark_missing_left", False) else {}
        plan = service.plan_import(db, Path(args.file), **options)
        for warning in plan.warnings:
            print(f"warning: {warning.describe()}", file=sys.stderr)
        if plan.problems:
            for problem in plan.problems:
                print(problem.describe(), file=sys.stderr)
            raise ImportRejected(plan.problems, Path(args.file).name)
        summary = service.apply_import(db, plan)
    finally:
        db.dispose()
    print(summary)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    service = table_file(args.kind)
    db = _open_to_read(args)
    try:
        from crofton_desk.services import audit

        target = Path(args.file)
        if db.read_only:  # a full or read-only disk: the trail cannot take the entry
            count = service.export_file(db, target)
            log.warning("Export of %s not recorded in the audit trail: read-only", args.kind)
            print(
                "warning: this export is not in the audit trail: the database can only be read "
                "just now (full or read-only disk)",
                file=sys.stderr,
            )
        else:
            count = audit.exported(db, args.kind, target, lambda: service.export_file(db, target))
    finally:
        db.dispose()
    print(f"Exported {count} {args.kind} to {args.file}")
    return 0


def cmd_letter(args: argparse.Namespace) -> int:
    from crofton_desk.services import case_letters, letters

    db = _open_to_read(args)
    try:
        if case_letters.is_case_reference(args.reference):
            pdf = case_letters.letter_pdf(db, args.kind, args.reference)
        else:
            pdf = letters.letter_pdf(db, args.kind, args.reference)
    finally:
        db.dispose()
    _write_pdf(Path(args.out), pdf)
    print(f"Wrote the {args.kind} letter for {args.reference} to {args.out}")
    return 0


def cmd_policy(args: argparse.Namespace) -> int:
    from crofton_desk.services import policy

    db = _open_to_read(args)
    try:
        pdf = policy.policy_pdf(db)
    finally:
        db.dispose()
    _write_pdf(Path(args.out), pdf)
    print(f"Wrote the Data Sharing Policy to {args.out}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from crofton_desk.services import demo

    db = _open(args)
    try:
        summary = demo.fill(db, pupils=args.pupils, transfers=args.transfers)
    finally:
        db.dispose()
    print(summary)
    return 0


def _server_address(args: argparse.Namespace, command: str) -> str:
    target = _target(args)
    if isinstance(target, Path):
        raise CommandFailed(
            f"'{command}' works on a server database (--db postgresql://user@host/dbname); "
            "a database file holds one school"
        )
    return target


def cmd_schools(args: argparse.Namespace) -> int:
    from crofton_desk.services.app import list_schools

    address = _server_address(args, "schools")
    schools = list_schools(address, password=_password(address))
    for entry in schools:
        print(f"{entry.key}\t{entry.name}")
    if not schools:
        print("no school yet (add one: crofton-desk --db ADDRESS add-school KEY NAME)")
    return 0


def cmd_add_school(args: argparse.Namespace) -> int:
    from crofton_desk.services import connection

    address = _server_address(args, "add-school")
    entry = connection.add_school(
        address, args.key, " ".join(args.name), password=_password(address)
    )
    print(f"Added school {entry.key}: {entry.name}")
    return 0


def cmd_self_test(args: argparse.Namespace) -> int:
    from crofton_desk.services import selftest
    from crofton_desk.ui import self_check

    for line in selftest.run(more_steps=self_check.steps):
        print(line)
    return 0


def _write_pdf(path: Path, pdf: bytes) -> None:
    if path.suffix.lower() != ".pdf":
        raise CommandFailed(f"--out must name a .pdf file, not '{path.name}'")
    from crofton_desk.services.app import write_private

    write_private(path, pdf)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="crofton-desk",
        description="Crofton Desk: data sharing, transfers, access requests and policy review "
        "for a school office. With no command, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"Crofton Desk {__version__}")
    parser.add_argument(
        "--db",
        metavar="PATH|URL",
        help="database file, or a PostgreSQL server as postgresql://user@host[:port]/dbname "
        "(default: $CROFTON_DESK_DB, else the file in the application-data folder)",
    )
    parser.add_argument(
        "--school",
        metavar="KEY",
        help="on a server holding several schools, which one (e.g. crofton-junior; "
        "default: $CROFTON_DESK_SCHOOL, else the only one)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def add(
        name: str, handler: Callable[[argparse.Namespace], int], text: str
    ) -> argparse.ArgumentParser:
        command = sub.add_parser(name, help=text, description=text)
        command.set_defaults(handler=handler)
        return command

    add("check", cmd_check, "integrity and schema-version check; one line, exit 0 when all is well")
    add("backup", cmd_backup, "back the database up now").add_argument(
        "dest",
        nargs="?",
        help="folder, .sqlite file, or .zip (a portable export); on a server also .dump "
        "(pg_dump's). Default: the backup folder",
    )
    add("restore", cmd_restore, "replace the database with a checked backup").add_argument(
        "file",
        help="the backup to restore: .sqlite, .zip (a portable export, from a file or a server) "
        "or, onto a server, .dump",
    )
    importer = add("import", cmd_import, "import a CSV or XLSX file (all or nothing)")
    importer.add_argument("kind", choices=TABLE_KINDS)
    importer.add_argument("file")
    importer.add_argument(
        "--mark-missing-left",
        action="store_true",
        help="pupils only: mark pupils on roll but missing from the file as left",
    )
    exporter = add("export", cmd_export, "export to a CSV or XLSX file")
    exporter.add_argument("kind", choices=TABLE_KINDS)
    exporter.add_argument("file")
    letter = add("letter", cmd_letter, "write a request's letter as a PDF")
    letter.add_argument(
        "kind",
        help="identity-request, acknowledgement, extension, ...; foi-acknowledgement, "
        "foi-refusal, complaint-outcome, ...; breach-report for a breach's summary",
    )
    letter.add_argument(
        "reference", help="the request's reference, e.g. SAR-2026-004, FOI-2026-001, BR-2026-002"
    )
    letter.add_argument("--out", required=True, metavar="FILE.pdf")
    add(
        "policy", cmd_policy, "write the Data Sharing Policy from the register as a PDF"
    ).add_argument("--out", required=True, metavar="FILE.pdf")
    demo = add("demo", cmd_demo, "fill the database with realistic sample data")
    demo.add_argument("--pupils", type=int, default=240, metavar="N")
    demo.add_argument("--transfers", type=int, default=1500, metavar="N")
    add("schools", cmd_schools, "list the schools in a server database (key and name)")
    adder = add(
        "add-school",
        cmd_add_school,
        "add a school to a server database: its own schema, migrated and seeded",
    )
    adder.add_argument("key", help="lower-case letters, digits and hyphens, e.g. crofton-infant")
    adder.add_argument("name", nargs="+", help="the school's name, e.g. Crofton Infant School")
    add(
        "self-test",
        cmd_self_test,
        "smoke test: temporary database, time zones, letters, the policy, every module "
        "and the main window (offscreen)",
    )
    return parser


def run_command(args: argparse.Namespace) -> int:
    try:
        handler: Callable[[argparse.Namespace], int] = args.handler
        return handler(args)
    except ImportRejected as exc:
        print(f"error: {exc.summary()}", file=sys.stderr)
        return 1
    except ValidationError as exc:
        print(f"error: {exc.summary()}", file=sys.stderr)
        return 1
    except (EnvironmentProblem, CommandFailed) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"error: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), file=sys.stderr)
        return 1
    except Exception as exc:
        log.exception("command failed")
        # The class only: an unexpected error's text may quote a pupil's details.
        print(f"error: unexpected failure ({type(exc).__name__}); see the log", file=sys.stderr)
        return 2


def main(argv: Sequence[str] | None = None) -> int:
    from crofton_desk.services.startup import remove_stale_temp_files, restrict_umask

    restrict_umask()  # everything this process writes is owner-only, whatever the umask
    parser = build_parser()
    args = parser.parse_args(argv)
    chosen_before = bool(args.db or os.environ.get("CROFTON_DESK_DB"))
    if args.db:
        os.environ.setdefault("CROFTON_DESK_DB", args.db)
    setup_logging()
    if args.command is None:
        from crofton_desk.ui.app import run_gui

        target = _target(args)
        try:
            password = _password(target)
        except EnvironmentProblem as exc:  # an address that is not one
            print(f"error: {exc}", file=sys.stderr)
            return 1
        # It sweeps the temporary files after the first paint.
        chosen = chosen_before or _school(args) is not None
        return run_gui(target, school=_school(args), password=password, chosen=chosen)
    remove_stale_temp_files()  # what a killed export left (pupils' details)
    return run_command(args)
