#!/usr/bin/env bash
# `make run`: Redis, database upgrade, demo data, an RQ worker and the web app; Ctrl-C stops them all.
set -euo pipefail
export REDIS_PORT=${REDIS_PORT:-6391}
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:${REDIS_PORT}/0}
export TALENTCASE_ENV=${TALENTCASE_ENV:-development}
host=${HOST:-127.0.0.1}
port=${PORT:-5000}
# Links in mail (invitations, password resets, the expert's link) point where this instance answers.
export TALENTCASE_BASE_URL=${TALENTCASE_BASE_URL:-http://$host:$port}
mkdir -p var

.ci/redis.sh start
worker_pid=""
web_pid=""
cleanup() {
  trap - INT TERM EXIT
  echo
  echo "Stopping TalentCase..."
  [ -n "$web_pid" ] && kill "$web_pid" 2>/dev/null || true
  [ -n "$worker_pid" ] && kill "$worker_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  .ci/redis.sh stop
  echo "Stopped."
}
trap cleanup INT TERM EXIT

.venv/bin/flask --app talentcase db upgrade
.venv/bin/flask --app talentcase demo seed

# The worker command starts its RQ worker and cron again itself; should it stop anyway, start it again here rather
# than let `wait -n` below take the web app down with it.
keep_worker_running() {
  local child="" status
  trap '[ -n "$child" ] && kill "$child" 2>/dev/null; wait 2>/dev/null; exit 0' INT TERM
  while true; do
    .venv/bin/flask --app talentcase worker &
    child=$!
    status=0
    wait "$child" || status=$?
    echo "Worker stopped (exit status $status); the web app stays up, starting the worker again in 5 s..." >&2
    sleep 5 &
    wait $! || true
  done
}
keep_worker_running &
worker_pid=$!
.venv/bin/gunicorn -c gunicorn.conf.py --bind "$host:$port" --workers "${WEB_WORKERS:-2}" &
web_pid=$!

echo
echo "TalentCase is running at http://$host:$port/  (Ctrl-C to stop)"
echo "Demo logins are listed above (password: talentcase-demo)."
wait -n "$web_pid" "$worker_pid"
