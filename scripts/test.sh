#!/usr/bin/env bash
# The project's one test command (README: `bash scripts/test.sh`).
#
# Works on a fresh Debian 12 machine and on a developer's machine alike: each
# step installs or starts what is missing and is quick when it is present.
#   1. system packages (chromium, graphviz, fonts-liberation)
#   2. the project's venv in .venv with `pip install -e ".[dev]"`
#   2b. lamindb 2.12.1, the differential suite's oracle, in its own .venv-lamindb
#   3. a PostgreSQL server (the local one on :5432, or a throwaway cluster)
#   4. pytest, pass 1: everything, on the default SQLite instance
#      pytest, pass 2: the unit contract suite against PostgreSQL
# Extra arguments go to both pytest passes (e.g. `-x`, `-k name`).
#
# Knobs (environment): PYTHON (interpreter for a new venv, default python3),
# LAMIN_LAB_TEST_WORKERS (pytest-xdist workers, default 2; 1 = no xdist),
# LAMIN_LAB_TEST_TIMEOUT (seconds per test, default 300),
# LAMIN_LAB_TEST_PG_URL (a PostgreSQL server to use instead of 127.0.0.1:5432),
# LAMIN_LAB_TEST_PG=throwaway (always start a throwaway cluster, even if one answers).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$(pwd)"
VENV="$ROOT/.venv"
VPY="$VENV/bin/python"
MARKER="$VENV/.lamin_lab-dev-installed"
WORKERS="${LAMIN_LAB_TEST_WORKERS:-2}"
TIMEOUT="${LAMIN_LAB_TEST_TIMEOUT:-300}"
T0=$SECONDS

say() { printf '[test.sh] %s\n' "$*"; }
die() { printf '[test.sh] ERROR: %s\n' "$*" >&2; exit 1; }
is_root() { [ "$(id -u)" -eq 0 ]; }
has_deb() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

