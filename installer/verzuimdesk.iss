; Inno Setup script for verzuimdesk: a per-user Windows installer (no administrator rights needed).
;
; Build (on Windows, after PyInstaller made dist\verzuimdesk\):
;   iscc /DAppVersion=0.1.0 installer\verzuimdesk.iss
; The version comes from verzuimdesk/__init__.py (the one place); installer/build_windows.ps1 passes it.
;
; What it does:
; - installs into %LOCALAPPDATA%\Programs\verzuimdesk for the current user only;
; - a Start-menu entry with the program's icon (a desktop shortcut only when chosen); no file associations;
; - an upgrade installs over the previous version (same AppId) after closing a running program; the data
;   (%LOCALAPPDATA%\verzuimdesk) is never in the program folder, and the program upgrades its database
;   schema itself at the next start, after making a backup copy next to the database;
; - the uninstaller removes the program and leaves the data folder, unless the user asks to remove it too.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#define AppName "verzuimdesk"
#define AppExe "verzuimdesk.exe"

[Setup]
AppId={{6B1E0C52-3F0B-4C39-9E2B-5C7D0A6F9D41}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=verzuimdesk
VersionInfoVersion={#AppVersion}
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=
DefaultDirName={userpf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
DisableDirPage=auto
ChangesAssociations=no
CloseApplications=force
RestartApplications=no
SetupIconFile=..\resources\icons\verzuimdesk.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
OutputDir=..\dist\installer
OutputBaseFilename=verzuimdesk-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible

[Languages]
Name: "dutch"; MessagesFile: "compiler:Languages\Dutch.isl"

[Tasks]
Name: "desktopicon"; Description: "Snelkoppeling op het bureaublad"; GroupDescription: "Extra snelkoppelingen:"; Flags: unchecked

[Files]
; The whole PyInstaller one-folder build. Old files of a previous version are removed first (see [InstallDelete]).
Source: "..\dist\verzuimdesk\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; An upgrade replaces the program folder's libraries completely (never the data: that lives elsewhere).
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{userprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; IconFilename: "{app}\{#AppExe}"; Comment: "Verzuimregistratie volgens de Leerplichtwet"
Name: "{userdesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "verzuimdesk nu starten"; Flags: nowait postinstall skipifsilent

[Code]
var
  RemoveData: Boolean;

function DataDir(): String;
begin
  Result := ExpandConstant('{localappdata}\verzuimdesk');
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if CurUninstallStep = usUninstall then
  begin
    RemoveData := False;
    if DirExists(DataDir()) and not UninstallSilent() then
      RemoveData := MsgBox('Wilt u ook de gegevens van verzuimdesk verwijderen (de database met het verzuim, ' +
        'de reservekopieën en de instellingen in ' + DataDir() + ')?' + #13#10#13#10 +
        'Kies "Nee" om ze te bewaren, bijvoorbeeld voor een nieuwe installatie. Verwijderde gegevens ' +
        'zijn niet terug te halen.', mbConfirmation, MB_YESNO or MB_DEFBUTTON2) = IDYES;
  end;
  if (CurUninstallStep = usPostUninstall) and RemoveData then
    DelTree(DataDir(), True, True, True);
end;
