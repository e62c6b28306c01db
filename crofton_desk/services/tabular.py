"""Reading and writing the spreadsheets a school office exchanges: CSV and Excel (.xlsx).

Every importer reads through `read_table` and every exporter writes through `write_table`, so the
awkward parts are solved once: Excel's two CSV encodings on Windows (UTF-8 with a BOM, and
Windows-1252), header names in any case and with aliases, blank and stray rows, and cells that
Excel would run as formulas.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from crofton_desk.domain.validation import ImportRejected, RowProblem
from crofton_desk.store.privacy import create_private, make_private

MAX_CELL = 10_000
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
SUPPORTED = (".csv", ".xlsx")


@dataclass(frozen=True)
class TableRow:
    number: int  # the row number a person sees in Excel (header = 1)
    values: Mapping[str, str]

    def get(self, column: str) -> str:
        return self.values.get(column, "")


@dataclass(frozen=True)
class Table:
    source: str
    columns: tuple[str, ...]  # canonical names found in the header
    rows: tuple[TableRow, ...]


def normalise_header(text: str) -> str:
    return " ".join(text.replace("_", " ").replace("-", " ").split()).casefold()


def _decode(raw: bytes) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        # Excel's "CSV" on an English Windows PC is Windows-1252; latin-1 catches its gaps.
        try:
            return raw.decode("cp1252")
        except UnicodeDecodeError:
            return raw.decode("latin-1")


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        if value.time() == datetime.min.time():
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _raw_rows(path: Path) -> list[list[str]]:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        raw = path.read_bytes()
        if b"\x00" in raw[:4096] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise ImportRejected(
                [RowProblem(0, "", "this is not a CSV file (it contains binary data)")],
                path.name,
            )
        text = _decode(raw)
        try:
            dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        try:
            return [list(row) for row in csv.reader(io.StringIO(text, newline=""), dialect)]
        except csv.Error as exc:
            raise ImportRejected(
                [RowProblem(0, "", f"the CSV file cannot be read: {exc}")], path.name
            ) from None
    if suffix == ".xlsx":
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many types for a damaged file
            raise ImportRejected(
                [RowProblem(0, "", f"this is not an Excel workbook that can be read ({exc})")],
                path.name,
            ) from None
        try:
            sheet = workbook.worksheets[0]
            return [[_cell_text(cell) for cell in row] for row in sheet.iter_rows(values_only=True)]
        finally:
            workbook.close()
    raise ImportRejected(
        [
            RowProblem(
                0, "", f"files ending '{suffix or '(none)'}' cannot be imported: use .csv or .xlsx"
            )
        ],
        path.name,
    )


def read_table(
    path: Path | str,
    *,
    columns: Mapping[str, Sequence[str]],
    required: Iterable[str],
) -> Table:
    """Read a CSV or XLSX file into canonical columns.

    `columns` maps each canonical column to the header spellings accepted for it (compared
    case-insensitively, '_' and '-' read as spaces). Blank rows are skipped. Missing required
    columns and over-long cells reject the file with every problem listed.
    """
    path = Path(path)
    try:
        raw_rows = _raw_rows(path)
    except OSError as exc:
        raise ImportRejected(
            [RowProblem(0, "", f"the file cannot be opened: {exc.strerror or exc}")], path.name
        ) from None
    header_index = next(
        (index for index, row in enumerate(raw_rows) if any(cell.strip() for cell in row)), None
    )
    if header_index is None:
        raise ImportRejected([RowProblem(0, "", "the file is empty")], path.name)
    header = [normalise_header(cell) for cell in raw_rows[header_index]]
    lookup = {
        normalise_header(alias): canonical
        for canonical, aliases in columns.items()
        for alias in (canonical, *aliases)
    }
    positions: dict[str, int] = {}
    for position, name in enumerate(header):
        canonical = lookup.get(name)
        if canonical and canonical not in positions:
            positions[canonical] = position
    missing = [name for name in required if name not in positions]
    if missing:
        found = ", ".join(cell for cell in raw_rows[header_index] if cell.strip()) or "nothing"
        raise ImportRejected(
            [
                RowProblem(
                    header_index + 1,
                    name,
                    f"required column '{name}' is missing (the header row has: {found})",
                )
                for name in missing
            ],
            path.name,
        )
    problems: list[RowProblem] = []
    rows: list[TableRow] = []
    for index in range(header_index + 1, len(raw_rows)):
        raw = raw_rows[index]
        if not any(cell.strip() for cell in raw):
            continue
        values: dict[str, str] = {}
        for name, position in positions.items():
            cell = raw[position].strip() if position < len(raw) else ""
            if len(cell) > MAX_CELL:
                problems.append(
                    RowProblem(index + 1, name, f"the cell is too long ({len(cell)} characters)")
                )
                cell = cell[:MAX_CELL]
            values[name] = cell
        rows.append(TableRow(number=index + 1, values=values))
    if problems:
        raise ImportRejected(problems, path.name)
    return Table(source=path.name, columns=tuple(positions), rows=tuple(rows))


def safe_cell(value: Any) -> Any:
    """Make a value safe to open in Excel: text that starts like a formula gets a leading '."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def write_table(path: Path | str, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Write rows to .csv (UTF-8 with BOM, which Excel opens correctly) or .xlsx.

    Written to a temporary file first and moved into place, so a failure leaves no half file.
    Returns the number of data rows.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise ValueError(f"Cannot export to '{suffix or path.name}': use a .csv or .xlsx file name")
    partial = path.with_name(path.name + ".partial")
    count = 0
    try:
        create_private(partial)  # pupils' details: owner-only from the first byte
        if suffix == ".csv":
            with open(partial, "w", encoding="utf-8-sig", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow(headers)
                for row in rows:
                    writer.writerow([safe_cell(_cell_text(value)) for value in row])
                    count += 1
        else:
            from openpyxl import Workbook
            from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

            def xlsx_cell(value: Any) -> Any:
                # Control characters cannot be stored in a workbook; drop them, then guard
                # against formulas (so a leading '=' behind a control character is caught too).
                if isinstance(value, str):
                    value = ILLEGAL_CHARACTERS_RE.sub("", value)
                return safe_cell(value)

            workbook = Workbook(write_only=True)
            sheet = workbook.create_sheet()
            sheet.append([xlsx_cell(header) for header in headers])
            for row in rows:
                sheet.append([xlsx_cell(value) for value in row])
                count += 1
            workbook.save(partial)
        partial.replace(path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    make_private(path)
    return count


@dataclass(frozen=True)
class ImportPlan:
    """What an import would do, worked out before anything is written (the preview).

    `problems` non-empty means the file is refused whole; `apply_import` then raises
    ImportRejected. `records` holds the parsed rows the kind's apply_import needs.
    """

    kind: str
    source: str
    added: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    unchanged: int = 0
    problems: tuple[RowProblem, ...] = ()
    warnings: tuple[RowProblem, ...] = ()
    records: tuple[Any, ...] = ()
    options: Mapping[str, Any] | None = None

    @property
    def ok(self) -> bool:
        return not self.problems
