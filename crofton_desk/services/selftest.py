"""The frozen build's smoke test (`crofton-desk self-test`).

Each step uses what a broken build would lose first: bundled resources, the Alembic revision
scripts (loaded from source files), the SQLite driver, the time-zone data of the `tzdata`
package (Windows has no system copy), `holidays`' country data, openpyxl, and ReportLab with the
embedded fonts and a Pillow-decoded logo. The command adds the window's steps (every module
imported, the real main window built offscreen: see ui/self_check.py). Steps report one line
each. If any step fails, `run()` raises SelfTestFailed after reporting every step, so the command
exits non-zero.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from importlib.resources import files
from pathlib import Path

from crofton_desk import __version__
from crofton_desk.domain.words import plural
from crofton_desk.store.database import Database
from crofton_desk.store.errors import EnvironmentProblem

FONT_FILES = (
    "DejaVuSans.ttf",
    "DejaVuSans-Bold.ttf",
    "DejaVuSans-Oblique.ttf",
    "DejaVuSans-BoldOblique.ttf",
    "DejaVu-LICENSE.txt",
)
ICON_FILES = ("crofton-desk.png", "crofton-desk.ico")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PAGE = re.compile(rb"/Type\s*/Page(?![A-Za-z])")
_PAGES_COUNT = re.compile(rb"/Count\s+(\d+)")


class SelfTestFailed(EnvironmentProblem):
    """At least one step of the self-test failed (the lines printed before say which)."""


@dataclass(frozen=True)
class PdfFacts:
    pages: int
    size: int
    embedded_fonts: int


def pdf_facts(data: bytes) -> PdfFacts:
    """A minimal check that `data` is a whole PDF; raises ValueError when it is not.

    ReportLab writes no object streams, so page objects can be counted in the plain bytes.
    """
    if not data.startswith(b"%PDF-"):
        raise ValueError(f"not a PDF: it starts with {data[:8]!r}")
    if b"%%EOF" not in data[-1024:]:
        raise ValueError("the PDF is cut short: no %%EOF marker at its end")
    pages = len(_PAGE.findall(data))
    if pages == 0:
        raise ValueError("the PDF has no pages")
    counts = [int(match) for match in _PAGES_COUNT.findall(data)]
    if counts and max(counts) != pages:
        raise ValueError(f"the PDF says it has {max(counts)} pages but holds {pages}")
    return PdfFacts(pages=pages, size=len(data), embedded_fonts=data.count(b"/FontFile2"))


def _check_pdf(data: bytes, *, min_pages: int = 1) -> str:
    facts = pdf_facts(data)
    if facts.pages < min_pages:
        raise ValueError(f"expected at least {min_pages} pages, found {facts.pages}")
    if facts.embedded_fonts == 0:
        raise ValueError("no embedded font: the DejaVu fonts were not used")
    plural = "s" if facts.pages != 1 else ""
    return (
        f"{facts.pages} page{plural}, {facts.size // 1024} KB, "
        f"{facts.embedded_fonts} embedded fonts"
    )


class _Run:
    """State the steps share: a temporary folder and the database made in it."""

    def __init__(self, folder: Path, today: date) -> None:
        self.folder = folder
        self.today = today
        self.db: Database | None = None

    def database(self) -> Database:
        if self.db is None:
            raise RuntimeError("the database step did not succeed")
        return self.db

    # --- steps ---------------------------------------------------------------------------

    def resources(self) -> str:
        from crofton_desk.letters.templates import KINDS

        root = files("crofton_desk.resources")
        for name in FONT_FILES:
            if not (root / "fonts" / name).read_bytes():
                raise ValueError(f"fonts/{name} is empty")
        for kind in KINDS:
            if not (root / "templates" / f"{kind}.txt").read_text(encoding="utf-8").strip():
                raise ValueError(f"templates/{kind}.txt is empty")
        if not (root / "icons" / "crofton-desk.png").read_bytes().startswith(PNG_SIGNATURE):
            raise ValueError("icons/crofton-desk.png is not a PNG image")
        for name in ICON_FILES[1:]:
            (root / "icons" / name).read_bytes()
        migrations = files("crofton_desk.store") / "migrations"
        scripts = [
            item.name
            for item in (migrations / "versions").iterdir()
            if item.name.endswith(".py") and item.name != "__init__.py"
        ]
        if not scripts:
            raise ValueError("no Alembic revision scripts (migrations/versions/*.py)")
        for name in ("env.py", "script.py.mako"):
            if not (migrations / name).is_file():
                raise ValueError(f"migrations/{name} is missing")
        return (
            f"{len(FONT_FILES) - 1} fonts and their licence, {len(KINDS)} letter templates, "
            f"icons, {plural(len(scripts), 'migration script')}"
        )

    def database_step(self) -> str:
        from sqlalchemy import func, select

        from crofton_desk.store.database import (
            HEAD_REVISION,
            integrity_problems,
            open_database,
            read_revision,
        )
        from crofton_desk.store.models import DataCategory, Organisation

        self.db = open_database(self.folder / "self-test.sqlite")
        revision = read_revision(self.db.engine)
        if revision != HEAD_REVISION:
            raise ValueError(f"schema {revision} after migrating, expected {HEAD_REVISION}")
        problems = integrity_problems(self.db.engine, self.db.file())
        if problems:
            raise ValueError("integrity check failed: " + "; ".join(problems))
        with self.db.session() as session:
            organisations = session.scalar(select(func.count()).select_from(Organisation))
            categories = session.scalar(select(func.count()).select_from(DataCategory))
        if not organisations or not categories:
            raise ValueError("the seed did not run: no organisations or data categories")
        return (
            f"created, migrated to schema {revision}, seeded ({organisations} organisations, "
            f"{categories} data categories), integrity ok"
        )

    def calendar(self) -> str:
        from crofton_desk.domain.calendar import BankHolidays

        bank_holidays = BankHolidays()
        year = self.today.year
        days = [
            date.fromordinal(ordinal)
            for ordinal in range(date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal() + 1)
        ]
        found = [day for day in days if bank_holidays.name(day)]
        christmas = bank_holidays.name(date(year, 12, 25))
        if not christmas or len(found) < 8:
            raise ValueError(f"England's bank holidays for {year} are missing ({len(found)})")
        return f"{len(found)} bank holidays in England in {year}"

    def time_zone(self) -> str:
        """Europe/London from the bundled `tzdata` package, whatever the machine itself has.

        Windows has no system time-zone database, so a build that only works because Linux has
        /usr/share/zoneinfo would fail on every school PC: check the package's own copy.
        """
        import zoneinfo

        london_file = files("tzdata.zoneinfo") / "Europe" / "London"
        if not london_file.read_bytes().startswith(b"TZif"):
            raise ValueError("the tzdata package's Europe/London is not time-zone data")
        london = zoneinfo.ZoneInfo("Europe/London")
        year = self.today.year
        summer = datetime(year, 7, 1, 12, tzinfo=london).utcoffset()
        winter = datetime(year, 1, 1, 12, tzinfo=london).utcoffset()
        if summer != timedelta(hours=1) or winter != timedelta(0):
            raise ValueError(f"Europe/London is UTC{summer} in July and UTC{winter} in January")
        system = [path for path in zoneinfo.TZPATH if Path(path, "Europe", "London").is_file()]
        source = f"the system's {system[0]}" if system else "the tzdata package"
        return f"Europe/London from {source}: BST in July, GMT in January"

    def spreadsheet(self) -> str:
        from crofton_desk.services.tabular import read_table, write_table

        path = self.folder / "round-trip.xlsx"
        rows = [("Zoë Wiśniewska", "3"), ("Harry Smith-Jones", "6")]
        write_table(path, ["name", "year_group"], rows)
        table = read_table(
            path, columns={"name": ["name"], "year_group": ["year group"]}, required=["name"]
        )
        names = [row.get("name") for row in table.rows]
        if names != [name for name, _ in rows]:
            raise ValueError(f"read back {names!r}")
        return "XLSX written and read back"

    def letter(self) -> str:
        from dataclasses import replace

        from crofton_desk.letters import render_letter
        from crofton_desk.letters.samples import sample_letter
        from crofton_desk.letters.templates import ACKNOWLEDGEMENT

        spec = sample_letter(ACKNOWLEDGEMENT)
        logo = (files("crofton_desk.resources") / "icons" / "crofton-desk.png").read_bytes()
        pdf = render_letter(
            spec.kind,
            letterhead=replace(spec.letterhead, logo=logo),
            addressee=spec.addressee,
            signatory=spec.signatory,
            letter_date=spec.letter_date,
            reference=spec.reference,
            values=spec.values,
        )
        return f"{ACKNOWLEDGEMENT} letter with a logo: {_check_pdf(pdf)}"

    def document(self) -> str:
        from crofton_desk.letters import Block, Heading, Para, render_document
        from crofton_desk.letters.samples import SAMPLE_LETTERHEAD

        blocks: list[Block] = []
        for number in range(1, 13):
            blocks.append(Heading(f"{number}. Section"))
            blocks += [Para("Crofton Desk self-test: a paragraph of policy text. " * 12)] * 3
        pdf = render_document(SAMPLE_LETTERHEAD, "Self-test document", blocks)
        return f"multi-page document: {_check_pdf(pdf, min_pages=2)}"

    def policy(self) -> str:
        from crofton_desk.services import policy

        pdf = policy.policy_pdf(self.database())
        return f"Data Sharing Policy: {_check_pdf(pdf)}"


Step = tuple[str, Callable[[], str]]


def execute(steps: Sequence[Step]) -> Iterator[str]:
    """Run every step, one line each; raise SelfTestFailed at the end if any step failed."""
    failed: list[str] = []
    for name, step in steps:
        try:
            detail = step()
        except Exception as exc:
            failed.append(name)
            yield f"FAILED  {name}: {type(exc).__name__}: {exc}"
        else:
            yield f"ok      {name}: {detail}"
    passed = len(steps) - len(failed)
    summary = f"{passed} passed, {len(failed)} failed"
    if failed:
        raise SelfTestFailed(f"self-test failed ({summary}): {', '.join(failed)}")
    yield f"self-test passed ({summary})"


def run(
    *,
    today: date | None = None,
    more_steps: Callable[[Callable[[], Database]], Sequence[Step]] | None = None,
) -> Iterator[str]:
    """The whole self-test in a temporary folder that is removed afterwards.

    `more_steps(database)` adds steps from the layers above (the window's), run last; they get
    the self-test's database through `database()`.
    """
    yield f"Crofton Desk {__version__} self-test"
    with tempfile.TemporaryDirectory(prefix="crofton-self-test-") as folder:
        state = _Run(Path(folder), today or date.today())
        try:
            yield from execute(
                [
                    ("resources", state.resources),
                    ("database", state.database_step),
                    ("timezone", state.time_zone),
                    ("calendar", state.calendar),
                    ("spreadsheet", state.spreadsheet),
                    ("letter", state.letter),
                    ("document", state.document),
                    ("policy", state.policy),
                    *(more_steps(state.database) if more_steps is not None else ()),
                ]
            )
        finally:
            if state.db is not None:
                state.db.dispose()
