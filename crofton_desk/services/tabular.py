"""Reading and writing the spreadsheets a school office exchanges: CSV and Excel (.xlsx).

Every importer reads through `read_table` and every exporter writes through `write_table`, so the
awkward parts are solved once: Excel's two CSV encodings on Windows (UTF-8 with a BOM, and
Windows-1252), headings as each MIS writes them (compared without case, spaces or punctuation),
blank and stray rows, cells that Excel would run as formulas, and hostile files that claim
millions of rows: workbooks are streamed with hard caps, never loaded whole.

The formula guard is undone on reading, so export -> import gives back exactly what was
exported: in CSV a text that starts like a formula (= + - @) gets a leading apostrophe, as Excel
itself writes it; in XLSX the text is stored as text with Excel's "quote prefix" style, untouched.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from crofton_desk.domain.validation import ImportRejected, RowProblem, too_long
from crofton_desk.store.privacy import create_private, make_private

#: Excel's own limit on the characters in one cell.
MAX_CELL = 32_767
#: Rows read from one file (a large secondary school's whole history fits many times over).
MAX_ROWS = 200_000
#: Columns read; a real MIS export has a few dozen.
MAX_COLUMNS = 250
#: A CSV file or one unpacked part of a workbook larger than this is refused before reading.
MAX_BYTES = 200 * 1024 * 1024
#: Problems listed one by one; the rest are counted ("and 2,999,900 more").
MAX_LISTED = 100
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
SUPPORTED = (".csv", ".xlsx")
DATE_FORMAT = "DD/MM/YYYY"


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
    #: (heading as written in the file, canonical field or "" when ignored), in file order.
    mapping: tuple[tuple[str, str], ...] = ()


def normalise_header(text: str) -> str:
    """'Legal Surname', 'LegalSurname', 'legal_surname' and 'Legal-Surname ' all match."""
    return "".join(ch for ch in str(text).casefold() if ch.isalnum())


# --- the formula guard -------------------------------------------------------------------------


def _needs_guard(text: str) -> bool:
    """Text Excel would run as a formula, or text whose own leading ' would be read as a guard."""
    if text.startswith(FORMULA_START):
        return True
    return text.startswith("'") and text[1:2] != "" and text[1:2] in (*FORMULA_START, "'")


def safe_cell(value: Any) -> Any:
    """Make a value safe to open in Excel: text that starts like a formula gets a leading '."""
    if isinstance(value, str) and _needs_guard(value):
        return "'" + value
    return value


def unguard(text: str) -> str:
    """Undo `safe_cell`: exactly one guard apostrophe comes off, nothing else changes."""
    if text.startswith("'") and text[1:2] != "" and text[1:2] in (*FORMULA_START, "'"):
        return text[1:]
    return text


# --- reading -----------------------------------------------------------------------------------


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
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _refuse(source: str, message: str) -> ImportRejected:
    return ImportRejected([RowProblem(0, "", message)], source)


def _too_many_rows(source: str) -> ImportRejected:
    return _refuse(
        source,
        f"the file has more than {MAX_ROWS:,} rows: at most {MAX_ROWS:,} can be imported at "
        "once (split the file, or check it is the right one)",
    )


def _too_many_columns(source: str) -> ImportRejected:
    return _refuse(
        source,
        f"the file has data in more than {MAX_COLUMNS} columns: at most {MAX_COLUMNS} are read "
        "(save only the columns needed, or check it is the right file)",
    )


