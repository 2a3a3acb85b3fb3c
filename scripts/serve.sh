#!/usr/bin/env bash
# Serve Selfdirect in production: gather the static files, then run gunicorn.
#
# Needs the production settings in the environment (docs/deployment.md): SECRET_KEY,
# ALLOWED_HOSTS, DATABASE_URL. It does not migrate: run `manage.py migrate` once, before
# starting the new code (several web processes must not race to migrate).
#
#   WEB_CONCURRENCY  gunicorn worker processes      default: 2 x cores + 1
#   BIND             address and port to listen on  default: 0.0.0.0:8000
#   SELFDIRECT_WORKER 1: a background worker runs beside gunicorn and stops with it
#                    (scripts/with-worker.sh); 0: the workers run as a service of their own
#
# `make serve` runs it locally against the demo database (see the README).
set -euo pipefail
cd "$(dirname "$0")/.."

export SELFDIRECT_ENV="${SELFDIRECT_ENV:-production}"
export PYTHONPATH="src${PYTHONPATH:+:$PYTHONPATH}"
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-selfdirect.settings}"
PY="${PY:-.venv/bin/python}"
WEB_CONCURRENCY="${WEB_CONCURRENCY:-$((2 * $(nproc) + 1))}"
BIND="${BIND:-0.0.0.0:8000}"

"$PY" manage.py collectstatic --noinput -v 0
PY="$PY" exec scripts/with-worker.sh "$PY" -m gunicorn selfdirect.wsgi:application \
  --workers "$WEB_CONCURRENCY" \
  --bind "$BIND" \
  --timeout "${GUNICORN_TIMEOUT:-60}" \
  --graceful-timeout 30 \
  --max-requests 2000 --max-requests-jitter 200 \
  --no-control-socket \
  --log-config-json scripts/gunicorn-logging.json
