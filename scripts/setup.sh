#!/usr/bin/env bash
# One script behind the README's two commands:
#   bash scripts/setup.sh run    — install what the program needs, then open it on the embedded SQLite database
#   bash scripts/setup.sh test   — install what the tests need, then run ruff and the whole test suite
# Works on a fresh Debian 12 as root (or with sudo). Safe to run again: every step is idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-run}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

APT_PACKAGES=(
  # Qt 6 (PySide6 wheels) runtime libraries for the xcb and offscreen platforms
  libgl1 libegl1 libglib2.0-0 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libfreetype6 libdbus-1-3
  libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 libxcb-shape0
  libxcb-xinerama0 libxcb-xfixes0 libxcb-xkb1 libxrender1 libxi6 libnss3 libasound2
  # CJK fonts (TrueType outlines: usable by Qt and embedded by reportlab), virtual screen, PDF tools
  fonts-arphic-uming fonts-arphic-ukai fonts-arphic-gbsn00lp fonts-wqy-zenhei fonts-dejavu-core fontconfig xvfb xauth poppler-utils
  python3 python3-venv python3-pip
)

need_apt=0
for p in "${APT_PACKAGES[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || { need_apt=1; break; }
done
if [ "$need_apt" = 1 ]; then
  echo "== 安装系统依赖（apt-get）"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${APT_PACKAGES[@]}" >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
  echo "== 创建虚拟环境 .venv"
  python3 -m venv .venv
fi
stamp=.venv/.installed-$(cat pyproject.toml scripts/setup.sh | sha256sum | cut -c1-16)-$mode
if [ ! -f "$stamp" ]; then
  echo "== 安装 Python 依赖"
  .venv/bin/python -m pip install -q --upgrade pip
  if [ "$mode" = test ]; then
    .venv/bin/python -m pip install -q -e ".[test,postgres]"  # the tests run on PostgreSQL too
  else
    .venv/bin/python -m pip install -q -e .
  fi
  touch "$stamp"
fi

# Tests: a local PostgreSQL 15 (Debian package) on 127.0.0.1 with its own role and database, so every database test
# also runs on PostgreSQL (YIBAO_TEST_PG_URL). Skipped when YIBAO_TEST_PG_URL is already set or YIBAO_NO_PG=1.
start_postgresql() {
  [ -z "${YIBAO_TEST_PG_URL:-}" ] && [ "${YIBAO_NO_PG:-0}" != 1 ] || return 0
  local role="${YIBAO_CI_PG_ROLE:-yibao_ci}" db="${YIBAO_CI_PG_DB:-yibao_ci}" ver port
  if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
    echo "== 安装 PostgreSQL（apt-get）"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends postgresql postgresql-client >/dev/null
  fi
  ver=$(ls /usr/lib/postgresql | sort -n | tail -1)
  if ! pg_lsclusters -h 2>/dev/null | awk '{print $1" "$2}' | grep -qx "$ver main"; then
    $SUDO pg_createcluster "$ver" main >/dev/null
  fi
  port=$(pg_lsclusters -h | awk -v v="$ver" '$1==v && $2=="main" {print $3}')
  if ! pg_lsclusters -h | awk -v v="$ver" '$1==v && $2=="main" {print $4}' | grep -q online; then
    echo "== 启动 PostgreSQL $ver（127.0.0.1:$port）"
    $SUDO pg_ctlcluster "$ver" main start -- -o "-c listen_addresses=127.0.0.1"
  fi
  for _ in $(seq 30); do pg_isready -q -h 127.0.0.1 -p "$port" && break; sleep 1; done
  as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi; }
  as_postgres psql -q -p "$port" -tc "SELECT 1 FROM pg_roles WHERE rolname='$role'" | grep -q 1 \
    || as_postgres psql -q -p "$port" -c "CREATE ROLE $role LOGIN PASSWORD '$role'"
  as_postgres psql -q -p "$port" -tc "SELECT 1 FROM pg_database WHERE datname='$db'" | grep -q 1 \
    || as_postgres createdb -p "$port" -O "$role" "$db"
  export YIBAO_TEST_PG_URL="postgresql+psycopg://$role:$role@127.0.0.1:$port/$db"
  echo "== PostgreSQL 测试数据库：127.0.0.1:$port/$db"
}

case "$mode" in
  run)
    shift || true
    if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
      echo "== 没有图形显示，使用 Xvfb 虚拟屏幕运行（在桌面环境中会直接打开窗口）"
      exec xvfb-run -a -s "-screen 0 1366x800x24" .venv/bin/yibao-desktop "$@"
    fi
    exec .venv/bin/yibao-desktop "$@"
    ;;
  test)
    shift || true
    start_postgresql
    echo "== ruff check"
    .venv/bin/ruff check .
    echo "== ruff format --check"
    .venv/bin/ruff format --check .
    echo "== mypy (domain, services)"
    .venv/bin/mypy
    echo "== dead code (vulture)"
    .venv/bin/python scripts/dead_code.py
    echo "== pytest"
    export QT_QPA_PLATFORM=offscreen
    cov=()
    # the whole suite measures coverage against the floor in pyproject.toml ([tool.coverage.report] fail_under)
    [ "$#" -gt 0 ] || cov=(--cov --cov-report=term:skip-covered)
    exec xvfb-run -a -s "-screen 0 1366x800x24" .venv/bin/python -m pytest -p no:cacheprovider "${cov[@]}" "$@"
    ;;
  *)
    echo "用法：bash scripts/setup.sh run|test" >&2
    exit 2
    ;;
esac
