; Inno Setup script for Crofton Desk: wraps the PyInstaller onedir build (dist\Crofton Desk).
;
; Build with installer\build-windows.ps1, which passes the version read from the package:
;   ISCC.exe /DAppVersion=0.1.0 installer\crofton-desk.iss
;   -> dist\installer\Crofton-Desk-Setup-0.1.0.exe
;
; Per-user by default, no administrator rights: {localappdata}\Programs\Crofton Desk. An IT
; technician can install for all users of the PC instead (C:\Program Files\Crofton Desk): in the
; wizard ("Install for all users"), or scripted:
;   Crofton-Desk-Setup-0.1.0.exe /ALLUSERS /VERYSILENT /SUPPRESSMSGBOXES /NORESTART
; Each user's data (%APPDATA%\Crofton Desk: database, backups, logs) is never touched by the
; installer or the uninstaller.
;
; Signing (optional): build-windows.ps1 passes /DSignToolName=crofton and the command line for
; that sign tool (/Scrofton=...) when it is given a certificate; then Setup and the uninstaller
; are signed as they are made. Without a certificate nothing is signed.

#ifndef AppVersion
  #error Pass the version: ISCC /DAppVersion=X.Y.Z crofton-desk.iss (build-windows.ps1 does)
#endif
#ifndef SourceDir
  #define SourceDir "..\dist\Crofton Desk"
#endif
#define AppName "Crofton Desk"
#define AppExe "Crofton Desk.exe"

[Setup]
; A fixed AppId: upgrades replace the previous version in place. Never change it.
AppId={{6E0B7C52-3F1D-4C8A-9B2E-5A7D41C3F0A9}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Crofton Desk developers
VersionInfoVersion={#AppVersion}
VersionInfoProductName={#AppName}
VersionInfoCompany=Crofton Desk developers
; Windows 10 version 1809 or later (what Qt 6 supports), 64-bit.
MinVersion=10.0.17763
; For this user without administrator rights; /ALLUSERS on the command line, or the choice in
; the wizard, installs for every user of the PC (needs administrator rights). {autopf},
; {autoprograms} and {autodesktop} follow the choice. An upgrade keeps the earlier choice.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=commandline dialog
UsePreviousPrivileges=yes
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
DisableDirPage=auto
UsePreviousAppDir=yes
OutputDir=..\dist\installer
OutputBaseFilename=Crofton-Desk-Setup-{#AppVersion}
SetupIconFile=..\resources\icons\crofton-desk.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
CloseApplications=yes
RestartApplications=no
; Setup writes a log to %TEMP% (Setup Log yyyy-mm-dd #nnn.txt) for IT to read after a scripted
; install; /LOG=file names another file.
SetupLogging=yes
#ifdef SignToolName
SignTool={#SignToolName}
SignedUninstaller=yes
#endif

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
; The whole onedir bundle; files left from an older version are removed first (see
; [InstallDelete]) so nothing stale is loaded.
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Only the install folder. %APPDATA%\Crofton Desk (the school's data) is deliberately kept.
Type: filesandordirs; Name: "{app}\_internal"
Type: dirifempty; Name: "{app}"
