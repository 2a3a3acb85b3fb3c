#!/usr/bin/env bash
# Run a web server with a background worker beside it (docs/operations.md):
#
#   scripts/with-worker.sh COMMAND [ARGS...]
#
# Starts `manage.py run_worker`, then COMMAND (the web server). When the server stops, or
# this script is interrupted (Ctrl-C) or terminated, both are stopped: no worker is left
# behind. The worker finishes the job in hand before it stops (a second signal forces it);
# a job cut short is taken back by the next worker (decision 0017).
#
#   SELFDIRECT_WORKER=0   run COMMAND alone (the workers run as a service of their own)
set -uo pipefail
cd "$(dirname "$0")/.."

PY="${PY:-.venv/bin/python}"
if [ "${SELFDIRECT_WORKER:-1}" = "0" ]; then
  exec "$@"
fi

# In a session of its own, so a Ctrl-C at the terminal reaches this script and not the
# worker directly: the worker then gets one TERM, and finishes the job in hand.
setsid "$PY" manage.py run_worker --no-reload --interval "${SELFDIRECT_WORKER_INTERVAL:-1}" &
worker=$!
"$@" &
web=$!

stopped=0
stop() {
  [ "$stopped" = 1 ] && return
  stopped=1
  kill -TERM "$web" "$worker" 2>/dev/null
  wait "$web" 2>/dev/null
  # Give the worker time to finish the job in hand, then insist.
  for _ in $(seq 1 "${SELFDIRECT_WORKER_STOP_SECONDS:-30}"); do
    kill -0 "$worker" 2>/dev/null || break
    sleep 1
  done
  kill -KILL "$worker" 2>/dev/null
  wait "$worker" 2>/dev/null
}
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM
trap 'stop' EXIT

# The web server is what this script serves: when it stops, everything stops.
wait "$web"
status=$?
stop
exit "$status"
