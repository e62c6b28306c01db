<#
.SYNOPSIS
  Builds Crofton Desk for Windows: a virtual environment, the PyInstaller onedir build, its
  self-test, and the Inno Setup installer.

.EXAMPLE
  powershell -ExecutionPolicy Bypass -File installer\build-windows.ps1
  # -> dist\Crofton Desk\  and  dist\installer\Crofton-Desk-<version>-setup.exe

.NOTES
  Needs Python 3.11+ (the `py` launcher or python on PATH) and Inno Setup 6 (ISCC.exe on PATH,
  or in its default folder). Run from anywhere; paths are relative to the repository.
#>
[CmdletBinding()]
param(
    [string]$Python = "",
    [string]$Iscc = "",
    [switch]$SkipInstaller
)
$ErrorActionPreference = "Stop"
Set-StrictMode -Version Latest

$Root = Split-Path -Parent $PSScriptRoot
Set-Location $Root

function Invoke-Checked {
    param([string]$Program, [string[]]$Arguments)
    & $Program @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$Program $($Arguments -join ' ') failed (exit code $LASTEXITCODE)" }
}

# 1. A clean virtual environment with the app and its build tools.
if (-not $Python) {
    if (Get-Command py -ErrorAction SilentlyContinue) { $Python = "py" } else { $Python = "python" }
}
$Venv = Join-Path $Root ".venv-build"
if (-not (Test-Path (Join-Path $Venv "Scripts\python.exe"))) {
    if ($Python -eq "py") { Invoke-Checked "py" @("-3.11", "-m", "venv", $Venv) }
    else { Invoke-Checked $Python @("-m", "venv", $Venv) }
}
$VenvPython = Join-Path $Venv "Scripts\python.exe"
Invoke-Checked $VenvPython @("-m", "pip", "install", "--upgrade", "pip")
Invoke-Checked $VenvPython @("-m", "pip", "install", ".[build]")

# 2. The version, from crofton_desk.__version__ (the same value the version resource gets).
$Version = (& $VenvPython "installer\version_info.py" "--version").Trim()
if ($LASTEXITCODE -ne 0 -or -not $Version) { throw "Could not read the package version" }
Write-Host "Crofton Desk $Version"

# 3. The onedir build, then its self-test through the console twin.
Invoke-Checked $VenvPython @("-m", "PyInstaller", "--noconfirm", "--clean", "build.spec")
$Console = Join-Path $Root "dist\Crofton Desk\Crofton Desk Console.exe"
Invoke-Checked $Console @("self-test")

if ($SkipInstaller) { return }

# 4. The installer.
if (-not $Iscc) {
    $found = Get-Command ISCC.exe -ErrorAction SilentlyContinue
    if ($found) { $Iscc = $found.Source }
    else {
        foreach ($candidate in @(
            "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe",
            "$env:ProgramFiles\Inno Setup 6\ISCC.exe",
            "$env:LOCALAPPDATA\Programs\Inno Setup 6\ISCC.exe")) {
            if (Test-Path $candidate) { $Iscc = $candidate; break }
        }
    }
}
if (-not $Iscc) { throw "ISCC.exe not found: install Inno Setup 6 or pass -Iscc PATH" }
Invoke-Checked $Iscc @("/DAppVersion=$Version", "installer\crofton-desk.iss")
Write-Host "Installer: dist\installer\Crofton-Desk-$Version-setup.exe"
