"""Compile installer/crofton-desk.iss on Linux, and optionally install and uninstall it, under wine.

    python tools/check_installer.py              # does the .iss compile? (about a minute)
    python tools/check_installer.py --install    # ... and install, upgrade, uninstall under wine

Optional: neither CI nor tools/check.py runs it. It needs Node's npm (the npm registry's
`innosetup` package ships Inno Setup's ISCC.exe) and Debian's wine with 32-bit support:

    dpkg --add-architecture i386 && apt-get update && apt-get install wine wine32 wine64

Inno Setup and a wine prefix are kept in ~/.cache/crofton-desk-installer (or --cache DIR), so
later runs start at once. The bundle compiled in is a stand-in (two empty programs and a data
file) unless --source names a real one: what is checked is the script, not the program. With
--install, the stand-in Setup must refuse Windows 7 (MinVersion), then is run silently as
Windows 10, run again over itself (an upgrade), then uninstalled; the install folder must come
and go, and a file in the user's %APPDATA%\\Crofton Desk must survive the uninstall. Under wine
the install is /ALLUSERS (Program Files): wine 8 cannot give the per-user programs folder that
{autopf} means without administrator rights. Setup's wizard needs an X display even when silent:
the script starts its own Xvfb when DISPLAY is not set. The real Windows checks are in CI
(installer/test-install.ps1).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INNO_PACKAGE = "innosetup@6.4.1"
ISS = ROOT / "installer" / "crofton-desk.iss"
PROGRAMS = ("Crofton Desk.exe", "Crofton Desk Console.exe")


def fail(message: str) -> None:
    print(f"check_installer: {message}", file=sys.stderr)
    raise SystemExit(1)


def windows_path(path: Path) -> str:
    """wine shows the Linux root as drive Z:."""
    return "Z:" + str(path.resolve()).replace("/", "\\")


def version() -> str:
    sys.path.insert(0, str(ROOT / "installer"))
    from version_info import read_version

    return str(read_version(ROOT))


class Wine:
    def __init__(self, cache: Path) -> None:
        for tool in ("wine", "npm"):
            if shutil.which(tool) is None:
                fail(f"{tool} is not installed (see this script's docstring)")
        self.cache = cache
        self.env = {
            **os.environ,
            "WINEPREFIX": str(cache / "wineprefix"),
            "WINEDEBUG": "-all",
            "WINEDLLOVERRIDES": "mscoree,mshtml=",  # no Mono or Gecko installer prompts
        }

    def run(self, *command: str | Path, check: bool = True) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            ["wine", *map(str, command)],
            env=self.env,
            capture_output=True,
            text=True,
            errors="replace",
            timeout=600,
            check=False,
        )
        if check and result.returncode != 0:
            fail(f"{command[0]} exited with {result.returncode}:\n{result.stdout}{result.stderr}")
        return result

    def iscc(self) -> Path:
        iscc = self.cache / "node_modules" / "innosetup" / "bin" / "ISCC.exe"
        if not iscc.is_file():
            print(f"Installing {INNO_PACKAGE} from the npm registry into {self.cache}")
            subprocess.run(
                ["npm", "install", "--no-audit", "--no-fund", "--prefix", self.cache, INNO_PACKAGE],
                check=True,
                timeout=600,
            )
        return iscc

    def user_folder(self, known: str) -> Path:
        """A folder of the wine user, e.g. %APPDATA%, as a Linux path."""
        shown = self.run("cmd", "/c", "echo", f"%{known}%").stdout.strip().splitlines()[-1]
        result = subprocess.run(
            ["winepath", "-u", shown], env=self.env, capture_output=True, text=True, check=True
        )
        return Path(result.stdout.strip())


def stand_in_bundle(folder: Path) -> Path:
    bundle = folder / "Crofton Desk"
    (bundle / "_internal").mkdir(parents=True)
    for name in PROGRAMS:
        (bundle / name).write_bytes(b"MZ stand-in for the check; not a program")
    (bundle / "_internal" / "base_library.zip").write_bytes(b"stand-in")
    return bundle


def compile_setup(wine: Wine, source: Path, out: Path) -> Path:
    app_version = version()
    result = wine.run(
        wine.iscc(),
        "/Qp",
        f"/DAppVersion={app_version}",
        f"/DSourceDir={windows_path(source)}",
        f"/O{windows_path(out)}",
        windows_path(ISS),
    )
    setup = out / f"Crofton-Desk-Setup-{app_version}.exe"
    if not setup.is_file() or not setup.read_bytes().startswith(b"MZ"):
        fail(f"ISCC reported success but made no {setup.name}:\n{result.stdout}")
    print(f"ok: {ISS.name} compiles -> {setup.name} ({setup.stat().st_size // 1024} KB)")
    return setup


def refused_on_windows_7(wine: Wine, setup: Path, folder: Path) -> None:
    """MinVersion: Setup must say no, plainly, on a Windows older than 10 (1809)."""
    wine.run("winecfg", "/v", "win7")
    log = folder / "setup-windows-7.log"
    result = wine.run(
        setup, "/VERYSILENT", "/SUPPRESSMSGBOXES", f"/LOG={windows_path(log)}", check=False
    )
    text = log.read_text(encoding="utf-8-sig", errors="replace") if log.is_file() else ""
    if result.returncode == 0 or "does not support the version of Windows" not in text:
        fail(f"Setup did not refuse Windows 7 (exit code {result.returncode}):\n{text}")
    print("ok: Setup refuses Windows 7 (MinVersion)")
    wine.run("winecfg", "/v", "win10")


def install_and_uninstall(wine: Wine, setup: Path) -> None:
    programs = wine.user_folder("ProgramW6432") / "Crofton Desk"
    data = wine.user_folder("APPDATA") / "Crofton Desk"
    data.mkdir(parents=True, exist_ok=True)
    keep = data / "crofton-desk.sqlite"
    keep.write_bytes(b"the school's data, which no uninstall may touch")
    silent = ("/VERYSILENT", "/SUPPRESSMSGBOXES", "/NORESTART", "/SP-", "/ALLUSERS")
    for attempt in ("install", "upgrade"):
        wine.run(setup, *silent)
        missing = [name for name in PROGRAMS if not (programs / name).is_file()]
        if missing:
            fail(f"after the {attempt}, {missing} not in {programs}")
        print(f"ok: {attempt} (/ALLUSERS /VERYSILENT) put the programs in {programs}")
    uninstaller = programs / "unins000.exe"
    if not uninstaller.is_file():
        fail(f"no uninstaller in {programs}")
    wine.run(uninstaller, "/VERYSILENT", "/SUPPRESSMSGBOXES", "/NORESTART")
    wine.run("wineserver", "-w", check=False)  # the uninstaller finishes from a copy in %TEMP%
    if (programs / PROGRAMS[0]).exists():
        fail(f"the uninstall left {programs / PROGRAMS[0]}")
    if not keep.is_file():
        fail(f"the uninstall removed {keep}")
    print(f"ok: uninstalled; {keep.name} in {data} is kept")
    keep.unlink()


def start_display(env: dict[str, str]) -> subprocess.Popen[bytes] | None:
    """Setup's wizard window exists even when silent: give it an X display if there is none."""
    if env.get("DISPLAY"):
        return None
    if shutil.which("Xvfb") is None:
        fail("no DISPLAY and no Xvfb to make one (apt-get install xvfb)")
    read, write = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1024x768x24"],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as stream:
        number = stream.readline().strip()
    if not number:
        server.kill()
        fail("Xvfb did not start")
    env["DISPLAY"] = f":{number}"
    return server


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--install", action="store_true", help="also install and uninstall")
    parser.add_argument("--source", type=Path, help="a real dist/Crofton Desk to compile in")
    parser.add_argument(
        "--cache", type=Path, default=Path.home() / ".cache" / "crofton-desk-installer"
    )
    args = parser.parse_args(argv)
    args.cache.mkdir(parents=True, exist_ok=True)
    wine = Wine(args.cache)
    display = start_display(wine.env) if args.install else None
    try:
        with tempfile.TemporaryDirectory(prefix="crofton-installer-") as folder:
            source = args.source or stand_in_bundle(Path(folder))
            setup = compile_setup(wine, source, Path(folder) / "out")
            if args.install:
                refused_on_windows_7(wine, setup, Path(folder))
                install_and_uninstall(wine, setup)
    finally:
        if display is not None:
            display.kill()
            display.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
