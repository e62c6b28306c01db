<#
.SYNOPSIS
  Builds Crofton Desk for Windows: a virtual environment, the PyInstaller onedir build, its
  self-test, optional code signing, and the Inno Setup installer.

.EXAMPLE
  powershell -ExecutionPolicy Bypass -File installer\build-windows.ps1
  # -> dist\Crofton Desk\  and  dist\installer\Crofton-Desk-Setup-<version>.exe

.EXAMPLE
  # Signed with the school's certificate from the Windows certificate store (by thumbprint):
  powershell -ExecutionPolicy Bypass -File installer\build-windows.ps1 `
      -CertificateThumbprint 0123456789ABCDEF0123456789ABCDEF01234567 `
      -TimestampUrl http://timestamp.example.org

.EXAMPLE
  # Signed with a .pfx file; its password is read from $env:CROFTON_SIGN_PASSWORD:
  powershell -ExecutionPolicy Bypass -File installer\build-windows.ps1 `
      -CertificateFile C:\certs\school.pfx -TimestampUrl http://timestamp.example.org

.NOTES
  Needs Python 3.11+ (the `py` launcher or python on PATH) and Inno Setup 6 (ISCC.exe on PATH,
  or in its default folder); signing also needs signtool.exe (Windows SDK). Run from anywhere;
  paths are relative to the repository. With no certificate, nothing is signed (and the script
  says so). The same script runs in CI (.github/workflows/windows.yml).
#>
[CmdletBinding()]
param(
    [string]$Python = "",
    [string]$Iscc = "",
    [switch]$SkipInstaller,
    # Code signing, all optional: a certificate in the store (thumbprint) or a .pfx file.
    [string]$CertificateThumbprint = "",
    [string]$CertificateFile = "",
    [switch]$MachineStore,
    [string]$TimestampUrl = "",
    [string]$SignTool = ""
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

# 3. Signing, if a certificate was given: find signtool and build its arguments.
$Signing = [bool]($CertificateThumbprint -or $CertificateFile)
$SignArguments = @()
if ($Signing) {
    if (-not $TimestampUrl) {
        throw "Signing needs -TimestampUrl (the certificate authority's RFC 3161 time-stamp server): without a time stamp the signature dies with the certificate"
    }
    if (-not $SignTool) {
        $found = Get-Command signtool.exe -ErrorAction SilentlyContinue
        if ($found) { $SignTool = $found.Source }
        else {
            $kits = Join-Path ${env:ProgramFiles(x86)} "Windows Kits\10\bin"
            $candidate = Get-ChildItem -Path $kits -Filter signtool.exe -Recurse -ErrorAction SilentlyContinue |
                Where-Object { $_.FullName -match "\\x64\\" } | Sort-Object FullName -Descending | Select-Object -First 1
            if ($candidate) { $SignTool = $candidate.FullName }
        }
    }
    if (-not $SignTool -or -not (Test-Path $SignTool)) {
        throw "signtool.exe not found: install the Windows SDK's signing tools or pass -SignTool PATH"
    }
    $SignArguments = @("sign", "/fd", "sha256", "/td", "sha256", "/tr", $TimestampUrl, "/d", "Crofton Desk")
    if ($CertificateThumbprint) {
        $SignArguments += @("/sha1", ($CertificateThumbprint -replace "\s", ""))
        if ($MachineStore) { $SignArguments += "/sm" }
    } else {
        if (-not (Test-Path $CertificateFile)) { throw "Certificate file not found: $CertificateFile" }
        $SignArguments += @("/f", (Resolve-Path $CertificateFile).Path)
        if ($env:CROFTON_SIGN_PASSWORD) { $SignArguments += @("/p", $env:CROFTON_SIGN_PASSWORD) }
    }
    Write-Host "Signing with $SignTool"
} else {
    Write-Host "No certificate given (-CertificateThumbprint or -CertificateFile): the programs and the installer are not signed"
}

function Invoke-Sign {
    param([string[]]$Files)
    if (-not $Signing) { return }
    & $SignTool @($SignArguments + $Files)
    # Not Invoke-Checked: its message would repeat the arguments, and with them a .pfx password.
    if ($LASTEXITCODE -ne 0) { throw "signtool could not sign $($Files -join ', ') (exit code $LASTEXITCODE)" }
    Invoke-Checked $SignTool (@("verify", "/pa") + $Files)
}

# 4. The onedir build, signed, then its self-test through the console twin.
Invoke-Checked $VenvPython @("-m", "PyInstaller", "--noconfirm", "--clean", "build.spec")
$Bundle = Join-Path $Root "dist\Crofton Desk"
Invoke-Sign @((Join-Path $Bundle "Crofton Desk.exe"), (Join-Path $Bundle "Crofton Desk Console.exe"))
$Console = Join-Path $Bundle "Crofton Desk Console.exe"
Invoke-Checked $Console @("self-test")

if ($SkipInstaller) { return }

# 5. The installer (Setup and its uninstaller signed by ISCC through the "crofton" sign tool).
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
$IsccArguments = @("/DAppVersion=$Version")
if ($Signing) {
    # ISCC runs this for each file it signs: $f is the file (quoted), $q a quotation mark.
    $quoted = $SignArguments | ForEach-Object { if ($_ -match "[\s""]") { '$q' + $_ + '$q' } else { $_ } }
    $IsccArguments += @("/DSignToolName=crofton", ('/Scrofton=$q' + $SignTool + '$q ' + ($quoted -join " ") + ' $f'))
}
Invoke-Checked $Iscc ($IsccArguments + @("installer\crofton-desk.iss"))
$Setup = Join-Path $Root "dist\installer\Crofton-Desk-Setup-$Version.exe"
if (-not (Test-Path $Setup)) { throw "ISCC did not make $Setup" }
if ($Signing) { Invoke-Checked $SignTool @("verify", "/pa", $Setup) }
Write-Host "Installer: $Setup"
