"""`schools` and `add-school`: on a server (skipped without CROFTON_TEST_PG), refused on a file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from crofton_desk.cli import main
from tests import postgres

needs_server = pytest.mark.skipif(not postgres.server_url(), reason=postgres.NOT_SET)


@pytest.fixture
def server() -> Iterator[str]:
    with postgres.fresh_server_database() as url:
        yield url


def test_schools_on_a_file_is_refused_in_one_line(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", str(db_path), "schools"]) == 1
    said = capsys.readouterr().err.strip()
    assert said.startswith("error: 'schools' works on a server database") and "\n" not in said
    assert main(["--db", str(db_path), "add-school", "crofton-infant", "Crofton", "Infant"]) == 1


@needs_server
def test_add_school_then_list_them(server: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", server, "schools"]) == 0
    assert "no school yet" in capsys.readouterr().out
    assert (
        main(["--db", server, "add-school", "crofton-infant", "Crofton", "Infant", "School"]) == 0
    )
    assert capsys.readouterr().out.strip() == "Added school crofton-infant: Crofton Infant School"
    assert main(["--db", server, "add-school", "crofton-infant", "Again"]) == 1
    assert "already a school 'crofton-infant'" in capsys.readouterr().err
    assert main(["--db", server, "add-school", "Not A Key", "Name"]) == 1
    assert "lower-case letters, digits and hyphens" in capsys.readouterr().err
    assert main(["--db", server, "schools"]) == 0
    assert capsys.readouterr().out.splitlines() == ["crofton-infant\tCrofton Infant School"]
