#!/usr/bin/env bash
# `make test`: the whole suite on SQLite (the embedded default), then again on a throwaway PostgreSQL cluster that
# this script starts on a free port and always stops, even when a pass fails or the run is interrupted.
# Usage: .ci/test.sh [sqlite|postgres|all] [pytest arguments...]
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
which=${1:-all}
[ $# -gt 0 ] && shift

started=$SECONDS
summary=()
failed=0
trap 'exit 130' INT TERM

run_pass() {  # name, then the command. Both passes run even when the first fails; any failure fails the whole,
  local name=$1 begin=$SECONDS rc=0  # and pytest's exit code 5 (no tests collected) fails like any other.
  shift
  echo "=== $name pass ==="
  "$@" || rc=$?
  [ "$rc" -eq 2 ] && { echo "$name pass interrupted"; exit 2; }  # pytest's code for Ctrl-C: stop here
  if [ "$rc" -eq 0 ]; then
    summary+=("$name pass: passed in $((SECONDS - begin)) s")
  else
    summary+=("$name pass: FAILED (pytest exit code $rc) in $((SECONDS - begin)) s")
    failed=$rc
  fi
}

if [ "$which" = all ] || [ "$which" = sqlite ]; then
  run_pass SQLite env -u TEST_DATABASE_URL "$PY" -m pytest "$@"
fi

if [ "$which" = all ] || [ "$which" = postgres ]; then
  pgdir=$(mktemp -d /tmp/talentcase-pg-XXXXXX)
  trap '.ci/postgres.sh stop "$pgdir"' EXIT
  url=$(.ci/postgres.sh start "$pgdir")
  echo "PostgreSQL test cluster: $url (data in $pgdir)"
  # The browser journeys (tests/browser) drive their own live server on a SQLite file, so the first pass covers them.
  run_pass PostgreSQL env TEST_DATABASE_URL="$url" "$PY" -m pytest -m "not browser" "$@"
fi

printf '%s\n' "${summary[@]}" "make test: $((SECONDS - started)) s in all"
exit "$failed"
