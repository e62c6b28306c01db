<#
.SYNOPSIS
  Checks a Crofton Desk installer as IT would use it: a silent install (twice, the second over
  the first, as an upgrade does), the installed self-test, the installed window opened and
  closed, then a silent uninstall that leaves the user's data alone.

.EXAMPLE
  powershell -ExecutionPolicy Bypass -File installer\test-install.ps1
  # for this user (no administrator rights), the installer build-windows.ps1 made

.EXAMPLE
  powershell -ExecutionPolicy Bypass -File installer\test-install.ps1 -AllUsers
  # /ALLUSERS: into Program Files, for every user of the PC (run as administrator)

.NOTES
  The installed program works on a data folder of its own in %TEMP% (CROFTON_DESK_DATA), so the
  PC's real Crofton Desk data is never touched. CI runs this after build-windows.ps1.
#>
[CmdletBinding()]
param(
    [string]$Setup = "",
    [switch]$AllUsers
)
$ErrorActionPreference = "Stop"
Set-StrictMode -Version Latest

$Root = Split-Path -Parent $PSScriptRoot
$AppId = "{6E0B7C52-3F1D-4C8A-9B2E-5A7D41C3F0A9}_is1"
if (-not $Setup) {
    $newest = Get-ChildItem (Join-Path $Root "dist\installer") -Filter "Crofton-Desk-Setup-*.exe" |
        Sort-Object LastWriteTime -Descending | Select-Object -First 1
    if (-not $newest) { throw "No dist\installer\Crofton-Desk-Setup-*.exe: run installer\build-windows.ps1 first" }
    $Setup = $newest.FullName
}
if ($AllUsers) {
    $Scope = "/ALLUSERS"
    $InstallDir = Join-Path $env:ProgramFiles "Crofton Desk"
    $UninstallKey = "HKLM:\Software\Microsoft\Windows\CurrentVersion\Uninstall\$AppId"
} else {
    $Scope = "/CURRENTUSER"
    $InstallDir = Join-Path $env:LOCALAPPDATA "Programs\Crofton Desk"
    $UninstallKey = "HKCU:\Software\Microsoft\Windows\CurrentVersion\Uninstall\$AppId"
}
$Work = Join-Path ([System.IO.Path]::GetTempPath()) ("crofton-install-test-" + [guid]::NewGuid().ToString("N"))
$Data = Join-Path $Work "data"
New-Item -ItemType Directory -Force -Path $Data | Out-Null
$env:CROFTON_DESK_DATA = $Data
Remove-Item Env:\CROFTON_DESK_DB -ErrorAction SilentlyContinue

function Step([string]$Text) { Write-Host "== $Text" }

# The PC's own data folder must come through untouched. On CI, put a file there to prove it.
$RealData = Join-Path $env:APPDATA "Crofton Desk"
if ($env:GITHUB_ACTIONS -eq "true") {
    New-Item -ItemType Directory -Force -Path $RealData | Out-Null
    Set-Content -Path (Join-Path $RealData "kept-by-uninstall.txt") -Value "Crofton Desk installer check"
}
function Get-RealData { if (Test-Path $RealData) { @(Get-ChildItem -Recurse -File $RealData | ForEach-Object { $_.FullName }) } else { @() } }
$RealDataBefore = Get-RealData