def _csv_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise _refuse(
            path.name,
            f"the file is {size / 1024 / 1024:,.0f} MB: at most {MAX_BYTES // 1024 // 1024} MB "
            "can be imported",
        )
    raw = path.read_bytes()
    if b"\x00" in raw[:4096] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _refuse(path.name, "this is not a CSV file (it contains binary data)")
    text = _decode(raw)
    del raw
    # Only the delimiter is guessed (a European Excel writes ';'); quoting is always Excel's, as
    # the sniffer's guess at quoting can misread a cell holding only a quote mark.
    try:
        delimiter = csv.Sniffer().sniff(text[:4096], delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    try:
        rows = csv.reader(io.StringIO(text, newline=""), csv.excel, delimiter=delimiter)
        for number, row in enumerate(rows, 1):
            yield number, [unguard(cell) for cell in row]
    except csv.Error as exc:
        raise _refuse(path.name, f"the CSV file cannot be read: {exc}") from None


def _check_workbook_parts(path: Path) -> None:
    """Refuse a workbook whose parts unpack to more than MAX_BYTES (a zip bomb) before opening."""
    try:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                if info.file_size > MAX_BYTES:
                    raise _refuse(
                        path.name,
                        f"this workbook is too big to import: its part {info.filename} unpacks "
                        f"to {info.file_size / 1024 / 1024:,.0f} MB (at most "
                        f"{MAX_BYTES // 1024 // 1024} MB)",
                    )
    except zipfile.BadZipFile:
        raise _refuse(path.name, "this is not an Excel workbook (.xlsx) that can be read") from None


def _sheet_cells(sheet: Any) -> Iterator[tuple[int, list[tuple[int, Any]]]]:
    """(row number, [(column number, value), ...]) for the cells a sheet really holds.

    openpyxl's own row iterator trusts the <dimension> the file claims: it pads every row to the
    claimed width and adds empty rows up to the claimed height, which is how a 1.6 MB file
    claiming A1:XFD3000000 took more than 6 GB. The sheet's XML is streamed here with openpyxl's
    parser (as its read-only worksheet does), without the padding.
    """
    from openpyxl.worksheet._reader import WorkSheetParser

    workbook = sheet.parent
    with sheet._get_source() as source:
        parser = WorkSheetParser(
            source,
            sheet._shared_strings,
            data_only=True,
            epoch=workbook.epoch,
            date_formats=workbook._date_formats,
            timedelta_formats=workbook._timedelta_formats,
        )
        for number, cells in parser.parse():
            yield number, [(cell["column"], cell["value"]) for cell in cells]


def _xlsx_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    _check_workbook_parts(path)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise _refuse(
            path.name, f"this is not an Excel workbook that can be read ({type(exc).__name__})"
        ) from None
    try:
        if not workbook.worksheets:
            raise _refuse(path.name, "the workbook has no sheets")
        try:
            for number, cells in _sheet_cells(workbook.worksheets[0]):
                values = [(column, value) for column, value in cells if value not in (None, "")]
                if not values:
                    continue
                if number > MAX_ROWS:
                    raise _too_many_rows(path.name)
                width = max(column for column, _value in values)
                if width > MAX_COLUMNS:
                    raise _too_many_columns(path.name)
                row = [""] * width
                for column, value in values:
                    text = _cell_text(value)
                    row[column - 1] = unguard(text) if isinstance(value, str) else text
                yield number, row
        except ImportRejected:
            raise
        except Exception as exc:  # a damaged sheet part
            raise _refuse(
                path.name, f"this workbook's first sheet cannot be read ({type(exc).__name__})"
            ) from None
    finally:
        workbook.close()


def _raw_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _csv_rows(path)
    if suffix == ".xlsx":
        return _xlsx_rows(path)
    raise _refuse(
        path.name, f"files ending '{suffix or '(none)'}' cannot be imported: use .csv or .xlsx"
    )


def _match_columns(header: Sequence[str], columns: Mapping[str, Sequence[str]]) -> dict[str, int]:
    """Canonical column -> position. Each canonical column takes the first of its spellings
    (in the order given) that the header has and no earlier column took: so "First Name" is the
    legal forename in a file without "Legal First Name", and the preferred one in a file with it.
    """
    where: dict[str, int] = {}
    for position, cell in enumerate(header):
        key = normalise_header(cell)
        if key and key not in where:
            where[key] = position
    taken: set[int] = set()
    positions: dict[str, int] = {}
    for canonical, aliases in columns.items():
        for alias in (canonical, *aliases):
            found = where.get(normalise_header(alias))
            if found is not None and found not in taken:
                positions[canonical] = found
                taken.add(found)
                break
    return positions


def cap_problems(problems: Iterable[RowProblem]) -> tuple[RowProblem, ...]:
    """The first MAX_LISTED problems in row order, then one line counting the rest."""
    ordered = sorted(problems)
    if len(ordered) <= MAX_LISTED:
        return tuple(ordered)
    more = len(ordered) - MAX_LISTED
    first, last = ordered[MAX_LISTED].row, ordered[-1].row
    where = f"row {first}" if first == last else f"rows {first} to {last}"
    # Numbered with the last row, so it sorts after the problems listed.
    return (
        *ordered[:MAX_LISTED],
        RowProblem(last, "", f"and {more:,} more problem{'s' if more != 1 else ''} ({where})"),
    )


def read_table(
    path: Path | str,
    *,
    columns: Mapping[str, Sequence[str]],
    required: Iterable[str],
    lengths: Mapping[str, int] | None = None,
) -> Table:
    """Read a CSV or XLSX file into canonical columns.

    `columns` maps each canonical column to the header spellings accepted for it, most wanted
    first (compared without case, spaces or punctuation). Blank rows are skipped; unknown columns
    are ignored (and listed in `Table.mapping`). Missing required columns, over-long cells and
    oversized files reject the file with every problem listed (the first hundred, then a count).
    `lengths` gives the most characters a column's cell may hold: its database column's declared
    length (store/limits.py), so that a cell too long to keep is a row problem, never a crash.
    """
    lengths = lengths or {}
    path = Path(path)
    try:
        rows_in = _raw_rows(path)
        header: list[str] | None = None
        header_number = 0
        for number, raw in rows_in:
            if number > MAX_ROWS:
                raise _too_many_rows(path.name)
            if any(cell.strip() for cell in raw):
                header, header_number = raw, number
                break
        if header is None:
            raise _refuse(path.name, "the file is empty")
        if len(header) > MAX_COLUMNS and any(cell.strip() for cell in header[MAX_COLUMNS:]):
            raise _too_many_columns(path.name)
        positions = _match_columns(header, columns)
        mapping = tuple(
            (cell.strip(), next((c for c, p in positions.items() if p == position), ""))
            for position, cell in enumerate(header)
            if cell.strip()
        )
        missing = [name for name in required if name not in positions]
        if missing:
            found = ", ".join(cell.strip() for cell in header if cell.strip()) or "nothing"
            raise ImportRejected(
                [
                    RowProblem(
                        header_number,
                        name,
                        f"required column '{name}' is missing (the header row has: {found})",
                    )
                    for name in missing
                ],
                path.name,
            )
        problems: list[RowProblem] = []
        rows: list[TableRow] = []
        for number, raw in rows_in:
            if number > MAX_ROWS:
                raise _too_many_rows(path.name)
            if len(raw) > MAX_COLUMNS and any(cell.strip() for cell in raw[MAX_COLUMNS:]):
                raise _too_many_columns(path.name)
            if not any(cell.strip() for cell in raw):
                continue
            values: dict[str, str] = {}
            for name, position in positions.items():
                cell = raw[position].strip() if position < len(raw) else ""
                if len(cell) > MAX_CELL:
                    problems.append(
                        RowProblem(number, name, f"the cell is too long ({len(cell):,} characters)")
                    )
                    cell = ""
                elif name in lengths and len(cell) > lengths[name]:
                    problems.append(RowProblem(number, name, too_long(len(cell), lengths[name])))
                    cell = ""
                values[name] = cell
            rows.append(TableRow(number=number, values=values))
    except OSError as exc:
        raise _refuse(path.name, f"the file cannot be opened: {exc.strerror or exc}") from None
    if problems:
        raise ImportRejected(cap_problems(problems), path.name)
    return Table(source=path.name, columns=tuple(positions), rows=tuple(rows), mapping=mapping)


# --- writing -----------------------------------------------------------------------------------


def _csv_text(value: Any) -> str:
    if isinstance(value, datetime) and value.time() == datetime.min.time():
        value = value.date()
    if isinstance(value, date) and not isinstance(value, datetime):
        return value.strftime("%d/%m/%Y")
    return str(safe_cell(_cell_text(value)))


def _width(value: Any) -> int:
    if isinstance(value, date):
        return 10
    text = _cell_text(value)
    return max((len(line) for line in text.splitlines()), default=0)


def write_table(path: Path | str, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Write rows as an Excel-ready .csv (UTF-8 with BOM, dd/mm/yyyy dates) or .xlsx (real date
    cells shown dd/mm/yyyy, frozen bold header row, column widths, an autofilter).

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
                writer.writerow([_csv_text(header) for header in headers])
                for row in rows:
                    writer.writerow([_csv_text(value) for value in row])
                    count += 1
        else:
            count = _write_xlsx(partial, headers, list(rows))
        partial.replace(path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    make_private(path)
    return count


_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _write_xlsx(target: Path, headers: Sequence[str], rows: list[Sequence[Any]]) -> int:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet: Any = workbook.create_sheet("Sheet1")
    widths = [len(str(header)) for header in headers]
    for row in rows[:2000]:
        for index, value in enumerate(row[: len(widths)]):
            widths[index] = max(widths[index], _width(value))
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width, 6), 60) + 2
    sheet.freeze_panes = "A2"
    last = get_column_letter(max(len(headers), 1))
    sheet.auto_filter.ref = f"A1:{last}{len(rows) + 1}"
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")

    def cell(value: Any, *, header: bool = False) -> Any:
        if isinstance(value, datetime) and value.time() == datetime.min.time():
            value = value.date()
        if isinstance(value, str):
            # Control characters cannot be stored in a workbook: they are dropped.
            value = _ILLEGAL_XML.sub("", value)
            # Our own apostrophe guard is kept only where the text itself starts with "'".
            text = value
            if text.startswith("'") and _needs_guard(text):
                text = "'" + text
            if len(text) > MAX_CELL:  # Excel refuses a workbook with a longer cell
                text = text[: MAX_CELL - 1] + "…"
            made = WriteOnlyCell(sheet, value=None)
            made.value = text
            made.data_type = "s"  # text, never a formula
            if text.startswith(FORMULA_START):
                made.quotePrefix = True  # as Excel stores a typed '=...: shown, never run
            if "\n" in text:
                made.alignment = wrap
        else:
            made = WriteOnlyCell(sheet, value=value)
            if isinstance(value, date):
                made.number_format = DATE_FORMAT
        if header:
            made.font = bold
        return made

    sheet.append([cell(str(header), header=True) for header in headers])
    for row in rows:
        sheet.append([cell(value) for value in row])
    workbook.save(target)
    return len(rows)


@dataclass(frozen=True)
class ImportPlan:
    """What an import would do, worked out before anything is written (the preview).

    `problems` non-empty means the file is refused whole; `apply_import` then raises
    ImportRejected. `records` holds the parsed rows the kind's apply_import needs. `columns`
    says which heading of the file fed which field ("" for a heading that was ignored);
    `skipped` lists rows already in the register, left alone.
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
    columns: tuple[tuple[str, str], ...] = ()
    skipped: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems
