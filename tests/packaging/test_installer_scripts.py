"""The Windows installer, its build and CI scripts agree with each other (read, not run).

The workflow runs only on GitHub's Windows runners and the scripts only on Windows, so here
they are checked as text: the names and switches each relies on must match the others.
tools/check_installer.py compiles the .iss for real under wine (optional).
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
INSTALLER = ROOT / "installer"
APP_ID = "6E0B7C52-3F1D-4C8A-9B2E-5A7D41C3F0A9"


def _iss_setup() -> dict[str, str]:
    text = (INSTALLER / "crofton-desk.iss").read_text(encoding="utf-8")
    section = text.split("[Setup]", 1)[1].split("\n[", 1)[0]
    pairs = [line.split("=", 1) for line in section.splitlines() if re.match(r"^\w+=", line)]
    return {key: value for key, value in pairs}


def test_the_installer_is_per_user_by_default_and_all_users_on_request() -> None:
    setup = _iss_setup()
    assert setup["PrivilegesRequired"] == "lowest"
    assert set(setup["PrivilegesRequiredOverridesAllowed"].split()) == {"commandline", "dialog"}
    assert setup["DefaultDirName"] == r"{autopf}\{#AppName}"
    assert setup["AppId"] == "{{" + APP_ID + "}"
    major, minor, build = (int(part) for part in setup["MinVersion"].split("."))
    assert (major, minor, build) >= (10, 0, 17763)
    assert setup["OutputBaseFilename"] == "Crofton-Desk-Setup-{#AppVersion}"
    text = (INSTALLER / "crofton-desk.iss").read_text(encoding="utf-8")
    uninstall_delete = text.split("[UninstallDelete]", 1)[1].split("\n[", 1)[0]
    names = re.findall(r'Name: "([^"]+)"', uninstall_delete)
    assert names and all(name.startswith("{app}") for name in names)  # never the data folder


def test_the_scripts_agree_with_the_installer() -> None:
    build = (INSTALLER / "build-windows.ps1").read_text(encoding="utf-8")
    check = (INSTALLER / "test-install.ps1").read_text(encoding="utf-8")
    assert "Crofton-Desk-Setup-$Version.exe" in build
    assert '"Crofton-Desk-Setup-*.exe"' in check
    assert "{" + APP_ID + "}_is1" in check
    assert "/DSignToolName=crofton" in build and "#ifdef SignToolName" in (
        INSTALLER / "crofton-desk.iss"
    ).read_text(encoding="utf-8")
    for script in (build, check):
        # Windows PowerShell reads a .ps1 without a byte-order mark in the ANSI code page.
        assert script.isascii()


def test_the_windows_workflow_builds_with_the_build_script_and_tests_the_install() -> None:
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "windows.yml").read_text("utf-8"))
    job = workflow["jobs"]["windows"]
    assert job["runs-on"] == "windows-latest"
    steps = job["steps"]
    python = next(step for step in steps if step.get("uses", "").startswith("actions/setup-python"))
    assert python["with"]["python-version"] == "3.11"
    runs = [step.get("run", "") for step in steps]
    assert any('pip install ".[test,build]"' in run for run in runs)
    assert any("pytest" in run for run in runs)
    assert any(r".\installer\build-windows.ps1" in run for run in runs)
    installs = [run for run in runs if r".\installer\test-install.ps1" in run]
    assert len(installs) == 2 and any("-AllUsers" in run for run in installs)
    upload = next(step for step in steps if step.get("uses", "").startswith("actions/upload-"))
    assert upload["with"]["path"] == "dist/installer/Crofton-Desk-Setup-*.exe"


def test_tzdata_is_a_pinned_dependency() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert [dep for dep in project["dependencies"] if re.match(r"tzdata==\d", dep)]
