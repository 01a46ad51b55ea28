#!/usr/bin/env bash
# Build the one-folder PyInstaller app and smoke-test it: demo data, a PDF form, a roster export read back,
# the window filling its table.
# Not part of the default test run (takes a few minutes). Usage: bash scripts/build_and_smoke.sh
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/pyinstaller ] || .venv/bin/python -m pip install -q -e ".[build]"
.venv/bin/pyinstaller build.spec --noconfirm --distpath dist --workpath build/pyinstaller
app=dist/yibao-desktop/yibao-desktop
data=$(mktemp -d)
export YIBAO_DATA_DIR="$data" QT_QPA_PLATFORM=offscreen
export YIBAO_PASSWORD=Smoke2026ok  # the demo users' password; the window signs in as admin with it below
"$app" demo --persons 300
"$app" print blank annex4 "$data/annex4.pdf"
"$app" export personnel "$data/personnel.xlsx"
YIBAO_USER=admin "$app" import personnel "$data/personnel.xlsx" --dry-run  # calamine and pypinyin inside the bundle
pdftotext "$data/annex4.pdf" - | grep -q "记分修复申请书"
# the window fills its table, with Qt's Chinese translation loaded from the bundle (zh=1)
YIBAO_USER=admin YIBAO_STARTUP_TIMING=1 timeout 120 "$app" gui --demo-persons 0 | grep -q "^filled_at.* zh=1"
echo "frozen app OK: $(du -sh dist/yibao-desktop | cut -f1)"
