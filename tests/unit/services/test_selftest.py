"""The self-test: every step runs for real (temporary database, XLSX, letter, documents)."""

from __future__ import annotations

from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader

from crofton_desk.letters import render_letter
from crofton_desk.letters.samples import sample_letter
from crofton_desk.services import selftest
from crofton_desk.services.selftest import SelfTestFailed, execute, pdf_facts


def _letter_pdf() -> bytes:
    spec = sample_letter("acknowledgement")
    return render_letter(
        spec.kind,
        letterhead=spec.letterhead,
        addressee=spec.addressee,
        signatory=spec.signatory,
        letter_date=spec.letter_date,
        reference=spec.reference,
        values=spec.values,
    )


def test_run_passes_every_step_and_says_so() -> None:
    lines = list(selftest.run(today=date(2026, 11, 28)))
    assert lines[0].startswith("Crofton Desk ")
    steps = lines[1:-1]
    names = [line.split()[1].rstrip(":") for line in steps]
    assert names == [
        "resources",
        "database",
        "timezone",
        "calendar",
        "spreadsheet",
        "letter",
        "document",
        "policy",
    ]
    assert all(line.startswith("ok ") for line in steps), lines
    assert "BST in July, GMT in January" in lines[3]
    assert "9 bank holidays in England in 2026" in lines[4]
    assert lines[-1].startswith("self-test passed (")


def test_cli_self_test_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    from crofton_desk.cli import main

    assert main(["self-test"]) == 0
    out = capsys.readouterr().out
    assert "FAILED" not in out
    assert "self-test passed" in out
    # The command adds the window's steps: every module, then the real window.
    assert "ok      modules: all " in out
    assert "ok      window: main window built offscreen with its 7 tabs" in out


def test_every_module_of_the_app_is_imported_but_the_ones_that_act_on_import() -> None:
    import crofton_desk
    from crofton_desk.ui.self_check import source_modules

    names = source_modules(Path(crofton_desk.__file__).parent)
    assert "crofton_desk.services.calendar" in names
    assert "crofton_desk.ui.calendar_dialog" in names
    assert "crofton_desk.store.migrations" in names
    assert "crofton_desk" in names
    assert "crofton_desk.__main__" not in names
    assert "crofton_desk.store.migrations.env" not in names
    assert not [name for name in names if ".versions" in name or "__" in name.split(".")[-1]]


def test_a_failing_step_is_reported_and_fails_the_run_after_all_steps() -> None:
    ran: list[str] = []

    def broken() -> str:
        ran.append("broken")
        raise ValueError("the fonts are missing")

    def fine() -> str:
        ran.append("fine")
        return "all good"

    lines: list[str] = []
    with pytest.raises(SelfTestFailed) as raised:
        for line in execute([("fonts", broken), ("later", fine)]):
            lines.append(line)
    assert ran == ["broken", "fine"]  # the failure does not stop later steps
    assert lines == [
        "FAILED  fonts: ValueError: the fonts are missing",
        "ok      later: all good",
    ]
    assert "1 passed, 1 failed" in str(raised.value)
    assert "fonts" in str(raised.value)


def test_pdf_facts_agree_with_pypdf() -> None:
    pdf = _letter_pdf()
    facts = pdf_facts(pdf)
    assert facts.pages == len(PdfReader(BytesIO(pdf)).pages)
    assert facts.size == len(pdf)
    assert facts.embedded_fonts >= 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<html>not a pdf</html>", "not a PDF"),
        (b"", "not a PDF"),
    ],
)
def test_pdf_facts_refuses_what_is_not_a_pdf(data: bytes, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        pdf_facts(data)


def test_pdf_facts_refuses_a_truncated_pdf() -> None:
    pdf = _letter_pdf()
    with pytest.raises(ValueError, match="cut short"):
        pdf_facts(pdf[: len(pdf) // 2])
