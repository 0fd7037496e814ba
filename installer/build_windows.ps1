# Build the Windows installer: PyInstaller one-folder build, then Inno Setup.
# Run from the project root in PowerShell on Windows with Python 3.11+ and Inno Setup 6 installed:
#   powershell -ExecutionPolicy Bypass -File installer\build_windows.ps1
$ErrorActionPreference = "Stop"
python -m venv .venv
.\.venv\Scripts\python -m pip install -q -e ".[dev]"
$version = (.\.venv\Scripts\python -c "import verzuimdesk; print(verzuimdesk.__version__)").Trim()
.\.venv\Scripts\pyinstaller --noconfirm installer\verzuimdesk.spec
.\.venv\Scripts\python installer\smoke_test.py dist\verzuimdesk
$iscc = (Get-Command iscc -ErrorAction SilentlyContinue).Source
if (-not $iscc) { $iscc = "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe" }
& $iscc "/DAppVersion=$version" installer\verzuimdesk.iss
if ($LASTEXITCODE -ne 0) { throw "Inno Setup mislukte" }
Write-Host "Installatieprogramma: dist\installer\verzuimdesk-$version-setup.exe"