APT_UPDATED=0
apt_install() {
  is_root || die "missing system packages: $*. Install them with: sudo apt-get install -y $*"
  if [ "$APT_UPDATED" -eq 0 ]; then
    say "apt-get update"
    apt-get update -qq
    APT_UPDATED=1
  fi
  say "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# --- 1. system packages ---------------------------------------------------------
step_system() {
  local missing=()
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  command -v dot >/dev/null 2>&1 || missing+=(graphviz)
  has_deb fonts-liberation || missing+=(fonts-liberation)
  if [ "${#missing[@]}" -gt 0 ]; then
    apt_install "${missing[@]}"
  fi
}

# --- 2. the venv -----------------------------------------------------------------
venv_points_here() {
  # From / so that the checkout itself is not on sys.path: we ask about the install.
  local where
  where="$(cd / && "$VPY" -c 'import importlib.util as u; s = u.find_spec("lamin_lab"); print(s.origin if s else "")' 2>/dev/null)" || return 1
  [ "$where" = "$ROOT/lamin_lab/__init__.py" ]
}

# The JupyterLab extension (labextension/ -> lamin_lab/labextension/): pip builds it
# once; rebuild when its sources are newer than the build, and let JupyterLab load the
# build output in place (what `jupyter labextension develop` does).
step_labextension() {
  local out="$ROOT/lamin_lab/labextension" link="$VENV/share/jupyter/labextensions/lamin-lab"
  if [ ! -f "$out/package.json" ] || [ -n "$(find "$ROOT/labextension/src" "$ROOT/labextension/style" \
      "$ROOT/labextension/package.json" -newer "$out/package.json" -print -quit)" ]; then
    command -v npm >/dev/null 2>&1 || die "npm is needed to build the lab extension (labextension/): install node 20+"
    say "building the lab extension"
    local log="$VENV/labextension-build.log"
    # `npm ci` installs exactly package-lock.json and never rewrites it (`npm install` would,
    # leaving the clone dirty); it fails when the lock no longer matches package.json.
    if ! (cd "$ROOT/labextension" && npm ci --no-audit --no-fund --loglevel=error \
          && PATH="$VENV/bin:$PATH" npm run --silent build) >"$log" 2>&1; then
      tail -n 40 "$log" >&2
      die "building labextension/ failed (full log: $log)"
    fi
  fi
  if [ "$(readlink "$link" 2>/dev/null)" != "$out" ]; then
    rm -rf "$link"
    mkdir -p "$(dirname "$link")"
    ln -s "$out" "$link"
  fi
}

step_venv() {
  if [ ! -x "$VPY" ]; then
    say "creating $VENV with ${PYTHON:-python3}"
    "${PYTHON:-python3}" -m venv "$VENV"
    rm -f "$MARKER"
  fi
  # Reinstall when pyproject.toml changed since the last install, or when the
  # venv's lamin_lab is not this checkout (e.g. a venv copied from another clone).
  if [ ! -f "$MARKER" ] || [ "$ROOT/pyproject.toml" -nt "$MARKER" ] || ! venv_points_here; then
    say "pip install -e .[dev] (a few minutes on a fresh machine)"
    local pip_log="$VENV/pip-install.log"
    # This machine's pip config names local index folders that may not exist:
    # keep pip's "Location ... is ignored" warnings out of the test log.
    if ! "$VPY" -m pip install -q -e "$ROOT[dev]" >"$pip_log" 2>&1; then
      grep -v "^WARNING: Location '.*' is ignored" "$pip_log" | tail -n 40 >&2
      die "pip install -e .[dev] failed (full log: $pip_log)"
    fi
    grep -v "^WARNING: Location '.*' is ignored" "$pip_log" || true
    touch "$MARKER"
  fi
  step_labextension
  # The notebooks run on the kernel named python3: make sure this venv has one.
  if [ ! -f "$VENV/share/jupyter/kernels/python3/kernel.json" ]; then
    "$VPY" -m ipykernel install --sys-prefix --name python3 >/dev/null
  fi
  if [ "$WORKERS" -gt 1 ] && ! "$VPY" -c "import xdist" 2>/dev/null; then
    say "pytest-xdist is not in the venv: running the tests on one worker"
    WORKERS=1
  fi
}

# --- 2b. lamindb, the oracle of tests/compat/ --------------------------------------
# Its own venv: lamin_lab never imports lamindb, and lamindb's Django stack stays out of
# the project's venv. The compat tests fail (not skip) without it.
LDB_VENV="$ROOT/.venv-lamindb"
LDB_MARKER="$LDB_VENV/.lamindb-2.12.1-installed"
step_lamindb_venv() {
  if [ -f "$LDB_MARKER" ] && [ -x "$LDB_VENV/bin/python" ]; then
    return
  fi
  say "creating $LDB_VENV: pip install torch==2.13.0 lamindb==2.12.1 (2-3 minutes)"
  [ -x "$LDB_VENV/bin/python" ] || "${PYTHON:-python3}" -m venv "$LDB_VENV"
  local log="$LDB_VENV/pip-install.log"
  # torch first, exactly this pin: it comes from a local CPU wheel (any other spec pulls CUDA).
  if ! { "$LDB_VENV/bin/python" -m pip install -q torch==2.13.0 \
         && "$LDB_VENV/bin/python" -m pip install -q lamindb==2.12.1; } >"$log" 2>&1; then
    grep -v "^WARNING: Location '.*' is ignored" "$log" | tail -n 40 >&2
    die "installing lamindb 2.12.1 into $LDB_VENV failed (full log: $log)"
  fi
  touch "$LDB_MARKER"
}

# --- 3. PostgreSQL ---------------------------------------------------------------
PG_TMP=""
PG_BIN=""

pg_answers() {
  "$VPY" -c 'import sys, psycopg2; psycopg2.connect(sys.argv[1], connect_timeout=3).close()' \
    "$1" >/dev/null 2>&1
}

pg_as_owner() {
  # initdb refuses to run as root: run the server tools as the postgres user.
  if is_root; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_stop() {
  if [ -n "$PG_TMP" ] && [ -d "$PG_TMP" ]; then
    say "stopping the throwaway PostgreSQL cluster"
    pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_TMP/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$PG_TMP"
    PG_TMP=""
  fi
}

pg_start_throwaway() {
  PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  [ -x "$PG_BIN/initdb" ] || die "PostgreSQL server binaries not found under /usr/lib/postgresql"
  PG_TMP="$(mktemp -d /tmp/lamin_lab_pg.XXXXXX)"
  if is_root; then chown postgres:postgres "$PG_TMP"; fi
  local port
  port="$("$VPY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  pg_as_owner "$PG_BIN/initdb" -D "$PG_TMP/data" -U postgres -A trust -E UTF8 \
    --locale=C.UTF-8 --no-sync >"$PG_TMP/initdb.log" 2>&1 \
    || { tail -n 20 "$PG_TMP/initdb.log" >&2; die "initdb failed"; }
  pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_TMP/data" -l "$PG_TMP/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $PG_TMP -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null \
    || { tail -n 20 "$PG_TMP/server.log" >&2; die "the throwaway PostgreSQL cluster did not start"; }
  export LAMIN_LAB_TEST_PG_URL="postgresql://postgres@127.0.0.1:$port/postgres"
  say "started a throwaway PostgreSQL cluster on 127.0.0.1:$port ($PG_TMP)"
}

step_postgres() {
  local default_url="postgresql://postgres@127.0.0.1:5432/postgres"
  if [ "${LAMIN_LAB_TEST_PG:-}" = throwaway ]; then
    pg_start_throwaway
    return
  fi
  if [ -n "${LAMIN_LAB_TEST_PG_URL:-}" ] && pg_answers "$LAMIN_LAB_TEST_PG_URL"; then
    say "using PostgreSQL at $LAMIN_LAB_TEST_PG_URL"
    return
  fi
  if pg_answers "$default_url"; then
    export LAMIN_LAB_TEST_PG_URL="$default_url"
    say "using PostgreSQL at $default_url"
    return
  fi
  if ! ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1; then
    apt_install postgresql
    # The package may have started its own cluster on 5432.
    if pg_answers "$default_url"; then
      export LAMIN_LAB_TEST_PG_URL="$default_url"
      say "using PostgreSQL at $default_url"
      return
    fi
  fi
  pg_start_throwaway
}

# --- 4. pytest -------------------------------------------------------------------
SUMMARY=()
FAILED=0
RUN_TMP=""
TOTAL_PASSED=0
TOTAL_FAILED=0
TOTAL_SKIPPED=0

cleanup() {
  pg_stop
  if [ -n "$RUN_TMP" ]; then rm -rf "$RUN_TMP"; RUN_TMP=""; fi
}

counts() {
  # "passed failed skipped" from a JUnit XML file (errors count as failed).
  "$VPY" -c '
import sys
import xml.etree.ElementTree as ET
try:
    root = ET.parse(sys.argv[1]).getroot()
except (OSError, ET.ParseError):
    print(0, 0, 0)
    raise SystemExit
suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
total = sum(int(s.get("tests", 0)) for s in suites)
failed = sum(int(s.get("failures", 0)) + int(s.get("errors", 0)) for s in suites)
skipped = sum(int(s.get("skipped", 0)) for s in suites)
print(total - failed - skipped, failed, skipped)
' "$1"
}

run_pass() {
  local label="$1" xml="$RUN_TMP/$2.xml"
  shift 2
  local started=$SECONDS rc=0 passed failed skipped
  say "$label"
  "$VPY" -m pytest -p no:cacheprovider --timeout="$TIMEOUT" --junitxml="$xml" "$@" || rc=$?
  read -r passed failed skipped < <(counts "$xml")
  TOTAL_PASSED=$((TOTAL_PASSED + passed))
  TOTAL_FAILED=$((TOTAL_FAILED + failed))
  TOTAL_SKIPPED=$((TOTAL_SKIPPED + skipped))
  local result="$passed passed, $failed failed, $skipped skipped in $((SECONDS - started))s"
  case "$rc" in
    0) SUMMARY+=("$label: ok, $result") ;;
    5) SUMMARY+=("$label: FAILED, no tests ran"); FAILED=1 ;;
    *) SUMMARY+=("$label: FAILED (pytest exit $rc), $result"); FAILED=1 ;;
  esac
  say "${SUMMARY[-1]}"
}