function Install-Once([string]$Name) {
    $log = Join-Path $Work "$Name.log"
    $arguments = @("/VERYSILENT", "/SUPPRESSMSGBOXES", "/NORESTART", "/SP-", $Scope, "/LOG=`"$log`"")
    $process = Start-Process -FilePath $Setup -ArgumentList $arguments -Wait -PassThru
    if ($process.ExitCode -ne 0) {
        if (Test-Path $log) { Get-Content $log | Select-Object -Last 30 | Write-Host }
        throw "Setup exited with code $($process.ExitCode) ($Name)"
    }
    foreach ($exe in @("Crofton Desk.exe", "Crofton Desk Console.exe")) {
        if (-not (Test-Path (Join-Path $InstallDir $exe))) { throw "$exe is not in $InstallDir after $Name" }
    }
}

Step "Installing $(Split-Path -Leaf $Setup) ($Scope) into $InstallDir"
Install-Once "install"
$entry = Get-ItemProperty -Path $UninstallKey
Write-Host "Installed: $($entry.DisplayName) $($entry.DisplayVersion) in $($entry.InstallLocation)"

Step "Installing again over it (an upgrade in place)"
Install-Once "upgrade"
$entries = @(Get-ChildItem "HKCU:\Software\Microsoft\Windows\CurrentVersion\Uninstall", "HKLM:\Software\Microsoft\Windows\CurrentVersion\Uninstall" -ErrorAction SilentlyContinue |
    Where-Object { $_.PSChildName -eq $AppId })
if ($entries.Count -ne 1) { throw "Expected one uninstall entry for Crofton Desk, found $($entries.Count)" }

Step "Self-test of the installed program"
$console = Join-Path $InstallDir "Crofton Desk Console.exe"
# Windows PowerShell turns a native program's stderr lines into errors, which "Stop" would throw.
$ErrorActionPreference = "Continue"
$output = & $console "self-test" 2>&1 | Out-String
$code = $LASTEXITCODE
$ErrorActionPreference = "Stop"
Write-Host $output
if ($code -ne 0 -or $output -notmatch "self-test passed") { throw "The installed self-test failed (exit code $code)" }

Step "Opening and closing the installed window"
$window = Start-Process -FilePath (Join-Path $InstallDir "Crofton Desk.exe") -PassThru
$database = Join-Path $Data "crofton-desk.sqlite"
$deadline = (Get-Date).AddSeconds(90)
$title = ""
while ((Get-Date) -lt $deadline) {
    if ($window.HasExited) { throw "The window exited by itself with code $($window.ExitCode)" }
    $window.Refresh()
    $title = $window.MainWindowTitle
    # "Crofton Desk" while opening; "Crofton Desk - <school>" (an em dash) once the database is
    # open and the tabs are being built. (ASCII only here: Windows PowerShell reads this file
    # in the ANSI code page.)
    if ($title -like "Crofton Desk ?*" -and (Test-Path $database)) { break }
    Start-Sleep -Milliseconds 500
}
if ($title -notlike "Crofton Desk ?*") { throw "The main window did not open (window title: '$title')" }
Start-Sleep -Seconds 5  # the other tabs are built while idle
$window.Refresh()
if ($window.MainWindowTitle -ne $title) { throw "Another window came up: '$($window.MainWindowTitle)'" }
$logFile = Join-Path $Data "logs\crofton-desk.log"
if ((Test-Path $logFile) -and (Select-String -Path $logFile -Pattern " ERROR |Traceback" -Quiet)) {
    Get-Content $logFile | Write-Host
    throw "The window logged an error"
}
if (-not $window.CloseMainWindow()) { throw "The window could not be asked to close" }
if (-not $window.WaitForExit(30000)) { $window.Kill(); throw "The window did not close within 30 s" }
if ($window.ExitCode -ne 0) { throw "The window exited with code $($window.ExitCode)" }
Write-Host "Window '$title' opened and closed"

Step "Uninstalling"
$uninstaller = Join-Path $InstallDir "unins000.exe"
$process = Start-Process -FilePath $uninstaller -ArgumentList @("/VERYSILENT", "/SUPPRESSMSGBOXES", "/NORESTART") -Wait -PassThru
if ($process.ExitCode -ne 0) { throw "The uninstaller exited with code $($process.ExitCode)" }
# The uninstaller runs a copy of itself from %TEMP%: wait for it to finish.
$program = Join-Path $InstallDir "Crofton Desk.exe"
$deadline = (Get-Date).AddSeconds(120)
while (((Test-Path $program) -or (Test-Path $UninstallKey)) -and (Get-Date) -lt $deadline) { Start-Sleep -Milliseconds 500 }
if (Test-Path $program) { throw "The program is still in $InstallDir after uninstalling" }
if (Test-Path $UninstallKey) { throw "The uninstall entry is still in the registry" }
if (-not (Test-Path $database)) { throw "Uninstalling removed the database $database" }
$RealDataAfter = Get-RealData
$lost = @($RealDataBefore | Where-Object { $RealDataAfter -notcontains $_ })
if ($lost.Count -gt 0) { throw "Uninstalling removed files from $RealData`: $($lost -join ', ')" }
Write-Host "Uninstalled; the user's data is still in $Data"

Remove-Item -Recurse -Force $Work -ErrorAction SilentlyContinue
Step "All installer checks passed ($Scope)"
