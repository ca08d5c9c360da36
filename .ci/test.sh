#!/usr/bin/env bash
# `make test`: the whole suite on SQLite (the embedded default), and its database-specific part (the tests marked
# `db_specific`, chosen by the rule in tests/conftest.py: migrations, set-based SQL, concurrency, API lists) on a
# throwaway PostgreSQL cluster that this script starts on a free port and always stops, even when a pass fails or the
# run is interrupted.
# With two cores or more the passes run side by side (each line of output is prefixed with its pass); set
# TEST_PASSES_IN_PARALLEL=0 to run them one after the other.
# Usage: .ci/test.sh [sqlite|postgres|all] [pytest arguments...]
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
which=${1:-all}
[ $# -gt 0 ] && shift

started=$SECONDS
work=$(mktemp -d /tmp/talentcase-test-XXXXXX)
pgdir=""
cleanup() {
  [ -n "$pgdir" ] && .ci/postgres.sh stop "$pgdir"
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# One pass: its name, then the command. It writes its summary line and exit code under $work. Any failure fails
# the whole, and pytest's exit code 5 (no tests collected) fails like any other.
run_pass() {
  local name=$1 begin=$SECONDS rc=0
  shift
  echo "=== $name pass ==="
  "$@" || rc=$?
  if [ "$rc" -eq 0 ]; then
    echo "$name pass: passed in $((SECONDS - begin)) s" >"$work/$name.summary"
  elif [ "$rc" -eq 2 ]; then
    echo "$name pass: interrupted (pytest exit code 2) in $((SECONDS - begin)) s" >"$work/$name.summary"
  else
    echo "$name pass: FAILED (pytest exit code $rc) in $((SECONDS - begin)) s" >"$work/$name.summary"
  fi
  echo "$rc" >"$work/$name.rc"
}

sqlite_pass() {
  # Each pass has a temporary folder of its own, so that two pytest sessions never share one.
  run_pass SQLite env -u TEST_DATABASE_URL "$PY" -m pytest --basetemp="$work/tmp-sqlite" "$@"
}

postgres_pass() {
  # Only what may behave differently on PostgreSQL (DB_SPECIFIC in tests/conftest.py); the rest gives the same answer
  # on both databases and runs in the SQLite pass. The browser journeys (tests/browser) drive their own live server
  # on a SQLite file and are never database-specific.
  run_pass PostgreSQL env TEST_DATABASE_URL="$url" "$PY" -m pytest --basetemp="$work/tmp-postgres" -m db_specific "$@"
}

if [ "$which" = all ] || [ "$which" = postgres ]; then
  pgdir=$(mktemp -d /tmp/talentcase-pg-XXXXXX)
  url=$(.ci/postgres.sh start "$pgdir")
  echo "PostgreSQL test cluster: $url (data in $pgdir)"
fi

passes=()
if [ "$which" = all ] && [ "${TEST_PASSES_IN_PARALLEL:-1}" != 0 ] && [ "$(nproc)" -ge 2 ]; then
  echo "The SQLite and PostgreSQL passes run side by side; each line starts with its pass."
  sqlite_pass "$@" > >(sed -u 's/^/[SQLite] /') 2>&1 &
  passes+=($!)
  postgres_pass "$@" > >(sed -u 's/^/[PostgreSQL] /') 2>&1 &
  passes+=($!)
  wait "${passes[@]}" || true
  sleep 0.2  # the prefixing sed processes print their last lines
else
  if [ "$which" = all ] || [ "$which" = sqlite ]; then
    sqlite_pass "$@"
  fi
  if [ "$which" = all ] || [ "$which" = postgres ]; then
    [ -f "$work/SQLite.rc" ] && [ "$(cat "$work/SQLite.rc")" -eq 2 ] && { echo "SQLite pass interrupted"; exit 2; }
    postgres_pass "$@"
  fi
fi

failed=0
for name in SQLite PostgreSQL; do
  [ -f "$work/$name.summary" ] || continue
  cat "$work/$name.summary"
  rc=$(cat "$work/$name.rc")
  [ "$rc" -ne 0 ] && failed=$rc
done
echo "make test: $((SECONDS - started)) s in all"
exit "$failed"