xdist_args() {
  if [ "$WORKERS" -gt 1 ]; then
    # loadfile: a test file stays on one worker, so session fixtures such as
    # the JupyterLab server start at most once per worker.
    echo "-n $WORKERS --dist loadfile"
  fi
}

main() {
  trap cleanup EXIT
  trap 'exit 130' INT TERM
  local t
  t=$SECONDS; step_system; say "system packages ready ($((SECONDS - t))s)"
  t=$SECONDS; step_venv; say "venv ready ($((SECONDS - t))s)"
  t=$SECONDS; step_lamindb_venv; say "lamindb venv ready ($((SECONDS - t))s)"
  export LAMIN_LAB_LAMINDB_PYTHON="$LDB_VENV/bin/python"
  t=$SECONDS; step_postgres; say "PostgreSQL ready ($((SECONDS - t))s)"

  RUN_TMP="$(mktemp -d /tmp/lamin_lab_test.XXXXXX)"
  # Tests never touch the real user's settings.
  export LAMIN_LAB_HOME="$RUN_TMP/home"
  # Kernels, servers and scripts started by the tests import lamin_lab from source: let
  # Python cache the bytecode (__pycache__ is gitignored) instead of compiling every time.
  unset PYTHONDONTWRITEBYTECODE
  mkdir -p "$LAMIN_LAB_HOME"

  # shellcheck disable=SC2046
  run_pass "pass 1 (all tests, SQLite)" pass1 tests $(xdist_args) "$@"
  # shellcheck disable=SC2046
  LAMIN_LAB_TEST_DB=postgres run_pass "pass 2 (unit and reliability suites, PostgreSQL)" pass2 \
    tests/unit tests/reliability -m "instance and not s3" $(xdist_args) "$@"
  cleanup

  echo
  say "summary (total $((SECONDS - T0))s):"
  local line
  for line in "${SUMMARY[@]}"; do say "  $line"; done
  # One plain closing line over both passes, for whoever reads the log's end.
  echo "tests: $TOTAL_PASSED passed, $TOTAL_FAILED failed, $TOTAL_SKIPPED skipped"
  return "$FAILED"
}

# Run only when executed; scripts/demo.sh sources this file for its set-up steps.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  main "$@"
fi
